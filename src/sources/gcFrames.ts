/**
 * GC series from the frames a dashboard's data sources return:
 *  - Loki log frames, legacy (`labels` JSON per row, `Time`, `Line`, `tsNs`, `id`), Grafana 8
 *    style (`ts`/`line` with the stream labels on the line field) and dataplane
 *    (`meta.type = 'log-lines'`: `timestamp`, `body`, `labels`, `id`, `severity`);
 *  - any frame with plain text in a string field (a pasted log, a CSV column);
 *  - Prometheus frames of Go runtime metrics (`Time` + `Value`, labels on the value field, the
 *    metric in `labels.__name__`, the frame/field name or the executed query), mapped onto the
 *    GcRun columns whose meaning matches, as runs with source 'metrics'.
 * Series are kept apart per service and instance, read from the usual labels.
 */
import type { DataFrame, Field, Labels } from '@grafana/data';

import type { GcRun, GcTrace } from '../model/gc';
import { GcTraceBuilder, GcTraceOptions } from './gctrace';

export type GcFramesOptions = GcTraceOptions;

const SERVICE_LABELS = ['service_name', 'service', 'app', 'job'];
const INSTANCE_LABELS = ['instance', 'pod', 'host', 'hostname'];
/** A gctrace or scavenger line somewhere in the text (cheap pre-check, not the parser). */
const TRACE_HINT = /(?:^|[^\w])(?:gc #?\d+ @|scvg\d*: |scav \d)/m;
const HINT_ROWS = 20000;

function fieldByName(frame: DataFrame, names: string[], type?: string): Field | undefined {
  for (const name of names) {
    const f = frame.fields.find((x) => x.name === name && (!type || x.type === type));
    if (f) {
      return f;
    }
  }
  return undefined;
}

interface LogShape {
  time?: Field;
  tsNs?: Field;
  body: Field;
  labels?: Field;
}

/** The time / line / labels fields of a log frame, in any of the three Loki layouts. */
function logShape(frame: DataFrame): LogShape | null {
  if (frame.meta?.type === 'log-lines') {
    const body = fieldByName(frame, ['body'], 'string');
    const time = fieldByName(frame, ['timestamp'], 'time');
    return body && time ? { time, body, labels: fieldByName(frame, ['labels']) } : null;
  }
  const body = fieldByName(frame, ['Line', 'line'], 'string');
  const time = fieldByName(frame, ['Time', 'ts', 'timestamp'], 'time');
  if (!body || !time) {
    return null;
  }
  return { time, body, tsNs: fieldByName(frame, ['tsNs'], 'string'), labels: fieldByName(frame, ['labels']) };
}

function hasTraceText(values: ArrayLike<unknown>): boolean {
  const n = Math.min(values.length, HINT_ROWS);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v === 'string' && TRACE_HINT.test(v)) {
      return true;
    }
  }
  return false;
}

/** A log frame (any Loki layout) or a text frame whose lines hold gctrace or scavenger output. */
export function isGcLogFrame(frame: DataFrame): boolean {
  const shape = logShape(frame);
  if (shape) {
    return hasTraceText(shape.body.values);
  }
  return frame.fields.some((f) => f.type === 'string' && hasTraceText(f.values));
}

type MetricKind = 'pause' | 'heapInuse' | 'heapAlloc' | 'goal' | 'gogc' | 'cycles' | 'cyclesRate';

const METRICS: Array<[string, MetricKind]> = [
  ['go_gc_duration_seconds_count', 'cycles'],
  ['go_gc_duration_seconds', 'pause'],
  ['go_memstats_heap_inuse_bytes', 'heapInuse'],
  ['go_memstats_heap_alloc_bytes', 'heapAlloc'],
  ['go_memstats_next_gc_bytes', 'goal'],
  ['go_gc_gogc_percent', 'gogc'],
];

/** A frame value as a number; NaN for anything that is not a number, a numeric string or a bigint. */
function toNumber(v: unknown): number {
  return typeof v === 'number' ? v : typeof v === 'string' || typeof v === 'bigint' ? Number(v) : NaN;
}

function metricOf(name: unknown): MetricKind | null {
  if (typeof name !== 'string' || !name) {
    return null;
  }
  for (const [metric, kind] of METRICS) {
    if (name === metric || (name.includes(metric) && !name.includes(`${metric}_`))) {
      // go_gc_duration_seconds must not claim go_gc_duration_seconds_count/_sum
      return kind;
    }
  }
  return null;
}

interface MetricSeries {
  kind: MetricKind;
  labels: Labels;
  time: Field;
  value: Field;
}

