/** @jest-environment node */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import type { DataFrame, DataFrameType, FieldType } from '@grafana/data';

import { gcFindings } from '../transforms/gcFindings';
import { gcTraceFromFrames, isGcLogFrame, isGoMetricsFrame } from './gcFrames';
import { parseGcTrace } from './gctrace';

// @grafana/data needs a browser at runtime; its enums are these strings.
const FT = { time: 'time', string: 'string', number: 'number', other: 'other' } as unknown as Record<
  'time' | 'string' | 'number' | 'other',
  FieldType
>;
const DFT = { LogLines: 'log-lines', TimeSeriesMulti: 'timeseries-multi' } as unknown as Record<
  'LogLines' | 'TimeSeriesMulti',
  DataFrameType
>;

const FIXTURES = resolve(__dirname, '..', '..', '..', 'shared', 'fixtures');

interface Entry {
  tsNs: string;
  line: string;
}

function checkout(): Entry[] {
  return readFileSync(resolve(FIXTURES, 'go-checkout', 'gctrace.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l)
    .map((l) => {
      // Keep the nanoseconds exact, as Loki's tsNs string does.
      const ts = /"ts_ns":\s*(\d+)/.exec(l)![1];
      return { tsNs: ts, line: (JSON.parse(l) as { line: string }).line };
    });
}

/**
 * A Loki log frame as the Loki data source returns it (public/app/plugins/datasource/loki/mocks/frames.ts):
 * labels (other, one object per row), Time (ms), Line, tsNs (string), id; newest row first
 * (Loki's default direction is backward).
 */
function lokiLegacyFrame(entries: Entry[], labels: Record<string, string>): DataFrame {
  const rows = entries.slice().reverse();
  return {
    refId: 'A',
    meta: { custom: { frameType: 'LabeledTimeValues' } },
    fields: [
      { name: 'labels', type: FT.other, config: {}, values: rows.map(() => ({ ...labels })) },
      { name: 'Time', type: FT.time, config: {}, values: rows.map((r) => Math.floor(Number(r.tsNs) / 1e6)) },
      { name: 'Line', type: FT.string, config: {}, values: rows.map((r) => r.line) },
      { name: 'tsNs', type: FT.string, config: {}, values: rows.map((r) => r.tsNs) },
      { name: 'id', type: FT.string, config: {}, values: rows.map((r, i) => `${r.tsNs}_${i}`) },
    ],
    length: rows.length,
  };
}

/** The dataplane log frame (public/app/features/logs/logsFrame.test.ts): timestamp, body, labels, id, severity. */
function lokiDataplaneFrame(entries: Entry[], labels: Record<string, string>): DataFrame {
  return {
    refId: 'A',
    meta: { type: DFT.LogLines },
    fields: [
      { name: 'id', type: FT.string, config: {}, values: entries.map((r, i) => `id${i}`) },
      { name: 'body', type: FT.string, config: {}, values: entries.map((r) => r.line) },
      { name: 'labels', type: FT.other, config: {}, values: entries.map(() => labels) },
      { name: 'severity', type: FT.string, config: {}, values: entries.map(() => 'info') },
      { name: 'timestamp', type: FT.time, config: {}, values: entries.map((r) => Number(r.tsNs) / 1e6) },
    ],
    length: entries.length,
  };
}

/** A Prometheus range-query frame (pkg/promlib/converter/testdata/prom-matrix-frame.jsonc). */
function promFrame(
  labels: Record<string, string>,
  times: number[],
  values: number[],
  extra: Partial<DataFrame> = {}
): DataFrame {
  return {
    refId: 'B',
    meta: { type: DFT.TimeSeriesMulti, custom: { resultType: 'matrix' } },
    fields: [
      { name: 'Time', type: FT.time, config: { interval: 15000 }, values: times },
      { name: 'Value', type: FT.number, config: {}, values, labels },
    ],
    length: times.length,
    ...extra,
  };
}

describe('Loki log frames', () => {
  const entries = checkout();
  const reference = parseGcTrace(entries.map((e) => ({ line: e.line, timeMs: Number(e.tsNs) / 1e6 })));

  it('reads the legacy layout, newest row first, into the same cycles as the raw log', () => {
    const frame = lokiLegacyFrame(entries, { service_name: 'checkout', instance: 'pod-1', level: 'info' });
    expect(isGcLogFrame(frame)).toBe(true);
    expect(isGoMetricsFrame(frame)).toBe(false);
    const trace = gcTraceFromFrames([frame]);
    expect(trace.unparsed).toBe(0);
    expect(trace.skipped).toBe(4);
    expect(trace.runs).toHaveLength(1);
    const run = trace.runs[0];
    expect([run.service, run.instance, run.source]).toEqual(['checkout', 'pod-1', 'gctrace']);
    expect(run.count).toBe(510);
    expect(Array.from(run.heapLiveBytes)).toEqual(Array.from(reference.runs[0].heapLiveBytes));
    expect(run.startMs).toBeCloseTo(reference.runs[0].startMs, 3);
    // The findings come through frames too.
    expect(gcFindings(trace).some((f) => f.kind === 'thrashing')).toBe(true);
  });

  it('reads the dataplane layout and keeps instances apart', () => {
    const half = entries.slice(0, 200);
    const frames = [
      lokiDataplaneFrame(half, { service_name: 'checkout', service_namespace: 'shop', instance: 'a' }),
      lokiDataplaneFrame(half, { service_name: 'checkout', service_namespace: 'shop', instance: 'b' }),
    ];
    expect(frames.every(isGcLogFrame)).toBe(true);
    const trace = gcTraceFromFrames(frames);
    expect(trace.runs.map((r) => [r.service, r.instance, r.count])).toEqual([
      ['shop/checkout', 'a', 199],
      ['shop/checkout', 'b', 199],
    ]);
    // The same line twice in one series would be dropped; in two series it is two cycles.
    expect(trace.skipped).toBe(2);
  });

  it('reads labels given as JSON text and on the line field (Grafana 8 frames)', () => {
    const part = entries.slice(1, 11);
    const g8: DataFrame = {
      fields: [
        { name: 'ts', type: FT.time, config: {}, values: part.map((r) => Number(r.tsNs) / 1e6) },
        {
          name: 'line',
          type: FT.string,
          config: {},
          values: part.map((r) => r.line),
          labels: { app: 'cart', pod: 'p1' },
        },
      ],
      length: part.length,
    };
    const json = lokiLegacyFrame(part, {});
    json.fields[0].values = part.map(() => '{"job":"shop/api","instance":"i9"}');
    const trace = gcTraceFromFrames([g8, json]);
    expect(trace.runs.map((r) => [r.service, r.instance, r.count])).toEqual([
      ['cart', 'p1', 10],
      ['shop/api', 'i9', 10],
    ]);
  });

  it('does not take unrelated logs for a GC trace', () => {
    const frame = lokiLegacyFrame(
      [
        { tsNs: '1000000', line: 'GET /health 200' },
        { tsNs: '2000000', line: 'debug gc settings loaded' },
      ],
      { service_name: 'x' }
    );
    expect(isGcLogFrame(frame)).toBe(false);
  });
});

describe('plain text frames', () => {
  it('reads a text blob in a string field (e.g. TestData csv_content) with the caller base time', () => {
    const text = readFileSync(resolve(FIXTURES, 'public', 'tebeka-map.gctrace.txt'), 'utf8');
    const frame: DataFrame = {
      fields: [{ name: 'log', type: FT.string, config: {}, values: [text] }],
      length: 1,
    };
    expect(isGcLogFrame(frame)).toBe(true);
    expect(isGoMetricsFrame(frame)).toBe(false);
    const trace = gcTraceFromFrames([frame], { baseTimeMs: 5000, service: 'map' });
    expect(trace.runs.map((r) => r.count)).toEqual([18, 2, 2, 73]);
    expect(trace.runs[0].service).toBe('map');
    expect(trace.runs[0].startMs).toBe(5000);
    expect(trace.skipped).toBe(2);
  });
});

describe('Prometheus Go runtime metric frames', () => {
  const t = [0, 15000, 30000, 45000].map((x) => x + 1_700_000_000_000);
  const base = { job: 'checkout', instance: '10.0.0.1:8080' };
  const frames = [
    promFrame(
      { __name__: 'go_gc_duration_seconds', quantile: '0.5', ...base },
      t,
      [0.00005, 0.00006, 0.00005, 0.00007]
    ),
    promFrame({ __name__: 'go_gc_duration_seconds', quantile: '1', ...base }, t, [0.0002, 0.0003, 0.00008, 0.004]),
    promFrame({ __name__: 'go_memstats_heap_inuse_bytes', ...base }, t, [10e6, 12e6, 11e6, 13e6]),
    promFrame({ __name__: 'go_memstats_heap_alloc_bytes', ...base }, t, [8e6, 9e6, 8e6, 10e6]),
    promFrame({ __name__: 'go_memstats_next_gc_bytes', ...base }, t, [16e6, 16e6, 18e6, 18e6]),
    promFrame({ __name__: 'go_gc_gogc_percent', ...base }, t, [100, 100, 100, 100]),
    // rate() drops __name__: the metric is only in the executed query.
    promFrame(base, t, [0.5, 3, 4, 0.2], {
      meta: {
        type: DFT.TimeSeriesMulti,
        executedQueryString: 'Expr: rate(go_gc_duration_seconds_count[1m])\nStep: 15s',
      },
    }),
    promFrame({ __name__: 'go_goroutines', ...base }, t, [10, 10, 10, 10]),
  ];

  it('recognises the metrics and maps them where the meaning matches', () => {
    expect(frames.slice(0, 7).every(isGoMetricsFrame)).toBe(true);
    expect(isGoMetricsFrame(frames[7])).toBe(false);
    expect(isGcLogFrame(frames[0])).toBe(false);
    const trace = gcTraceFromFrames(frames);
    expect(trace.runs).toHaveLength(1);
    const run = trace.runs[0];
    expect([run.source, run.service, run.instance, run.count]).toEqual(['metrics', 'checkout', '10.0.0.1:8080', 4]);
    expect(Array.from(run.timeMs)).toEqual(t);
    expect(Array.from(run.pauseMs!)).toEqual([0.2, 0.3, 0.08, 4]); // the highest quantile, in ms
    expect(Array.from(run.heapInuseBytes!)).toEqual([10e6, 12e6, 11e6, 13e6]);
    expect(Array.from(run.heapAllocBytes!)).toEqual([8e6, 9e6, 8e6, 10e6]);
    expect(Array.from(run.heapGoalBytes)).toEqual([16e6, 16e6, 18e6, 18e6]);
    expect(Array.from(run.gogcPercent!)).toEqual([100, 100, 100, 100]);
    expect(Array.from(run.cyclesPerSecond!)).toEqual([0.5, 3, 4, 0.2]);
    expect(Number.isNaN(run.heapLiveBytes[0])).toBe(true);
    const kinds = gcFindings(trace).map((f) => f.kind);
    expect(kinds).toContain('stw');
    expect(kinds).toContain('thrashing');
  });

  it('turns a raw cycle counter into a rate, across a reset', () => {
    const trace = gcTraceFromFrames([
      promFrame({ __name__: 'go_gc_duration_seconds_count', ...base }, t, [100, 130, 4, 64]),
    ]);
    const rate = Array.from(trace.runs[0].cyclesPerSecond!);
    expect(Number.isNaN(rate[0])).toBe(true);
    expect(rate[1]).toBeCloseTo(2, 12);
    expect(Number.isNaN(rate[2])).toBe(true);
    expect(rate[3]).toBeCloseTo(4, 12);
  });

  it('takes the metric name from the frame name when there is no __name__', () => {
    const frame = promFrame({ instance: 'x' }, t, [1, 2, 3, 4], { name: 'go_memstats_next_gc_bytes' });
    const run = gcTraceFromFrames([frame], { service: 'svc' }).runs[0];
    expect(run.service).toBe('svc');
    expect(Array.from(run.heapGoalBytes)).toEqual([1, 2, 3, 4]);
  });
});

describe('bad frames', () => {
  it('ignores frames with no usable fields and odd values without throwing', () => {
    const odd: DataFrame = {
      fields: [
        { name: 'Time', type: FT.time, config: {}, values: [null, 'x', 5] },
        { name: 'Line', type: FT.string, config: {}, values: [null, 42, 'gc 1 @0.0s garbage'] },
        { name: 'labels', type: FT.other, config: {}, values: ['{not json', [], null] },
      ],
      length: 3,
    };
    const trace = gcTraceFromFrames([{ fields: [], length: 0 }, odd]);
    expect(trace.runs).toHaveLength(0);
    expect(trace.unparsed).toBe(1);
    expect(trace.skipped).toBe(2);
  });
});

describe('gcTraceFromFrames on malformed frames (found by fuzzing)', () => {
  it('a frame named by a number is not a metric, not a crash', () => {
    const frame = {
      name: 7,
      length: 1,
      fields: [
        { name: 'Time', type: FT.time, config: {}, values: [1] },
        { name: 'Time', type: FT.number, config: {}, values: [] },
      ],
    } as unknown as DataFrame;
    expect(() => gcTraceFromFrames([frame])).not.toThrow();
  });

  it('a time value without a primitive form is skipped', () => {
    const odd = Object.create(null);
    const frame: DataFrame = {
      length: 2,
      fields: [
        { name: 'Time', type: FT.time, config: {}, values: [odd, 2000] },
        { name: 'Line', type: FT.string, config: {}, values: ['gc 1 @0.018s 1%: 0.045+1.2+0.002 ms clock, 0.091+0.093/0.22/0+0.005 ms cpu, 3->4->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P', 'gc 2 @0.025s 1%: 0.088+0.47+0.001 ms clock, 0.17+0.050/0.072/0+0.003 ms cpu, 3->4->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P'] },
      ],
    };
    const trace = gcTraceFromFrames([frame]);
    expect(trace.runs.reduce((n, r) => n + r.count, 0)).toBe(2);
  });
});
