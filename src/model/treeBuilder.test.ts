/** @jest-environment node */
import fc from 'fast-check';
import { FrameKind, nodeName } from './profile';
import { FunctionInterner, functionRank, TreeBuilder } from './treeBuilder';

describe('TreeBuilder', () => {
  it('merges stacks into a pre-order tree with children sorted by name', () => {
    const fns = new FunctionInterner();
    const main = fns.intern('main', FrameKind.Normal);
    const b = fns.intern('b', FrameKind.Normal);
    const a = fns.intern('a', FrameKind.Normal);
    const aInl = fns.intern('a', FrameKind.Inlined);
    expect(fns.intern('a', FrameKind.Normal)).toBe(a);
    const tb = new TreeBuilder(fns);
    tb.addStack([main, b], 0, 2, 5);
    tb.addStack([main, a], 0, 2, 3);
    tb.addStack([9, main, a, b], 1, 4, 2);
    tb.addStack([main], 0, 1, 1);
    tb.addStack([main, aInl], 0, 2, 4);
    const t = tb.build('cpu', 'nanoseconds');
    const rows = [];
    for (let i = 0; i < t.size; i++) {
      rows.push([nodeName(t, i), t.depth[i], t.parent[i], t.end[i], t.self[i], t.total[i]]);
    }
    expect(rows).toEqual([
      ['total', 0, -1, 6, 0, 15],
      ['main', 1, 0, 6, 1, 15],
      ['a', 2, 1, 4, 3, 5],
      ['b', 3, 2, 4, 2, 2],
      ['a', 2, 1, 5, 4, 4],
      ['b', 2, 1, 6, 5, 5],
    ]);
    expect(t.functions.kind[t.fn[4]]).toBe(FrameKind.Inlined);
    expect(t.right).toBeUndefined();
  });

  it('keeps right values for a diff and grows past its initial capacity', () => {
    const fns = new FunctionInterner();
    const ids: number[] = [];
    for (let i = 0; i < 1500; i++) {
      ids.push(fns.intern(`f${i}`, FrameKind.Normal));
    }
    const tb = new TreeBuilder(fns, { diff: true });
    for (let i = 1; i <= 1500; i++) {
      tb.addStack(ids, 0, i, 1, 2);
    }
    const t = tb.build('samples', 'count');
    expect(t.size).toBe(1501);
    expect(t.total[0]).toBe(1500);
    expect(t.right!.total[0]).toBe(3000);
    expect(t.depth[1500]).toBe(1500);
    expect(t.end[0]).toBe(1501);
  });
});

describe('functionRank', () => {
  it('orders functions by name (UTF-16 units, as `<`) then kind', () => {
    // Few letters, so names share long prefixes and repeat with other kinds.
    const name = fc.stringMatching(/^(ab|a|b|\u00e9|\ud83d\ude00|\uffff){0,12}$/);
    fc.assert(
      fc.property(fc.array(fc.tuple(name, fc.constantFrom(0, 1, 2, 3)), { maxLength: 300 }), (entries) => {
        const fns = new FunctionInterner();
        for (const [n, k] of entries) {
          fns.intern(n, k as FrameKind);
        }
        const table = fns.table();
        const rank = functionRank(table);
        const expected = Array.from({ length: table.count }, (_, i) => i).sort((a, b) =>
          table.name[a] < table.name[b] ? -1 : table.name[a] > table.name[b] ? 1 : table.kind[a] - table.kind[b]
        );
        expect(Array.from(rank)).toEqual(Array.from({ length: table.count }, (_, f) => expected.indexOf(f)));
      }),
      { numRuns: 300 }
    );
  });
});
