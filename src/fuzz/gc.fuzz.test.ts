/** @jest-environment node */
/**
 * The GC side: parseGcTraceText and parseGcTrace on random gctrace-like text and on mutations of
 * the real logs, gcTraceFromFrames and classifyFrames on random and mutated data frames, and the
 * GC findings on whatever comes out. None of these may throw at all: bad lines are counted.
 */
import type { DataFrame, Field, FieldType } from '@grafana/data';
import fc from 'fast-check';

import { GC_CYCLE_VALUES, GcTrace } from '../model/gc';
import { classifyFrames } from '../sources/frames';
import { gcTraceFromFrames, isGcLogFrame, isGoMetricsFrame } from '../sources/gcFrames';
import { GcLogLine, parseGcTrace, parseGcTraceText } from '../sources/gctrace';
import { gcDerived, gcFindings } from '../transforms/gcFindings';
import { FUZZ_SEED, FuzzStats, fixtureText, runs } from './fuzzKit';
import { mutateText, Op } from './mutate';

const stats = new FuzzStats('gc');
afterAll(() => stats.report());

const COLUMNS = [...GC_CYCLE_VALUES, 'forced'] as const;

function checkTrace(trace: GcTrace): void {
  if (!Array.isArray(trace.runs) || !Array.isArray(trace.scavenger)) {
    stats.fail('runs / scavenger missing');
  }
  for (const run of trace.runs) {
    if (!(run.count >= 0)) {
      stats.fail(`run count ${run.count}`);
    }
    for (const c of COLUMNS) {
      if (run[c].length !== run.count) {
        stats.fail(`run ${run.service}/${run.instance}: ${c} has ${run[c].length} values, count ${run.count}`);
      }
    }
    gcDerived(run);
  }
  gcFindings(trace);
}

function checkText(text: string, baseTimeMs: number): void {
  stats.call(1000, () => checkTrace(parseGcTraceText(text, { baseTimeMs })));
}

function checkLines(lines: GcLogLine[]): void {
  stats.call(1000, () => checkTrace(parseGcTrace(lines)));
}

function checkFrames(frames: DataFrame[]): void {
  stats.call(1000, () => {
    const classified = classifyFrames(frames);
    for (const f of frames) {
      isGcLogFrame(f);
      isGoMetricsFrame(f);
    }
    checkTrace(gcTraceFromFrames(frames, { baseTimeMs: 0 }));
    checkTrace(gcTraceFromFrames(classified.gcFrames));
  });
}

const TOKENS = [
  'gc ',
  'gc #',
  '@',
  's ',
  '%: ',
  '+',
  '/',
  ' ms clock, ',
  ' ms cpu, ',
  '->',
  ' MB, ',
  ' MB goal, ',
  ' MB stacks, ',
  ' MB globals, ',
  ' P',
  ' (forced)',
  'scvg',
  ': inuse: ',
  ', idle: ',
  ', sys: ',
  ', released: ',
  ', consumed: ',
  ' (MB)',
  ': ',
  ' MB released',
  'scav ',
  ' KiB work',
  ' KiB total',
  '% util',
  '\n',
  '\n',
  '\r\n',
  '0',
  '1',
  '7',
  '12',
  '0.5',
  '.',
  '-',
  'e9',
  ' ',
  '#',
  '99999999999999999999999',
  'NaN',
  'é',
];
const traceText = fc.array(fc.constantFrom(...TOKENS), { maxLength: 120 }).map((t) => t.join(''));
/** A real cycle line with its numbers replaced: keeps the shape the parser recognises. */
const cycleLine = fc
  .array(fc.oneof(fc.nat(1e6), fc.constantFrom(0, 1e21, 2 ** 53 + 1, -1)), { minLength: 16, maxLength: 16 })
  .map(
    (n) =>
      `gc ${n[0]} @${n[1]}.${n[2]}s ${n[3]}%: ${n[4]}+${n[5]}+${n[6]} ms clock, ${n[7]}+${n[8]}/${n[9]}/${n[10]}+${n[11]} ms cpu, ` +
      `${n[12]}->${n[13]}->${n[14]} MB, ${n[15]} MB goal, 0 MB stacks, 0 MB globals, ${n[3]} P${n[0] % 2 ? ' (forced)' : ''}`
  );
const WEIRD_TIMES = [NaN, Infinity, -Infinity, -1, 0, 1e300, 1.7e12, undefined];
const time = fc.oneof(fc.constantFrom(...WEIRD_TIMES), fc.integer({ min: 1.7e12, max: 1.7e12 + 1e7 }));
const logLine = fc.record({
  line: fc.oneof(
    { weight: 3, arbitrary: fc.oneof(traceText, cycleLine) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>(null, 5, {}) }
  ),
  timeMs: time,
  service: fc.option(fc.constantFrom('checkout', '', 'a/b'), { nil: undefined }),
  instance: fc.option(fc.constantFrom('i-1', ''), { nil: undefined }),
}) as fc.Arbitrary<GcLogLine>;

