/**
 * The four GC charts' data in uPlot's aligned layout: one shared time axis (ms) for every series
 * of every run. A series has `undefined` where another series has a point (uPlot spans those) and
 * `null` between two runs of the same process series (a restart), so runs are never joined.
 */
import type { GcRun, GcTrace } from '../../model/gc';
import { gcDerived } from '../../transforms/gcFindings';

export type ChartId = 'pause' | 'heap' | 'cpu' | 'rate';
export type ValueUnit = 'ms' | 'bytes' | 'percent' | 'perSecond';
export type Value = number | null | undefined;

export interface ChartSeries {
  label: string;
  /** For narrow panels (legend). */
  short: string;
  /** Theme colour name (resolved by the view). */
  color: string;
  /** Series key index (service/instance), for colour variation and tooltips. */
  key: number;
  dashed?: boolean;
  values: Value[];
}

export interface ChartSpec {
  id: ChartId;
  title: string;
  short: string;
  unit: ValueUnit;
  series: ChartSeries[];
}

export interface GcChartData {
  x: number[];
  /** Per x: `gc N` of the first series key having a cycle there (for the tooltip), else undefined. */
  cycle: Value[];
  keys: string[];
  charts: ChartSpec[];
}

interface Column {
  chart: ChartId;
  label: string;
  short: string;
  color: string;
  dashed?: boolean;
  get: (run: GcRun, derived: ReturnType<typeof gcDerived>) => ArrayLike<number> | undefined;
}

const COLUMNS: Column[] = [
  {
    chart: 'pause',
    label: 'STW sweep termination',
    short: 'sweep term',
    color: 'blue',
    get: (r) => (r.source === 'gctrace' ? r.stwSweepTermMs : undefined),
  },
  {
    chart: 'pause',
    label: 'STW mark termination',
    short: 'mark term',
    color: 'orange',
    get: (r) => (r.source === 'gctrace' ? r.stwMarkTermMs : undefined),
  },
  { chart: 'pause', label: 'STW pause (metric, max)', short: 'pause (metric)', color: 'purple', get: (r) => r.pauseMs },
  {
    chart: 'heap',
    label: 'heap at start',
    short: 'start',
    color: 'purple',
    get: (r) => (r.source === 'gctrace' ? r.heapStartBytes : undefined),
  },
  {
    chart: 'heap',
    label: 'heap at end',
    short: 'end',
    color: 'yellow',
    get: (r) => (r.source === 'gctrace' ? r.heapEndBytes : undefined),
  },
  {
    chart: 'heap',
    label: 'live heap',
    short: 'live',
    color: 'green',
    get: (r) => (r.source === 'gctrace' ? r.heapLiveBytes : undefined),
  },
  { chart: 'heap', label: 'heap in use (metric)', short: 'in use', color: 'blue', get: (r) => r.heapInuseBytes },
  { chart: 'heap', label: 'heap alloc (metric)', short: 'alloc', color: 'green', get: (r) => r.heapAllocBytes },
  { chart: 'heap', label: 'goal', short: 'goal', color: 'red', dashed: true, get: (r) => r.heapGoalBytes },
  {
    chart: 'cpu',
    label: 'GC CPU, 1 s window',
    short: '1 s',
    color: 'orange',
    get: (r, d) => (r.source === 'gctrace' ? d.gcCpuPercent : undefined),
  },
  {
    chart: 'cpu',
    label: 'GC CPU since start',
    short: 'since start',
    color: 'blue',
    get: (r) => (r.source === 'gctrace' ? r.cpuPercent : undefined),
  },
  {
    chart: 'rate',
    label: 'cycles/s',
    short: 'cycles/s',
    color: 'green',
    get: (r, d) => (r.source === 'gctrace' || r.cyclesPerSecond ? d.cyclesPerSecond : undefined),
  },
];

const CHARTS: Array<Omit<ChartSpec, 'series'>> = [
  { id: 'pause', title: 'STW pause per cycle', short: 'STW', unit: 'ms' },
  { id: 'heap', title: 'Heap vs goal', short: 'Heap', unit: 'bytes' },
  { id: 'cpu', title: 'GC CPU', short: 'CPU', unit: 'percent' },
  { id: 'rate', title: 'GC cycles per second', short: 'Rate', unit: 'perSecond' },
];

function lowerBound(xs: number[], v: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < v) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

