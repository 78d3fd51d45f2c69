/** @jest-environment node */
import { nodeName, OTHER_NAME, ProfileTree } from '../model/profile';
import { foldedToTree } from '../sources/folded';
import { DEFAULT_LIMITS } from '../sources/limits';
import { readNestedSetFrame, toNestedSetFrame } from '../sources/nestedSet';
import { capTree } from './cap';
import { diffTrees } from './diff';
import { dumpTree, fixtureTree } from './testFixtures';
import { validateTree } from './treeOps';

function otherTotal(t: ProfileTree): number {
  let sum = 0;
  for (let i = 1; i < t.size; i++) {
    if (nodeName(t, i) === OTHER_NAME) {
      sum += t.total[i];
    }
  }
  return sum;
}

describe('capTree', () => {
  it('returns a tree within the caps as it is', () => {
    const tree = fixtureTree('go-checkout/incident.cpu', 'cpu');
    const capped = capTree(tree, DEFAULT_LIMITS);
    expect(capped.tree).toBe(tree);
    expect(capped.truncated).toBeNull();
  });

  it('ends stacks deeper than maxDepth in an other node holding what was below', () => {
    const tree = foldedToTree('a;b;c;d 5\na;b;x 3\na;b 1\na 2\n');
    const { tree: out, truncated } = capTree(tree, { maxNodes: 100, maxDepth: 2 });
    expect(validateTree(out)).toEqual([]);
    expect(dumpTree(out)).toEqual(['total 0/11', '  a 2/11', '    b 1/9', '      other 8/8']);
    expect(truncated).toEqual({ droppedNodes: 3, otherValue: 8 });
  });

  it('keeps the largest maxNodes nodes of a real profile; the rest is in other nodes', () => {
    const tree = fixtureTree('go-checkout/incident.cpu', 'cpu');
    expect(tree.size).toBeGreaterThan(500);
    const { tree: out, truncated } = capTree(tree, { maxNodes: 200, maxDepth: 1024 });
    expect(validateTree(out)).toEqual([]);
    expect(out.total[0]).toBe(tree.total[0]);
    expect(truncated).not.toBeNull();
    expect(truncated!.droppedNodes).toBe(tree.size - 200);
    expect(truncated!.otherValue).toBeCloseTo(otherTotal(out), 6);
    expect(truncated!.otherValue).toBeGreaterThan(0);
    // At most one other node per kept parent.
    expect(out.size).toBeLessThanOrEqual(400);
  });

  it('applies both caps, and keeps both sides of a diff', () => {
    const base = fixtureTree('go-checkout/baseline.cpu', 'cpu');
    const incident = fixtureTree('go-checkout/incident.cpu', 'cpu');
    const diff = diffTrees(base, incident, { normalize: false });
    const { tree: out, truncated } = capTree(diff, { maxNodes: 300, maxDepth: 6 });
    expect(validateTree(out)).toEqual([]);
    expect(out.total[0]).toBe(diff.total[0]);
    expect(out.right!.total[0]).toBe(diff.right!.total[0]);
    let deepest = 0;
    for (let i = 0; i < out.size; i++) {
      deepest = Math.max(deepest, out.depth[i]);
    }
    expect(deepest).toBeLessThanOrEqual(7);
    expect(truncated!.droppedNodes).toBeGreaterThan(0);
  });

  it('counts only what it removed, not the other nodes Pyroscope already sent', () => {
    const tree = foldedToTree('a;b;c 5\na;other 4\nz 1\n');
    const imported = readNestedSetFrame(toNestedSetFrame(tree)).tree;
    expect(imported.truncation).toEqual({ droppedNodes: 1, otherValue: 4 });
    const { tree: out, truncated } = capTree(imported, { maxNodes: 100, maxDepth: 2 });
    expect(validateTree(out)).toEqual([]);
    expect(truncated).toEqual({ droppedNodes: 1, otherValue: 5 });
    expect(out.truncation).toEqual({ droppedNodes: 2, otherValue: 9 });
  });
});
