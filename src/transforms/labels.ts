/**
 * Sample-level label filtering (`service_name=checkout`, `endpoint=/checkout`): several keys are
 * ANDed, several values of one key ORed, like a Pyroscope label selector with `=` / `=~a|b`.
 */
import { ProfileTree } from '../model/profile';
import { buildSampleTree, SampleTable } from '../model/samples';

/** key -> accepted values. A sample matches when, for every key, one of its labels has an accepted value. */
export type LabelFilter = Record<string, string[]>;

export class LabelFilterSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LabelFilterSyntaxError';
  }
}

/**
 * Parses `key=value` terms separated by commas or spaces, optionally wrapped in `{}` and with quoted
 * values: `{service_name="checkout", endpoint="/checkout"}`, `endpoint=/a endpoint=/b`.
 */
export function parseLabelFilter(text: string): LabelFilter {
  const filter: LabelFilter = {};
  const body = text.trim().replace(/^\{/, '').replace(/\}$/, '');
  const term = /\s*([A-Za-z_][\w.\-/]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s"]*))\s*(?:,|\s|$)/y;
  let pos = 0;
  while (pos < body.length) {
    if (/^[\s,]*$/.test(body.slice(pos))) {
      break;
    }
    term.lastIndex = pos;
    const m = term.exec(body);
    if (!m) {
      throw new LabelFilterSyntaxError(`cannot read a key=value label term at "${body.slice(pos, pos + 30)}"`);
    }
    const value = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3];
    (filter[m[1]] ??= []).push(value);
    pos = term.lastIndex;
  }
  return filter;
}

/** 1 per sample that matches `filter`; undefined when the filter is empty (every sample matches). */
export function labelMask(samples: SampleTable, filter: LabelFilter): Uint8Array | undefined {
  const keys = Object.keys(filter).filter((k) => filter[k].length > 0);
  if (keys.length === 0) {
    return undefined;
  }
  const { strings, labelOffsets, labelKey, labelStr, labelNum } = samples;
  // Compare ids, not strings, in the per-sample loop. Several string ids may hold the same text.
  const keyIndex = new Map<number, number>();
  const accepted: Array<Set<number>> = keys.map(() => new Set<number>());
  const acceptedNum: Array<Set<number>> = keys.map(() => new Set<number>());
  for (let id = 0; id < strings.length; id++) {
    const k = keys.indexOf(strings[id]);
    if (k >= 0) {
      keyIndex.set(id, k);
    }
    keys.forEach((key, i) => {
      if (filter[key].includes(strings[id])) {
        accepted[i].add(id);
      }
    });
  }
  keys.forEach((key, i) => {
    for (const v of filter[key]) {
      if (v !== '' && Number.isFinite(Number(v))) {
        acceptedNum[i].add(Number(v));
      }
    }
  });
  const mask = new Uint8Array(samples.count);
  const matched = new Uint8Array(keys.length);
  for (let s = 0; s < samples.count; s++) {
    matched.fill(0);
    let hits = 0;
    for (let j = labelOffsets[s]; j < labelOffsets[s + 1]; j++) {
      const k = keyIndex.get(labelKey[j]);
      if (k === undefined || matched[k]) {
        continue;
      }
      const ok = labelStr[j] >= 0 ? accepted[k].has(labelStr[j]) : acceptedNum[k].has(labelNum[j]);
      if (ok) {
        matched[k] = 1;
        hits++;
      }
    }
    mask[s] = hits === keys.length ? 1 : 0;
  }
  return mask;
}

export interface LabelValueCount {
  value: string;
  /** Samples carrying key=value. */
  samples: number;
}

export interface LabelKeySummary {
  key: string;
  /** Samples carrying the key at all. */
  samples: number;
  /** Values by descending sample count, then by value. Numeric labels print with their unit. */
  values: LabelValueCount[];
}

/** Label keys and values with their sample counts, keys sorted by name (the panel picks services from these). */
export function labelSummary(samples: SampleTable): LabelKeySummary[] {
  const { strings, labelOffsets, labelKey, labelStr, labelNum, labelUnit } = samples;
  const byKey = new Map<string, { samples: number; values: Map<string, number>; lastSample: number }>();
  for (let s = 0; s < samples.count; s++) {
    for (let j = labelOffsets[s]; j < labelOffsets[s + 1]; j++) {
      const key = strings[labelKey[j]];
      let entry = byKey.get(key);
      if (!entry) {
        entry = { samples: 0, values: new Map(), lastSample: -1 };
        byKey.set(key, entry);
      }
      if (entry.lastSample !== s) {
        entry.samples++;
        entry.lastSample = s;
      }
      const value =
        labelStr[j] >= 0 ? strings[labelStr[j]] : `${labelNum[j]}${labelUnit[j] ? ' ' + strings[labelUnit[j]] : ''}`;
      entry.values.set(value, (entry.values.get(value) ?? 0) + 1);
    }
  }
  return Array.from(byKey.entries())
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, e]) => ({
      key,
      samples: e.samples,
      values: Array.from(e.values.entries())
        .map(([value, n]) => ({ value, samples: n }))
        .sort((a, b) => b.samples - a.samples || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0)),
    }));
}

export interface BuildTreeOptions {
  /** Sample type name or index; default: the profile's default sample type. */
  sampleType?: string | number;
  labelFilter?: LabelFilter;
}

/** Call tree of a decoded profile (anything holding a SampleTable), restricted to samples matching the labels. */
export function buildTree(profile: { samples: SampleTable }, opts: BuildTreeOptions = {}): ProfileTree {
  const mask = opts.labelFilter ? labelMask(profile.samples, opts.labelFilter) : undefined;
  return buildSampleTree(profile.samples, { sampleType: opts.sampleType, mask });
}
