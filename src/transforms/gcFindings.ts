/**
 * What a Go engineer reads off a GC trace, as findings with evidence and a time window to select:
 * STW phases over 100 µs, thrashing (many cycles a second while mutators are drafted into mark
 * assists, or GC eating over a quarter of the CPU), a live heap that keeps rising (possible leak),
 * forced GCs and restarts. Plus the per-cycle derived series the charts draw.
 */
import type { GcRun, GcTrace } from '../model/gc';

export interface GcFindingOptions {
  /** An STW phase (sweep termination or mark termination) longer than this, in ms. Default 0.1 (100 µs). */
  stwMs: number;
  /** Sliding window for rates, in ms. Default 1000. */
  windowMs: number;
  /** Cycles per second above which GC runs "several times a second". Default 2. */
  cyclesPerSecond: number;
  /**
   * Share of GC CPU spent in mark assists (mutators made to mark because background marking cannot
   * keep up) that, with a high cycle rate, means allocation pressure. Default 0.25.
   */
  assistShare: number;
  /** GC CPU % (over the window, all Ps) that users feel on its own. Default 25. */
  gcCpuPercent: number;
  /** Thrashing episodes closer than this (ms) are one episode. Default 2000. */
  mergeGapMs: number;
  /** Least cycles in the tail for a leak verdict. Default 20. */
  leakMinCycles: number;
  /** One-sided Mann-Kendall significance for "rising". Default 0.01. */
  leakAlpha: number;
  /** Least rise over the tail (Sen slope x duration), as a fraction of the tail's median live heap. Default 0.1. */
  leakMinGrowth: number;
}

export const defaultGcFindingOptions: GcFindingOptions = {
  stwMs: 0.1,
  windowMs: 1000,
  cyclesPerSecond: 2,
  assistShare: 0.25,
  gcCpuPercent: 25,
  mergeGapMs: 2000,
  leakMinCycles: 20,
  leakAlpha: 0.01,
  leakMinGrowth: 0.1,
};

export type GcFindingKind = 'stw' | 'thrashing' | 'leak' | 'forced' | 'restart';

export interface GcFinding {
  kind: GcFindingKind;
  severity: 'info' | 'warning' | 'critical';
  service: string;
  instance: string;
  title: string;
  evidence: string;
  fromMs: number;
  toMs: number;
}

/** Per-cycle series derived for charts and findings (same length as the run). */
export interface GcDerived {
  /** Cycles per second in the window centred on this cycle (kept inside the run). */
  cyclesPerSecond: Float64Array;
  /** Total STW pause of the cycle: sweep termination + mark termination, in ms. */
  pauseMs: Float64Array;
  /** GC CPU over the window (STW CPU + assist + background; idle marking is free), % of all Ps. */
  gcCpuPercent: Float64Array;
  /** Share of that GC CPU spent in mark assists (0-1). */
  assistShare: Float64Array;
}

/**
 * Derived series of one run. Trace runs derive rates from the cycles; metric runs carry a measured
 * cycle rate (`cyclesPerSecond`) and pause (`pauseMs`), used as they are.
 */
export function gcDerived(run: GcRun, windowMs = defaultGcFindingOptions.windowMs): GcDerived {
  const n = run.count;
  const t = run.timeMs;
  const cyclesPerSecond = new Float64Array(n);
  const pauseMs = new Float64Array(n);
  const gcCpuPercent = new Float64Array(n);
  const assistShare = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    pauseMs[i] = run.pauseMs ? run.pauseMs[i] : run.stwSweepTermMs[i] + run.stwMarkTermMs[i];
  }
  if (run.source === 'metrics' || run.cyclesPerSecond) {
    const rate = run.cyclesPerSecond;
    for (let i = 0; i < n; i++) {
      cyclesPerSecond[i] = rate ? rate[i] : NaN;
      gcCpuPercent[i] = NaN;
      assistShare[i] = NaN;
    }
    return { cyclesPerSecond, pauseMs, gcCpuPercent, assistShare };
  }
  // Centred window (t - w/2, t + w/2] kept inside the run, so an episode's edges are where the
  // cycles are, not half a window late. Two pointers over running sums: O(n).
  const half = windowMs / 2;
  const cpuOf = (k: number) =>
    run.cpuSweepTermMs[k] + run.cpuMarkTermMs[k] + run.cpuAssistMs[k] + run.cpuBackgroundMs[k];
  let lo = 0;
  let hi = 0;
  let cpuSum = 0;
  let assistSum = 0;
  const end = n > 0 ? t[n - 1] : 0;
  for (let i = 0; i < n; i++) {
    while (hi < n && t[hi] <= t[i] + half) {
      cpuSum += cpuOf(hi);
      assistSum += run.cpuAssistMs[hi];
      hi++;
    }
    while (t[lo] <= t[i] - half) {
      cpuSum -= cpuOf(lo);
      assistSum -= run.cpuAssistMs[lo];
      lo++;
    }
    const span = Math.max(1, Math.min(end, t[i] + half) - Math.max(run.startMs, t[i] - half));
    cyclesPerSecond[i] = (hi - lo) / (span / 1000);
    gcCpuPercent[i] = (100 * cpuSum) / (span * (run.procs[i] || 1));
    assistShare[i] = cpuSum > 0 ? assistSum / cpuSum : 0;
  }
  return { cyclesPerSecond, pauseMs, gcCpuPercent, assistShare };
}

