/** @jest-environment node */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { foldedToTree } from '../sources/folded';
import { PatternError, search } from './search';
import { fixtureTree } from './testFixtures';

describe('search', () => {
  const t = foldedToTree('main;Encode;encode 3\nmain;encode;x 2\nmain;y 5\n');

  it('marks functions, counting each stack once', () => {
    const r = search(t, { text: 'encode', regex: false, caseSensitive: false });
    expect(Array.from(r.matchFn)).toEqual(t.functions.name.map((n) => (/encode/i.test(n) ? 1 : 0)));
    expect(r.matchedFunctions).toBe(2);
    expect(r.matchedTotal).toBe(5);
    expect(r.share).toBe(0.5);
  });

  it('searches a focused subtree, and both sides of a diff', () => {
    const main = 1;
    const encodeUnderMain = t.fn.findIndex((f, i) => t.functions.name[f] === 'encode' && t.parent[i] === main);
    const r = search(t, { text: 'x', regex: false, caseSensitive: true }, encodeUnderMain);
    expect([r.matchedTotal, r.share]).toEqual([2, 1]);
    const d = foldedToTree('a;x 10 30\nb 90 70\n');
    const rd = search(d, { text: 'x', regex: false, caseSensitive: false });
    expect([rd.matchedTotal, rd.matchedTotalRight]).toEqual([10, 30]);
  });

  it('honours case and regex options; escapes plain text; empty matches nothing', () => {
    expect(search(t, { text: 'Encode', regex: false, caseSensitive: true }).matchedTotal).toBe(3);
    expect(search(t, { text: '^(x|y)$', regex: true, caseSensitive: true }).matchedTotal).toBe(7);
    expect(search(t, { text: '(x', regex: false, caseSensitive: true }).matchedTotal).toBe(0);
    expect(search(t, { text: '', regex: true, caseSensitive: true }).matchedTotal).toBe(0);
    expect(() => search(t, { text: '(x', regex: true, caseSensitive: true })).toThrow(PatternError);
  });

  it('matches go tool pprof -focus totals on a real profile', () => {
    const tree = fixtureTree('go-checkout/incident.cpu', 'cpu');
    const oracle = readFileSync(join(__dirname, 'testdata/pprof-filters/incident.cpu.cpu.focus.txt'), 'utf8');
    const shown = Number(/accounting for (\d+)ns/.exec(oracle)![1]);
    const r = search(tree, { text: '^crypto/sha256\\.', regex: true, caseSensitive: true });
    expect(r.matchedTotal).toBe(shown);
    expect(r.share).toBeCloseTo(shown / tree.total[0], 12);
  });
});
