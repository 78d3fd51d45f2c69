/**
 * pprof's `top` table: one row per function name, flat and cum exactly as `go tool pprof -top`
 * computes them at function granularity, from a call tree (what the panel shows, after its filters)
 * or straight from a profile's samples (the CLI: no tree to build).
 *
 * - A function's inlined and non-inlined frames are one row (pprof keys nodes by name); the row is
 *   marked `(inline)` when every call edge into it is inlined, `(partial-inline)` when some are.
 * - cum counts a stack once even if the function recurses.
 */
import { FrameKind, FunctionTable, ProfileTree } from '../model/profile';
import { SampleTable, SampleTreeOptions, stackValues } from '../model/samples';
import { orderByKey, sortByName } from '../model/order';
import { grown } from '../model/typedArrays';

export const InlineMark = { None: 0, Inline: 1, Partial: 2 } as const;

export interface TopTable {
  count: number;
  /** Function id per row (a representative when the name exists with several FrameKinds). */
  fn: Int32Array;
  flat: Float64Array;
  cum: Float64Array;
  flatRight?: Float64Array;
  cumRight?: Float64Array;
  /** InlineMark per row. */
  inline: Uint8Array;
  /** The profile's total (the tree's root total), which the rows are shares of. */
  total: number;
  /** What `fn` indexes. */
  functions: FunctionTable;
}

/** Functions grouped by name: function id -> group, and a representative function per group. */
interface NameGroups {
  count: number;
  groupOf: Int32Array;
  groupFn: number[];
}

function groupByName(functions: FunctionTable): NameGroups {
  const groupOf = new Int32Array(functions.count);
  const groupFn = groupFunctions(functions, groupOf);
  return { count: groupFn.length, groupOf, groupFn };
}

/**
 * Fills groupOf and returns the representative function per group (a Normal one when the name has
 * one). Its loop is the whole function, as in sumTree.
 */
function groupFunctions(functions: FunctionTable, groupOf: Int32Array): number[] {
  const groupOfName = new Map<string, number>();
  const groupFn: number[] = [];
  for (let f = 0; f < functions.count; f++) {
    const name = functions.name[f];
    let g = groupOfName.get(name);
    if (g === undefined) {
      g = groupFn.length;
      groupOfName.set(name, g);
      groupFn.push(f);
    } else if (functions.kind[groupFn[g]] !== FrameKind.Normal && functions.kind[f] === FrameKind.Normal) {
      groupFn[g] = f;
    }
    groupOf[f] = g;
  }
  return groupFn;
}

const MANY = -2;

/**
 * Call edges (caller name -> callee name) for the inline marks. pprof marks an edge inlined only
 * when every call along it is, and a row (inline) when all edges into it are, (partial-inline) when
 * some are. Inlined calls are few (frames inside one pprof location, or nodes of kind Inlined), so
 * their pairs are registered first; each plain call then marks its callee called and, when the
 * callee has inlined callers, its pair. Names with one inlined caller (nearly all) need no set.
 */
class CallEdges {
  /** Keeps the class's optimized code alive between tables (see Wire.idle in sources/pprof/wire.ts). */
  static readonly idle = new CallEdges(0);
  private readonly n: number;
  /** Per group: some call into it is plain. */
  private readonly called: Uint8Array;
  /** Per group: -1 no inlined caller, else the group of its only one, or MANY. */
  private readonly soleCaller: Int32Array;
  /** Per group: its sole inlined caller also calls it plainly. */
  private readonly soleCalled: Uint8Array;
  /** Pairs caller * n + callee called plainly into groups with MANY inlined callers. */
  private readonly manyCalled = new Set<number>();
  /** Inlined pairs, caller and callee one after the other (repeats allowed). */
  private readonly inlinedPairs: number[] = [];

  constructor(groups: number) {
    this.n = groups;
    this.called = new Uint8Array(groups);
    this.soleCaller = new Int32Array(groups).fill(-1);
    this.soleCalled = new Uint8Array(groups);
  }

