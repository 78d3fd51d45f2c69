/** @jest-environment node */
import { topTable } from '../../transforms/top';
import { treeFromFolded } from '../flamegraph/testTree';
import { csvField, matchingRows, sortRows, topTableCsv } from './topTableData';

describe('top table data', () => {
  const tree = treeFromFolded(['main;json.Marshal 30', 'main;sha256.Sum 50', 'main;json.Marshal;sha256.Sum 20']);
  const table = topTable(tree);
  const names = (order: Int32Array) => Array.from(order, (r) => tree.functions.name[table.fn[r]]);

  it('keeps only the rows of matching functions, with their values', () => {
    const match = new Uint8Array(tree.functions.count);
    match[tree.functions.name.indexOf('sha256.Sum')] = 1;
    const only = matchingRows(table, match);
    expect(only.count).toBe(1);
    expect(tree.functions.name[only.fn[0]]).toBe('sha256.Sum');
    expect([only.flat[0], only.cum[0]]).toEqual([70, 70]);
  });

  it('sorts by each column, both directions', () => {
    expect(names(sortRows(tree, table, 'self', true))).toEqual(['sha256.Sum', 'json.Marshal', 'main']);
    expect(names(sortRows(tree, table, 'total', true))[0]).toBe('main');
    expect(names(sortRows(tree, table, 'name', false))).toEqual(['json.Marshal', 'main', 'sha256.Sum']);
    expect(names(sortRows(tree, table, 'name', true))).toEqual(['sha256.Sum', 'main', 'json.Marshal']);
  });

  it('writes CSV in base units in the given order', () => {
    const csv = topTableCsv(tree, table, sortRows(tree, table, 'self', true));
    expect(csv).toBe(
      'function,self_nanoseconds,total_nanoseconds\n' +
        'sha256.Sum,70,70\n' +
        'json.Marshal,30,50\n' +
        'main,0,100\n'
    );
  });

  it('quotes and defuses untrusted names', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField('runtime.mallocgc')).toBe('runtime.mallocgc');
  });

  it('adds baseline, comparison and change columns for a diff', () => {
    const d = treeFromFolded(['a 50 80', 'b 50 20']);
    const csv = topTableCsv(d, topTable(d)).split('\n');
    expect(csv[0]).toBe(
      'function,self_baseline_nanoseconds,self_comparison_nanoseconds,total_baseline_nanoseconds,total_comparison_nanoseconds,change'
    );
    expect(csv).toContain('a,50,80,50,80,0.6');
    expect(csv).toContain('b,50,20,50,20,-0.6');
  });
});
