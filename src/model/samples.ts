/**
 * Sample-level profile data, kept columnar after decoding so a filter (labels, time) can rebuild a
 * call tree without decoding again. Produced by the pprof decoder; read by transforms.
 */
import { ProfileTree, ValueUnit } from './profile';
import { FunctionInterner, TreeBuilder } from './treeBuilder';

/** pprof ValueType: what a sample value measures and in which unit. */
export interface ValueType {
  type: string;
  unit: ValueUnit;
}

export interface SampleTable {
  /** Number of samples. */
  count: number;
  sampleTypes: ValueType[];
  /** Index into sampleTypes of the preferred type (pprof: default_sample_type, else the last). */
  defaultType: number;
  /** values[s * sampleTypes.length + t]. */
  values: Float64Array;
  /**
   * Stack of sample s, an index into the stacks below. Samples with the same location list share one
   * stack, so a call tree walks each distinct stack once however many samples repeat it.
   */
  stack: Int32Array;
  stackCount: number;
  /** Location indices of stack k, LEAF FIRST: stackLocations[stackOffsets[k] .. stackOffsets[k + 1]). */
  stackOffsets: Int32Array;
  stackLocations: Int32Array;
  /**
   * Frames of location l as function ids, ROOT FIRST (caller first, innermost inlined last):
   * frames[frameOffsets[l] .. frameOffsets[l + 1]).
   */
  frameOffsets: Int32Array;
  frames: Int32Array;
  /** The interner the frame function ids point into; trees built from this table share it. */
  functions: FunctionInterner;
  /**
   * Labels of sample s: labelKey/labelStr/labelNum/labelUnit[labelOffsets[s] .. labelOffsets[s + 1]).
   * Keys and string values are ids into `strings`; a numeric label has labelStr -1.
   */
  labelOffsets: Int32Array;
  labelKey: Int32Array;
  labelStr: Int32Array;
  labelNum: Float64Array;
  /** Unit of a numeric label (string id, 0 = none given). */
  labelUnit: Int32Array;
  strings: string[];
}

export interface SampleTreeOptions {
  /** Sample type name or index; default: the table's defaultType. */
  sampleType?: string | number;
  /** Only samples s with mask[s] !== 0 are counted. */
  mask?: Uint8Array;
}

/** Resolves a sample type given by name or index; -1 when there is no such type. */
export function sampleTypeIndex(samples: SampleTable, sampleType?: string | number): number {
  if (sampleType === undefined) {
    return samples.defaultType;
  }
  if (typeof sampleType === 'number') {
    return sampleType >= 0 && sampleType < samples.sampleTypes.length ? sampleType : -1;
  }
  // Like pprof's -sample_index, the last type of that name wins.
  for (let t = samples.sampleTypes.length - 1; t >= 0; t--) {
    if (samples.sampleTypes[t].type === sampleType) {
      return t;
    }
  }
  return -1;
}

export class UnknownSampleTypeError extends Error {
  constructor(sampleType: string | number, known: ValueType[]) {
    super(`unknown sample type ${JSON.stringify(sampleType)}; the profile has: ${known.map((t) => t.type).join(', ')}`);
    this.name = 'UnknownSampleTypeError';
  }
}

/**
 * Call tree of one sample type. Samples whose value is 0 are skipped, as pprof does, so they add no
 * nodes.
 */
export function buildSampleTree(samples: SampleTable, opts: SampleTreeOptions = {}): ProfileTree {
  const t = sampleTypeIndex(samples, opts.sampleType);
  if (t < 0) {
    throw new UnknownSampleTypeError(opts.sampleType ?? '', samples.sampleTypes);
  }
  const nTypes = samples.sampleTypes.length;
  const { values, stack, stackCount, stackOffsets, stackLocations, frameOffsets, frames, count } = samples;
  const mask = opts.mask;
  // Sum per stack first: the tree then walks each distinct stack once. Values are integers, so the
  // sums are exact (below 2^53) and do not depend on the order of addition.
  const stackValue = new Float64Array(stackCount);
  const used = new Uint8Array(stackCount);
  for (let s = 0; s < count; s++) {
    if (mask && mask[s] === 0) {
      continue;
    }
    const v = values[s * nTypes + t];
    if (v === 0) {
      continue;
    }
    const k = stack[s];
    stackValue[k] += v;
    used[k] = 1;
  }
  const builder = new TreeBuilder(samples.functions);
  let path = new Int32Array(256);
  for (let k = 0; k < stackCount; k++) {
    // A stack whose samples sum to 0 still adds its nodes, as pprof adds every non-zero sample.
    if (used[k] === 0) {
      continue;
    }
    let n = 0;
    for (let i = stackOffsets[k + 1] - 1; i >= stackOffsets[k]; i--) {
      const l = stackLocations[i];
      const a = frameOffsets[l];
      const b = frameOffsets[l + 1];
      if (n + b - a > path.length) {
        const grown = new Int32Array(Math.max(path.length * 2, n + b - a));
        grown.set(path);
        path = grown;
      }
      for (let f = a; f < b; f++) {
        path[n++] = frames[f];
      }
    }
    builder.addStack(path, 0, n, stackValue[k]);
  }
  const type = samples.sampleTypes[t];
  return builder.build(type.type, type.unit);
}