  /** An inlined call from group pg into another group g; all of them come before any call(). */
  inlined(pg: number, g: number): void {
    const c = this.soleCaller[g];
    if (c === pg) {
      return;
    }
    this.soleCaller[g] = c === -1 ? pg : MANY;
    this.inlinedPairs.push(pg, g);
  }

  /** A plain (not inlined) call from group pg into another group g. */
  call(pg: number, g: number): void {
    this.called[g] = 1;
    const c = this.soleCaller[g];
    if (c === pg) {
      this.soleCalled[g] = 1;
    } else if (c === MANY) {
      this.manyCalled.add(pg * this.n + g);
    }
  }

  /** Whether any inlined call was registered. */
  hasInlined(): boolean {
    return this.inlinedPairs.length > 0;
  }

  /** InlineMark per group. */
  marks(): Uint8Array {
    const { inlinedPairs: pairs, soleCaller, called } = this;
    const inline = new Uint8Array(this.n);
    for (let i = 0; i < pairs.length; i += 2) {
      const pg = pairs[i];
      const g = pairs[i + 1];
      const alsoCalled = soleCaller[g] === MANY ? this.manyCalled.has(pg * this.n + g) : this.soleCalled[g] === 1;
      if (!alsoCalled) {
        inline[g] = 1;
      }
    }
    const marks = new Uint8Array(this.n);
    for (let g = 0; g < marks.length; g++) {
      marks[g] = inline[g] ? (called[g] ? InlineMark.Partial : InlineMark.Inline) : InlineMark.None;
    }
    return marks;
  }
}

/** The top table of a call tree; diff trees get the right-hand columns too. */
export function topTable(tree: ProfileTree): TopTable {
  const { functions, size, total, right } = tree;
  const groups = groupByName(functions);
  const nGroups = groups.count;
  const flat = new Float64Array(nGroups);
  const cum = new Float64Array(nGroups);
  const flatR = right ? new Float64Array(nGroups) : undefined;
  const cumR = right ? new Float64Array(nGroups) : undefined;
  const edges = new CallEdges(nGroups);
  treeInlinedCalls(tree, groups.groupOf, edges);
  sumTree(tree, groups.groupOf, flat, cum, flatR, cumR, edges);
  return topRows(functions, groups, flat, cum, flatR, cumR, edges.marks(), size > 0 ? total[0] : 0);
}

/**
 * flat and cum per group (and the right-hand side's of a diff tree), and the plain calls. Nothing
 * follows its loop: V8 compiles the loop on stack during the first call, before any later code has
 * run, and a property access after it (with no type feedback) bailed out of that compiled loop in
 * every later call.
 */
function sumTree(
  tree: ProfileTree,
  groupOf: Int32Array,
  flat: Float64Array,
  cum: Float64Array,
  flatR: Float64Array | undefined,
  cumR: Float64Array | undefined,
  edges: CallEdges
): void {
  const { size, fn, self, total, end, right } = tree;
  const kind = tree.functions.kind;
  const onPath = new Int32Array(flat.length);
  // The open ancestors of node i (the root excluded): where each one's subtree ends, and its group.
  let pathEnd = new Int32Array(256);
  let pathGroup = new Int32Array(256);
  // Without inlined calls every mark is None: the plain calls need not be recorded.
  const inlinedCalls = edges.hasInlined();
  let depth = 0;

  for (let i = 1; i < size; i++) {
    while (depth > 0 && pathEnd[depth - 1] <= i) {
      onPath[pathGroup[--depth]]--;
    }
    const f = fn[i];
    const g = groupOf[f];
    flat[g] += self[i];
    if (flatR && right) {
      flatR[g] += right.self[i];
    }
    // A node adds its total only when no ancestor has the same name.
    if (onPath[g] === 0) {
      cum[g] += total[i];
      if (cumR && right) {
        cumR[g] += right.total[i];
      }
    }
    if (inlinedCalls && depth > 0 && kind[f] !== FrameKind.Inlined) {
      const pg = pathGroup[depth - 1];
      if (pg !== g) {
        edges.call(pg, g);
      }
    }
    onPath[g]++;
    if (depth === pathEnd.length) {
      pathEnd = grown(pathEnd);
      pathGroup = grown(pathGroup);
    }
    pathEnd[depth] = end[i];
    pathGroup[depth++] = g;
  }
}

