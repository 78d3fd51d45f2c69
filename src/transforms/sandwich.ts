/**
 * Sandwich view of one function: who calls it (callers, an inverted tree) and what it calls
 * (callees), each merged over every place the function appears.
 *
 * The function is matched by name, so its inlined and non-inlined frames count as one (as in
 * pprof's top table and Grafana's sandwich view). Recursion is counted once: only outermost occurrences (no ancestor is the same function) are
 * used, so a recursive function's value is not added once per level.
 */
import { ProfileTree } from '../model/profile';
import { FunctionInterner, TreeBuilder } from '../model/treeBuilder';
import { internAll } from './treeOps';

export interface Sandwich {
  /** Root -> the function -> its callers -> their callers ... (values: the function's totals). */
  callers: ProfileTree;
  /** Root -> the function -> its callees, all its subtrees merged. */
  callees: ProfileTree;
}

export function sandwich(tree: ProfileTree, fnIndex: number): Sandwich {
  const functions = new FunctionInterner();
  const map = internAll(functions, tree.functions);
  const diff = !!tree.right;
  const callers = new TreeBuilder(functions, { diff });
  const callees = new TreeBuilder(functions, { diff });
  const right = tree.right;
  const n = tree.size;
  const same = new Uint8Array(tree.functions.count);
  if (fnIndex >= 0 && fnIndex < same.length) {
    const name = tree.functions.name[fnIndex];
    for (let f = 0; f < same.length; f++) {
      same[f] = tree.functions.name[f] === name ? 1 : 0;
    }
  }
  let path = new Int32Array(64);

  for (let i = 1; i < n;) {
    if (!same[tree.fn[i]]) {
      i++;
      continue;
    }
    // Outermost occurrence: pre-order reaches it before any nested one, which it then skips.
    const d = tree.depth[i];
    if (d + tree.end[i] - i > path.length) {
      path = new Int32Array((d + tree.end[i] - i) * 2);
    }
    // Callers: the function, then its ancestors bottom-up.
    let k = 0;
    path[k++] = map[fnIndex];
    for (let a = tree.parent[i]; a > 0; a = tree.parent[a]) {
      path[k++] = map[tree.fn[a]];
    }
    callers.addStack(path, 0, k, tree.total[i], right ? right.total[i] : 0);

    // Callees: each node of the subtree with a self value, relative to this occurrence.
    for (let j = i; j < tree.end[i]; j++) {
      const rel = tree.depth[j] - d;
      path[rel] = j === i ? map[fnIndex] : map[tree.fn[j]];
      if (tree.self[j] !== 0 || (right !== undefined && right.self[j] !== 0)) {
        callees.addStack(path, 0, rel + 1, tree.self[j], right ? right.self[j] : 0);
      }
    }
    i = tree.end[i];
  }
  return {
    callers: callers.build(tree.sampleType, tree.unit),
    callees: callees.build(tree.sampleType, tree.unit),
  };
}
