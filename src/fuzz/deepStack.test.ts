/** @jest-environment node */
/**
 * A 100,000-frame stack, as folded text, as a nested-set frame and as a pprof profile (one sample
 * of 100,000 locations), through import, tree, top table, search, caps and the flame graph layout:
 * nothing may recurse per frame (a recursive step overflows the call stack long before this depth).
 */
import type { DataFrame, Field, FieldType } from '@grafana/data';

import { ProfileTree } from '../model/profile';
import { buildSampleTree } from '../model/samples';
import { foldedToTree } from '../sources/folded';
import { DEFAULT_LIMITS } from '../sources/limits';
import { nestedSetToTree } from '../sources/nestedSet';
import { decodePprof } from '../sources/pprof/decode';
import { encodePprof } from '../sources/pprof/encode';
import { capTree } from '../transforms/cap';
import { collapseRecursion } from '../transforms/recursion';
import { search } from '../transforms/search';
import { topTable } from '../transforms/top';
import { validateTree } from '../transforms/treeOps';
import { FrameLayout, layoutFrame, subtreeMaxDepth } from '../views/flamegraph/layout';

const DEPTH = 100_000;

/** Everything the panel does with a tree. */
function throughThePanel(tree: ProfileTree): void {
  expect(tree.size).toBe(DEPTH + 1);
  expect(subtreeMaxDepth(tree, 0)).toBe(DEPTH);
  expect(validateTree(tree)).toEqual([]);
  const top = topTable(tree);
  expect(top.count).toBeGreaterThan(0);
  const found = search(tree, { text: 'f99999', regex: false, caseSensitive: true });
  expect(found.matchedTotal).toBe(tree.total[0]);
  const layout = new FrameLayout();
  for (const scrollTop of [0, (DEPTH - 10) * 20]) {
    layoutFrame(
      tree,
      { focus: 0, xStart: 0, xEnd: 1, width: 1000, height: 600, rowHeight: 20, scrollTop, orientation: 'icicle' },
      layout
    );
    expect(layout.count).toBeGreaterThan(0);
  }
  // Focused on the deepest frame: its 99,999 ancestors are drawn at full width where visible.
  layoutFrame(
    tree,
    { focus: DEPTH, xStart: 0, xEnd: 1, width: 1000, height: 600, rowHeight: 20, scrollTop: 0, orientation: 'flame' },
    layout
  );
  const capped = capTree(tree, DEFAULT_LIMITS);
  expect(validateTree(capped.tree)).toEqual([]);
  expect(capped.tree.total[0]).toBe(tree.total[0]);
  expect(capped.truncated?.droppedNodes).toBe(DEPTH - DEFAULT_LIMITS.maxDepth);
  expect(collapseRecursion(tree).total[0]).toBe(tree.total[0]);
}

const frames = Array.from({ length: DEPTH }, (_, i) => `f${i}`);

describe(`a ${DEPTH}-frame stack`, () => {
  it('as folded text', () => {
    const text = `${frames.join(';')} 7\n`;
    throughThePanel(foldedToTree(text));
  });

  it('as a nested-set frame', () => {
    const n = DEPTH + 1;
    const num = 'number' as FieldType;
    const field = (name: string, type: FieldType, values: unknown[]): Field => ({ name, type, config: {}, values });
    const frame: DataFrame = {
      length: n,
      fields: [
        field(
          'level',
          num,
          Array.from({ length: n }, (_, i) => i)
        ),
        field('value', num, new Array(n).fill(7)),
        field(
          'self',
          num,
          Array.from({ length: n }, (_, i) => (i === DEPTH ? 7 : 0))
        ),
        field('label', 'string' as FieldType, ['total', ...frames]),
      ],
    };
    throughThePanel(nestedSetToTree(frame));
  });

  it('as a pprof profile with one sample of 100,000 locations', () => {
    const bytes = encodePprof(foldedToTree(`${frames.join(';')} 7\n`));
    const profile = decodePprof(bytes);
    expect(profile.locationCount).toBe(DEPTH);
    expect(profile.samples.count).toBe(1);
    throughThePanel(buildSampleTree(profile.samples));
  });

  it('as one function recursing 100,000 times', () => {
    const tree = foldedToTree(`${new Array(DEPTH).fill('f99999').join(';')} 7\n`);
    throughThePanel(tree);
    const collapsed = collapseRecursion(tree);
    expect(collapsed.size).toBe(2);
    expect(topTable(tree).cum[0]).toBe(7);
  });
});