/**
 * The inlined calls of a tree (nodes of kind Inlined below the root's children, called by their
 * parent). The plain calls follow in topTable's own pass.
 */
function treeInlinedCalls(tree: ProfileTree, groupOf: Int32Array, edges: CallEdges): void {
  const { size, fn, parent } = tree;
  const kind = tree.functions.kind;
  for (let i = 1; i < size; i++) {
    const p = parent[i];
    if (p > 0 && kind[fn[i]] === FrameKind.Inlined && groupOf[fn[p]] !== groupOf[fn[i]]) {
      edges.inlined(groupOf[fn[p]], groupOf[fn[i]]);
    }
  }
}

/**
 * The top table of a profile's samples, row for row what topTable(buildSampleTree(samples, opts))
 * gives, without building the tree: each distinct stack adds its value to its leaf's flat and once
 * to the cum of every name on it.
 */
export function topTableOfSamples(samples: SampleTable, opts: SampleTreeOptions = {}): TopTable {
  const { value: stackValue, used } = stackValues(samples, opts);
  const functions = samples.functions.table();
  const groups = groupByName(functions);
  const flat = new Float64Array(groups.count);
  const cum = new Float64Array(groups.count);
  const edges = new CallEdges(groups.count);
  addInlinedCalls(samples, used, groups.groupOf, edges);
  const total = sumStacks(samples, used, stackValue, groups.groupOf, flat, cum, edges);
  return topRows(functions, groups, flat, cum, undefined, undefined, edges.marks(), total);
}

/**
 * The inlined calls of the used stacks: in a location of several frames (root first), each frame
 * after the first was inlined into the one before it. Each location is read once.
 */
function addInlinedCalls(samples: SampleTable, used: Uint8Array, groupOf: Int32Array, edges: CallEdges): void {
  const { stackCount, stackOffsets, stackLocations, frameOffsets, frames } = samples;
  const done = new Uint8Array(frameOffsets.length - 1);
  for (let k = 0; k < stackCount; k++) {
    if (used[k] === 0) {
      continue;
    }
    for (let i = stackOffsets[k]; i < stackOffsets[k + 1]; i++) {
      const l = stackLocations[i];
      if (done[l] === 1 || frameOffsets[l + 1] - frameOffsets[l] < 2) {
        continue;
      }
      done[l] = 1;
      for (let j = frameOffsets[l] + 1; j < frameOffsets[l + 1]; j++) {
        const pg = groupOf[frames[j - 1]];
        const g = groupOf[frames[j]];
        if (pg !== g) {
          edges.inlined(pg, g);
        }
      }
    }
  }
}

/** flat, cum and the plain calls of the used stacks; returns their total. */
function sumStacks(
  samples: SampleTable,
  used: Uint8Array,
  stackValue: Float64Array,
  groupOf: Int32Array,
  flat: Float64Array,
  cum: Float64Array,
  edges: CallEdges
): number {
  const { stackCount, stackOffsets, stackLocations, frameOffsets, frames } = samples;
  // seen[g] === k + 1: name g is already counted in stack k's cum.
  const seen = new Int32Array(flat.length);
  let total = 0;
  for (let k = 0; k < stackCount; k++) {
    if (used[k] === 0) {
      continue;
    }
    const v = stackValue[k];
    total += v;
    let pg = -1;
    // Locations are leaf first, their frames root first. A location's first frame is a plain call
    // from the last frame of the location before; the rest are inlined (addInlinedCalls).
    for (let i = stackOffsets[k + 1] - 1; i >= stackOffsets[k]; i--) {
      const l = stackLocations[i];
      const first = frameOffsets[l];
      for (let j = first; j < frameOffsets[l + 1]; j++) {
        const g = groupOf[frames[j]];
        if (seen[g] !== k + 1) {
          seen[g] = k + 1;
          cum[g] += v;
        }
        if (j === first && pg >= 0 && pg !== g) {
          edges.call(pg, g);
        }
        pg = g;
      }
    }
    if (pg >= 0) {
      flat[pg] += v;
    }
  }
  return total;
}

