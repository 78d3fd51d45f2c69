/** @jest-environment node */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import type { GcTrace } from '../model/gc';
import { parseGcTrace, parseGcTraceText } from '../sources/gctrace';
import { gcDerived, gcFindings, mannKendall, senSlope } from './gcFindings';

const FIXTURES = resolve(__dirname, '..', '..', '..', 'shared', 'fixtures');

function checkout(): { trace: GcTrace; baselineEnd: number; incidentEnd: number; recoveryEnd: number } {
  const rows = readFileSync(resolve(FIXTURES, 'go-checkout', 'gctrace.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l)
    .map((l) => JSON.parse(l) as { ts_ns: number; line: string });
  const ends = rows
    .filter((r) => r.line.startsWith('# phase_end='))
    .map((r) => Number(/unix_nano=(\d+)/.exec(r.line)![1]) / 1e6);
  const trace = parseGcTrace(
    rows.map((r) => ({ line: r.line, timeMs: r.ts_ns / 1e6 })),
    { service: 'checkout' }
  );
  return { trace, baselineEnd: ends[0], incidentEnd: ends[1], recoveryEnd: ends[2] };
}

function line(
  n: number,
  atS: number,
  o: { live?: number; assist?: number; bg?: number; forced?: boolean; stw?: number } = {}
): string {
  const live = o.live ?? 10;
  return (
    `gc ${n} @${atS.toFixed(3)}s 1%: ${o.stw ?? 0.02}+1.0+0.02 ms clock, 0.04+${o.assist ?? 0.01}/${o.bg ?? 0.5}/0.1+0.04 ms cpu, ` +
    `${live * 2}->${live * 2 + 1}->${live} MB, ${live * 2} MB goal, 0 MB stacks, 0 MB globals, 2 P${o.forced ? ' (forced)' : ''}`
  );
}

describe('gcFindings on the checkout incident', () => {
  const { trace, baselineEnd, incidentEnd, recoveryEnd } = checkout();
  const findings = gcFindings(trace);

  it('finds thrashing inside the incident phase, and only there', () => {
    const thrash = findings.filter((f) => f.kind === 'thrashing');
    expect(thrash).toHaveLength(1);
    const [f] = thrash;
    expect(f.fromMs).toBeGreaterThanOrEqual(baselineEnd - 500);
    expect(f.toMs).toBeLessThanOrEqual(incidentEnd + 500);
    const overlap = Math.min(f.toMs, incidentEnd) - Math.max(f.fromMs, baselineEnd);
    expect(overlap / (incidentEnd - baselineEnd)).toBeGreaterThan(0.8);
    expect(f.evidence).toMatch(/mark assists took \d+% of GC CPU/);
    expect(f.service).toBe('checkout');
  });

  it('finds the leak in the live heap of the recovery phase', () => {
    const leak = findings.filter((f) => f.kind === 'leak');
    expect(leak).toHaveLength(1);
    expect(leak[0].fromMs).toBeGreaterThanOrEqual(incidentEnd - 500);
    expect(leak[0].toMs).toBeLessThanOrEqual(recoveryEnd);
    expect(leak[0].evidence).toMatch(/rose from 39\.0 MiB to 50\.0 MiB/);
  });

  it('counts STW phases over 100 µs and names the worst', () => {
    const run = trace.runs[0];
    let over = 0;
    let worst = 0;
    for (let i = 0; i < run.count; i++) {
      if (run.stwSweepTermMs[i] > 0.1 || run.stwMarkTermMs[i] > 0.1) {
        over++;
      }
      worst = Math.max(worst, run.stwSweepTermMs[i], run.stwMarkTermMs[i]);
    }
    const stw = findings.filter((f) => f.kind === 'stw');
    expect(stw).toHaveLength(1);
    expect(stw[0].evidence).toContain(`${over} of 510 cycles`);
    expect(stw[0].evidence).toContain(`worst ${worst.toFixed(2)} ms`);
    expect(stw[0].fromMs).toBeLessThan(stw[0].toMs);
    expect(gcFindings(trace, { stwMs: 5 }).some((f) => f.kind === 'stw')).toBe(false);
  });

  it('reports no restart and no forced GC where there is none', () => {
    expect(findings.some((f) => f.kind === 'restart' || f.kind === 'forced')).toBe(false);
  });
});

describe('gcFindings rules', () => {
  it('reports each restart of the tebeka log', () => {
    const text = readFileSync(resolve(FIXTURES, 'public', 'tebeka-map.gctrace.txt'), 'utf8');
    const restarts = gcFindings(parseGcTraceText(text, { baseTimeMs: 0 })).filter((f) => f.kind === 'restart');
    expect(restarts).toHaveLength(3);
    expect(restarts[0].evidence).toMatch(/fell from 18 to 1/);
  });

  it('reports forced cycles', () => {
    const lines = [];
    for (let i = 1; i <= 10; i++) {
      lines.push({ line: line(i, i, { forced: i === 4 || i === 7 }) });
    }
    const forced = gcFindings(parseGcTrace(lines, { baseTimeMs: 0 })).filter((f) => f.kind === 'forced');
    expect(forced).toHaveLength(1);
    expect(forced[0].evidence).toMatch(/^2 cycles were forced.*first gc 4, last gc 7/);
    expect([forced[0].fromMs, forced[0].toMs]).toEqual([4000, 7000]);
  });

  it('flags GC CPU over 25% as critical thrashing, and a quiet service not at all', () => {
    const busy = [];
    const quiet = [];
    for (let i = 1; i <= 60; i++) {
      // 10 cycles/s, each with 30 ms of background marking on 2 P: 15% ... plus 40 ms assist: 35%.
      busy.push({ line: line(i, i / 10, { assist: 40, bg: 30 }) });
      quiet.push({ line: line(i, i * 5, { assist: 0.01, bg: 0.5 }) });
    }
    const b = gcFindings(parseGcTrace(busy, { baseTimeMs: 0 })).filter((f) => f.kind === 'thrashing');
    expect(b).toHaveLength(1);
    expect(b[0].severity).toBe('critical');
    expect(gcFindings(parseGcTrace(quiet, { baseTimeMs: 0 })).filter((f) => f.kind === 'thrashing')).toHaveLength(0);
  });

  it('needs a significant trend for a leak: a noisy flat live heap is not one', () => {
    const flat = [];
    const rising = [];
    let seed = 3;
    for (let i = 1; i <= 200; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const noise = seed % 7;
      flat.push({ line: line(i, i, { live: 100 + noise }) });
      rising.push({ line: line(i, i, { live: 100 + noise + Math.floor(i / 5) }) });
    }
    expect(gcFindings(parseGcTrace(flat, { baseTimeMs: 0 })).some((f) => f.kind === 'leak')).toBe(false);
    const leak = gcFindings(parseGcTrace(rising, { baseTimeMs: 0 })).filter((f) => f.kind === 'leak');
    expect(leak).toHaveLength(1);
    // No pressure episode: the tail is the second half of the run.
    expect(leak[0].fromMs).toBe(101_000);
  });
});

describe('statistics', () => {
  it('computes Mann-Kendall with ties and Sen slope', () => {
    const up = mannKendall([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(up.s).toBe(45);
    expect(up.z).toBeCloseTo(44 / Math.sqrt(125), 10);
    expect(up.p).toBeCloseTo(4.16e-5, 6);
    const tied = mannKendall([1, 1, 2, 2]);
    // S = 4; var = (4*3*13 - 2*(2*1*9)) / 18 = 120/18
    expect(tied.s).toBe(4);
    expect(tied.z).toBeCloseTo(3 / Math.sqrt(120 / 18), 10);
    expect(mannKendall([5, 5, 5]).p).toBeCloseTo(0.5, 6);
    expect(senSlope([0, 1, 2, 3, 4], [0, 2, 4, 6, 100])).toBe(2); // one outlier does not move it
  });
});

describe('gcDerived', () => {
  it('gives pause totals and rates per cycle', () => {
    const lines = [];
    for (let i = 1; i <= 40; i++) {
      lines.push({ line: line(i, i * 0.25, { stw: 0.5 }) });
    }
    const run = parseGcTrace(lines, { baseTimeMs: 0 }).runs[0];
    const d = gcDerived(run, 2000);
    expect(d.pauseMs).toHaveLength(40);
    expect(d.pauseMs[0]).toBeCloseTo(0.52, 12);
    // 4 cycles a second, away from the edges.
    expect(d.cyclesPerSecond[20]).toBeCloseTo(4, 0);
    // (0.04 + 0.01 + 0.5 + 0.04) ms of GC CPU per cycle, 4 cycles/s, 2 P.
    expect(d.gcCpuPercent[20]).toBeCloseTo((100 * 4 * 0.59) / 2000, 2);
    expect(d.assistShare[20]).toBeCloseTo(0.01 / 0.59, 6);
  });
});
