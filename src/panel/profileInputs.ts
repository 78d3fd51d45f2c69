/**
 * From the profile inputs found in the frames to the one tree the flame graph shows: pprof decoded
 * once per input (trees rebuilt from its samples when the sample type or service changes), nested-set
 * and folded imported as they are, several inputs merged into one tree.
 */
import { ProfileTree } from '../model/profile';
import { buildSampleTree, SampleTable } from '../model/samples';
import { ProfileInput } from '../sources/frames';
import { foldedToTree } from '../sources/folded';
import { nestedSetToTree } from '../sources/nestedSet';
import { decodePprof } from '../sources/pprof/decode';
import { mergeTrees } from '../transforms/merge';
import { TimeWindow } from './windows';

/** A decoded input: pprof keeps its samples, the others are already trees. */
export type LoadedProfile =
  | { kind: 'samples'; samples: SampleTable; timeMs?: number }
  | { kind: 'tree'; tree: ProfileTree; timeMs?: number };

export interface LoadedProfiles {
  loaded: LoadedProfile[];
  /** One message per input that could not be read. */
  errors: string[];
  /** Sample types offered by the inputs, in the profile's order. */
  sampleTypes: string[];
  /** The pprof default sample type, else the first one. */
  defaultSampleType: string;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function loadProfiles(inputs: ProfileInput[]): LoadedProfiles {
  const out: LoadedProfiles = { loaded: [], errors: [], sampleTypes: [], defaultSampleType: '' };
  for (const input of inputs) {
    try {
      if (input.kind === 'pprof') {
        const profile = decodePprof(input.bytes);
        const timeMs = input.timeMs ?? (profile.timeNanos ? profile.timeNanos / 1e6 : undefined);
        out.loaded.push({ kind: 'samples', samples: profile.samples, timeMs });
        for (const t of profile.samples.sampleTypes) {
          if (!out.sampleTypes.includes(t.type)) {
            out.sampleTypes.push(t.type);
          }
        }
        out.defaultSampleType ||= profile.samples.sampleTypes[profile.samples.defaultType]?.type ?? '';
      } else if (input.kind === 'nested-set') {
        out.loaded.push({ kind: 'tree', tree: nestedSetToTree(input.frame) });
      } else {
        out.loaded.push({ kind: 'tree', tree: foldedToTree(input.text) });
      }
    } catch (e) {
      out.errors.push(message(e));
    }
  }
  return out;
}

export interface TreeRequest {
  /** Empty: the default. */
  sampleType: string;
  /** Sample label filter: only samples with one of these label keys equal to `service`. */
  service: string | null;
  serviceLabelKeys: string[];
  /** Only timestamped profiles inside this window (profiles without a time always count). */
  window?: TimeWindow;
}

/** Mask of the samples labelled with the service under any of the keys; undefined = no filter. */
export function serviceMask(samples: SampleTable, service: string | null, keys: string[]): Uint8Array | undefined {
  if (service === null) {
    return undefined;
  }
  const keyIds = new Set<number>();
  let valueId = -1;
  samples.strings.forEach((s, i) => {
    if (keys.includes(s)) {
      keyIds.add(i);
    }
    if (s === service) {
      valueId = i;
    }
  });
  const mask = new Uint8Array(samples.count);
  if (valueId < 0 || keyIds.size === 0) {
    return mask;
  }
  for (let s = 0; s < samples.count; s++) {
    for (let k = samples.labelOffsets[s]; k < samples.labelOffsets[s + 1]; k++) {
      if (samples.labelStr[k] === valueId && keyIds.has(samples.labelKey[k])) {
        mask[s] = 1;
        break;
      }
    }
  }
  return mask;
}

/** Service names found in pprof sample labels under the given keys. */
export function servicesInSamples(loaded: LoadedProfile[], keys: string[]): string[] {
  const found = new Set<string>();
  for (const p of loaded) {
    if (p.kind !== 'samples') {
      continue;
    }
    const { strings, labelKey, labelStr } = p.samples;
    const keyIds = new Set(keys.map((k) => strings.indexOf(k)).filter((i) => i >= 0));
    for (let k = 0; k < labelKey.length; k++) {
      if (keyIds.has(labelKey[k]) && labelStr[k] >= 0) {
        found.add(strings[labelStr[k]]);
      }
    }
  }
  return [...found].sort();
}

/** The tree to show, or null when no input has data for the request. */
export function treeFor(profiles: LoadedProfiles, req: TreeRequest): ProfileTree | null {
  const sampleType = req.sampleType && profiles.sampleTypes.includes(req.sampleType) ? req.sampleType : profiles.defaultSampleType;
  const trees: ProfileTree[] = [];
  for (const p of profiles.loaded) {
    const inWindow = !req.window || p.timeMs === undefined || (p.timeMs >= req.window.fromMs && p.timeMs < req.window.toMs);
    if (!inWindow) {
      continue;
    }
    if (p.kind === 'tree') {
      trees.push(p.tree);
    } else {
      const mask = serviceMask(p.samples, req.service, req.serviceLabelKeys);
      trees.push(buildSampleTree(p.samples, { sampleType: sampleType || undefined, mask }));
    }
  }
  if (trees.length === 0) {
    return null;
  }
  return trees.length === 1 ? trees[0] : mergeTrees(trees);
}
