/** @jest-environment node */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decodePprof } from './decode';
import { parsePprofTop } from './oracle';
import { buildTree } from '../../transforms/labels';
import { TopTable, topRowName, topTable, topTableOfSamples } from '../../transforms/top';

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

function rows(top: TopTable) {
  const out = [];
  for (let r = 0; r < top.count; r++) {
    out.push({ flat: top.flat[r], cum: top.cum[r], name: topRowName(top, r) });
  }
  return out;
}

describe('decodePprof + topTable against go tool pprof -top', () => {
  it('finds the fixtures', () => {
    expect(profiles.length).toBeGreaterThanOrEqual(27);
  });

  // From the call tree (the panel) and straight from the samples (the CLI).
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
      const expected = { type: type.type, total: oracle.total, rows: oracle.rows };
      const fromTree = topTable(buildTree(profile, { sampleType: type.type }));
      expect({ type: type.type, total: fromTree.total, rows: rows(fromTree) }).toEqual(expected);
      const fromSamples = topTableOfSamples(profile.samples, { sampleType: type.type });
      expect({ type: type.type, total: fromSamples.total, rows: rows(fromSamples) }).toEqual(expected);
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
