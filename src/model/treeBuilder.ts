/**
 * Builds a ProfileTree from stacks, for every importer that has samples (pprof, folded).
 *
 * Nodes live in growable typed arrays and are found by an open-addressing hash on
 * (parent node, function id), so a million stacks cost no per-node objects. `build` then lays the
 * nodes out in pre-order with children sorted by function name.
 */
import { identityOrder } from './order';
import { allocTree, FrameKind, FunctionTable, ProfileTree, sumSubtrees, ValueUnit } from './profile';
import { grown } from './typedArrays';

/** Interns (name, kind) pairs into dense function ids. */
export class FunctionInterner {
  /** Keeps the class's optimized code alive between trees (see Wire.idle in sources/pprof/wire.ts). */
  static readonly idle = new FunctionInterner();
  private readonly names: string[] = [];
  private kinds = new Uint8Array(256);
  /** One map per FrameKind: the same name with another kind is another function. */
  private readonly byKind: Array<Map<string, number>> = [new Map(), new Map(), new Map(), new Map()];

  intern(name: string, kind: FrameKind): number {
    let map = this.byKind[kind];
    if (!map) {
      map = new Map();
      this.byKind[kind] = map;
    }
    const found = map.get(name);
    if (found !== undefined) {
      return found;
    }
    const id = this.names.length;
    this.names.push(name);
    if (id >= this.kinds.length) {
      this.kinds = grown(this.kinds);
    }
    this.kinds[id] = kind;
    map.set(name, id);
    return id;
  }

  get count(): number {
    return this.names.length;
  }

  /** Id of (name, kind) if interned, else -1. */
  find(name: string, kind: FrameKind): number {
    return this.byKind[kind]?.get(name) ?? -1;
  }

  /** A snapshot: later interning does not change a table already handed out. */
  table(): FunctionTable {
    const count = this.names.length;
    return { name: this.names.slice(), kind: this.kinds.slice(0, count), count };
  }
}

const EMPTY = -1;

export interface TreeBuilderOptions {
  /** Keep a second (right, comparison) value per node. */
  diff?: boolean;
}

export class TreeBuilder {
  /** Keeps the class's optimized code alive between trees (see Wire.idle in sources/pprof/wire.ts). */
  static readonly idle = new TreeBuilder(FunctionInterner.idle);
  private readonly functions: FunctionInterner;
  private readonly diff: boolean;
  /** Node 0 is the root; nodes are in creation order until build(). */
  private size = 1;
  private parent: Int32Array;
  private fn: Int32Array;
  private self: Float64Array;
  private selfRight: Float64Array;
  /** Open-addressing table, 3 ints per slot: parent, fn, node (node EMPTY = free slot). */
  private slots: Int32Array;
  private mask: number;

  constructor(functions: FunctionInterner, opts?: TreeBuilderOptions) {
    this.functions = functions;
    this.diff = !!opts?.diff;
    const cap = 1024;
    this.parent = new Int32Array(cap);
    this.fn = new Int32Array(cap);
    this.self = new Float64Array(cap);
    this.selfRight = new Float64Array(this.diff ? cap : 0);
    this.parent[0] = -1;
    this.fn[0] = -1;
    this.slots = new Int32Array(4096 * 3).fill(EMPTY);
    this.mask = 4095;
  }

  /** One stack, function ids ROOT-FIRST in fns[from..to); value (and valueRight for a diff). */
  addStack(fns: ArrayLike<number>, from: number, to: number, value: number, valueRight?: number): void {
    let node = 0;
    for (let i = from; i < to; i++) {
      node = this.child(node, fns[i]);
    }
    this.self[node] += value;
    if (this.diff && valueRight !== undefined) {
      this.selfRight[node] += valueRight;
    }
  }

