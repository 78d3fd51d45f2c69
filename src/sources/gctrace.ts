/**
 * `GODEBUG=gctrace=1` (and `scavtrace=1`) decoder: log lines in, one GcRun per process run out.
 *
 * Formats (runtime/mgc.go, runtime/mgcscavenge.go):
 *   Go 1.5   gc 1 @0.019s 5%: 0.11+1.1+2.2+1.4+0.59 ms clock, 0.22+1.1+0+1.5/1.0/2.1+1.1 ms cpu, 4->4->1 MB, 4 MB goal, 4 P
 *   1.6-1.17 gc 318 @36.750s 0%: 0.022+0.27+0.040 ms clock, 0.13+0.60/0.43/0.031+0.24 ms cpu, 4->4->0 MB, 5 MB goal, 8 P
 *   1.18+    … 3->4->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P
 *   any      … P (forced)
 *   <=1.12   scvg3: 12 MB released | scvg3: inuse: 3, idle: 0, sys: 3, released: 0, consumed: 3 (MB)
 *   1.13     scvg: 12 MB released  | scvg: inuse: …
 *   1.14-1.19 scav [gen ]N KiB work, N KiB total, N% util[ (forced)]
 *   1.20+    scav N KiB work (bg), N KiB work (eager), N KiB now, N% util[ (forced)]
 *
 * Go 1.5 prints five clock phases: sweep termination (STW), root scan, write-barrier install (a
 * ragged barrier, not a stop), mark, mark termination (STW). Only the first and the last stop the
 * world (1.5's pauseNS sums exactly those), so scan + install + mark all go to concurrentMarkMs.
 * Its cpu list has scan and install CPU between sweep termination and assist: both were run by
 * the background GC goroutine, so they are added to cpuBackgroundMs.
 *
 * Time: gctrace has no wall clock, only `@N s` since the process started. The run start is
 * anchored on log timestamps as min(log time - N): a shipper stamps a line when it reads it, which
 * is never before it was written (the checkout fixture shows up to 99 ms of batching), so the
 * smallest offset is the closest. Each cycle's time is then start + N, which keeps the runtime's
 * own spacing between cycles. Without log timestamps the caller's baseTimeMs is the start of the
 * first run; a later run of the same series starts where the previous one ended.
 *
 * The scanner walks char codes over the text in place (no per-line substrings, no RegExp) so a
 * million-line log decodes in well under a second.
 */
import type { GcRun, GcTrace, ScavengerEvent } from '../model/gc';

export interface GcLogLine {
  line: string;
  /** Log timestamp, ms since epoch. */
  timeMs?: number;
  service?: string;
  instance?: string;
}

export interface GcTraceOptions {
  /** Start of a run (ms since epoch) when lines carry no log timestamp. Default 0. */
  baseTimeMs?: number;
  /** Series key for lines that name none. */
  service?: string;
  instance?: string;
  /** How many unparsed lines to keep as examples (each cut to 300 chars). Default 5. */
  maxUnparsedExamples?: number;
}

const MIB = 1048576;
const KIB = 1024;
const EXAMPLE_CHARS = 300;
const MAX_LINE_KEPT = 500;
/** Go prints at most 20 digits (uint64); more is garbage, not a number. */
const MAX_DIGITS = 20;
const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
];

// Columns of a cycle while a run is being built.
const C_CYCLE = 0;
const C_SINCE = 1;
const C_PCT = 2;
const C_SWEEP = 3;
const C_MARK = 4;
const C_MARKTERM = 5;
const C_CPU_SWEEP = 6;
const C_CPU_MARKTERM = 7;
const C_ASSIST = 8;
const C_BG = 9;
const C_IDLE = 10;
const C_HEAP0 = 11;
const C_HEAP1 = 12;
const C_HEAP2 = 13;
const C_GOAL = 14;
const C_STACKS = 15;
const C_GLOBALS = 16;
const C_PROCS = 17;
const C_FORCED = 18;
const C_LOGTIME = 19;
const F = 20;

