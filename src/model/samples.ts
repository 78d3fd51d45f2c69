/**
 * Sample-level profile data, kept columnar after decoding so a filter (labels, time) can rebuild a
 * call tree without decoding again. Produced by the pprof decoder; read by transforms.
 */
import { allocTree, ProfileTree, sumSubtrees, ValueUnit } from './profile';
import { FunctionInterner, functionRank } from './treeBuilder';
import { grown } from './typedArrays';

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
   * stack, so a call tree walks each distinct stack once however many samples repeat it. (The pprof
   * decoder matches the list's encoded bytes: a list written unpacked or split, which Go never does,
   * gets a stack of its own; equal stacks still make one path in a tree.)
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
 * Call tree of one sample type, node for node what TreeBuilder builds from the same stacks. Samples
 * whose value is 0 are skipped, as pprof does, so they add no nodes.
 *
 * No hash table: the distinct stacks, as root-first sequences of function ranks (name order), are
 * sorted with a multikey quicksort; in that order each stack shares its longest common prefix with
 * the one before, so the nodes come out already in pre-order with children sorted by name.
 */
export function buildSampleTree(samples: SampleTable, opts: SampleTreeOptions = {}): ProfileTree {
  // Each loop below is a function of its own: V8 compiles a hot loop in a long function by on-stack
  // replacement of the whole function, and leaves it again at the first code after the loop that
  // has not run yet, so one function per loop is compiled once instead of once per loop.
  const { type: t, value: stackValue, used, usedCount: nUsed } = stackValues(samples, opts);

  const functions = samples.functions.table();
  const rank = functionRank(functions);
  const fnOfRank = new Int32Array(rank.length);
  for (let f = 0; f < rank.length; f++) {
    fnOfRank[rank[f]] = f;
  }

  // Used stacks expanded root first into rank sequences: seq[off[j] .. off[j] + len[j]).
  // A stack whose samples sum to 0 is kept: pprof adds the nodes of every non-zero sample.
  const order = new Int32Array(nUsed);
  const value = new Float64Array(nUsed);
  const off = new Int32Array(nUsed);
  const len = new Int32Array(nUsed);
  const total = measureStacks(samples, used, stackValue, order, value, off, len);
  const seq = new Int32Array(total);
  fillSequences(samples, used, rank, off, seq);
  sortSequences(order, seq, off, len);
  // Prefix shared with the previous stack in sorted order; what is left of a stack is new nodes.
  const lcp = new Int32Array(nUsed);
  const size = 1 + newNodeCounts(order, seq, off, len, lcp);

  const type = samples.sampleTypes[t];
  const tree = allocTree({ sampleType: type.type, unit: type.unit, functions }, size, false);
  emitNodes(tree, order, seq, off, len, lcp, value, fnOfRank);
  sumSubtrees(tree);
  return tree;
}

/** The chosen sample type's values summed per distinct stack (see sumByStack). */
export interface StackValues {
  /** Index of the sample type. */
  type: number;
  value: Float64Array;
  used: Uint8Array;
  usedCount: number;
}

/** Sums the samples (those in opts.mask) of opts.sampleType per stack; throws for an unknown type. */
export function stackValues(samples: SampleTable, opts: SampleTreeOptions = {}): StackValues {
  const type = sampleTypeIndex(samples, opts.sampleType);
  if (type < 0) {
    throw new UnknownSampleTypeError(opts.sampleType ?? '', samples.sampleTypes);
  }
  const value = new Float64Array(samples.stackCount);
  const used = new Uint8Array(samples.stackCount);
  const usedCount = sumByStack(samples, type, opts.mask, value, used);
  return { type, value, used, usedCount };
}

/**
 * stackValue[k] = the values of type t of the (unmasked) samples of stack k, used[k] = 1 when one
 * of them is not 0. Values are integers, so the sums are exact (below 2^53) whatever the order.
 * Returns the number of used stacks.
 */
function sumByStack(
  samples: SampleTable,
  t: number,
  mask: Uint8Array | undefined,
  stackValue: Float64Array,
  used: Uint8Array
): number {
  const { values, stack, count } = samples;
  const nTypes = samples.sampleTypes.length;
  let nUsed = 0;
  for (let s = 0; s < count; s++) {
    const v = values[s * nTypes + t];
    if (v === 0 || (mask && mask[s] === 0)) {
      continue;
    }
    const k = stack[s];
    stackValue[k] += v;
    nUsed += 1 - used[k];
    used[k] = 1;
  }
  return nUsed;
}

