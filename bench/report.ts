/**
 * What every benchmark shares: the median of its runs and the one-line report format that
 * `npm run bench` promises, `BENCH <name> ours_ms=<median> peer=<package> peer_ms=<median> ratio=<peer/ours>`.
 */

/** Median of the runs (the mean of the middle two for an even count). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Milliseconds `fn` takes. */
export function time(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

/**
 * Writes one comparison line. A side that could not be measured is NaN and prints as FAILED;
 * `extra` is appended as is (e.g. ` peak_mb=431`).
 */
export function reportBench(name: string, oursMs: number, peer: string, peerMs: number, extra = ''): void {
  const ms = (v: number) => (Number.isNaN(v) ? 'FAILED' : v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2));
  const ratio = Number.isNaN(oursMs) || Number.isNaN(peerMs) || oursMs <= 0 ? 'n/a' : (peerMs / oursMs).toFixed(2);
  process.stdout.write(`BENCH ${name} ours_ms=${ms(oursMs)} peer=${peer} peer_ms=${ms(peerMs)} ratio=${ratio}${extra}\n`);
}