  /** Finds or creates the child of `parent` for function `f`. */
  private child(parent: number, f: number): number {
    // Slots hold [parent, fn, node] side by side so a probe touches one cache line.
    const slots = this.slots;
    const mask = this.mask;
    let h = hash(parent, f) & mask;
    for (;;) {
      const at = h * 3;
      const n = slots[at + 2];
      if (n === EMPTY) {
        break;
      }
      if (slots[at] === parent && slots[at + 1] === f) {
        return n;
      }
      h = (h + 1) & mask;
    }
    const n = this.size++;
    if (n >= this.parent.length) {
      const cap = this.parent.length * 2;
      this.parent = grown(this.parent, cap);
      this.fn = grown(this.fn, cap);
      this.self = grown(this.self, cap);
      if (this.diff) {
        this.selfRight = grown(this.selfRight, cap);
      }
    }
    this.parent[n] = parent;
    this.fn[n] = f;
    slots[h * 3] = parent;
    slots[h * 3 + 1] = f;
    slots[h * 3 + 2] = n;
    // Keep the load factor under 1/2 so probes stay short.
    if (this.size * 2 > mask + 1) {
      this.rehash();
    }
    return n;
  }

  private rehash(): void {
    const capacity = (this.mask + 1) * 2;
    const slots = new Int32Array(capacity * 3).fill(EMPTY);
    const mask = capacity - 1;
    for (let n = 1; n < this.size; n++) {
      const p = this.parent[n];
      const f = this.fn[n];
      let h = hash(p, f) & mask;
      while (slots[h * 3 + 2] !== EMPTY) {
        h = (h + 1) & mask;
      }
      slots[h * 3] = p;
      slots[h * 3 + 1] = f;
      slots[h * 3 + 2] = n;
    }
    this.slots = slots;
    this.mask = mask;
  }

  /** Pre-order tree, children sorted by function name (then kind), totals filled. */
  build(sampleType: string, unit: ValueUnit): ProfileTree {
    const functions = this.functions.table();
    const size = this.size;
    const rank = functionRank(functions);

    // Children lists in CSR form, each sorted by function rank.
    const childStart = new Int32Array(size + 1);
    for (let n = 1; n < size; n++) {
      childStart[this.parent[n] + 1]++;
    }
    for (let n = 0; n < size; n++) {
      childStart[n + 1] += childStart[n];
    }
    const fill = childStart.slice(0, size);
    const children = new Int32Array(Math.max(size - 1, 0));
    for (let n = 1; n < size; n++) {
      children[fill[this.parent[n]]++] = n;
    }
    const keys = new Float64Array(children.length);
    for (let n = 0; n < size; n++) {
      const a = childStart[n];
      const b = childStart[n + 1];
      if (b - a > 1) {
        sortByRank(children, keys, a, b, this.fn, rank);
      }
    }

    // Iterative DFS writing pre-order positions.
    const tree = allocTree({ sampleType, unit, functions }, size, this.diff);
    const { parent, depth, fn, self } = tree;
    const selfR = tree.right?.self;
    const order = new Int32Array(size); // pre-order position -> builder node
    const stack = new Int32Array(size);
    const stackPos = new Int32Array(size); // builder node -> pre-order position
    let top = 0;
    let next = 0;
    stack[top++] = 0;
    while (top > 0) {
      const n = stack[--top];
      const pos = next++;
      order[pos] = n;
      stackPos[n] = pos;
      const p = this.parent[n];
      parent[pos] = p < 0 ? -1 : stackPos[p];
      depth[pos] = p < 0 ? 0 : depth[stackPos[p]] + 1;
      fn[pos] = this.fn[n];
      self[pos] = this.self[n];
      if (selfR) {
        selfR[pos] = this.selfRight[n];
      }
      // Push in reverse so the first child (by name) is visited first.
      for (let c = childStart[n + 1] - 1; c >= childStart[n]; c--) {
        stack[top++] = children[c];
      }
    }

    sumSubtrees(tree);
    return tree;
  }
}

