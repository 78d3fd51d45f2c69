/**
 * Diff of two trees matched by stack path (function names root to leaf): the result's left side
 * (`self`/`total`) is the baseline, `right` the comparison.
 *
 * With `normalize`, the baseline is scaled so its total equals the comparison's total (as
 * `go tool pprof -diff_base ... -normalize` does), so a window with more samples does not look
 * slower everywhere; values then need not be integers.
 */
import { ProfileTree } from '../model/profile';
import { FunctionInterner, TreeBuilder } from '../model/treeBuilder';
import { MergeError } from './merge';
import { forEachStack, internAll } from './treeOps';

export interface DiffOptions {
  normalize: boolean;
}

export function diffTrees(baseline: ProfileTree, comparison: ProfileTree, opts: DiffOptions): ProfileTree {
  if (baseline.sampleType !== comparison.sampleType || baseline.unit !== comparison.unit) {
    throw new MergeError(
      `cannot diff ${baseline.sampleType} (${baseline.unit}) against ${comparison.sampleType} (${comparison.unit})`
    );
  }
  const functions = new FunctionInterner();
  const builder = new TreeBuilder(functions, { diff: true });
  const baseTotal = baseline.total[0];
  const scale = opts.normalize && baseTotal > 0 ? comparison.total[0] / baseTotal : 1;
  let stack = new Int32Array(64);
  // A diff tree given as input contributes its left side only.
  const add = (t: ProfileTree, side: 0 | 1, factor: number) => {
    const map = internAll(functions, t.functions);
    forEachStack(t, (node, path, depth) => {
      const v = t.self[node] * factor;
      if (v === 0) {
        return;
      }
      if (depth > stack.length) {
        stack = new Int32Array(depth * 2);
      }
      for (let d = 0; d < depth; d++) {
        stack[d] = map[path[d]];
      }
      builder.addStack(stack, 0, depth, side === 0 ? v : 0, side === 1 ? v : 0);
    });
  };
  add(baseline, 0, scale);
  add(comparison, 1, 1);
  return builder.build(comparison.sampleType, comparison.unit);
}
