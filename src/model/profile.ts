/**
 * The one profile model every importer produces and every view reads: a columnar call tree.
 *
 * Nodes are stored in depth-first pre-order, so the subtree of node i is the index range
 * [i, end[i]) and the children of i are found by hopping i+1, end[i+1], end[end[i+1]], ...
 * Node 0 is the root ("total"). Trees built from samples order children by function name, so two
 * trees of the same program line up; a nested-set import keeps the order its source sent.
 */

/** How a frame was executed, from pprof's inline info or folded-stack suffixes. */
export const FrameKind = {
  Normal: 0,
  Inlined: 1, // `_[i]`, or a pprof Location.line that is not the last (the caller)
  Kernel: 2, // `_[k]`
  Jit: 3, // `_[j]`
} as const;
// The value and its type share a name on purpose (an enum without TS enums); the base rule cannot tell.
// eslint-disable-next-line no-redeclare
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

/** Value units, as pprof names them (sample type unit), normalised. */
export type ValueUnit = 'nanoseconds' | 'bytes' | 'count' | 'seconds' | 'microseconds' | 'milliseconds' | string;

/** Interned functions: a tree node points at one of these by index. */
export interface FunctionTable {
  /** Display name, e.g. `encoding/json.(*decodeState).object`. */
  name: string[];
  /** FrameKind per function. The same name with another kind is another function. */
  kind: Uint8Array;
  count: number;
}

/** Where a value set was cut down (Pyroscope's maxNodes, or our own node cap). */
export interface Truncation {
  /** Nodes that were merged away. */
  droppedNodes: number;
  /** Value (left side) the `other` nodes hold. */
  otherValue: number;
}

export interface ProfileTree {
  /** What the values measure: `cpu`, `alloc_space`, `inuse_objects`, `samples`, ... */
  sampleType: string;
  unit: ValueUnit;
  functions: FunctionTable;
  /** Number of nodes, including the root. */
  size: number;
  /** Parent index, -1 for the root. */
  parent: Int32Array;
  /** Exclusive end of the subtree in pre-order. */
  end: Int32Array;
  /** Root is depth 0. */
  depth: Int32Array;
  /** Index into `functions`, -1 for the root. */
  fn: Int32Array;
  self: Float64Array;
  /** self plus all descendants. */
  total: Float64Array;
  /** Present on a diff tree: left (`self`/`total`) is the baseline, right the comparison. */
  right?: { self: Float64Array; total: Float64Array };
  truncation?: Truncation;
}

export const ROOT_NAME = 'total';

/** Name of the node that sums what a truncation dropped (Pyroscope's name for it). */
export const OTHER_NAME = 'other';

/** Name of node i, `total` for the root. */
export function nodeName(tree: ProfileTree, i: number): string {
  const f = tree.fn[i];
  return f < 0 ? ROOT_NAME : tree.functions.name[f];
}

/**
 * A tree of `size` nodes with zeroed columns, for a transform or builder to fill in pre-order;
 * `diff` adds the right-hand columns.
 */
export function allocTree(
  meta: { sampleType: string; unit: ValueUnit; functions: FunctionTable },
  size: number,
  diff: boolean
): ProfileTree {
  const tree: ProfileTree = {
    sampleType: meta.sampleType,
    unit: meta.unit,
    functions: meta.functions,
    size,
    parent: new Int32Array(size),
    end: new Int32Array(size),
    depth: new Int32Array(size),
    fn: new Int32Array(size),
    self: new Float64Array(size),
    total: new Float64Array(size),
  };
  if (diff) {
    tree.right = { self: new Float64Array(size), total: new Float64Array(size) };
  }
  return tree;
}

/**
 * Fills `total` (and the right side's) from `self`, and `end`, for a tree whose parent and self
 * columns are set in pre-order: children come after their parent, so one backward pass suffices.
 */
export function sumSubtrees(tree: ProfileTree): void {
  const { parent, end, self, total, size } = tree;
  const selfR = tree.right?.self;
  const totalR = tree.right?.total;
  for (let i = 0; i < size; i++) {
    end[i] = i + 1;
    total[i] = self[i];
    if (totalR && selfR) {
      totalR[i] = selfR[i];
    }
  }
  for (let i = size - 1; i > 0; i--) {
    const p = parent[i];
    total[p] += total[i];
    if (totalR) {
      totalR[p] += totalR[i];
    }
    if (end[i] > end[p]) {
      end[p] = end[i];
    }
  }
}

/** Grafana's unit ids (field config `unit`, value formats) for the profile units they cover. */
export const GRAFANA_UNITS: Readonly<Record<string, string>> = {
  nanoseconds: 'ns',
  microseconds: 'µs',
  milliseconds: 'ms',
  seconds: 's',
  bytes: 'bytes',
  count: 'short',
};

/**
 * Copies node i of `from` to position j of `to`: depth, function and both sides' values. Parent and
 * end are the caller's, since a transform that moves nodes is what decides them.
 */
export function copyNode(from: ProfileTree, i: number, to: ProfileTree, j: number): void {
  to.depth[j] = from.depth[i];
  to.fn[j] = from.fn[i];
  to.self[j] = from.self[i];
  to.total[j] = from.total[i];
  if (from.right && to.right) {
    to.right.self[j] = from.right.self[i];
    to.right.total[j] = from.right.total[i];
  }
}