export function gcFindings(trace: GcTrace, options: Partial<GcFindingOptions> = {}): GcFinding[] {
  const o = { ...defaultGcFindingOptions, ...options };
  const out: GcFinding[] = [];
  const seriesRuns = new Map<string, GcRun[]>();
  for (const run of trace.runs) {
    if (run.count === 0) {
      continue;
    }
    const key = `${run.source}\u0000${run.service}\u0000${run.instance}`;
    const list = seriesRuns.get(key);
    if (list) {
      list.push(run);
    } else {
      seriesRuns.set(key, [run]);
    }
    const d = gcDerived(run, o.windowMs);
    stwFinding(run, d, o, out);
    const episodes = thrashing(run, d, o, out);
    leak(run, episodes, o, out);
    forced(run, out);
  }
  for (const runs of seriesRuns.values()) {
    for (let r = 1; r < runs.length; r++) {
      const prev = runs[r - 1];
      const next = runs[r];
      out.push({
        kind: 'restart',
        severity: 'warning',
        service: next.service,
        instance: next.instance,
        title: 'Process restarted',
        evidence:
          `The GC cycle count fell from ${prev.cycle[prev.count - 1]} to ${next.cycle[0]}: a new process ` +
          `started ${fmtS((next.timeMs[0] - next.startMs) / 1000)} before its first cycle.`,
        fromMs: prev.timeMs[prev.count - 1],
        toMs: Math.max(next.timeMs[0], prev.timeMs[prev.count - 1]),
      });
    }
  }
  const rank = { critical: 0, warning: 1, info: 2 };
  return out.sort((a, b) => rank[a.severity] - rank[b.severity] || a.fromMs - b.fromMs);
}

function stwFinding(run: GcRun, d: GcDerived, o: GcFindingOptions, out: GcFinding[]): void {
  let over = 0;
  let worst = -1;
  let worstMs = 0;
  let worstPhase = '';
  const traced = run.source === 'gctrace';
  for (let i = 0; i < run.count; i++) {
    const a = traced ? run.stwSweepTermMs[i] : d.pauseMs[i];
    const b = traced ? run.stwMarkTermMs[i] : NaN;
    if (a > o.stwMs || b > o.stwMs) {
      over++;
      const m = Math.max(a, b || 0);
      if (m > worstMs) {
        worstMs = m;
        worst = i;
        worstPhase = !traced ? 'pause' : a >= (b || 0) ? 'sweep termination' : 'mark termination';
      }
    }
  }
  if (worst < 0) {
    return;
  }
  const t = run.timeMs;
  const unit = traced ? 'cycles' : 'samples';
  out.push({
    kind: 'stw',
    severity: worstMs >= 10 * o.stwMs ? 'warning' : 'info',
    service: run.service,
    instance: run.instance,
    title: `Stop-the-world over ${fmtMs(o.stwMs)}`,
    evidence:
      `${over} of ${run.count} ${unit} had a stop-the-world ${traced ? 'phase' : 'pause'} over ${fmtMs(o.stwMs)}; ` +
      `worst ${fmtMs(worstMs)} (${worstPhase}${traced ? `, gc ${run.cycle[worst]}` : ''}, ${fmtS(run.sinceStartS[worst])} after start).`,
    fromMs: worst > 0 ? t[worst - 1] : run.startMs,
    toMs: worst + 1 < run.count ? t[worst + 1] : t[worst],
  });
}

