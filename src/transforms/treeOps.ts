/**
 * Building blocks shared by the transforms: user patterns, per-function match masks, re-interning
 * a tree's functions into a builder, and compacting a tree after values were removed.
 */
import { allocTree, FunctionTable, ProfileTree } from '../model/profile';
import { FunctionInterner } from '../model/treeBuilder';
import { grown } from '../model/typedArrays';

/** A user pattern (search text, pprof filter regex) that cannot be compiled. */
export class PatternError extends Error {
  readonly pattern: string;

  constructor(pattern: string, reason: string) {
    super(`invalid pattern ${JSON.stringify(pattern)}: ${reason}`);
    this.name = 'PatternError';
    this.pattern = pattern;
  }
}

export interface PatternOptions {
  regex: boolean;
  caseSensitive: boolean;
}

/** Compiles search text or a regex; plain text matches as a substring. */
export function compilePattern(text: string, opts: PatternOptions): RegExp {
  const source = opts.regex ? text : text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  try {
    return new RegExp(source, opts.caseSensitive ? '' : 'i');
  } catch (e) {
    throw new PatternError(text, e instanceof Error ? e.message : String(e));
  }
}

/** 1 for every function whose name the pattern matches. */
export function matchFunctions(functions: FunctionTable, re: RegExp): Uint8Array {
  const out = new Uint8Array(functions.count);
  for (let f = 0; f < functions.count; f++) {
    out[f] = re.test(functions.name[f]) ? 1 : 0;
  }
  return out;
}

/** Interns every function of `functions` into `interner`; returns old id -> new id. */
export function internAll(interner: FunctionInterner, functions: FunctionTable): Int32Array {
  const map = new Int32Array(functions.count);
  for (let f = 0; f < functions.count; f++) {
    map[f] = interner.intern(functions.name[f], functions.kind[f] as 0 | 1 | 2 | 3);
  }
  return map;
}

/**
 * The tree with new self values (left, and right for a diff): totals are recomputed and nodes
 * whose totals became 0 on both sides are dropped. Pre-order and children order are kept, so no
 * rebuild is needed (a node with a non-zero total always has a parent with one).
 */
export function compactTree(tree: ProfileTree, self: Float64Array, selfRight?: Float64Array): ProfileTree {
  const n = tree.size;
  const total = self.slice();
  const totalR = selfRight ? selfRight.slice() : undefined;
  for (let i = n - 1; i > 0; i--) {
    const p = tree.parent[i];
    total[p] += total[i];
    if (totalR) {
      totalR[p] += totalR[i];
    }
  }
  const newIndex = new Int32Array(n);
  let size = 0;
  for (let i = 0; i < n; i++) {
    const keep = i === 0 || total[i] !== 0 || (totalR !== undefined && totalR[i] !== 0);
    newIndex[i] = keep ? size++ : -1;
  }
  const out = allocTree(tree, size, !!totalR);
  const { parent, end, depth, fn, self: outSelf, total: outTotal } = out;
  const outSelfR = out.right?.self;
  const outTotalR = out.right?.total;
  for (let i = 0; i < n; i++) {
    const j = newIndex[i];
    if (j < 0) {
      continue;
    }
    parent[j] = i === 0 ? -1 : newIndex[tree.parent[i]];
    depth[j] = tree.depth[i];
    fn[j] = tree.fn[i];
    outSelf[j] = self[i];
    outTotal[j] = total[i];
    if (outSelfR && outTotalR && selfRight && totalR) {
      outSelfR[j] = selfRight[i];
      outTotalR[j] = totalR[i];
    }
    end[j] = j + 1;
  }
  for (let j = size - 1; j > 0; j--) {
    const p = parent[j];
    if (end[j] > end[p]) {
      end[p] = end[j];
    }
  }
  if (tree.truncation) {
    out.truncation = { ...tree.truncation };
  }
  return out;
}

/**
 * Calls `visit(node, path, depth)` for every node with a non-zero self (either side), where
 * path[0..depth) holds the ORIGINAL function ids root-first (the root itself is not in the path).
 */
export function forEachStack(tree: ProfileTree, visit: (node: number, path: Int32Array, depth: number) => void): void {
  let path = new Int32Array(64);
  const right = tree.right?.self;
  for (let i = 1; i < tree.size; i++) {
    const d = tree.depth[i];
    if (d > path.length) {
      path = grown(path);
    }
    path[d - 1] = tree.fn[i];
    if (tree.self[i] !== 0 || (right !== undefined && right[i] !== 0)) {
      visit(i, path, d);
    }
  }
  if (tree.self[0] !== 0 || (right !== undefined && right[0] !== 0)) {
    visit(0, path, 0);
  }
}

/** Structural problems of a tree (empty when it is well-formed): for tests and imported data. */
export function validateTree(tree: ProfileTree): string[] {
  const problems: string[] = [];
  const n = tree.size;
  const childSum = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    const p = tree.parent[i];
    if (i === 0 ? p !== -1 || tree.depth[0] !== 0 : p < 0 || p >= i || tree.depth[i] !== tree.depth[p] + 1) {
      problems.push(`node ${i}: parent ${p} / depth ${tree.depth[i]}`);
    }
    if (tree.end[i] <= i || tree.end[i] > n || (p >= 0 && tree.end[i] > tree.end[p])) {
      problems.push(`node ${i}: end ${tree.end[i]}`);
    }
    const want = tree.self[i] + childSum[i];
    if (Math.abs(tree.total[i] - want) > 1e-6 * Math.max(1, Math.abs(want))) {
      problems.push(`node ${i}: total ${tree.total[i]} != self + children ${want}`);
    }
    if (p >= 0) {
      childSum[p] += tree.total[i];
    }
    if (problems.length > 10) {
      break;
    }
  }
  return problems;
}
