/** @jest-environment node */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { buildSampleTree } from '../../model/samples';
import { parseFolded } from '../../sources/folded';
import { decodePprof } from '../../sources/pprof';
import { topTable } from '../../transforms/top';
import { exportProfile, shownTree } from './exportProfile';

const FIXTURES = resolve(__dirname, '../../../../shared/fixtures/go-checkout');
const cpu = buildSampleTree(decodePprof(readFileSync(join(FIXTURES, 'incident.cpu.pb.gz'))).samples, {
  sampleType: 'cpu',
});

/** The biggest child of the root's biggest child: a node two levels down. */
function deepNode(): number {
  let best = -1;
  for (let c = 1; c < cpu.end[0]; c = cpu.end[c]) {
    for (let g = c + 1; g < cpu.end[c]; g = cpu.end[g]) {
      if (best < 0 || cpu.total[g] > cpu.total[best]) {
        best = g;
      }
    }
  }
  return best;
}

describe('exportProfile', () => {
  it('pprof of the whole tree: gzip, named after the sample type, same total', () => {
    const out = exportProfile(cpu, 0, 'pprof', 'checkout');
    expect(out.fileName).toBe('checkout.cpu.pb.gz');
    expect(out.mimeType).toBe('application/gzip');
    const back = buildSampleTree(decodePprof(out.data as Uint8Array).samples);
    expect(back.total[0]).toBe(cpu.total[0]);
    expect(topTable(back).count).toBe(topTable(cpu).count);
  });

  it('pprof and folded of a focused node hold that node total, with its callers above it', () => {
    const node = deepNode();
    expect(cpu.depth[node]).toBe(2);
    const pprof = buildSampleTree(decodePprof(exportProfile(cpu, node, 'pprof', 'x').data as Uint8Array).samples);
    expect(pprof.total[0]).toBe(cpu.total[node]);
    expect(pprof.depth[pprof.size - 1]).toBeGreaterThanOrEqual(2);

    const folded = exportProfile(cpu, node, 'folded', 'x');
    expect(folded.fileName).toBe('x.cpu.folded');
    const text = folded.data as string;
    const caller = cpu.functions.name[cpu.fn[cpu.parent[node]]];
    const name = cpu.functions.name[cpu.fn[node]];
    for (const line of text.trimEnd().split('\n')) {
      expect(line.startsWith(`${caller};${name}`)).toBe(true);
    }
    expect(parseFolded(text).tree.total[0]).toBe(cpu.total[node]);
  });

  it('shownTree is the tree itself when nothing is focused', () => {
    expect(shownTree(cpu, 0)).toBe(cpu);
    expect(shownTree(cpu, cpu.size)).toBe(cpu);
  });
});