/** The Go runtime metric series in a frame (one per number field), or none. */
function metricSeries(frame: DataFrame): MetricSeries[] {
  const time = frame.fields.find((f) => f.type === 'time');
  if (!time) {
    return [];
  }
  const query = typeof frame.meta?.executedQueryString === 'string' ? frame.meta.executedQueryString : '';
  const out: MetricSeries[] = [];
  for (const value of frame.fields) {
    if (value.type !== 'number') {
      continue;
    }
    const labels = value.labels ?? {};
    const byLabel = metricOf(labels.__name__);
    let kind =
      byLabel ??
      metricOf(value.config?.displayNameFromDS) ??
      metricOf(frame.name) ??
      metricOf(value.name) ??
      metricOf(query);
    if (!kind) {
      continue;
    }
    // Prometheus drops __name__ from rate(); a named count series is the raw counter.
    if (
      kind === 'cycles' &&
      !byLabel &&
      /\b(?:i?rate)\s*\(/.test(`${query} ${frame.name ?? ''} ${value.config?.displayNameFromDS ?? ''}`)
    ) {
      kind = 'cyclesRate';
    }
    out.push({ kind, labels, time, value });
  }
  return out;
}

/** A frame of Go runtime metrics (go_gc_duration_seconds, go_memstats_*, go_gc_gogc_percent). */
export function isGoMetricsFrame(frame: DataFrame): boolean {
  return !logShape(frame) && metricSeries(frame).length > 0;
}

function toLabels(v: unknown): Labels | undefined {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    return v as Labels;
  }
  if (typeof v === 'string' && v.startsWith('{')) {
    try {
      const o: unknown = JSON.parse(v);
      return o && typeof o === 'object' && !Array.isArray(o) ? (o as Labels) : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function pick(labels: Labels | undefined, names: string[]): string | undefined {
  if (!labels) {
    return undefined;
  }
  for (const n of names) {
    const v = labels[n];
    if (typeof v === 'string' && v !== '') {
      return v;
    }
  }
  return undefined;
}

function serviceOf(labels: Labels | undefined, fallback: string): string {
  const svc = pick(labels, SERVICE_LABELS);
  if (!svc) {
    return fallback;
  }
  const ns = pick(labels, ['service_namespace']);
  return ns ? `${ns}/${svc}` : svc;
}

interface Row {
  t: number;
  frame: number;
  row: number;
}

export function gcTraceFromFrames(frames: DataFrame[], opts: GcFramesOptions = {}): GcTrace {
  const builder = new GcTraceBuilder(opts);
  const defService = opts.service ?? '';
  const defInstance = opts.instance ?? '';
  const logs: Array<{ shape: LogShape; frameLabels?: Labels }> = [];
  const rows: Row[] = [];
  const metrics: MetricSeries[] = [];

  for (const frame of frames) {
    const shape = logShape(frame);
    if (shape) {
      const f = logs.length;
      logs.push({ shape, frameLabels: shape.body.labels });
      const n = shape.body.values.length;
      const times = shape.time?.values ?? [];
      const ns = shape.tsNs?.values;
      // Loki answers newest first by default: walk such a frame backwards so equal
      // timestamps keep their written order after the stable sort below.
      const backward = n > 1 && toNumber(times[0]) > toNumber(times[n - 1]);
      for (let k = 0; k < n; k++) {
        const i = backward ? n - 1 - k : k;
        const nsv = ns ? toNumber(ns[i]) : NaN;
        const t = Number.isFinite(nsv) && nsv > 0 ? nsv / 1e6 : toNumber(times[i]);
        rows.push({ t: Number.isFinite(t) ? t : NaN, frame: f, row: i });
      }
      continue;
    }
    const series = metricSeries(frame);
    if (series.length > 0) {
      metrics.push(...series);
      continue;
    }
    // Plain text: every string field, each value possibly many lines, no log timestamps.
    for (const field of frame.fields) {
      if (field.type !== 'string' || !hasTraceText(field.values)) {
        continue;
      }
      const svc = serviceOf(field.labels, defService);
      const inst = pick(field.labels, INSTANCE_LABELS) ?? defInstance;
      for (const v of field.values) {
        if (typeof v === 'string') {
          builder.addText(v, svc, inst);
        }
      }
    }
  }

  let sorted = true;
  for (let i = 1; i < rows.length && sorted; i++) {
    sorted = !(rows[i].t < rows[i - 1].t);
  }
  if (!sorted) {
    // Stable: rows without a time go first, equal times keep their order.
    rows.sort((a, b) => {
      const x = a.t === a.t ? a.t : -Infinity;
      const y = b.t === b.t ? b.t : -Infinity;
      return x < y ? -1 : x > y ? 1 : 0;
    });
  }
  for (const { t, frame, row } of rows) {
    const { shape, frameLabels } = logs[frame];
    const line = shape.body.values[row];
    const labels = toLabels(shape.labels?.values[row]) ?? frameLabels;
    builder.addLine(
      typeof line === 'string' ? line : '',
      t === t ? t : undefined,
      serviceOf(labels, defService),
      pick(labels, INSTANCE_LABELS) ?? defInstance
    );
  }

  const trace = builder.finish();
  trace.runs.push(...metricRuns(metrics, defService, defInstance));
  return trace;
}

/** One 'metrics' run per service/instance: the union of the sample times, NaN where a series has none. */
function metricRuns(series: MetricSeries[], defService: string, defInstance: string): GcRun[] {
  const groups = new Map<string, { service: string; instance: string; series: MetricSeries[] }>();
  for (const s of series) {
    const service = serviceOf(s.labels, defService);
    const instance = pick(s.labels, INSTANCE_LABELS) ?? defInstance;
    const key = `${service}\u0000${instance}`;
    const g = groups.get(key);
    if (g) {
      g.series.push(s);
    } else {
      groups.set(key, { service, instance, series: [s] });
    }
  }
  const runs: GcRun[] = [];
  for (const { service, instance, series: list } of groups.values()) {
    const timeSet = new Set<number>();
    for (const s of list) {
      for (const t of s.time.values) {
        const v = toNumber(t);
        if (Number.isFinite(v)) {
          timeSet.add(v);
        }
      }
    }
    const times = Float64Array.from(timeSet).sort();
    const n = times.length;
    if (n === 0) {
      continue;
    }
    const index = new Map<number, number>();
    times.forEach((t, i) => index.set(t, i));
    const nan = () => new Float64Array(n).fill(NaN);
    const cols: Record<'pause' | 'heapInuse' | 'heapAlloc' | 'goal' | 'gogc' | 'cycles', Float64Array> = {
      pause: nan(),
      heapInuse: nan(),
      heapAlloc: nan(),
      goal: nan(),
      gogc: nan(),
      cycles: nan(),
    };
    // The summary's quantiles are separate series: keep the highest (the max pause when q=1).
    let pauseQ = -Infinity;
    for (const s of list) {
      if (s.kind === 'pause') {
        const q = toNumber(s.labels.quantile ?? 1);
        if (q > pauseQ) {
          pauseQ = q;
        }
      }
    }
    for (const s of list) {
      if (s.kind === 'pause' && toNumber(s.labels.quantile ?? 1) !== pauseQ) {
        continue;
      }
      const tv = s.time.values;
      const vv = s.value.values;
      if (s.kind === 'cycles') {
        // Raw counter: the rate between samples, skipping resets (a restart starts from 0).
        let prevT = NaN;
        let prevV = NaN;
        for (let i = 0; i < tv.length; i++) {
          const t = toNumber(tv[i]);
          const v = toNumber(vv[i]);
          if (v >= prevV && t > prevT) {
            cols.cycles[index.get(t)!] = ((v - prevV) * 1000) / (t - prevT);
          }
          prevT = t;
          prevV = v;
        }
        continue;
      }
      const col = s.kind === 'cyclesRate' ? cols.cycles : cols[s.kind];
      const scale = s.kind === 'pause' ? 1000 : 1;
      for (let i = 0; i < tv.length; i++) {
        const at = index.get(toNumber(tv[i]));
        const v = vv[i];
        if (at !== undefined && typeof v === 'number') {
          col[at] = v * scale;
        }
      }
    }
    const used = (k: keyof typeof cols) =>
      list.some((s) => s.kind === k || (k === 'cycles' && s.kind === 'cyclesRate'));
    runs.push({
      service,
      instance,
      source: 'metrics',
      startMs: times[0],
      count: n,
      timeMs: times,
      cycle: nan(),
      sinceStartS: nan(),
      cpuPercent: nan(),
      stwSweepTermMs: nan(),
      concurrentMarkMs: nan(),
      stwMarkTermMs: nan(),
      cpuSweepTermMs: nan(),
      cpuMarkTermMs: nan(),
      cpuAssistMs: nan(),
      cpuBackgroundMs: nan(),
      cpuIdleMs: nan(),
      heapStartBytes: nan(),
      heapEndBytes: nan(),
      heapLiveBytes: nan(),
      heapGoalBytes: cols.goal,
      stacksBytes: nan(),
      globalsBytes: nan(),
      procs: nan(),
      forced: new Uint8Array(n),
      pauseMs: used('pause') ? cols.pause : undefined,
      cyclesPerSecond: used('cycles') ? cols.cycles : undefined,
      heapInuseBytes: used('heapInuse') ? cols.heapInuse : undefined,
      heapAllocBytes: used('heapAlloc') ? cols.heapAlloc : undefined,
      gogcPercent: used('gogc') ? cols.gogc : undefined,
    });
  }
  return runs;
}
