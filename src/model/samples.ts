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
  /** Location indices of sample s, LEAF FIRST: locations[locationOffsets[s] .. locationOffsets[s + 1]). */
  locationOffsets: Int32Array;
  locations: Int32Array;
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
  const { values, locationOffsets, locations, frameOffsets, frames, count } = samples;
  const mask = opts.mask;
  const builder = new TreeBuilder(samples.functions);
  let stack = new Int32Array(256);
  for (let s = 0; s < count; s++) {
    if (mask && mask[s] === 0) {
      continue;
    }
    const v = values[s * nTypes + t];
    if (v === 0) {
      continue;
    }
    let n = 0;
    for (let k = locationOffsets[s + 1] - 1; k >= locationOffsets[s]; k--) {
      const l = locations[k];
      const a = frameOffsets[l];
      const b = frameOffsets[l + 1];
      if (n + b - a > stack.length) {
        const grown = new Int32Array(Math.max(stack.length * 2, n + b - a));
        grown.set(stack);
        stack = grown;
      }
      for (let f = a; f < b; f++) {
        stack[n++] = frames[f];
      }
    }
    builder.addStack(stack, 0, n, v);
  }
  const type = samples.sampleTypes[t];
  return builder.build(type.type, type.unit);
}