// Readers take the text and a position and return the position after what they read, or -1.
// Positions are small integers and values go into typed arrays, so the hot path allocates nothing.
const clock = new Float64Array(8);
const cpu = new Float64Array(12);
const T = new Float64Array(8);

/** Reads an unsigned decimal (`12`, `0.045`) at p into dst[i]. */
function num(s: string, p: number, dst: Float64Array, i: number): number {
  let c = s.charCodeAt(p);
  if (!(c >= 48 && c <= 57)) {
    return -1;
  }
  let v = 0;
  const p0 = p;
  do {
    v = v * 10 + (c - 48);
    c = s.charCodeAt(++p);
  } while (c >= 48 && c <= 57);
  if (c !== 46) {
    if (p - p0 > MAX_DIGITS) {
      return -1;
    }
    dst[i] = v;
    return p;
  }
  const f0 = ++p;
  c = s.charCodeAt(p);
  while (c >= 48 && c <= 57) {
    v = v * 10 + (c - 48);
    c = s.charCodeAt(++p);
  }
  const k = p - f0;
  if (k === 0 || p - p0 - 1 > MAX_DIGITS) {
    return -1;
  }
  // One division of the exact integer by an exact power of ten rounds like parseFloat.
  dst[i] = v / POW10[k];
  return p;
}

function lit(s: string, p: number, codes: Uint16Array): number {
  const n = codes.length;
  for (let k = 0; k < n; k++) {
    if (s.charCodeAt(p + k) !== codes[k]) {
      return -1;
    }
  }
  return p + n;
}

/** Char codes of a literal, so matching it reads a typed array instead of a second string. */
function codes(text: string): Uint16Array {
  const out = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) {
    out[i] = text.charCodeAt(i);
  }
  return out;
}

function ch2(s: string, p: number, a: number, b: number): number {
  return s.charCodeAt(p) === a && s.charCodeAt(p + 1) === b ? p + 2 : -1;
}

const L_COLON = codes(': ');
const L_FORCED = codes(' (forced)');
const L_INUSE = codes('inuse: ');
const L_KIB_NOW = codes(' KiB now, ');
const L_KIB_TOTAL = codes(' KiB total, ');
const L_KIB_WORK = codes(' KiB work, ');
const L_KIB_WORK_BG = codes(' KiB work (bg), ');
const L_KIB_WORK_EAGER = codes(' KiB work (eager), ');
const L_MB = codes(' MB, ');
const L_MB_GLOBALS = codes(' MB globals, ');
const L_MB_GOAL = codes(' MB goal, ');
const L_MB_RELEASED = codes(' MB released');
const L_MB_STACKS = codes(' MB stacks, ');
const L_MS_CLOCK = codes(' ms clock, ');
const L_MS_CPU = codes(' ms cpu, ');
const L_UTIL = codes('% util');
const SCVG_SEPS = [', idle: ', ', sys: ', ', released: ', ', consumed: ', ' (MB)'].map(codes);

/**
 * Parses a gc line at its `gc ` into row i of the columns (C_LOGTIME untouched); returns the end
 * or -1. Written in place: a cycle is never copied on its way into the run.
 */