interface Episode {
  from: number;
  to: number;
}

/** Marks cycles under pressure, merges them into episodes, reports each. Returns the episodes (cycle indices). */
function thrashing(run: GcRun, d: GcDerived, o: GcFindingOptions, out: GcFinding[]): Episode[] {
  const episodes: Episode[] = [];
  const t = run.timeMs;
  let cur: Episode | null = null;
  // Metric samples come a scrape interval apart: neighbours are one episode.
  let gap = o.mergeGapMs;
  if (run.source === 'metrics' && run.count > 1) {
    const dts: number[] = [];
    for (let i = 1; i < run.count; i++) {
      dts.push(t[i] - t[i - 1]);
    }
    dts.sort((a, b) => a - b);
    gap = Math.max(gap, 1.5 * dts[dts.length >> 1]);
  }
  for (let i = 0; i < run.count; i++) {
    const pressure =
      (d.cyclesPerSecond[i] > o.cyclesPerSecond && d.assistShare[i] >= o.assistShare) ||
      d.gcCpuPercent[i] > o.gcCpuPercent ||
      (run.source === 'metrics' && d.cyclesPerSecond[i] > o.cyclesPerSecond);
    if (!pressure) {
      continue;
    }
    if (cur && t[i] - t[cur.to] <= gap) {
      cur.to = i;
    } else {
      cur = { from: i, to: i };
      episodes.push(cur);
    }
  }
  // One cycle alone is a blip, not an episode: keep those that last a window.
  const kept = episodes.filter((e) => e.to > e.from && t[e.to] - t[e.from] >= o.windowMs);
  for (const e of kept) {
    let peakRate = 0;
    let peakCpu = 0;
    let assist = 0;
    let gc = 0;
    for (let i = e.from; i <= e.to; i++) {
      peakRate = Math.max(peakRate, d.cyclesPerSecond[i]);
      peakCpu = Math.max(peakCpu, d.gcCpuPercent[i] || 0);
      assist += run.cpuAssistMs[i];
      gc += run.cpuSweepTermMs[i] + run.cpuMarkTermMs[i] + run.cpuAssistMs[i] + run.cpuBackgroundMs[i];
    }
    const durS = (t[e.to] - t[e.from]) / 1000;
    const cycles = e.to - e.from + 1;
    const parts = [
      `${cycles} ${run.source === 'metrics' ? 'samples' : 'cycles'} in ${fmtS(durS)}, up to ${peakRate.toFixed(1)} cycles/s`,
    ];
    if (gc > 0) {
      parts.push(
        `mark assists took ${Math.round((100 * assist) / gc)}% of GC CPU (allocation outpaces background marking)`
      );
      parts.push(`GC CPU up to ${peakCpu.toFixed(1)}% of ${run.procs[e.to]} P`);
    }
    out.push({
      kind: 'thrashing',
      severity: peakCpu > o.gcCpuPercent ? 'critical' : 'warning',
      service: run.service,
      instance: run.instance,
      title: 'GC thrashing: allocation pressure',
      evidence: parts.join('; ') + '.',
      fromMs: t[e.from],
      toMs: t[e.to],
    });
  }
  return kept;
}

/**
 * Live heap trend over the recovery-like tail (after the last thrashing episode, else the second
 * half of the run): Mann-Kendall test for a monotonic rise, Sen's slope for its size.
 */