/** The rows with a non-zero value, sorted as pprof prints them: flat descending, then name. */
function topRows(
  functions: FunctionTable,
  groups: NameGroups,
  flat: Float64Array,
  cum: Float64Array,
  flatR: Float64Array | undefined,
  cumR: Float64Array | undefined,
  marks: Uint8Array,
  total: number
): TopTable {
  const { groupFn, groupOf } = groups;
  const shown: number[] = [];
  for (let g = 0; g < groups.count; g++) {
    if (flat[g] !== 0 || cum[g] !== 0 || (flatR && cumR && (flatR[g] !== 0 || cumR[g] !== 0))) {
      shown.push(groupFn[g]);
    }
  }
  // By flat, then by name within each run of equal flats. Names are compared only in those runs:
  // ordering the 12.5k rows of the 100k-node bench tree took 11 ms sorting every name first, 3 ms
  // this way (Node 20).
  const key = new Float64Array(shown.length);
  for (let k = 0; k < key.length; k++) {
    key[k] = -Math.abs(flat[groupOf[shown[k]]]);
  }
  const byFlat = orderByKey(key);
  // The function each row shows (its group's representative), in row order.
  const rowFn = new Int32Array(byFlat.length);
  for (let r = 0; r < rowFn.length; r++) {
    rowFn[r] = shown[byFlat[r]];
  }
  sortTiesByName(rowFn, key, byFlat, functions.name);

  const count = rowFn.length;
  const out: TopTable = {
    count,
    fn: rowFn,
    flat: new Float64Array(count),
    cum: new Float64Array(count),
    inline: new Uint8Array(count),
    total,
    functions,
  };
  if (flatR && cumR) {
    out.flatRight = new Float64Array(count);
    out.cumRight = new Float64Array(count);
  }
  for (let r = 0; r < count; r++) {
    const g = groupOf[rowFn[r]];
    out.flat[r] = flat[g];
    out.cum[r] = cum[g];
    out.inline[r] = marks[g];
    if (out.flatRight && out.cumRight && flatR && cumR) {
      out.flatRight[r] = flatR[g];
      out.cumRight[r] = cumR[g];
    }
  }
  return out;
}

/** Sorts by name each run of ids whose keys are equal; ids[r] has key keys[order[r]] (ascending). */
function sortTiesByName(ids: Int32Array, keys: Float64Array, order: Int32Array, names: readonly string[]): void {
  for (let lo = 0; lo < ids.length;) {
    let hi = lo + 1;
    while (hi < ids.length && keys[order[hi]] === keys[order[lo]]) {
      hi++;
    }
    if (hi - lo > 1) {
      sortByName(ids.subarray(lo, hi), names);
    }
    lo = hi;
  }
}

/** Row name as `go tool pprof -top` prints it, e.g. `runtime.nextFreeFast (inline)`. */
export function topRowName(top: TopTable, row: number): string {
  const name = top.functions.name[top.fn[row]];
  const mark = top.inline[row];
  return mark === InlineMark.Inline ? `${name} (inline)` : mark === InlineMark.Partial ? `${name} (partial-inline)` : name;
}

/** The CLI's text form: `flat<TAB>cum<TAB>name` per row in base units, then `total<TAB>N`. */
export function formatTop(top: TopTable): string {
  const lines: string[] = [];
  for (let r = 0; r < top.count; r++) {
    lines.push(`${top.flat[r]}\t${top.cum[r]}\t${topRowName(top, r)}`);
  }
  lines.push(`total\t${top.total}`);
  return lines.join('\n') + '\n';
}