function parseGc(s: string, p: number, cols: Float64Array[], i: number): number {
  p += 3;
  if (s.charCodeAt(p) === 35) {
    p++; // `gc #1` in some pre-release 1.5 builds
  }
  p = num(s, p, cols[C_CYCLE], i);
  if (p < 0 || cols[C_CYCLE][i] % 1 !== 0 || (p = ch2(s, p, 32, 64)) < 0) {
    return -1;
  }
  if ((p = num(s, p, cols[C_SINCE], i)) < 0 || (p = ch2(s, p, 115, 32)) < 0 || (p = num(s, p, cols[C_PCT], i)) < 0) {
    return -1;
  }
  if ((p = ch2(s, p, 37, 58)) < 0 || s.charCodeAt(p++) !== 32) {
    return -1;
  }

  let k = 0;
  for (;;) {
    if (k === clock.length || (p = num(s, p, clock, k)) < 0) {
      return -1;
    }
    k++;
    if (s.charCodeAt(p) !== 43) {
      break;
    }
    p++;
  }
  if ((p = lit(s, p, L_MS_CLOCK)) < 0) {
    return -1;
  }

  // cpu: a+…+assist/background/idle+markTerm; `slash` = index of the assist figure.
  let m = 0;
  let slash = -1;
  for (;;) {
    if (m === cpu.length || (p = num(s, p, cpu, m)) < 0) {
      return -1;
    }
    m++;
    const c = s.charCodeAt(p);
    if (c === 43) {
      p++;
    } else if (c === 47) {
      if (slash < 0) {
        slash = m - 1;
      } else if (m - 1 !== slash + 1) {
        return -1;
      }
      p++;
    } else {
      break;
    }
  }
  if ((k === 3 && (m !== 5 || slash !== 1)) || (k === 5 && (m !== 7 || slash !== 3)) || (k !== 3 && k !== 5)) {
    return -1;
  }
  if ((p = lit(s, p, L_MS_CPU)) < 0) {
    return -1;
  }

  if ((p = num(s, p, cols[C_HEAP0], i)) < 0 || (p = ch2(s, p, 45, 62)) < 0 || (p = num(s, p, cols[C_HEAP1], i)) < 0) {
    return -1;
  }
  if ((p = ch2(s, p, 45, 62)) < 0 || (p = num(s, p, cols[C_HEAP2], i)) < 0 || (p = lit(s, p, L_MB)) < 0) {
    return -1;
  }
  if ((p = num(s, p, cols[C_GOAL], i)) < 0 || (p = lit(s, p, L_MB_GOAL)) < 0 || (p = num(s, p, cols[C_PROCS], i)) < 0) {
    return -1;
  }
  const q = lit(s, p, L_MB_STACKS);
  if (q >= 0) {
    cols[C_STACKS][i] = cols[C_PROCS][i] * MIB;
    if ((p = num(s, q, cols[C_GLOBALS], i)) < 0 || (p = lit(s, p, L_MB_GLOBALS)) < 0) {
      return -1;
    }
    if ((p = num(s, p, cols[C_PROCS], i)) < 0) {
      return -1;
    }
    cols[C_GLOBALS][i] *= MIB;
  } else {
    cols[C_STACKS][i] = NaN;
    cols[C_GLOBALS][i] = NaN;
  }
  if ((p = ch2(s, p, 32, 80)) < 0) {
    return -1;
  }
  const f = lit(s, p, L_FORCED);
  cols[C_FORCED][i] = f < 0 ? 0 : 1;
  if (f >= 0) {
    p = f;
  }

  if (k === 3) {
    cols[C_SWEEP][i] = clock[0];
    cols[C_MARK][i] = clock[1];
    cols[C_MARKTERM][i] = clock[2];
  } else {
    cols[C_SWEEP][i] = clock[0];
    cols[C_MARK][i] = clock[1] + clock[2] + clock[3];
    cols[C_MARKTERM][i] = clock[4];
  }
  let extra = 0;
  for (let k2 = 1; k2 < slash; k2++) {
    extra += cpu[k2];
  }
  cols[C_CPU_SWEEP][i] = cpu[0];
  cols[C_ASSIST][i] = cpu[slash];
  cols[C_BG][i] = cpu[slash + 1] + extra;
  cols[C_IDLE][i] = cpu[slash + 2];
  cols[C_CPU_MARKTERM][i] = cpu[slash + 3];
  cols[C_HEAP0][i] *= MIB;
  cols[C_HEAP1][i] *= MIB;
  cols[C_HEAP2][i] *= MIB;
  cols[C_GOAL][i] *= MIB;
  return p;
}

