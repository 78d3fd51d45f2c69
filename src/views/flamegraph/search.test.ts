/** @jest-environment node */
import { SearchPatternError, compileMatcher, searchTree } from './search';
import { treeFromFolded } from './testTree';

describe('searchTree', () => {
  const tree = treeFromFolded([
    'main;json.Marshal;json.encode 30',
    'main;json.Marshal 10',
    'main;sha256.Sum 40',
    'main;work;json.Unmarshal 20',
  ]);

  it('matches by substring, counts each matched stack once, and reports the share of the total', () => {
    const r = searchTree(tree, 'json', { regex: false, caseSensitive: false })!;
    expect(r.matchedFunctions).toBe(3);
    // json.Marshal (40 incl. json.encode below it) + json.Unmarshal (20); json.encode is not added again.
    expect(r.matchedTotal).toBe(60);
    expect(r.share).toBeCloseTo(0.6);
    const names = tree.functions.name.filter((_, f) => r.fnMatch[f] === 1).sort();
    expect(names).toEqual(['json.Marshal', 'json.Unmarshal', 'json.encode']);
  });

  it('honours case sensitivity and regular expressions', () => {
    expect(searchTree(tree, 'JSON', { regex: false, caseSensitive: true })!.matchedFunctions).toBe(0);
    expect(searchTree(tree, 'JSON', { regex: false, caseSensitive: false })!.matchedFunctions).toBe(3);
    const r = searchTree(tree, '^json\\.(Un)?marshal$', { regex: true, caseSensitive: false })!;
    expect(r.matchedFunctions).toBe(2);
    expect(r.matchedTotal).toBe(60);
    expect(searchTree(tree, '^json\\.(un)?marshal$', { regex: true, caseSensitive: true })!.matchedFunctions).toBe(0);
  });

  it('returns null for an empty query and a typed error for a bad pattern', () => {
    expect(searchTree(tree, '', { regex: false, caseSensitive: false })).toBeNull();
    expect(() => compileMatcher('(', { regex: true, caseSensitive: false })).toThrow(SearchPatternError);
    expect(compileMatcher('(', { regex: false, caseSensitive: false })('f(x)')).toBe(true);
  });

  it('measures the comparison side of a diff', () => {
    const d = treeFromFolded(['a;x 10 30', 'b 90 70']);
    const r = searchTree(d, 'x', { regex: false, caseSensitive: false })!;
    expect(r.matchedTotal).toBe(10);
    expect(r.matchedTotalRight).toBe(30);
  });
});