function leak(run: GcRun, episodes: Episode[], o: GcFindingOptions, out: GcFinding[]): void {
  const start = episodes.length > 0 ? episodes[episodes.length - 1].to + 1 : run.count >> 1;
  const live = run.heapLiveBytes;
  // At most 400 evenly spaced cycles: the test is O(n^2) and the trend does not need more.
  const idx: number[] = [];
  const tailN = run.count - start;
  if (tailN < o.leakMinCycles) {
    return;
  }
  const step = Math.max(1, tailN / 400);
  for (let k = start; k < run.count; k += step) {
    const i = Math.floor(k);
    if (Number.isFinite(live[i])) {
      idx.push(i);
    }
  }
  if (idx.length < o.leakMinCycles) {
    return;
  }
  const x = idx.map((i) => run.timeMs[i]);
  const y = idx.map((i) => live[i]);
  const { z, p } = mannKendall(y);
  const slope = senSlope(x, y); // bytes per ms
  const span = x[x.length - 1] - x[0];
  const sorted = y.slice().sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1];
  const growth = slope * span;
  if (!(p < o.leakAlpha && growth > o.leakMinGrowth * Math.max(median, 1))) {
    return;
  }
  out.push({
    kind: 'leak',
    severity: 'warning',
    service: run.service,
    instance: run.instance,
    title: 'Live heap keeps rising: possible leak',
    evidence:
      `Live heap after marking rose from ${fmtBytes(y[0])} to ${fmtBytes(y[y.length - 1])} over ${tailN} cycles ` +
      `(${fmtS(span / 1000)}${episodes.length ? ', after the last pressure episode' : ''}); ` +
      `trend ${fmtBytes(slope * 60000)}/min (Sen), Mann-Kendall z=${z.toFixed(1)}, p=${p < 1e-4 ? '<0.0001' : p.toFixed(4)}. ` +
      `Compare inuse_space heap profiles across this window.`,
    fromMs: x[0],
    toMs: x[x.length - 1],
  });
}

function forced(run: GcRun, out: GcFinding[]): void {
  let n = 0;
  let first = -1;
  let last = -1;
  for (let i = 0; i < run.count; i++) {
    if (run.forced[i]) {
      n++;
      last = i;
      if (first < 0) {
        first = i;
      }
    }
  }
  if (n === 0) {
    return;
  }
  out.push({
    kind: 'forced',
    severity: 'info',
    service: run.service,
    instance: run.instance,
    title: 'Forced GC',
    evidence: `${n} cycle${n === 1 ? ' was' : 's were'} forced by runtime.GC() or debug.FreeOSMemory() (first gc ${run.cycle[first]}, last gc ${run.cycle[last]}).`,
    fromMs: run.timeMs[first],
    toMs: run.timeMs[last],
  });
}

/** Mann-Kendall S statistic with the tie-corrected variance; one-sided p for an increasing trend. */
export function mannKendall(y: ArrayLike<number>): { s: number; z: number; p: number } {
  const n = y.length;
  let s = 0;
  for (let i = 0; i < n - 1; i++) {
    for (let j = i + 1; j < n; j++) {
      s += Math.sign(y[j] - y[i]);
    }
  }
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    counts.set(y[i], (counts.get(y[i]) ?? 0) + 1);
  }
  let ties = 0;
  for (const t of counts.values()) {
    ties += t * (t - 1) * (2 * t + 5);
  }
  const variance = (n * (n - 1) * (2 * n + 5) - ties) / 18;
  const z = variance > 0 ? (s - Math.sign(s)) / Math.sqrt(variance) : 0;
  return { s, z, p: 1 - normalCdf(z) };
}

/** Median of pairwise slopes (Theil-Sen). */
export function senSlope(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const slopes: number[] = [];
  for (let i = 0; i < x.length - 1; i++) {
    for (let j = i + 1; j < x.length; j++) {
      if (x[j] !== x[i]) {
        slopes.push((y[j] - y[i]) / (x[j] - x[i]));
      }
    }
  }
  if (slopes.length === 0) {
    return 0;
  }
  slopes.sort((a, b) => a - b);
  const m = slopes.length >> 1;
  return slopes.length % 2 ? slopes[m] : (slopes[m - 1] + slopes[m]) / 2;
}

/** Standard normal CDF via the Chebyshev erfc approximation (Numerical Recipes `erfcc`, |error| < 1.2e-7). */
function normalCdf(z: number): number {
  const x = -z / Math.SQRT2;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.5 * a);
  const r =
    t *
    Math.exp(
      -a * a -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))))
    );
  const erfc = x >= 0 ? r : 2 - r;
  return erfc / 2;
}

function fmtMs(ms: number): string {
  return ms < 1 ? `${Math.round(ms * 1000)} µs` : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
}

function fmtS(s: number): string {
  return s < 120 ? `${s.toFixed(1)} s` : s < 7200 ? `${(s / 60).toFixed(1)} min` : `${(s / 3600).toFixed(1)} h`;
}

function fmtBytes(b: number): string {
  const a = Math.abs(b);
  return a >= 1024 ** 3
    ? `${(b / 1024 ** 3).toFixed(2)} GiB`
    : a >= 1024 ** 2
      ? `${(b / 1024 ** 2).toFixed(1)} MiB`
      : `${(b / 1024).toFixed(0)} KiB`;
}
