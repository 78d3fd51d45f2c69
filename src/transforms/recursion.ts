/**
 * Collapses recursion: when a function appears again further down its own stack, directly
 * (f;f;f) or through a chain (f;g;f), everything from just below its first appearance down to the
 * repeat is folded into that first frame. `a;f;g;f;h` becomes `a;f;h`, so a recursive algorithm
 * shows as one frame with its real callees instead of a tower.
 */
import { ProfileTree } from '../model/profile';
import { FunctionInterner, TreeBuilder } from '../model/treeBuilder';
import { forEachStack, internAll } from './treeOps';

export function collapseRecursion(tree: ProfileTree): ProfileTree {
  const functions = new FunctionInterner();
  const map = internAll(functions, tree.functions);
  const builder = new TreeBuilder(functions, { diff: !!tree.right });
  const right = tree.right?.self;
  // Where each function sits on the collapsed stack being built; checked against the stack before
  // use, so stale entries from earlier stacks never need clearing.
  const pos = new Int32Array(tree.functions.count).fill(-1);
  let out = new Int32Array(64);
  forEachStack(tree, (node, path, depth) => {
    if (depth > out.length) {
      out = new Int32Array(depth * 2);
    }
    let k = 0;
    for (let d = 0; d < depth; d++) {
      const f = path[d];
      const p = pos[f];
      if (p >= 0 && p < k && out[p] === f) {
        k = p + 1;
      } else {
        pos[f] = k;
        out[k++] = f;
      }
    }
    for (let d = 0; d < k; d++) {
      out[d] = map[out[d]];
    }
    builder.addStack(out, 0, k, tree.self[node], right ? right[node] : 0);
  });
  const result = builder.build(tree.sampleType, tree.unit);
  if (tree.truncation) {
    result.truncation = { ...tree.truncation };
  }
  return result;
}
