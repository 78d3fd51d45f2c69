/** @jest-environment node */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { foldedToTree } from '../sources/folded';
import { PatternError, search } from './search';
import { fixtureTree } from './testFixtures';

describe('search', () => {
  const t = foldedToTree('main;Encode;encode 3\nmain;encode;x 2\nmain;y 5\n');

  it('marks functions and nodes, counting each stack once', () => {
    const r = search(t, { text: 'encode', regex: false, caseSensitive: false });
    expect(Array.from(r.matchFn)).toEqual(t.functions.name.map((n) => (/encode/i.test(n) ? 1 : 0)));
    expect(r.matchedTotal).toBe(5);
    expect(r.share).toBe(0.5);
    expect(r.matchNode.reduce((a, b) => a + b, 0)).toBe(3);
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