export function buildGcChartData(trace: GcTrace, windowMs = 1000): GcChartData {
  const keys: string[] = [];
  const keyOf = new Map<string, number>();
  const runKey: number[] = [];
  for (const run of trace.runs) {
    const name =
      [run.service, run.instance].filter((s) => s).join(' · ') + (run.source === 'metrics' ? ' (metrics)' : '');
    const id = `${run.source}\u0000${run.service}\u0000${run.instance}`;
    let k = keyOf.get(id);
    if (k === undefined) {
      k = keys.length;
      keyOf.set(id, k);
      keys.push(name);
    }
    runKey.push(k);
  }

  // Times of every cycle, plus one gap point between consecutive runs of the same key.
  const times: number[] = [];
  const gaps: Array<{ key: number; t: number }> = [];
  const lastOfKey = new Map<number, GcRun>();
  trace.runs.forEach((run, r) => {
    for (let i = 0; i < run.count; i++) {
      times.push(run.timeMs[i]);
    }
    const prev = lastOfKey.get(runKey[r]);
    if (prev && prev.count > 0 && run.count > 0) {
      const t = (prev.timeMs[prev.count - 1] + run.timeMs[0]) / 2;
      gaps.push({ key: runKey[r], t });
      times.push(t);
    }
    lastOfKey.set(runKey[r], run);
  });
  times.sort((a, b) => a - b);
  const x: number[] = [];
  for (const t of times) {
    if (Number.isFinite(t) && (x.length === 0 || t !== x[x.length - 1])) {
      x.push(t);
    }
  }
  const n = x.length;
  const cycle: Value[] = new Array(n);

  const series = new Map<string, ChartSeries>();
  trace.runs.forEach((run, r) => {
    const k = runKey[r];
    const derived = gcDerived(run, windowMs);
    const at = new Int32Array(run.count);
    for (let i = 0; i < run.count; i++) {
      at[i] = lowerBound(x, run.timeMs[i]);
      if (run.source === 'gctrace' && cycle[at[i]] === undefined) {
        cycle[at[i]] = run.cycle[i];
      }
    }
    for (const col of COLUMNS) {
      const values = col.get(run, derived);
      if (!values) {
        continue;
      }
      let any = false;
      for (let i = 0; i < run.count && !any; i++) {
        any = Number.isFinite(values[i]);
      }
      if (!any) {
        continue;
      }
      const id = `${col.chart}\u0000${col.label}\u0000${k}`;
      let s = series.get(id);
      if (!s) {
        s = {
          label: keys.length > 1 && keys[k] ? `${col.label} · ${keys[k]}` : col.label,
          short: keys.length > 1 ? `${col.short} ${k + 1}` : col.short,
          color: col.color,
          key: k,
          dashed: col.dashed,
          values: new Array(n),
        };
        series.set(id, s);
      }
      for (let i = 0; i < run.count; i++) {
        const v = values[i];
        if (Number.isFinite(v)) {
          s.values[at[i]] = v;
        }
      }
    }
  });
  for (const s of series.values()) {
    for (const g of gaps) {
      if (g.key === s.key) {
        s.values[lowerBound(x, g.t)] = null;
      }
    }
  }

  const all = Array.from(series.entries());
  const charts = CHARTS.map((c) => ({
    ...c,
    series: all.filter(([id]) => id.startsWith(`${c.id}\u0000`)).map(([, s]) => s),
  }));
  return { x, cycle, keys, charts };
}

export function formatValue(v: number, unit: ValueUnit): string {
  if (!Number.isFinite(v)) {
    return '–';
  }
  switch (unit) {
    case 'ms':
      return v < 1 ? `${Math.round(v * 1000)} µs` : `${v.toFixed(v < 10 ? 2 : 0)} ms`;
    case 'bytes': {
      const a = Math.abs(v);
      return a >= 1024 ** 3
        ? `${(v / 1024 ** 3).toFixed(1)} GiB`
        : a >= 1024 ** 2
          ? `${(v / 1024 ** 2).toFixed(a >= 10 * 1024 ** 2 ? 0 : 1)} MiB`
          : `${(v / 1024).toFixed(0)} KiB`;
    }
    case 'percent':
      return `${v.toFixed(v < 10 ? 1 : 0)}%`;
    case 'perSecond':
      return `${v.toFixed(v < 10 ? 1 : 0)}/s`;
  }
}
