/**
 * From the profile inputs found in the frames to the one tree the flame graph shows: pprof decoded
 * once per input, in a worker (trees rebuilt from its samples when the sample type or service
 * changes), nested-set and folded imported as they are, several inputs merged into one tree.
 */
import { ProfileTree } from '../model/profile';
import { buildSampleTree, SampleTable } from '../model/samples';
import { ProfileInput } from '../sources/frames';
import { foldedToTree } from '../sources/folded';
import { nestedSetToTree } from '../sources/nestedSet';
import { DEFAULT_LIMITS } from '../sources/limits';
import { backgroundDecoder } from '../sources/pprof/decodeInBackground';
import { labelMask, labelSummary } from '../transforms/labels';
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

/**
 * Reads every input: pprof in the background decoder (off the main thread), nested-set and folded
 * here. One input that fails is reported and the others still load.
 */
export async function loadProfiles(inputs: ProfileInput[]): Promise<LoadedProfiles> {
  const results = await Promise.allSettled(inputs.map(loadProfile));
  const out: LoadedProfiles = { loaded: [], errors: [], sampleTypes: [], defaultSampleType: '' };
  for (const result of results) {
    if (result.status === 'rejected') {
      out.errors.push(message(result.reason));
      continue;
    }
    const profile = result.value;
    out.loaded.push(profile);
    if (profile.kind === 'samples') {
      for (const t of profile.samples.sampleTypes) {
        if (!out.sampleTypes.includes(t.type)) {
          out.sampleTypes.push(t.type);
        }
      }
      out.defaultSampleType ||= profile.samples.sampleTypes[profile.samples.defaultType]?.type ?? '';
    }
  }
  return out;
}

async function loadProfile(input: ProfileInput): Promise<LoadedProfile> {
  if (input.kind === 'nested-set') {
    return { kind: 'tree', tree: nestedSetToTree(input.frame) };
  }
  if (input.kind === 'folded') {
    return { kind: 'tree', tree: foldedToTree(input.text) };
  }
  const { samples, timeNanos } = await backgroundDecoder.decode(input.bytes, {
    maxDecompressedBytes: DEFAULT_LIMITS.maxDecompressedBytes,
    timeBudgetMs: DEFAULT_LIMITS.decodeTimeBudgetMs,
  });
  if (samples.count > DEFAULT_LIMITS.maxSamples) {
    throw new Error(
      `the profile has ${samples.count} samples, more than the ${DEFAULT_LIMITS.maxSamples} this panel reads`
    );
  }
  return { kind: 'samples', samples, timeMs: input.timeMs ?? (timeNanos ? timeNanos / 1e6 : undefined) };
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

/** Service names a profile's samples are labelled with under any of the keys. */
function servicesOf(samples: SampleTable, keys: string[]): Set<string> {
  const found = new Set<string>();
  for (const summary of labelSummary(samples)) {
    if (keys.includes(summary.key)) {
      summary.values.forEach((v) => found.add(v.value));
    }
  }
  return found;
}

/**
 * Samples that belong to the service; undefined = all of them. A profile whose labelled samples all
 * name this one service is that service's profile as a whole: its unlabelled samples (runtime work such
 * as GC mark workers, which carry no pprof labels) belong to it too. Only a profile mixing services is
 * split sample by sample.
 */
export function serviceMask(samples: SampleTable, service: string | null, keys: string[]): Uint8Array | undefined {
  if (service === null) {
    return undefined;
  }
  const present = servicesOf(samples, keys);
  if (present.size === 1 && present.has(service)) {
    return undefined;
  }
  const mask = new Uint8Array(samples.count);
  for (const key of present.has(service) ? keys : []) {
    const byKey = labelMask(samples, { [key]: [service] });
    for (let s = 0; byKey && s < mask.length; s++) {
      mask[s] |= byKey[s];
    }
  }
  return mask;
}

/** Service names found in pprof sample labels under the given keys. */
export function servicesInSamples(loaded: LoadedProfile[], keys: string[]): string[] {
  const found = new Set<string>();
  for (const p of loaded) {
    if (p.kind === 'samples') {
      servicesOf(p.samples, keys).forEach((s) => found.add(s));
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