interface ScavFields {
  kind: 'released' | 'summary' | 'scav';
  releasedBytes: number;
  totalReleasedBytes?: number;
  inuseBytes?: number;
  utilPercent?: number;
  forced?: boolean;
}

/**
 * Scavenger lines are rare, so this reader favours plainness: a token cursor over one line.
 * `T[0..]` receive the numbers in order; returns the fields or null when the line does not parse.
 */
function parseScvg(s: string, p: number, end: number): ScavFields | null {
  p += 4;
  while (s.charCodeAt(p) >= 48 && s.charCodeAt(p) <= 57) {
    p++;
  }
  if ((p = lit(s, p, L_COLON)) < 0) {
    return null;
  }
  const q = lit(s, p, L_INUSE);
  if (q >= 0) {
    p = q;
    const seps = SCVG_SEPS;
    for (let i = 0; i < seps.length; i++) {
      if ((p = num(s, p, T, i)) < 0 || (p = lit(s, p, seps[i])) < 0) {
        return null;
      }
    }
    return p > end
      ? null
      : { kind: 'summary', releasedBytes: 0, totalReleasedBytes: T[3] * MIB, inuseBytes: T[0] * MIB };
  }
  if ((p = num(s, p, T, 0)) < 0 || (p = lit(s, p, L_MB_RELEASED)) < 0 || p > end) {
    return null;
  }
  return { kind: 'released', releasedBytes: T[0] * MIB };
}

function parseScav(s: string, p: number, end: number): ScavFields | null {
  if ((p = num(s, p + 5, T, 0)) < 0) {
    return null;
  }
  if (s.charCodeAt(p) === 32 && s.charCodeAt(p + 1) >= 48 && s.charCodeAt(p + 1) <= 57) {
    // 1.15-1.18 print a generation number first
    if ((p = num(s, p + 1, T, 0)) < 0) {
      return null;
    }
  }
  let work = T[0];
  const bg = lit(s, p, L_KIB_WORK_BG);
  if (bg >= 0) {
    if ((p = num(s, bg, T, 0)) < 0 || (p = lit(s, p, L_KIB_WORK_EAGER)) < 0) {
      return null;
    }
    work += T[0];
  } else if ((p = lit(s, p, L_KIB_WORK)) < 0) {
    return null;
  }
  if ((p = num(s, p, T, 1)) < 0) {
    return null;
  }
  const total = lit(s, p, L_KIB_TOTAL);
  p = total >= 0 ? total : lit(s, p, L_KIB_NOW);
  if (p < 0 || (p = num(s, p, T, 2)) < 0 || (p = lit(s, p, L_UTIL)) < 0 || p > end) {
    return null;
  }
  const forced = lit(s, p, L_FORCED) >= 0;
  return { kind: 'scav', releasedBytes: work * KIB, totalReleasedBytes: T[1] * KIB, utilPercent: T[2], forced };
}

