/**
 * GC cycles parsed from `GODEBUG=gctrace=1` lines or mapped from Go runtime metrics, kept
 * columnar so a week of cycles charts without per-cycle objects.
 */

/** Where a series came from: a trace has every field, metrics only some (NaN elsewhere). */
export type GcSource = 'gctrace' | 'metrics';

/**
 * One process run of one service instance: cycle numbers rise inside a run; a drop starts a
 * new run (a restart), so runs are never joined into one line.
 */
export interface GcRun {
  /** Series key: service name and instance, from the log/metric labels. */
  service: string;
  instance: string;
  source: GcSource;
  /** Absolute time of the process start (ms since epoch), anchored on log timestamps. */
  startMs: number;
  count: number;
  /** Absolute time of each cycle, ms since epoch. */
  timeMs: Float64Array;
  cycle: Float64Array;
  /** `@N s` since program start. */
  sinceStartS: Float64Array;
  /** GC CPU % since program start. */
  cpuPercent: Float64Array;
  /** Wall-clock ms: STW sweep termination, concurrent mark/scan, STW mark termination. */
  stwSweepTermMs: Float64Array;
  concurrentMarkMs: Float64Array;
  stwMarkTermMs: Float64Array;
  /** CPU ms of the STW phases (wall time x Ps); NaN where the source has no such figure. */
  cpuSweepTermMs: Float64Array;
  cpuMarkTermMs: Float64Array;
  /** CPU ms of mark assist, background and idle mark workers. */
  cpuAssistMs: Float64Array;
  cpuBackgroundMs: Float64Array;
  cpuIdleMs: Float64Array;
  /** Bytes (gctrace prints truncated MiB; we store bytes so metric series line up). */
  heapStartBytes: Float64Array;
  heapEndBytes: Float64Array;
  heapLiveBytes: Float64Array;
  heapGoalBytes: Float64Array;
  stacksBytes: Float64Array;
  globalsBytes: Float64Array;
  procs: Float64Array;
  /** 1 when the cycle was forced by runtime.GC(). */
  forced: Uint8Array;
  /**
   * Metric runs only: rows are scrape samples, not cycles, so the rate is measured
   * (`rate(go_gc_duration_seconds_count)`) and the pause is the summary's STW pause (both phases).
   */
  cyclesPerSecond?: Float64Array;
  pauseMs?: Float64Array;
  /** Metric runs only: heap in use / allocated at scrape time (go_memstats_heap_{inuse,alloc}_bytes), GOGC. */
  heapInuseBytes?: Float64Array;
  heapAllocBytes?: Float64Array;
  gogcPercent?: Float64Array;
}

/** The per-cycle number columns every GcRun has (besides `forced`), in the order a trace line gives them. */
export const GC_CYCLE_VALUES = [
  'cycle',
  'timeMs',
  'sinceStartS',
  'cpuPercent',
  'stwSweepTermMs',
  'concurrentMarkMs',
  'stwMarkTermMs',
  'cpuSweepTermMs',
  'cpuAssistMs',
  'cpuBackgroundMs',
  'cpuIdleMs',
  'cpuMarkTermMs',
  'heapStartBytes',
  'heapEndBytes',
  'heapLiveBytes',
  'heapGoalBytes',
  'stacksBytes',
  'globalsBytes',
  'procs',
] as const satisfies ReadonlyArray<keyof GcRun>;

/** A scavenger report (`scvg…`/`scav…`), its own record type. */
export interface ScavengerEvent {
  service: string;
  instance: string;
  timeMs: number;
  releasedBytes: number;
  line: string;
  /**
   * Which report: `released` (`scvg…: N MB released`), `summary` (`scvg…: inuse: …`, whose
   * `released` is the running total, so releasedBytes is 0 there) or `scav` (Go 1.14+ scavtrace).
   */
  kind?: 'released' | 'summary' | 'scav';
  /** Total bytes returned to the OS so far (summary and scav lines). */
  totalReleasedBytes?: number;
  /** `inuse` of a summary line, in bytes. */
  inuseBytes?: number;
  /** Heap utilisation % of a scav line (in-use / retained). */
  utilPercent?: number;
  forced?: boolean;
}

export interface GcTrace {
  runs: GcRun[];
  scavenger: ScavengerEvent[];
  /** Lines that were not gctrace at all (other log output, and exact duplicate cycle lines). */
  skipped: number;
  /** Lines that looked like gctrace but did not parse; a few kept to show the user. */
  unparsed: number;
  unparsedExamples: string[];
}
