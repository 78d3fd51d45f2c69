/**
 * Flame graph layout: which rectangles a viewport shows, computed without visiting what is not
 * visible. A subtree narrower than `minWidth` pixels is never entered (its children are found by
 * hopping end[]), consecutive sub-pixel siblings are merged into one level-of-detail block, and rows
 * outside the vertical window are not emitted, so a frame costs O(pixels), not O(nodes).
 *
 * Pure data work: no DOM, no React. The output lives in reusable typed arrays.
 */
import { ProfileTree } from '../../model/profile';
import { grown } from '../../model/typedArrays';

export type Orientation = 'icicle' | 'flame';

export interface Viewport {
  /** Node whose value spans the full width; its ancestors are drawn above it at full width. */
  focus: number;
  /** Visible part of the focused node's width, as fractions in [0, 1] (horizontal zoom). */
  xStart: number;
  xEnd: number;
  /** CSS pixels. */
  width: number;
  height: number;
  rowHeight: number;
  /** Pixels scrolled away from the root edge (top for icicle, bottom for flame). */
  scrollTop: number;
  orientation: Orientation;
  /** Nodes narrower than this (px) are merged into level-of-detail blocks. Default 1. */
  minWidth?: number;
}

/** Rectangle kinds in `FrameLayout.flags`. */
export const RectKind = {
  Node: 0,
  /** An ancestor of the focused node, drawn at full width. */
  Ancestor: 1,
  /** A run of sibling subtrees each narrower than minWidth; `node` is the first of the run. */
  Merged: 2,
} as const;

/**
 * Reusable output buffers. `count` rectangles are valid; grows by doubling, never shrinks. The
 * default capacity holds a typical view (a few thousand rectangles) without regrowing.
 */
export class FrameLayout {
  /**
   * Keeps the class's optimized code alive while no view is mounted, as SiblingLists, NodeColorer
   * and TextMeasurer do too (see Wire.idle in sources/pprof/wire.ts): otherwise a full GC after an
   * unmount sends the next first draw's layout and drawing back to unoptimized code, twice as slow.
   */
  static readonly idle = new FrameLayout(0);
  count = 0;
  x: Float32Array;
  w: Float32Array;
  y: Float32Array;
  node: Int32Array;
  flags: Uint8Array;
  /** Rows covered by the whole focused subtree (for the scroll range). */
  contentRows = 0;

  constructor(capacity = 4096) {
    this.x = new Float32Array(capacity);
    this.w = new Float32Array(capacity);
    this.y = new Float32Array(capacity);
    this.node = new Int32Array(capacity);
    this.flags = new Uint8Array(capacity);
  }

  push(node: number, x: number, w: number, y: number, flags: number): void {
    if (this.count === this.x.length) {
      this.grow();
    }
    const k = this.count++;
    this.node[k] = node;
    this.x[k] = x;
    this.w[k] = w;
    this.y[k] = y;
    this.flags[k] = flags;
  }

  private grow(): void {
    const size = Math.max(1024, this.x.length * 2);
    this.x = grown(this.x, size);
    this.w = grown(this.w, size);
    this.y = grown(this.y, size);
    this.node = grown(this.node, size);
    this.flags = grown(this.flags, size);
  }
}

const weightCache = new WeakMap<ProfileTree, Float64Array>();

/**
 * Width of each node. A diff tree is drawn by baseline + comparison so frames that exist only in
 * the comparison still get width (as Grafana's diff flame graph does).
 */
export function nodeWeights(tree: ProfileTree): Float64Array {
  if (!tree.right) {
    return tree.total;
  }
  let w = weightCache.get(tree);
  if (!w) {
    const left = tree.total;
    const right = tree.right.total;
    w = new Float64Array(tree.size);
    for (let i = 0; i < tree.size; i++) {
      w[i] = left[i] + right[i];
    }
    weightCache.set(tree, w);
  }
  return w;
}

/**
 * Sibling lists the layout has entered, packed one after another: at `start`, the child count,
 * then per child its node, its offset (weight of its earlier siblings) and the position of its
 * first later sibling with a larger weight (-1 for none). A list is packed the first time the
 * layout enters its parent, so the cost and memory follow what is drawn.
 */
class SiblingLists {
  /** Keeps the class's optimized code alive between trees (see FrameLayout.idle). */
  static readonly idle = new SiblingLists(0);
  readonly start = new Map<number, number>();
  length = 0;
  node: Int32Array;
  offset: Float64Array;
  nextWider: Int32Array;