// Frames: Loki layouts, Prometheus metrics, text, and anything in between.
const FIELD_NAMES = [
  'Time',
  'Line',
  'line',
  'tsNs',
  'labels',
  'id',
  'ts',
  'timestamp',
  'body',
  'severity',
  'Value',
  'value',
  'level',
  'self',
  'label',
  'go_gc_duration_seconds',
  'x',
];
const FIELD_TYPES = ['time', 'string', 'number', 'other', 'boolean', 'enum'];
const WEIRD: unknown[] = [
  null,
  undefined,
  NaN,
  -1,
  '',
  '{',
  '{"service_name":"a"}',
  '{"a":',
  {},
  [],
  true,
  BigInt(12),
  'gc 1 @',
];
const value = fc.oneof(
  { weight: 3, arbitrary: fc.oneof(traceText, cycleLine) },
  { weight: 2, arbitrary: time },
  { weight: 1, arbitrary: fc.constantFrom(...WEIRD) },
  {
    weight: 1,
    arbitrary: fc.dictionary(
      fc.constantFrom('service_name', 'instance', '__name__', 'job', 'service_namespace'),
      fc.oneof(
        fc.constantFrom('checkout', 'go_gc_duration_seconds', 'go_memstats_next_gc_bytes'),
        fc.constantFrom(...WEIRD)
      ),
      { noNullPrototype: true }
    ),
  }
);
/**
 * `strict`: frames as @grafana/data types them (string names, string label values); otherwise any
 * JSON-ish value anywhere, as a raw_frame query or a careless data source can send.
 */
const labels = (strict: boolean) =>
  fc.option(
    fc.dictionary(
      fc.constantFrom('service_name', 'instance', '__name__', 'quantile', 'job'),
      fc.oneof(
        fc.constantFrom(
          'checkout',
          'go_gc_duration_seconds',
          'go_gc_duration_seconds_count',
          'go_memstats_heap_inuse_bytes',
          '0.5'
        ),
        strict ? fc.constantFrom('', '{', 'NaN') : fc.constantFrom(...WEIRD)
      ),
      { noNullPrototype: true }
    ),
    { nil: undefined }
  );
const frame = (strict: boolean) =>
  fc.nat(12).chain((rows) =>
    fc.record({
      name: fc.option(
        fc.constantFrom<unknown>(
          'go_gc_duration_seconds',
          'rate(go_gc_duration_seconds_count[1m])',
          'logs',
          strict ? '' : 7
        ),
        { nil: undefined }
      ),
      refId: fc.option(fc.constantFrom('A', 'B'), { nil: undefined }),
      metaType: fc.option(fc.constantFrom<unknown>('log-lines', 'timeseries-multi', strict ? '' : 3), {
        nil: undefined,
      }),
      query: fc.option(
        fc.constantFrom<unknown>('rate(go_gc_duration_seconds_count[5m])', '{job="x"}', strict ? '' : null),
        { nil: undefined }
      ),
      fields: fc.array(
        fc.record({
          name: fc.constantFrom(...FIELD_NAMES),
          type: fc.constantFrom(...FIELD_TYPES),
          labels: labels(strict),
          display: fc.option(fc.constantFrom<unknown>('go_memstats_heap_alloc_bytes', strict ? '' : 3), {
            nil: undefined,
          }),
          values: fc.oneof(
            { weight: 6, arbitrary: fc.array(value, { minLength: rows, maxLength: rows }) },
            { weight: 1, arbitrary: fc.array(value, { maxLength: rows + 3 }) }
          ),
        }),
        { maxLength: 6 }
      ),
    })
  );
type RandomFrame = ReturnType<typeof frame> extends fc.Arbitrary<infer T> ? T : never;

function toFrame(r: RandomFrame): DataFrame {
  return {
    name: r.name as string,
    refId: r.refId,
    length: r.fields[0]?.values.length ?? 0,
    meta:
      r.metaType !== undefined || r.query !== undefined
        ? { type: r.metaType as never, executedQueryString: r.query as string }
        : undefined,
    fields: r.fields.map((f): Field => ({
      name: f.name,
      type: f.type as FieldType,
      labels: f.labels as Record<string, string>,
      config: f.display !== undefined ? { displayNameFromDS: f.display as string } : {},
      values: f.values,
    })),
  };
}

