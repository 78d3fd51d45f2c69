/**
 * Cuts a tree down to its `maxNodes` largest nodes, like Pyroscope's `maxNodes`: nodes are ranked
 * by total (left + right for a diff; ties go to the earlier node in pre-order, so a parent always
 * outranks its child), and what a kept parent loses is summed into one `other` child per parent,
 * placed last among its children. The result has at most `maxNodes` real nodes plus those `other`
 * nodes; `truncation` says how many nodes were dropped and what all `other` nodes hold.
 */
import { allocTree, copyNode, FrameKind, FunctionTable, OTHER_NAME, ProfileTree } from '../model/profile';

/** Id of (`other`, Normal) in the table, appending it to a copy when missing. */
export function withOther(functions: FunctionTable): { functions: FunctionTable; other: number } {
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

export function truncateTree(tree: ProfileTree, maxNodes: number): ProfileTree {
  const n = tree.size;
  const budget = Math.max(1, Math.floor(maxNodes));
  if (n <= budget) {
    return tree;
  }
  const right = tree.right;
  const metric = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    metric[i] = tree.total[i] + (right ? right.total[i] : 0);
  }
  // The budget-th largest metric: everything above it stays, ties fill up in pre-order.
  const sorted = metric.slice().sort();
  const threshold = sorted[n - budget];
  let ties = budget;
  for (let i = 0; i < n; i++) {
    if (metric[i] > threshold) {
      ties--;
    }
  }
  const keep = new Uint8Array(n);
  let kept = 0;
  for (let i = 0; i < n; i++) {
    if (metric[i] > threshold || (metric[i] === threshold && ties-- > 0) || i === 0) {
      keep[i] = 1;
      kept++;
    }
  }
  // What each kept parent loses: the totals of its dropped children.
  const lost = new Float64Array(n);
  const lostR = right ? new Float64Array(n) : undefined;
  const hasOther = new Uint8Array(n);
  let others = 0;
  for (let i = 1; i < n; i++) {
    const p = tree.parent[i];
    if (!keep[i] && keep[p]) {
      lost[p] += tree.total[i];
      if (lostR && right) {
        lostR[p] += right.total[i];
      }
      if (!hasOther[p]) {
        hasOther[p] = 1;
        others++;
      }
    }
  }

  const { functions, other } = withOther(tree.functions);
  const size = kept + others;
  const out = allocTree({ ...tree, functions }, size, !!right);
  const { parent, end, depth, fn, self, total } = out;
  const selfR = out.right?.self;
  const totalR = out.right?.total;
  // Kept nodes whose subtree is still open, with their new index.
  const open = new Int32Array(n);
  const openNew = new Int32Array(n);
  let top = 0;
  let next = 0;
  const close = () => {
    const i = open[--top];
    const j = openNew[top];
    if (hasOther[i]) {
      const o = next++;
      parent[o] = j;
      depth[o] = tree.depth[i] + 1;
      fn[o] = other;
      self[o] = total[o] = lost[i];
      if (selfR && totalR && lostR) {
        selfR[o] = totalR[o] = lostR[i];
      }
      end[o] = o + 1;
    }
    end[j] = next;
  };
  for (let i = 0; i < n; i++) {
    if (!keep[i]) {
      continue;
    }
    while (top > 0 && tree.end[open[top - 1]] <= i) {
      close();
    }
    const j = next++;
    parent[j] = top > 0 ? openNew[top - 1] : -1;
    copyNode(tree, i, out, j);
    open[top] = i;
    openNew[top++] = j;
  }
  while (top > 0) {
    close();
  }

  let otherValue = 0;
  for (let j = 1; j < size; j++) {
    if (fn[j] === other) {
      otherValue += total[j];
    }
  }
  out.truncation = { droppedNodes: (tree.truncation?.droppedNodes ?? 0) + (n - kept), otherValue };
  return out;
}
