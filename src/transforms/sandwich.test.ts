/** @jest-environment node */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { dumpTree, FIXTURES, fixtureTree } from './testFixtures';
import { foldedToTree } from '../sources/folded';
import { parsePprofTop } from '../sources/pprof/oracle';
import { sandwich } from './sandwich';
import { topRowName, topTable } from './top';
import { validateTree } from './treeOps';


describe('sandwich', () => {
  it('merges callers and callees over every occurrence, counting recursion once', () => {
    const t = foldedToTree('main;a;f;g 3\nmain;b;f 2\nmain;b;f;f;h 4\nmain;f 1\nmain;a 7\n');
    const f = t.functions.name.indexOf('f');
    const { callers, callees } = sandwich(t, f);
    expect(dumpTree(callers)).toEqual([
      'total 0/10',
      '  f 0/10',
      '    a 0/3',
      '      main 3/3',
      '    b 0/6',
      '      main 6/6',
      '    main 1/1',
    ]);
    expect(dumpTree(callees)).toEqual(['total 0/10', '  f 3/10', '    f 0/4', '      h 4/4', '    g 3/3']);
  });

  it('gives the function its pprof cum as total, for every function of a real profile', () => {
    const tree = fixtureTree('go-checkout/incident.cpu', 'cpu');
    const oracle = parsePprofTop(readFileSync(join(FIXTURES, 'go-checkout/pprof-top/incident.cpu.cpu.txt'), 'utf8'));
    const cum = new Map(oracle.rows.map((r) => [r.name, r.cum]));
    const top = topTable(tree);
    let checked = 0;
    for (let r = 0; r < top.count; r++) {
      const name = topRowName(top, r);
      const f = top.fn[r];
      const { callers, callees } = sandwich(tree, f);
      expect([name, callers.total[0], callees.total[0]]).toEqual([name, cum.get(name), cum.get(name)]);
      expect(validateTree(callers)).toEqual([]);
      expect(validateTree(callees)).toEqual([]);
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });
});
