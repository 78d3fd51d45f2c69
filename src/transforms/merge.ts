/**
 * Sums trees by stack path (function names root to leaf): the panel merges the profiles of a
 * time window into one flame graph.
 */
import { ProfileTree } from '../model/profile';
import { FunctionInterner, TreeBuilder } from '../model/treeBuilder';
import { forEachStack, internAll } from './treeOps';

/** Trees that measure different things cannot be added. */
export class MergeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MergeError';
  }
}

/**
 * Adds every stack of every tree (right sides too, if any tree is a diff). All trees must share
 * sample type and unit; truncation reports are summed.
 */
export function mergeTrees(trees: ProfileTree[]): ProfileTree {
  if (trees.length === 0) {
    throw new MergeError('mergeTrees needs at least one tree');
  }
  const first = trees[0];
  for (const t of trees) {
    if (t.sampleType !== first.sampleType || t.unit !== first.unit) {
      throw new MergeError(
        `cannot merge ${t.sampleType} (${t.unit}) into ${first.sampleType} (${first.unit}): different sample types`
      );
    }
  }
  const diff = trees.some((t) => t.right);
  const functions = new FunctionInterner();
  const builder = new TreeBuilder(functions, { diff });
  let stack = new Int32Array(64);
  let droppedNodes = 0;
  let otherValue = 0;
  let truncated = false;
  for (const t of trees) {
    const map = internAll(functions, t.functions);
    const right = t.right?.self;
    forEachStack(t, (node, path, depth) => {
      if (depth > stack.length) {
        stack = new Int32Array(depth * 2);
      }
      for (let d = 0; d < depth; d++) {
        stack[d] = map[path[d]];
      }
      builder.addStack(stack, 0, depth, t.self[node], right ? right[node] : 0);
    });
    if (t.truncation) {
      truncated = true;
      droppedNodes += t.truncation.droppedNodes;
      otherValue += t.truncation.otherValue;
    }
  }
  const out = builder.build(first.sampleType, first.unit);
  if (truncated) {
    out.truncation = { droppedNodes, otherValue };
  }
  return out;
}