/** Fills order (identity), value, off and len of the used stacks; returns their total frame count. */
function measureStacks(
  samples: SampleTable,
  used: Uint8Array,
  stackValue: Float64Array,
  order: Int32Array,
  value: Float64Array,
  off: Int32Array,
  len: Int32Array
): number {
  const { stackCount, stackOffsets, stackLocations, frameOffsets } = samples;
  let total = 0;
  for (let k = 0, j = 0; k < stackCount; k++) {
    if (used[k] === 0) {
      continue;
    }
    let n = 0;
    for (let i = stackOffsets[k]; i < stackOffsets[k + 1]; i++) {
      const l = stackLocations[i];
      n += frameOffsets[l + 1] - frameOffsets[l];
    }
    order[j] = j;
    value[j] = stackValue[k];
    off[j] = total;
    len[j] = n;
    total += n;
    j++;
  }
  return total;
}

/** Most locations are one frame: per location its rank, else -1 (several inlined frames). */
function singleFrameRanks(frameOffsets: Int32Array, frames: Int32Array, rank: Int32Array): Int32Array {
  const single = new Int32Array(frameOffsets.length - 1);
  for (let l = 0; l < single.length; l++) {
    single[l] = frameOffsets[l + 1] - frameOffsets[l] === 1 ? rank[frames[frameOffsets[l]]] : -1;
  }
  return single;
}

/** Writes the frames of each used stack, root first, as function ranks at seq[off[j]..]. */
function fillSequences(
  samples: SampleTable,
  used: Uint8Array,
  rank: Int32Array,
  off: Int32Array,
  seq: Int32Array
): void {
  const { stackCount, stackOffsets, stackLocations, frameOffsets, frames } = samples;
  const single = singleFrameRanks(frameOffsets, frames, rank);
  for (let k = 0, j = 0; k < stackCount; k++) {
    if (used[k] === 0) {
      continue;
    }
    let at = off[j++];
    for (let i = stackOffsets[k + 1] - 1; i >= stackOffsets[k]; i--) {
      const l = stackLocations[i];
      const r = single[l];
      if (r >= 0) {
        seq[at++] = r;
        continue;
      }
      for (let f = frameOffsets[l]; f < frameOffsets[l + 1]; f++) {
        seq[at++] = rank[frames[f]];
      }
    }
  }
}

/** lcp[j]: keys the j-th sequence in order shares with the one before. Returns the nodes they add. */
function newNodeCounts(order: Int32Array, seq: Int32Array, off: Int32Array, len: Int32Array, lcp: Int32Array): number {
  let nodes = 0;
  for (let j = 0; j < order.length; j++) {
    const b = order[j];
    let c = 0;
    if (j > 0) {
      const a = order[j - 1];
      const oa = off[a];
      const ob = off[b];
      const m = Math.min(len[a], len[b]);
      while (c < m && seq[oa + c] === seq[ob + c]) {
        c++;
      }
    }
    lcp[j] = c;
    nodes += len[b] - c;
  }
  return nodes;
}

/** Lays out the nodes in pre-order: each sorted sequence adds the part past its shared prefix. */
function emitNodes(
  tree: ProfileTree,
  order: Int32Array,
  seq: Int32Array,
  off: Int32Array,
  len: Int32Array,
  lcp: Int32Array,
  value: Float64Array,
  fnOfRank: Int32Array
): void {
  const { parent, depth, fn, self } = tree;
  parent[0] = -1;
  fn[0] = -1;
  // path[d]: the node at depth d on the current stack, path[0] the root.
  let path = new Int32Array(64);
  let next = 1;
  for (let j = 0; j < order.length; j++) {
    const b = order[j];
    const ob = off[b];
    const n = len[b];
    if (n >= path.length) {
      path = grown(path, Math.max(n + 1, path.length * 2));
    }
    let p = path[lcp[j]];
    for (let d = lcp[j]; d < n; d++) {
      const node = next++;
      parent[node] = p;
      depth[node] = d + 1;
      fn[node] = fnOfRank[seq[ob + d]];
      path[d + 1] = node;
      p = node;
    }
    self[path[n]] += value[b];
  }
}