const enum Found {
  None,
  Gc,
  Scvg,
  Scav,
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/**
 * Finds the next occurrence of a short pattern at or after `from`, remembering it: lines are
 * visited in order, so a blob with no match left is searched once, not once per line.
 */
class Finder {
  private next = -1;
  constructor(private readonly pattern: string) {}
  reset(): void {
    this.next = -1;
  }
  find(s: string, from: number): number {
    if (this.next < from) {
      const i = s.indexOf(this.pattern, from);
      this.next = i < 0 ? Infinity : i;
    }
    return this.next;
  }
}

interface RunBuilder {
  service: string;
  instance: string;
  cols: Float64Array[];
  n: number;
  /** Runs of this series already closed (restarts so far). */
  closed: number;
  /** End of the previous run of this series, for restarts without timestamps. */
  prevEndMs: number;
}

interface PendingScav {
  event: ScavengerEvent;
  series: RunBuilder;
  /** Which run of the series was open, and how many cycles it had, when the line came. */
  run: number;
  at: number;
}

/**
 * Incremental decoder: feed lines (or a whole text) for any number of series, then `finish()`.
 * Used by parseGcTrace/parseGcTraceText and by the data-frame reader.
 */
export class GcTraceBuilder {
  private readonly rec = new Float64Array(F);
  private readonly series = new Map<string, RunBuilder>();
  private readonly runs: Array<{ builder: RunBuilder; cols: Float64Array[]; startMs: number }> = [];
  private readonly scav: PendingScav[] = [];
  private readonly gcFinder = new Finder('gc ');
  private readonly scvgFinder = new Finder('scvg');
  private readonly scavFinder = new Finder('scav ');
  private readonly baseTimeMs: number;
  private readonly maxExamples: number;
  private readonly defService: string;
  private readonly defInstance: string;
  private last: RunBuilder | null = null;
  skipped = 0;
  unparsed = 0;
  readonly unparsedExamples: string[] = [];

  constructor(opts: GcTraceOptions = {}) {
    this.baseTimeMs = opts.baseTimeMs ?? 0;
    this.maxExamples = opts.maxUnparsedExamples ?? 5;
    this.defService = opts.service ?? '';
    this.defInstance = opts.instance ?? '';
  }

  /** One log line (its own string). */
  addLine(line: string, timeMs?: number, service?: string, instance?: string): void {
    this.gcFinder.reset();
    this.scvgFinder.reset();
    this.scavFinder.reset();
    this.scanLine(line, 0, line.length, timeMs ?? NaN, service ?? this.defService, instance ?? this.defInstance);
  }

  /** A whole log text (`\n` or `\r\n` separated), scanned in place. */
  addText(text: string, service?: string, instance?: string): void {
    this.gcFinder.reset();
    this.scvgFinder.reset();
    this.scavFinder.reset();
    const svc = service ?? this.defService;
    const inst = instance ?? this.defInstance;
    const len = text.length;
    // Size the columns once for the whole text: growing (and trimming) 20 columns of a
    // million cycles costs more than the parse, fresh pages being the expensive part.
    let lines = 1;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
      lines++;
    }
    this.reserve(this.seriesFor(svc, inst), lines);
    let a = 0;
    while (a < len) {
      let b = text.indexOf('\n', a);
      if (b < 0) {
        b = len;
      }
      this.scanLine(text, a, b > a && text.charCodeAt(b - 1) === 13 ? b - 1 : b, NaN, svc, inst);
      a = b + 1;
    }
  }

  private scanLine(s: string, a: number, b: number, timeMs: number, service: string, instance: string): void {
    let kind = Found.None;
    let at = -1;
    // A `gc <digits> @` anywhere in the line, not inside a word (`msgc 1 @` is not one).
    // Most lines of a trace start with it: skip the search then.
    let g =
      s.charCodeAt(a) === 103 && s.charCodeAt(a + 1) === 99 && s.charCodeAt(a + 2) === 32
        ? a
        : this.gcFinder.find(s, a);
    while (g < b) {
      const c = s.charCodeAt(g + 3);
      if ((g === a || !isWordChar(s.charCodeAt(g - 1))) && ((c >= 48 && c <= 57) || c === 35)) {
        let q = g + 3 + (c === 35 ? 1 : 0);
        while (s.charCodeAt(q) >= 48 && s.charCodeAt(q) <= 57) {
          q++;
        }
        if (s.charCodeAt(q) === 32 && s.charCodeAt(q + 1) === 64) {
          kind = Found.Gc;
          at = g;
          break;
        }
      }
      g = this.gcFinder.find(s, g + 1);
    }
    if (kind === Found.None) {
      const v = this.scvgFinder.find(s, a);
      if (v < b && (v === a || !isWordChar(s.charCodeAt(v - 1)))) {
        kind = Found.Scvg;
        at = v;
      } else {
        const w = this.scavFinder.find(s, a);
        if (
          w < b &&
          (w === a || !isWordChar(s.charCodeAt(w - 1))) &&
          s.charCodeAt(w + 5) >= 48 &&
          s.charCodeAt(w + 5) <= 57
        ) {
          kind = Found.Scav;
          at = w;
        }
      }
    }
    if (kind === Found.None) {
      this.skipped++;
      return;
    }
    if (kind === Found.Gc) {
      const r = this.seriesFor(service, instance);
      if (r.n === r.cols[0].length) {
        this.reserve(r, r.n);
      }
      const end = parseGc(s, at, r.cols, r.n);
      if (end >= 0 && end <= b) {
        r.cols[C_LOGTIME][r.n] = timeMs;
        this.addCycle(r);
      } else {
        this.bad(s, a, b);
      }
      return;
    }
    const f = kind === Found.Scvg ? parseScvg(s, at, b) : parseScav(s, at, b);
    if (!f) {
      this.bad(s, a, b);
      return;
    }
    const run = this.seriesFor(service, instance);
    this.scav.push({
      event: { service, instance, timeMs, line: s.slice(at, Math.min(b, at + MAX_LINE_KEPT)), ...f },
      series: run,
      run: run.closed,
      at: run.n,
    });
  }

  private bad(s: string, a: number, b: number): void {
    this.unparsed++;
    if (this.unparsedExamples.length < this.maxExamples) {
      this.unparsedExamples.push(s.slice(a, Math.min(b, a + EXAMPLE_CHARS)));
    }
  }

  private seriesFor(service: string, instance: string): RunBuilder {
    const last = this.last;
    if (last && last.service === service && last.instance === instance) {
      return last;
    }
    const key = service + '\u0000' + instance;
    let r = this.series.get(key);
    if (!r) {
      r = { service, instance, cols: newCols(64), n: 0, closed: 0, prevEndMs: NaN };
      this.series.set(key, r);
    }
    this.last = r;
    return r;
  }

  private reserve(r: RunBuilder, more: number): void {
    const need = r.n + more;
    if (need > r.cols[0].length) {
      for (let c = 0; c < F; c++) {
        const grown = new Float64Array(need);
        grown.set(r.cols[c].subarray(0, r.n));
        r.cols[c] = grown;
      }
    }
  }

  /** Takes the row parsed at index n: drops it if it repeats the last, starts a new run if the count fell. */
  private addCycle(r: RunBuilder): void {
    const n = r.n;
    if (n > 0) {
      const cycle = r.cols[C_CYCLE];
      if (cycle[n] === cycle[n - 1] && r.cols[C_SINCE][n] === r.cols[C_SINCE][n - 1]) {
        this.skipped++; // the same line twice (a shipper retry): not a new cycle
        return;
      }
      if (cycle[n] <= cycle[n - 1]) {
        const row = this.rec;
        for (let c = 0; c < F; c++) {
          row[c] = r.cols[c][n];
        }
        this.closeRun(r);
        for (let c = 0; c < F; c++) {
          r.cols[c][0] = row[c];
        }
      }
    }
    r.n++;
  }

  /** Ends the current run of a series (a restart): fixes its start time and keeps its columns. */
  private closeRun(r: RunBuilder): void {
    const n = r.n;
    // Keep a view when little is wasted; copy out when most of the space went unused.
    const cols = r.cols.map((col) => (n >= col.length * 0.75 ? col.subarray(0, n) : col.slice(0, n)));
    const logTime = cols[C_LOGTIME];
    const since = cols[C_SINCE];
    let startMs = Infinity;
    for (let i = 0; i < n; i++) {
      const t = logTime[i] - since[i] * 1000;
      if (t < startMs) {
        startMs = t;
      }
    }
    if (startMs === Infinity) {
      startMs = r.prevEndMs === r.prevEndMs ? r.prevEndMs : this.baseTimeMs;
    }
    this.runs.push({ builder: r, cols, startMs });
    r.prevEndMs = startMs + since[n - 1] * 1000;
    r.cols = newCols(64);
    r.n = 0;
    r.closed++;
  }

  finish(): GcTrace {
    for (const r of this.series.values()) {
      if (r.n > 0) {
        this.closeRun(r);
      }
    }
    const runs: GcRun[] = [];
    const runsOf = new Map<RunBuilder, GcRun[]>();
    for (const { builder, cols, startMs } of this.runs) {
      const run = toRun(builder.service, builder.instance, cols, startMs);
      runs.push(run);
      const list = runsOf.get(builder);
      if (list) {
        list.push(run);
      } else {
        runsOf.set(builder, [run]);
      }
    }
    const scavenger: ScavengerEvent[] = [];
    for (const { event, series, run, at } of this.scav) {
      if (event.timeMs !== event.timeMs) {
        // No log time: the scavenger line takes the time of the cycle printed before it.
        const list = runsOf.get(series) ?? [];
        const r = list[run];
        if (r) {
          event.timeMs = at === 0 ? r.startMs : r.timeMs[at - 1];
        } else {
          const prev = list[list.length - 1];
          event.timeMs = prev ? prev.timeMs[prev.count - 1] : this.baseTimeMs;
        }
      }
      scavenger.push(event);
    }
    return {
      runs,
      scavenger,
      skipped: this.skipped,
      unparsed: this.unparsed,
      unparsedExamples: this.unparsedExamples.slice(),
    };
  }
}

