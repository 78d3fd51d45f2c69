/**
 * Focus (zoom) on one node, or on one function like `go tool pprof -focus`.
 */
import { allocTree, copyNode, ProfileTree } from '../model/profile';
import { filterByFunctions } from './filters';

/**
 * The subtree of `node` with the path to it kept: the root and each ancestor stay as a chain above
 * it, each holding only the focused node's total (self 0), so the flame graph still shows where
 * the node is called from. Focusing the root returns the tree itself.
 */
export function focusNode(tree: ProfileTree, node: number): ProfileTree {
  if (!Number.isInteger(node) || node < 0 || node >= tree.size) {
    throw new RangeError(`focusNode: node ${node} is not in a tree of ${tree.size} nodes`);
  }
  if (node === 0) {
    return tree;
  }
  const chain = tree.depth[node]; // root + ancestors above the node
  const sub = tree.end[node] - node;
  const size = chain + sub;
  const right = tree.right;
  const out = allocTree(tree, size, !!right);
  const { parent, end, depth, fn, total } = out;
  const totalR = out.right?.total;

  // Ancestors, root first: walk up, write from the bottom of the chain.
  for (let a = tree.parent[node], k = chain - 1; a >= 0; a = tree.parent[a], k--) {
    parent[k] = k - 1;
    end[k] = size;
    depth[k] = k;
    fn[k] = tree.fn[a];
    total[k] = tree.total[node];
    if (totalR && right) {
      totalR[k] = right.total[node];
    }
  }
  // The subtree, shifted so the node lands right after the chain.
  const shift = chain - node;
  for (let i = node; i < tree.end[node]; i++) {
    const j = i + shift;
    parent[j] = i === node ? chain - 1 : tree.parent[i] + shift;
    end[j] = tree.end[i] + shift;
    copyNode(tree, i, out, j);
  }
  return out;
}

/** pprof `-focus` on one function: keeps every stack that goes through it, whole. */
export function focusFunction(tree: ProfileTree, fnIndex: number): ProfileTree {
  const focus = new Uint8Array(tree.functions.count);
  if (fnIndex >= 0 && fnIndex < focus.length) {
    focus[fnIndex] = 1;
  }
  return filterByFunctions(tree, { focus });
}
