/** @jest-environment node */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decodePprof } from './decode';
import { parsePprofTop } from './oracle';
import { buildTree } from '../../transforms/labels';
import { topRowName, topTable } from '../../transforms/top';

/** ../shared/fixtures beside the clone (read-only, present in CI). */
export const FIXTURES = resolve(__dirname, '../../../../shared/fixtures');

const profiles: string[] = [];
for (const set of ['go-checkout', 'public']) {
  const dir = join(FIXTURES, set);
  for (const f of readdirSync(dir).sort()) {
    if (f.endsWith('.pb.gz')) {
      profiles.push(join(dir, f));
    }
  }
}

describe('decodePprof + topTable against go tool pprof -top', () => {
  it('finds the fixtures', () => {
    expect(profiles.length).toBeGreaterThanOrEqual(27);
  });

  it.each(profiles.map((p) => [p.slice(FIXTURES.length + 1), p]))('%s: every sample type matches the oracle', (_, path) => {
    const profile = decodePprof(readFileSync(path));
    const base = path.replace(/\.pb\.gz$/, '');
    const dir = join(path, '..', 'pprof-top');
    const name = base.slice(base.lastIndexOf('/') + 1);
    let compared = 0;
    for (const type of profile.sampleTypes) {
      const oraclePath = join(dir, `${name}.${type.type}.txt`);
      if (!existsSync(oraclePath)) {
        continue;
      }
      const oracle = parsePprofTop(readFileSync(oraclePath, 'utf8'));
      const tree = buildTree(profile, { sampleType: type.type });
      const top = topTable(tree);
      const ours = [];
      for (let r = 0; r < top.count; r++) {
        ours.push({ flat: top.flat[r], cum: top.cum[r], name: topRowName(tree, top, r) });
      }
      expect({ type: type.type, total: tree.total[0], rows: ours }).toEqual({ type: type.type, total: oracle.total, rows: oracle.rows });
      compared++;
    }
    expect(compared).toBeGreaterThan(0);
  });
});

describe('oracle coverage', () => {
  it('every oracle file names a profile and one of its sample types', () => {
    for (const set of ['go-checkout', 'public']) {
      const dir = join(FIXTURES, set, 'pprof-top');
      for (const f of readdirSync(dir)) {
        const m = /^(.*)\.([^.]+)\.txt$/.exec(f)!;
        const profile = decodePprof(readFileSync(join(FIXTURES, set, `${m[1]}.pb.gz`)));
        expect(profile.sampleTypes.map((t) => t.type)).toContain(m[2]);
      }
    }
  });
});
