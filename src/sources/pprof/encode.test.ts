/** @jest-environment node */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { gunzipSync } from 'fflate';

import { ProfileTree } from '../../model/profile';
import { buildSampleTree } from '../../model/samples';
import { diffTrees } from '../../transforms/diff';
import { focusNode } from '../../transforms/focus';
import { topRowName, topTable } from '../../transforms/top';
import { decodePprof } from './decode';
import { encodePprof } from './encode';
import { OracleRow, parsePprofTop } from './oracle';

const FIXTURES = resolve(__dirname, '../../../../shared/fixtures/go-checkout');

function load(name: string, sampleType: string): ProfileTree {
  return buildSampleTree(decodePprof(readFileSync(join(FIXTURES, name))).samples, { sampleType });
}

/** flat/cum per function name, as `go tool pprof -top` prints them (no inline marks: see encode.ts). */
function topRows(tree: ProfileTree, right = false): OracleRow[] {
  const top = topTable(tree);
  const rows: OracleRow[] = [];
  for (let r = 0; r < top.count; r++) {
    const flat = right ? top.flatRight![r] : top.flat[r];
    const cum = right ? top.cumRight![r] : top.cum[r];
    if (flat !== 0 || cum !== 0) {
      rows.push({ name: topRowName(top, r).replace(/ \((partial-)?inline\)$/, ''), flat, cum });
    }
  }
  return byName(rows);
}

function byName(rows: OracleRow[]): OracleRow[] {
  return [...rows].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function goOnPath(): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((d) => {
    try {
      execFileSync(join(d, 'go'), ['version'], { stdio: 'ignore', timeout: 10000 });
      return true;
    } catch {
      return false;
    }
  });
}

describe('encodePprof', () => {
  const cpu = load('incident.cpu.pb.gz', 'cpu');

  it('round-trips through our decoder: same total and the same flat/cum per function', () => {
    const bytes = encodePprof(cpu);
    expect(bytes[0]).toBe(0x1f); // gzip
    const back = decodePprof(bytes);
    expect(back.sampleTypes).toEqual([{ type: 'cpu', unit: 'nanoseconds' }]);
    const tree = buildSampleTree(back.samples);
    expect(tree.total[0]).toBe(cpu.total[0]);
    expect(topRows(tree)).toEqual(topRows(cpu));
  });

  it('writes plain protobuf when asked, with one Sample per node with self', () => {
    const plain = encodePprof(cpu, { gzip: false });
    expect(plain[0]).not.toBe(0x1f);
    expect(gunzipSync(encodePprof(cpu))).toEqual(plain);
    let withSelf = 0;
    for (let i = 0; i < cpu.size; i++) {
      withSelf += cpu.self[i] !== 0 ? 1 : 0;
    }
    expect(decodePprof(plain).samples.count).toBe(withSelf);
  });

  it('exports the focused subtree with its callers, and the comparison side of a diff', () => {
    const node = cpu.end[1] > 2 ? 2 : 1;
    const focused = focusNode(cpu, node);
    const back = buildSampleTree(decodePprof(encodePprof(focused)).samples);
    expect(back.total[0]).toBe(cpu.total[node]);

    const baseline = load('baseline.cpu.pb.gz', 'cpu');
    const diff = diffTrees(baseline, cpu, { normalize: false });
    const fromDiff = buildSampleTree(decodePprof(encodePprof(diff)).samples);
    expect(fromDiff.total[0]).toBe(cpu.total[0]);
    expect(topRows(fromDiff)).toEqual(topRows(diff, true));
  });

  it('a tree with only a root encodes to a valid empty profile', () => {
    const empty = focusNode(cpu, 0);
    const root: ProfileTree = {
      ...empty,
      size: 1,
      end: Int32Array.of(1),
      self: Float64Array.of(0),
      total: Float64Array.of(0),
    };
    expect(decodePprof(encodePprof(root)).samples.count).toBe(0);
  });

  const withGo = goOnPath() ? it : it.skip;
  withGo(
    'go tool pprof reads the export and reports the oracle total and rows of incident.cpu',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'encode-pprof-'));
      try {
        const file = join(dir, 'export.pb.gz');
        writeFileSync(file, encodePprof(cpu));
        const args = [
          'tool',
          'pprof',
          '-top',
          '-nodecount=1000000',
          '-nodefraction=0',
          '-edgefraction=0',
          '-unit=ns',
          file,
        ];
        const out = execFileSync('go', args, {
          encoding: 'utf8',
          timeout: 60000,
          env: { ...process.env, PPROF_TMPDIR: dir, GOCACHE: process.env.GOCACHE ?? join(dir, 'gocache') },
        });
        const got = parsePprofTop(out);
        const oracle = parsePprofTop(readFileSync(join(FIXTURES, 'pprof-top/incident.cpu.cpu.txt'), 'utf8'));
        expect(got.total).toBe(oracle.total);
        expect(got.total).toBe(11720000000);
        const rows = new Map(got.rows.map((r) => [r.name, r]));
        expect(rows.get('crypto/sha256.block')).toEqual({
          name: 'crypto/sha256.block',
          flat: 2340000000,
          cum: 2340000000,
        });
        expect(rows.get('encoding/json.checkValid')).toEqual({
          name: 'encoding/json.checkValid',
          flat: 540000000,
          cum: 1140000000,
        });
        expect(rows.get('runtime.mallocgc')).toEqual({ name: 'runtime.mallocgc', flat: 510000000, cum: 2110000000 });
        // Every row, against the oracle with its inline marks taken off.
        const expected = byName(
          oracle.rows.map((r) => ({ ...r, name: r.name.replace(/ \((partial-)?inline\)$/, '') }))
        );
        expect(byName(got.rows)).toEqual(expected);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    120000
  );
});
