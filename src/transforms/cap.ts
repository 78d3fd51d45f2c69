/**
 * The panel's size caps on a tree, so a huge or pathological profile stays drawable: stacks deeper
 * than `maxDepth` end in an `other` node that holds what was below, then `truncateTree` keeps the
 * `maxNodes` largest nodes and sums the rest into `other` nodes. The user sees the `other` nodes
 * and how much they hold (`truncated`), never a silently smaller total.
 */
import { FrameKind, FunctionTable, OTHER_NAME, ProfileTree } from '../model/profile';
import type { ProfileLimits } from '../sources/limits';
import { truncateTree } from './truncate';

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

function otherFunction(functions: FunctionTable): { functions: FunctionTable; other: number } {
  for (let f = 0; f < functions.count; f++) {
    if (functions.name[f] === OTHER_NAME && functions.kind[f] === FrameKind.Normal) {
      return { functions, other: f };
    }
  }
  const kind = new Uint8Array(functions.count + 1);
  kind.set(functions.kind);
  return {
    functions: { name: [...functions.name, OTHER_NAME], kind, count: functions.count + 1 },
    other: functions.count,
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
  const { functions, other } = otherFunction(tree.functions);
  const size = n - dropped + cut;
  const right = tree.right;
  const parent = new Int32Array(size);
  const end = new Int32Array(size);
  const depth = new Int32Array(size);
  const fn = new Int32Array(size);
  const self = new Float64Array(size);
  const total = new Float64Array(size);
  const selfR = right ? new Float64Array(size) : undefined;
  const totalR = right ? new Float64Array(size) : undefined;
  // Old index -> new index of the nodes kept (parents come before children in pre-order).
  const newIndex = new Int32Array(n).fill(-1);
  let otherValue = 0;
  let j = 0;
  for (let i = 0; i < n;) {
    const p = tree.parent[i];
    newIndex[i] = j;
    parent[j] = p < 0 ? -1 : newIndex[p];
    depth[j] = tree.depth[i];
    fn[j] = tree.fn[i];
    self[j] = tree.self[i];
    total[j] = tree.total[i];
    if (selfR && totalR && right) {
      selfR[j] = right.self[i];
      totalR[j] = right.total[i];
    }
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
  const out: ProfileTree = {
    sampleType: tree.sampleType,
    unit: tree.unit,
    functions,
    size,
    parent,
    end,
    depth,
    fn,
    self,
    total,
    truncation: {
      droppedNodes: (tree.truncation?.droppedNodes ?? 0) + dropped,
      otherValue: (tree.truncation?.otherValue ?? 0) + otherValue,
    },
  };
  if (selfR && totalR) {
    out.right = { self: selfR, total: totalR };
  }
  return out;
}
