/** @jest-environment node */
import { OTHER_NAME } from '../model/profile';
import { foldedToTree } from '../sources/folded';
import { nestedSetToTree, toNestedSetFrame } from '../sources/nestedSet';
import { collapseRecursion } from './recursion';
import { dumpTree, fixtureTree } from './testFixtures';
import { truncateTree } from './truncate';
import { validateTree } from './treeOps';

describe('truncateTree', () => {
  it('keeps the largest nodes and sums the rest into one `other` per parent', () => {
    const t = foldedToTree('a;b 10\na;c 1\na;d 2\ne;f 1\ne;g 1\n');
    const r = truncateTree(t, 4);
    // d and e tie at 2: the earlier in pre-order (d) stays.
    expect(dumpTree(r)).toEqual(['total 0/15', '  a 0/13', '    b 10/10', '    d 2/2', '    other 1/1', '  other 2/2']);
    expect(r.truncation).toEqual({ droppedNodes: 4, otherValue: 3 });
    expect(truncateTree(t, 100)).toBe(t);
  });

  it('cuts a real profile to the budget, keeping every total', () => {
    const t = fixtureTree('go-checkout/incident.cpu', 'cpu');
    for (const budget of [1, 50, 500]) {
      const r = truncateTree(t, budget);
      expect(validateTree(r)).toEqual([]);
      expect(r.total[0]).toBe(t.total[0]);
      const other = r.functions.name.indexOf(OTHER_NAME);
      let real = 0;
      for (let i = 0; i < r.size; i++) {
        real += r.fn[i] === other ? 0 : 1;
      }
      expect(real).toBe(budget);
      expect(r.truncation!.droppedNodes).toBe(t.size - budget);
      // Pyroscope-style frame round trip reports the truncation.
      const back = nestedSetToTree(toNestedSetFrame(r));
      expect(back.truncation!.otherValue).toBe(r.truncation!.otherValue);
    }
  });
});

describe('collapseRecursion', () => {
  it('folds direct and indirect recursion into the first frame', () => {
    const t = foldedToTree('a;f;f;f;h 1\na;f;g;f;h 2\na;f;g 3\n');
    expect(dumpTree(collapseRecursion(t))).toEqual(['total 0/6', '  a 0/6', '    f 0/6', '      g 3/3', '      h 3/3']);
  });

  it('leaves no function below itself in a real recursive profile (parca fib)', () => {
    const t = fixtureTree('public/parca-fib.cpu', 'cpu');
    const c = collapseRecursion(t);
    expect(validateTree(c)).toEqual([]);
    expect(c.total[0]).toBe(t.total[0]);
    expect(c.size).toBeLessThan(t.size);
    for (let i = 1; i < c.size; i++) {
      for (let a = c.parent[i]; a > 0; a = c.parent[a]) {
        expect(c.fn[a] === c.fn[i]).toBe(false);
      }
    }
  });
});