/**
 * Sorts `order` (indices of rank sequences seq[off[i] .. off[i] + len[i])) lexicographically, a
 * prefix before its extensions: multikey quicksort, iterative so deep stacks cannot overflow.
 */
function sortSequences(order: Int32Array, seq: Int32Array, off: Int32Array, len: Int32Array): void {
  // Work list of (lo, hi, d): order[lo..hi) agree on their first d keys (so are at least d long).
  let work = new Int32Array(3 * 64);
  let top = 0;
  work[top++] = 0;
  work[top++] = order.length;
  work[top++] = 0;
  while (top > 0) {
    let d = work[--top];
    const hi = work[--top];
    const lo = work[--top];
    if (hi - lo < 2) {
      continue;
    }
    if (hi - lo <= 12) {
      insertionSort(order, seq, off, len, lo, hi, d);
      continue;
    }
    // Skip the prefix the whole range shares (deep stacks under one caller share many frames): one
    // sequential compare per sequence instead of a partition pass per depth.
    d += sharedExtension(order, seq, off, len, lo, hi, d);
    // Key at depth d, -1 past the end (shorter first). Pivot: median of three.
    const k1 = keyAt(order[lo], d, seq, off, len);
    const k2 = keyAt(order[(lo + hi) >>> 1], d, seq, off, len);
    const k3 = keyAt(order[hi - 1], d, seq, off, len);
    const pivot = k1 < k2 ? (k2 < k3 ? k2 : k1 < k3 ? k3 : k1) : k1 < k3 ? k1 : k2 < k3 ? k3 : k2;
    // Three-way partition: [lo, lt) < pivot, [lt, gt) = pivot, [gt, hi) > pivot.
    let lt = lo;
    let gt = hi;
    let i = lo;
    while (i < gt) {
      const x = order[i];
      // keyAt, inlined: this loop runs cold in a one-shot process.
      const k = d < len[x] ? seq[off[x] + d] : -1;
      if (k < pivot) {
        order[i++] = order[lt];
        order[lt++] = x;
      } else if (k > pivot) {
        order[i] = order[--gt];
        order[gt] = x;
      } else {
        i++;
      }
    }
    if (top + 9 > work.length) {
      work = grown(work);
    }
    work[top++] = lo;
    work[top++] = lt;
    work[top++] = d;
    work[top++] = gt;
    work[top++] = hi;
    work[top++] = d;
    // Equal keys: the next one decides, unless all ended (-1): those are equal sequences.
    if (pivot >= 0) {
      work[top++] = lt;
      work[top++] = gt;
      work[top++] = d + 1;
    }
  }
}

/** How many keys past depth d all of order[lo..hi) have in common (all are at least d long). */
function sharedExtension(
  order: Int32Array,
  seq: Int32Array,
  off: Int32Array,
  len: Int32Array,
  lo: number,
  hi: number,
  d: number
): number {
  const first = order[lo];
  const base = off[first] + d;
  let m = len[first] - d;
  for (let i = lo + 1; i < hi && m > 0; i++) {
    const x = order[i];
    const o = off[x] + d;
    const lim = Math.min(m, len[x] - d);
    let c = 0;
    while (c < lim && seq[o + c] === seq[base + c]) {
      c++;
    }
    m = c;
  }
  // Nothing after the loop needs type feedback: this runs once per partition, and V8 would leave its
  // optimized code at such a spot on every call.
  return m;
}

function keyAt(i: number, d: number, seq: Int32Array, off: Int32Array, len: Int32Array): number {
  return d < len[i] ? seq[off[i] + d] : -1;
}

function insertionSort(
  order: Int32Array,
  seq: Int32Array,
  off: Int32Array,
  len: Int32Array,
  lo: number,
  hi: number,
  d: number
): void {
  for (let i = lo + 1; i < hi; i++) {
    const x = order[i];
    let j = i;
    while (j > lo && compareFrom(order[j - 1], x, d, seq, off, len) > 0) {
      order[j] = order[j - 1];
      j--;
    }
    order[j] = x;
  }
}

function compareFrom(a: number, b: number, d: number, seq: Int32Array, off: Int32Array, len: Int32Array): number {
  const la = len[a];
  const lb = len[b];
  const m = la < lb ? la : lb;
  const oa = off[a];
  const ob = off[b];
  for (let i = d; i < m; i++) {
    const x = seq[oa + i];
    const y = seq[ob + i];
    if (x !== y) {
      return x - y;
    }
  }
  return la - lb;
}
