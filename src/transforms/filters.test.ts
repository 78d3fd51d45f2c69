/** @jest-environment node */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { foldedToTree } from '../sources/folded';
import { applyFilters, PatternError, PprofFilters } from './filters';
import { focusFunction } from './focus';
import { topRowName, topTable } from './top';
import { validateTree } from './treeOps';
import { fixtureTree } from './testFixtures';

const ORACLES = join(__dirname, 'testdata/pprof-filters');

/** `incident.cpu` or `pprof-large.cpu`: the fixture set follows from the name. */
function fixture(name: string, sampleType: string) {
  return fixtureTree(`${name.startsWith('pprof-') ? 'public' : 'go-checkout'}/${name}`, sampleType);
}

/** Active filters and rows of a `go tool pprof -top` output. */
function readOracle(text: string) {
  const filters: PprofFilters = {};
  const rows: Array<{ flat: number; cum: number; name: string }> = [];
  let shown = NaN;
  for (const line of text.split('\n')) {
    const f = /^ {3}(focus|ignore|hide|show)=(.*)$/.exec(line);
    if (f) {
      filters[f[1] as keyof PprofFilters] = f[2];
    }
    const s = /^Showing nodes accounting for (\d+)/.exec(line);
    if (s) {
      shown = Number(s[1]);
    }
    const r = /^\s*(\d+)\S*\s+\S+%\s+\S+%\s+(\d+)\S*\s+\S+%  (.*)$/.exec(line);
    if (r) {
      rows.push({ flat: Number(r[1]), cum: Number(r[2]), name: r[3] });
    }
  }
  return { filters, rows, shown };
}

describe('applyFilters against go tool pprof -focus/-ignore/-hide/-show', () => {
  const files = readdirSync(ORACLES).filter((f) => f.endsWith('.txt'));

  it('has oracles', () => {
    expect(files.length).toBeGreaterThanOrEqual(14);
  });

  it.each(files)('%s', (file) => {
    const [profile, kind, sampleType] = file.split('.');
    const oracle = readOracle(readFileSync(join(ORACLES, file), 'utf8'));
    const tree = applyFilters(fixture(`${profile}.${kind}`, sampleType), oracle.filters);
    expect(validateTree(tree)).toEqual([]);
    const top = topTable(tree);
    const rows = [];
    for (let r = 0; r < top.count; r++) {
      rows.push({ flat: top.flat[r], cum: top.cum[r], name: topRowName(top, r) });
    }
    expect(tree.total[0]).toBe(oracle.shown);
    expect(rows).toEqual(oracle.rows);
  });
});

describe('applyFilters', () => {
  const t = foldedToTree('a;b;c 1\na;x;c 2\nruntime.x;y 4\n5\n');

  it('hide moves callees up to the caller and drops stacks left empty', () => {
    const h = applyFilters(t, { hide: '^(b|x|runtime\\.x|y)$' });
    // a;c gets 1 + 2; runtime.x;y is fully hidden and dropped; the root's own 5 is dropped too.
    expect(h.total[0]).toBe(3);
    expect(h.size).toBe(3);
  });

  it('show keeps only matching frames; ignore wins over focus', () => {
    expect(applyFilters(t, { show: '^c$' }).total[0]).toBe(3);
    expect(applyFilters(t, { focus: 'c', ignore: 'x' }).total[0]).toBe(1);
    expect(applyFilters(t, {}).total[0]).toBe(12);
    expect(applyFilters(t, { focus: '' })).toBe(t);
  });

  it('focusFunction keeps whole stacks through one function', () => {
    const c = t.functions.name.indexOf('c');
    const f = focusFunction(t, c);
    expect(f.total[0]).toBe(3);
    expect(f.size).toBe(6);
  });

  it('rejects an invalid regex with a typed error', () => {
    expect(() => applyFilters(t, { focus: 'a(' })).toThrow(PatternError);
    expect(() => applyFilters(t, { hide: '[' })).toThrow(/invalid pattern "\["/);
  });

  it('keeps the right side of a diff tree', () => {
    const d = foldedToTree('a;b 1 2\na;c 3 4\n');
    const f = applyFilters(d, { ignore: '^c$' });
    expect(f.right?.total[0]).toBe(2);
    expect(f.total[0]).toBe(1);
  });
});
