/**
 * The panel's size caps on a tree, so a huge or pathological profile stays drawable: stacks deeper
 * than `maxDepth` end in an `other` node that holds what was below, then `truncateTree` keeps the
 * `maxNodes` largest nodes and sums the rest into `other` nodes. The user sees the `other` nodes
 * and how much they hold (`truncated`), never a silently smaller total.
 */
import { allocTree, copyNode, ProfileTree } from '../model/profile';
import type { ProfileLimits } from '../sources/limits';
import { truncateTree, withOther } from './truncate';

export interface CapResult {
  tree: ProfileTree;
  /** What the caps removed: null when the tree was within them and is returned as it is. */
  truncated: { droppedNodes: number; otherValue: number } | null;
}

export function capTree(tree: ProfileTree, limits: Pick<ProfileLimits, 'maxNodes' | 'maxDepth'>): CapResult {
  const shallow = capDepth(tree, Math.max(1, Math.floor(limits.maxDepth)));
  const out = truncateTree(shallow, limits.maxNodes);
  if (out === tree) {
    return { tree, truncated: null };
  }
  const before = tree.truncation;
  const after = out.truncation ?? { droppedNodes: 0, otherValue: 0 };
  return {
    tree: out,
    truncated: {
      droppedNodes: after.droppedNodes - (before?.droppedNodes ?? 0),
      otherValue: Math.max(0, after.otherValue - (before?.otherValue ?? 0)),
    },
  };
}

/**
 * Nodes deeper than maxDepth are replaced, per node at maxDepth that has children, by one `other`
 * child holding those children's totals (both sides of a diff). One pass in pre-order, no recursion.
 */
function capDepth(tree: ProfileTree, maxDepth: number): ProfileTree {
  const n = tree.size;
  let cut = 0;
  let dropped = 0;
  for (let i = 0; i < n; i++) {
    if (tree.depth[i] === maxDepth && tree.end[i] > i + 1) {
      cut++;
      dropped += tree.end[i] - i - 1;
    }
  }
  if (cut === 0) {
    return tree;
  }
  const { functions, other } = withOther(tree.functions);
  const size = n - dropped + cut;
  const right = tree.right;
  const out = allocTree({ ...tree, functions }, size, !!right);
  const { parent, end, depth, fn, self, total } = out;
  const selfR = out.right?.self;
  const totalR = out.right?.total;
  // Old index -> new index of the nodes kept (parents come before children in pre-order).
  const newIndex = new Int32Array(n).fill(-1);
  let otherValue = 0;
  let j = 0;
  for (let i = 0; i < n;) {
    const p = tree.parent[i];
    newIndex[i] = j;
    parent[j] = p < 0 ? -1 : newIndex[p];
    copyNode(tree, i, out, j);
    const node = j++;
    if (tree.depth[i] === maxDepth && tree.end[i] > i + 1) {
      const o = j++;
      parent[o] = node;
      depth[o] = maxDepth + 1;
      fn[o] = other;
      self[o] = total[o] = tree.total[i] - tree.self[i];
      if (selfR && totalR && right) {
        selfR[o] = totalR[o] = right.total[i] - right.self[i];
      }
      otherValue += total[o];
      i = tree.end[i];
    } else {
      i++;
    }
  }
  for (let k = 0; k < size; k++) {
    end[k] = k + 1;
  }
  for (let k = size - 1; k > 0; k--) {
    const p = parent[k];
    if (end[k] > end[p]) {
      end[p] = end[k];
    }
  }
  out.truncation = {
    droppedNodes: (tree.truncation?.droppedNodes ?? 0) + dropped,
    otherValue: (tree.truncation?.otherValue ?? 0) + otherValue,
  };
  return out;
}