// The real logs.
const jsonl = fixtureText('go-checkout/gctrace.jsonl')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as { ts_ns: number; line: string });
const texts = [fixtureText('public/tebeka-map.gctrace.txt'), fixtureText('public/go-gcstats-go15.gctrace.txt')];
const ALPHABET = TOKENS.join('') + '0123456789';
const op = fc.tuple(fc.nat(1 << 16), fc.nat(), fc.nat()) as fc.Arbitrary<Op>;
const ops = fc.array(op, { minLength: 1, maxLength: 5 });

/** A window of the JSON-lines log with its lines and timestamps mutated. */
function mutatedLog(from: number, ops: Op[], timeOps: number[]): GcLogLine[] {
  const start = from % jsonl.length;
  const window = jsonl.slice(start, start + 60);
  const text = mutateText(window.map((l) => l.line).join('\n'), ops, ALPHABET);
  return text.split('\n').map((line, i) => {
    const t = timeOps[i % Math.max(1, timeOps.length)] ?? 0;
    const ns = window[i % window.length].ts_ns;
    return {
      line,
      timeMs: t % 5 === 0 ? WEIRD_TIMES[t % WEIRD_TIMES.length] : ns / 1e6 - (t % 3) * 1e3,
      service: t % 7 === 0 ? 'b' : 'checkout',
    };
  });
}

describe('GC trace fuzz', () => {
  it('parseGcTraceText on random gctrace-like text', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(traceText, cycleLine), { maxLength: 8 }), time, (lines, t) =>
        checkText(lines.join('\n'), t ?? 0)
      ),
      { seed: FUZZ_SEED, numRuns: runs(30000) }
    );
  });

  it('parseGcTrace on random log lines (odd timestamps, series, non-string lines)', () => {
    fc.assert(fc.property(fc.array(logLine, { maxLength: 20 }), checkLines), { seed: FUZZ_SEED, numRuns: runs(20000) });
  });

  it('mutations of the real logs, as lines with timestamps and as text', () => {
    fc.assert(
      fc.property(fc.nat(), ops, fc.array(fc.nat(), { maxLength: 8 }), fc.nat(), (from, o, times, k) => {
        checkLines(mutatedLog(from, o, times));
        const text = texts[k % texts.length];
        const at = from % text.length;
        checkText(mutateText(text.slice(at, at + 3000), o, ALPHABET), 1.7e12);
      }),
      { seed: FUZZ_SEED, numRuns: runs(8000) }
    );
  });

  it('gcTraceFromFrames and classifyFrames on random frames', () => {
    fc.assert(
      fc.property(fc.array(frame(true), { maxLength: 4 }), (frames) => checkFrames(frames.map(toFrame))),
      { seed: FUZZ_SEED, numRuns: runs(15000) }
    );
  });

  it('classifyFrames on frames with anything anywhere (what the panel reads first)', () => {
    const junk = fc.constantFrom<unknown>(
      null,
      undefined,
      3,
      'frame',
      {},
      { fields: null },
      { fields: [null] },
      { fields: [{ values: null }] }
    );
    fc.assert(
      fc.property(
        fc.array(fc.oneof({ weight: 4, arbitrary: frame(false).map(toFrame) }, { weight: 1, arbitrary: junk }), {
          maxLength: 4,
        }),
        (frames) =>
          stats.call(1000, () => {
            const c = classifyFrames(frames as DataFrame[]);
            if (c.profiles.length + c.gcFrames.length + c.unusable.length > frames.length * 64) {
              stats.fail('more results than frames');
            }
          })
      ),
      { seed: FUZZ_SEED, numRuns: runs(15000) }
    );
  });

  it('Loki frames (both layouts) of the mutated real log', () => {
    fc.assert(
      fc.property(fc.nat(), ops, fc.array(fc.nat(), { maxLength: 8 }), fc.boolean(), (from, o, times, dataplane) => {
        const lines = mutatedLog(from, o, times);
        const t = lines.map((l) => l.timeMs);
        const body = lines.map((l) => l.line);
        const labels = lines.map((l, i) => (i % 5 === 4 ? '{"bad json' : JSON.stringify({ service_name: l.service })));
        const f = (name: string, type: string, values: unknown[]): Field => ({
          name,
          type: type as FieldType,
          config: {},
          values,
        });
        const loki: DataFrame = dataplane
          ? {
              length: t.length,
              meta: { type: 'log-lines' as never },
              fields: [f('timestamp', 'time', t), f('body', 'string', body), f('labels', 'other', labels)],
            }
          : {
              length: t.length,
              fields: [
                f('labels', 'other', labels),
                f('Time', 'time', t),
                f('Line', 'string', body),
                f(
                  'tsNs',
                  'string',
                  t.map((x) => String(Number(x) * 1e6))
                ),
              ],
            };
        checkFrames([loki]);
      }),
      { seed: FUZZ_SEED, numRuns: runs(4000) }
    );
  });
});