  /**
   * `capacity` entries before the first growth. Lists hold each node at most once plus a count
   * per list, so a tree of n nodes never needs more than 2n + 1.
   */
  constructor(capacity: number) {
    this.node = new Int32Array(capacity);
    this.offset = new Float64Array(capacity);
    this.nextWider = new Int32Array(capacity);
  }

  /** Position of node i's packed children list (packing it first if needed). */
  of(tree: ProfileTree, weights: Float64Array, i: number): number {
    let at = this.start.get(i);
    if (at === undefined) {
      at = this.pack(tree, weights, i);
      this.start.set(i, at);
    }
    return at;
  }

  private pack(tree: ProfileTree, weights: Float64Array, i: number): number {
    const { end } = tree;
    const at = this.length;
    if (at === this.node.length) {
      this.grow();
    }
    let k = at + 1;
    let sum = 0;
    for (let c = i + 1, e = end[i]; c < e; c = end[c], k++) {
      if (k === this.node.length) {
        this.grow();
      }
      this.node[k] = c;
      this.offset[k] = sum;
      sum += weights[c];
    }
    this.node[at] = k - at - 1;
    this.length = k;
    // Later siblings are done: hop along their next-wider chain past every one no wider than this.
    const { node, nextWider } = this;
    for (let j = k - 1; j > at; j--) {
      let s = j + 1 < k ? j + 1 : -1;
      while (s >= 0 && weights[node[s]] <= weights[node[j]]) {
        s = nextWider[s];
      }
      nextWider[j] = s;
    }
    return at;
  }

  private grow(): void {
    const size = Math.max(1024, this.node.length * 2);
    this.node = grown(this.node, size);
    this.offset = grown(this.offset, size);
    this.nextWider = grown(this.nextWider, size);
  }
}

/**
 * Per-node facts the layout needs at every focus, for the whole tree. Built in slices while the
 * browser is idle (see indexWhileIdle); until then the layout packs sibling lists on demand and
 * subtree depths are scanned.
 */
interface FullIndex {
  /** Weight of the node's earlier siblings: its offset inside its parent. */
  offset: Float64Array;
  /** The node's first later sibling with a larger weight, or -1. */
  nextWider: Int32Array;
  /** Deepest depth inside each node's subtree. */
  deepest: Int32Array;
  /** Next node to index: offsets go forwards to the end, then the rest backwards to the root. */
  cursor: number;
  forwards: boolean;
}

interface TreeIndex {
  lists: SiblingLists;
  /** Deepest depths scanned so far, by node. */
  deepest: Map<number, number>;
  full: FullIndex | null;
  /** Set once `full` covers every node. */
  complete: boolean;
}

const indexCache = new WeakMap<ProfileTree, TreeIndex>();
const LISTS_CAPACITY = 1 << 15;

function treeIndex(tree: ProfileTree): TreeIndex {
  let index = indexCache.get(tree);
  if (!index) {
    // Sized for a first draw without regrowing (the bench trees of 16k and 100k nodes pack 6-8k).
    index = {
      lists: new SiblingLists(Math.min(2 * tree.size + 1, LISTS_CAPACITY)),
      deepest: new Map(),
      full: null,
      complete: false,
    };
    indexCache.set(tree, index);
  }
  return index;
}

/**
 * Deepest depth inside the subtree of `node`: a lookup once the tree is indexed, before that a scan
 * of its contiguous slice of `depth` (pre-order), remembered per node.
 */
export function subtreeMaxDepth(tree: ProfileTree, node: number): number {
  const index = treeIndex(tree);
  if (index.complete) {
    return index.full!.deepest[node];
  }
  let deepest = index.deepest.get(node);
  if (deepest === undefined) {
    deepest = maxOf(tree.depth, node, tree.end[node]);
    index.deepest.set(node, deepest);
  }
  return deepest;
}

/**
 * Largest of values[from, to). A function of its own so that nothing follows the loop: V8
 * compiles the loop on stack the first time, before the code after it has run, and a property
 * access there (the map above) would bail out of that compiled loop on every later scan.
 */
function maxOf(values: Int32Array, from: number, to: number): number {
  let max = values[from];
  for (let i = from + 1; i < to; i++) {
    if (values[i] > max) {
      max = values[i];
    }
  }
  return max;
}

const INDEX_SLICE = 8192;

/**
 * Indexes the whole tree a slice at a time while `timeLeft()` (ms, e.g. an IdleDeadline's
 * timeRemaining) allows. Returns true once done; call again (next idle period) until then. Later
 * focus changes then cost lookups instead of scans and sibling walks.
 */