/** Mixes both keys into the low bits too (the table is masked by its low bits). */
function hash(parent: number, f: number): number {
  let h = Math.imul(parent, 0x9e3779b1) ^ f;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Rank of each function in (name, kind) order, so child sorting compares integers. */
export function functionRank(functions: FunctionTable): Int32Array {
  const ids = identityOrder(functions.count);
  sortFunctionIds(ids, functions.name, functions.kind);
  const rank = new Int32Array(functions.count);
  for (let i = 0; i < ids.length; i++) {
    rank[ids[i]] = i;
  }
  return rank;
}

/**
 * Sorts function ids by (name, kind): a multikey quicksort on the names' UTF-16 units (the order of
 * `<`). Names in a profile share long prefixes (`github.com/org/repo/pkg.`), which a comparison sort
 * compares again on every call; this reads each prefix character about once per name.
 */
function sortFunctionIds(ids: Int32Array, name: string[], kind: Uint8Array): void {
  // Work list of (lo, hi, d): ids[lo..hi) agree on their first d units.
  let work = new Int32Array(3 * 64);
  let top = 0;
  work[top++] = 0;
  work[top++] = ids.length;
  work[top++] = 0;
  while (top > 0) {
    let d = work[--top];
    const hi = work[--top];
    const lo = work[--top];
    if (hi - lo <= 16 || d < 0) {
      insertionSortNames(ids, name, kind, lo, hi);
      continue;
    }
    d = sharedPrefix(ids, name, lo, hi, d);
    // Unit at d, -1 past the end (shorter first). Pivot: median of three.
    const k1 = unitAt(name[ids[lo]], d);
    const k2 = unitAt(name[ids[(lo + hi) >>> 1]], d);
    const k3 = unitAt(name[ids[hi - 1]], d);
    const pivot = k1 < k2 ? (k2 < k3 ? k2 : k1 < k3 ? k3 : k1) : k1 < k3 ? k1 : k2 < k3 ? k3 : k2;
    // Three-way partition: [lo, lt) < pivot, [lt, gt) = pivot, [gt, hi) > pivot.
    let lt = lo;
    let gt = hi;
    let i = lo;
    while (i < gt) {
      const x = ids[i];
      const k = unitAt(name[x], d);
      if (k < pivot) {
        ids[i++] = ids[lt];
        ids[lt++] = x;
      } else if (k > pivot) {
        ids[i] = ids[--gt];
        ids[gt] = x;
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
    // Equal units: the next one decides, or (all ended: equal names) the kind does.
    work[top++] = lt;
    work[top++] = gt;
    work[top++] = pivot < 0 ? -1 : d + 1;
  }
}

function unitAt(s: string, d: number): number {
  return d < s.length ? s.charCodeAt(d) : -1;
}

/** d plus the number of further units all of ids[lo..hi) share. */
function sharedPrefix(ids: Int32Array, name: string[], lo: number, hi: number, d: number): number {
  const first = name[ids[lo]];
  let m = first.length;
  for (let i = lo + 1; i < hi && m > d; i++) {
    const s = name[ids[i]];
    const lim = Math.min(m, s.length);
    let c = d;
    while (c < lim && s.charCodeAt(c) === first.charCodeAt(c)) {
      c++;
    }
    m = c;
  }
  return m;
}

function insertionSortNames(ids: Int32Array, name: string[], kind: Uint8Array, lo: number, hi: number): void {
  for (let i = lo + 1; i < hi; i++) {
    const x = ids[i];
    const nx = name[x];
    let j = i;
    while (j > lo) {
      const y = ids[j - 1];
      const ny = name[y];
      if (ny < nx || (ny === nx && kind[y] <= kind[x])) {
        break;
      }
      ids[j] = y;
      j--;
    }
    ids[j] = x;
  }
}

/** Sorts children[a..b) by rank of their function, via packed numeric keys (rank * 2^31 + node). */
function sortByRank(children: Int32Array, keys: Float64Array, a: number, b: number, fn: Int32Array, rank: Int32Array) {
  const sub = keys.subarray(a, b);
  for (let i = a; i < b; i++) {
    sub[i - a] = rank[fn[children[i]]] * 2147483648 + children[i];
  }
  sub.sort();
  for (let i = a; i < b; i++) {
    children[i] = sub[i - a] % 2147483648;
  }
}