function newCols(capacity: number): Float64Array[] {
  const cols: Float64Array[] = [];
  for (let c = 0; c < F; c++) {
    cols.push(new Float64Array(capacity));
  }
  return cols;
}

function toRun(service: string, instance: string, cols: Float64Array[], startMs: number): GcRun {
  const n = cols[0].length;
  const sinceStartS = cols[C_SINCE];
  const timeMs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    timeMs[i] = startMs + sinceStartS[i] * 1000;
  }
  const forced = new Uint8Array(n);
  const forcedCol = cols[C_FORCED];
  for (let i = 0; i < n; i++) {
    forced[i] = forcedCol[i];
  }
  const col = (c: number) => cols[c];
  return {
    service,
    instance,
    source: 'gctrace',
    startMs,
    count: n,
    timeMs,
    cycle: col(C_CYCLE),
    sinceStartS,
    cpuPercent: col(C_PCT),
    stwSweepTermMs: col(C_SWEEP),
    concurrentMarkMs: col(C_MARK),
    stwMarkTermMs: col(C_MARKTERM),
    cpuSweepTermMs: col(C_CPU_SWEEP),
    cpuMarkTermMs: col(C_CPU_MARKTERM),
    cpuAssistMs: col(C_ASSIST),
    cpuBackgroundMs: col(C_BG),
    cpuIdleMs: col(C_IDLE),
    heapStartBytes: col(C_HEAP0),
    heapEndBytes: col(C_HEAP1),
    heapLiveBytes: col(C_HEAP2),
    heapGoalBytes: col(C_GOAL),
    stacksBytes: col(C_STACKS),
    globalsBytes: col(C_GLOBALS),
    procs: col(C_PROCS),
    forced,
  };
}

/** Decodes log lines (each with its own time and series labels, all optional). */
export function parseGcTrace(lines: Iterable<GcLogLine>, opts: GcTraceOptions = {}): GcTrace {
  const b = new GcTraceBuilder(opts);
  for (const l of lines) {
    b.addLine(typeof l.line === 'string' ? l.line : '', l.timeMs, l.service, l.instance);
  }
  return b.finish();
}

/** Decodes a whole log text without splitting it into line strings (no log timestamps). */
export function parseGcTraceText(text: string, opts: GcTraceOptions = {}): GcTrace {
  const b = new GcTraceBuilder(opts);
  b.addText(text);
  return b.finish();
}