export function indexWhileIdle(tree: ProfileTree, timeLeft: () => number): boolean {
  const index = treeIndex(tree);
  const { parent, end, size } = tree;
  const weights = nodeWeights(tree);
  let full = index.full;
  if (!full) {
    full = {
      offset: new Float64Array(size),
      nextWider: new Int32Array(size).fill(-1),
      deepest: tree.depth.slice(),
      cursor: 1,
      forwards: true,
    };
    index.full = full;
  }
  const { offset, nextWider, deepest } = full;
  while (!index.complete && timeLeft() > 1) {
    if (full.forwards) {
      const stop = Math.min(size, full.cursor + INDEX_SLICE);
      for (let i = full.cursor; i < stop; i++) {
        const next = end[i];
        if (next < end[parent[i]]) {
          offset[next] = offset[i] + weights[i];
        }
      }
      full.cursor = stop;
      if (stop >= size) {
        full.forwards = false;
        full.cursor = size - 1;
      }
    } else {
      const stop = Math.max(0, full.cursor - INDEX_SLICE);
      for (let i = full.cursor; i > stop; i--) {
        const p = parent[i];
        if (deepest[i] > deepest[p]) {
          deepest[p] = deepest[i];
        }
        // Later siblings are done: hop along their next-wider chain past every one no wider than i.
        let s = end[i] < end[p] ? end[i] : -1;
        while (s >= 0 && weights[s] <= weights[i]) {
          s = nextWider[s];
        }
        nextWider[i] = s;
      }
      full.cursor = stop;
      if (stop <= 0) {
        index.complete = true;
        // The packed lists and scanned depths are no longer read.
        index.lists = new SiblingLists(0);
        index.deepest.clear();
      }
    }
  }
  return index.complete;
}

/** Weight of node i's own part (what its children do not cover). */
function selfWeight(tree: ProfileTree, i: number): number {
  return tree.right ? tree.self[i] + tree.right.self[i] : tree.self[i];
}

/** Top edge (px) of the row at `depth`. */
export function rowTop(vp: Viewport, depth: number): number {
  return vp.orientation === 'icicle'
    ? depth * vp.rowHeight - vp.scrollTop
    : vp.height - (depth + 1) * vp.rowHeight + vp.scrollTop;
}

/** Depth of the row under y (px); may be negative or past the content. */
export function rowAt(vp: Viewport, y: number): number {
  return vp.orientation === 'icicle'
    ? Math.floor((y + vp.scrollTop) / vp.rowHeight)
    : Math.floor((vp.height + vp.scrollTop - y) / vp.rowHeight);
}

/** Pixels per unit of value, and the x of the focused node's left edge. */
function scaleOf(tree: ProfileTree, vp: Viewport, weights: Float64Array): { scale: number; origin: number } {
  const span = (vp.xEnd - vp.xStart) * weights[vp.focus];
  const scale = span > 0 ? vp.width / span : 0;
  return { scale, origin: 0 - vp.xStart * weights[vp.focus] * scale };
}

let stackNode = new Int32Array(256);
let stackX = new Float64Array(256);

