/** @jest-environment node */
import { nodeName } from '../model/profile';
import { foldedToTree } from '../sources/folded';
import { focusFunction, focusNode } from './focus';
import { dumpTree, fixtureTree } from './testFixtures';
import { validateTree } from './treeOps';

describe('focusNode', () => {
  it('keeps the subtree and the path to it, with the focused total', () => {
    const t = foldedToTree('main;a;b;c 3\nmain;a;b 2\nmain;a;d 4\nmain;e 1\n');
    const b = dumpTree(t).findIndex((l) => l.trim().startsWith('b '));
    const f = focusNode(t, b);
    expect(dumpTree(f)).toEqual(['total 0/5', '  main 0/5', '    a 0/5', '      b 2/5', '        c 3/3']);
    expect(validateTree(f)).toEqual([]);
    expect(focusNode(t, 0)).toBe(t);
    expect(() => focusNode(t, t.size)).toThrow(RangeError);
  });

  it('keeps the right side of a diff tree', () => {
    const t = foldedToTree('a;b 1 5\na;c 2 0\n');
    const f = focusNode(t, 2);
    expect(dumpTree(f)).toEqual(['total 0/1 | 0/5', '  a 0/1 | 0/5', '    b 1/1 | 5/5']);
  });

  it('is consistent on every node of a real profile', () => {
    const t = fixtureTree('go-checkout/incident.cpu', 'cpu');
    for (let i = 1; i < t.size; i += 7) {
      const f = focusNode(t, i);
      const at = t.depth[i];
      expect(f.size).toBe(at + t.end[i] - i);
      expect(f.total[0]).toBe(t.total[i]);
      expect(nodeName(f, at)).toBe(nodeName(t, i));
      if (i % 70 === 1) {
        expect(validateTree(f)).toEqual([]);
      }
    }
  });
});

describe('focusFunction', () => {
  it('keeps every stack through the function (pprof -focus)', () => {
    const t = fixtureTree('go-checkout/incident.cpu', 'cpu');
    const fn = t.functions.name.indexOf('crypto/sha256.block');
    const f = focusFunction(t, fn);
    expect(validateTree(f)).toEqual([]);
    let through = 0;
    for (let i = 1; i < t.size;) {
      if (t.fn[i] === fn) {
        through += t.total[i];
        i = t.end[i];
      } else {
        i++;
      }
    }
    expect(f.total[0]).toBe(through);
    expect(through).toBeGreaterThan(0);
  });
});
