/** @jest-environment node */
import { foldedToTree } from '../sources/folded';
import { diffTrees } from './diff';
import { mergeTrees, MergeError } from './merge';
import { dumpTree, fixtureTree } from './testFixtures';
import { validateTree } from './treeOps';

describe('mergeTrees', () => {
  it('sums stacks by path', () => {
    const m = mergeTrees([foldedToTree('a;b 1\na;c 2\n'), foldedToTree('a;b 3\nd 4\n')]);
    expect(dumpTree(m)).toEqual(['total 0/10', '  a 0/6', '    b 4/4', '    c 2/2', '  d 4/4']);
  });

  it('merges the three phases of a real profile into their sum', () => {
    const phases = ['baseline', 'incident', 'recovery'].map((p) => fixtureTree(`go-checkout/${p}.cpu`, 'cpu'));
    const m = mergeTrees(phases);
    expect(validateTree(m)).toEqual([]);
    expect(m.total[0]).toBe(phases.reduce((s, t) => s + t.total[0], 0));
    expect(dumpTree(mergeTrees([phases[1]]))).toEqual(dumpTree(phases[1]));
    expect(dumpTree(mergeTrees([phases[0], phases[2]]))).toEqual(dumpTree(mergeTrees([phases[2], phases[0]])));
  });

  it('refuses trees of different sample types', () => {
    const a = foldedToTree('a 1\n', { sampleType: 'cpu', unit: 'nanoseconds' });
    const b = foldedToTree('a 1\n', { sampleType: 'alloc_space', unit: 'bytes' });
    expect(() => mergeTrees([a, b])).toThrow(MergeError);
    expect(() => mergeTrees([])).toThrow(MergeError);
  });
});

describe('diffTrees', () => {
  it('matches stacks by path: left baseline, right comparison', () => {
    const d = diffTrees(foldedToTree('a;b 1\na;c 2\n'), foldedToTree('a;b 3\nd 4\n'), { normalize: false });
    expect(dumpTree(d)).toEqual([
      'total 0/3 | 0/7',
      '  a 0/3 | 0/3',
      '    b 1/1 | 3/3',
      '    c 2/2 | 0/0',
      '  d 0/0 | 4/4',
    ]);
  });

  it('normalizes the baseline to the comparison total', () => {
    const d = diffTrees(foldedToTree('a 1\nb 1\n'), foldedToTree('a 6\nb 2\n'), { normalize: true });
    expect(dumpTree(d)).toEqual(['total 0/8 | 0/8', '  a 4/4 | 6/6', '  b 4/4 | 2/2']);
  });

  it('diffs real baseline and incident profiles, each side keeping its own values', () => {
    const base = fixtureTree('go-checkout/baseline.cpu', 'cpu');
    const inc = fixtureTree('go-checkout/incident.cpu', 'cpu');
    const d = diffTrees(base, inc, { normalize: false });
    expect(validateTree(d)).toEqual([]);
    expect(d.total[0]).toBe(base.total[0]);
    expect(d.right!.total[0]).toBe(inc.total[0]);
    // Same tree on both sides: every node equal.
    const same = diffTrees(inc, inc, { normalize: true });
    expect(same.size).toBe(inc.size);
    expect(Array.from(same.right!.total)).toEqual(Array.from(same.total));
  });
});