/** Fill `out` with the rectangles visible in `vp`. `contentRows` is not touched (see subtreeMaxDepth). */
export function layoutFrame(tree: ProfileTree, vp: Viewport, out: FrameLayout): FrameLayout {
  out.count = 0;
  if (tree.size === 0 || vp.width <= 0 || vp.height <= 0) {
    return out;
  }
  const weights = nodeWeights(tree);
  const index = treeIndex(tree);
  const { depth, parent, end } = tree;
  const minWidth = vp.minWidth ?? 1;
  const rowHeight = vp.rowHeight;
  const firstRow = Math.max(0, Math.floor(vp.scrollTop / rowHeight));
  const lastRow = Math.ceil((vp.scrollTop + vp.height) / rowHeight) - 1;
  const width = vp.width;
  const { scale, origin } = scaleOf(tree, vp, weights);

  // Ancestors of the focused node, full width.
  for (let a = parent[vp.focus]; a >= 0; a = parent[a]) {
    const d = depth[a];
    if (d >= firstRow && d <= lastRow) {
      out.push(a, 0, width, rowTop(vp, d), RectKind.Ancestor);
    }
  }

  let sp = 0;
  stackNode[sp] = vp.focus;
  stackX[sp] = origin;
  sp++;
  while (sp > 0) {
    sp--;
    const i = stackNode[sp];
    const x = stackX[sp];
    const d = depth[i];
    if (d >= firstRow) {
      out.push(i, x, weights[i] * scale, rowTop(vp, d), RectKind.Node);
    }
    if (d >= lastRow) {
      continue;
    }
    const childEmit = d + 1 >= firstRow;
    const childY = rowTop(vp, d + 1);
    const childrenEnd = x + (weights[i] - selfWeight(tree, i)) * scale;
    // A run of sub-pixel siblings starts at runNode/runX and ends where the next wide sibling (or
    // the children) starts. From a sub-pixel child, the next-wider chain skips every sibling no
    // wider than it without visiting them: a node may have thousands.
    let runNode = -1;
    let runX = 0;
    // Children by position: node ids themselves once the tree is indexed (the next sibling is at
    // end[]), else the packed list of i's children (the next sibling is the next position).
    let kids: Int32Array | null = null;
    let offset: Float64Array;
    let nextWider: Int32Array;
    let k: number;
    let stop: number;
    if (index.complete) {
      ({ offset, nextWider } = index.full!);
      k = i + 1;
      stop = end[i];
    } else {
      const lists = index.lists;
      const at = lists.of(tree, weights, i);
      ({ node: kids, offset, nextWider } = lists);
      k = at + 1;
      stop = k + kids[at];
    }
    while (k >= 0 && k < stop) {
      const c = kids ? kids[k] : k;
      const cx = x + offset[k] * scale;
      if (cx >= width) {
        break; // the remaining siblings are right of the viewport
      }
      const cw = weights[c] * scale;
      if (cw < minWidth) {
        if (runNode < 0) {
          runNode = c;
          runX = cx;
        }
        k = nextWider[k];
        continue;
      }
      if (runNode >= 0) {
        if (cx - runX >= minWidth && childEmit) {
          out.push(runNode, runX, cx - runX, childY, RectKind.Merged);
        }
        runNode = -1;
      }
      if (cx + cw > 0) {
        if (sp === stackNode.length) {
          growStack();
        }
        stackNode[sp] = c;
        stackX[sp] = cx;
        sp++;
      }
      k = kids ? k + 1 : end[k];
    }
    if (runNode >= 0) {
      const runEnd = Math.min(childrenEnd, width);
      if (runEnd - runX >= minWidth && childEmit) {
        out.push(runNode, runX, runEnd - runX, childY, RectKind.Merged);
      }
    }
  }
  return out;
}

function growStack(): void {
  stackNode = grown(stackNode);
  stackX = grown(stackX);
}

/**
 * The node under (x, y), or -1. O(depth): from the focused node, descend to the child whose x
 * range contains the point. Points over a merged block or a node's self part return -1.
 */
export function hitTest(tree: ProfileTree, vp: Viewport, x: number, y: number): number {
  if (tree.size === 0 || x < 0 || x >= vp.width || y < 0 || y >= vp.height) {
    return -1;
  }
  const d = rowAt(vp, y);
  const focusDepth = tree.depth[vp.focus];
  if (d < 0) {
    return -1;
  }
  if (d < focusDepth) {
    let a = vp.focus;
    while (tree.depth[a] > d) {
      a = tree.parent[a];
    }
    return a;
  }
  const weights = nodeWeights(tree);
  const minWidth = vp.minWidth ?? 1;
  const { scale, origin } = scaleOf(tree, vp, weights);
  let i = vp.focus;
  let left = origin;
  if (x < left || x >= left + weights[i] * scale) {
    return -1;
  }
  for (let level = focusDepth; level < d; level++) {
    let found = -1;
    let cx = left;
    for (let c = i + 1, e = tree.end[i]; c < e; c = tree.end[c]) {
      const cw = weights[c] * scale;
      if (x >= cx && x < cx + cw) {
        found = c;
        break;
      }
      cx += cw;
      if (cx > x) {
        break;
      }
    }
    if (found < 0) {
      return -1;
    }
    i = found;
    left = cx;
  }
  return weights[i] * scale >= minWidth ? i : -1;
}

/** Left edge and width (px) of node `i` in `vp`, or null when it is not inside the focused subtree. */
export function nodeSpan(tree: ProfileTree, vp: Viewport, i: number): { x: number; w: number } | null {
  const weights = nodeWeights(tree);
  const { scale, origin } = scaleOf(tree, vp, weights);
  const f = vp.focus;
  if (i < f || i >= tree.end[f]) {
    let a = tree.parent[f];
    while (a >= 0 && a !== i) {
      a = tree.parent[a];
    }
    return a === i ? { x: 0, w: vp.width } : null;
  }
  // Offset of i inside f: sum the widths of earlier siblings along the path from f down to i.
  let offset = 0;
  for (let n = i; n !== f; n = tree.parent[n]) {
    const p = tree.parent[n];
    for (let c = p + 1; c < n; c = tree.end[c]) {
      offset += weights[c];
    }
  }
  return { x: origin + offset * scale, w: weights[i] * scale };
}
