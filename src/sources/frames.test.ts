import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createDataFrame, DataFrameType, FieldType } from '@grafana/data';

import { buildSampleTree } from '../model/samples';
import { classifyFrames } from './frames';
import { toFolded } from './folded';
import { toNestedSetFrame } from './nestedSet';
import { decodePprof } from './pprof';

const FIXTURES = resolve(__dirname, '..', '..', '..', 'shared', 'fixtures', 'go-checkout');
const cpuBytes = new Uint8Array(readFileSync(resolve(FIXTURES, 'incident.cpu.pb.gz')));
const cpuTree = buildSampleTree(decodePprof(cpuBytes).samples);
const gcLines = readFileSync(resolve(FIXTURES, 'gctrace.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as { ts_ns: number; line: string });

const base64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

describe('classifyFrames', () => {
  it('recognises every input shape whatever its refId', () => {
    const nested = { ...toNestedSetFrame(cpuTree), refId: 'whatever' };
    const pprofBase64 = createDataFrame({
      refId: 'P',
      fields: [
        { name: 'time', type: FieldType.time, values: [1_000] },
        { name: 'profile', type: FieldType.string, values: [base64(cpuBytes)] },
      ],
    });
    const pprofBinary = createDataFrame({ refId: 'Q', fields: [{ name: 'bytes', type: FieldType.other, values: [cpuBytes] }] });
    const folded = createDataFrame({ refId: 'F', fields: [{ name: 'stacks', type: FieldType.string, values: [toFolded(cpuTree)] }] });
    const loki = createDataFrame({
      refId: 'L',
      meta: { type: DataFrameType.LogLines },
      fields: [
        { name: 'timestamp', type: FieldType.time, values: gcLines.map((l) => l.ts_ns / 1e6) },
        { name: 'body', type: FieldType.string, values: gcLines.map((l) => l.line) },
        { name: 'labels', type: FieldType.other, values: gcLines.map(() => ({ service_name: 'checkout' })) },
      ],
    });

    const result = classifyFrames([nested, pprofBase64, pprofBinary, folded, loki]);

    expect(result.profiles.map((p) => p.kind)).toEqual(['nested-set', 'pprof', 'pprof', 'folded']);
    const fromBase64 = result.profiles[1];
    expect(fromBase64.kind === 'pprof' && fromBase64.timeMs).toBe(1_000);
    expect(fromBase64.kind === 'pprof' && fromBase64.bytes).toEqual(cpuBytes);
    expect(result.gcFrames).toEqual([loki]);
    expect(result.unusable).toEqual([]);
  });

  it('names frames it cannot use, and ignores empty results', () => {
    const table = createDataFrame({
      refId: 'T',
      fields: [
        { name: 'host', type: FieldType.string, values: ['a', 'b'] },
        { name: 'cpu', type: FieldType.number, values: [1, 2] },
      ],
    });
    const empty = createDataFrame({ refId: 'E', fields: [] });
    const result = classifyFrames([table, empty]);
    expect(result.profiles).toEqual([]);
    expect(result.unusable).toHaveLength(1);
    expect(result.unusable[0].refId).toBe('T');
    expect(result.unusable[0].reason).toContain('host (string), cpu (number)');
  });

  it('does not mistake prose or an HTML error page for a profile', () => {
    const html = createDataFrame({
      refId: 'H',
      fields: [{ name: 'body', type: FieldType.string, values: ['<html><body>502 Bad Gateway</body></html>'] }],
    });
    const result = classifyFrames([html]);
    expect(result.profiles).toEqual([]);
    expect(result.gcFrames).toEqual([]);
    expect(result.unusable.map((u) => u.refId)).toEqual(['H']);
  });
});
