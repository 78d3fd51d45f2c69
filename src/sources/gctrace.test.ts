/** @jest-environment node */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { GcLogLine, parseGcTrace, parseGcTraceText } from './gctrace';

const FIXTURES = resolve(__dirname, '..', '..', '..', 'shared', 'fixtures');
const MIB = 1048576;

function checkoutLines(): GcLogLine[] {
  return readFileSync(resolve(FIXTURES, 'go-checkout', 'gctrace.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => {
      const o = JSON.parse(l) as { ts_ns: number; line: string };
      return { line: o.line, timeMs: o.ts_ns / 1e6 };
    });
}

describe('parseGcTrace on the go-checkout fixture (Go 1.19, log timestamps)', () => {
  const lines = checkoutLines();
  const trace = parseGcTrace(lines, { service: 'checkout' });
  const run = trace.runs[0];

  it('decodes every cycle and skips only the marker lines', () => {
    expect(trace.unparsed).toBe(0);
    expect(trace.unparsedExamples).toEqual([]);
    expect(trace.skipped).toBe(4);
    expect(trace.runs).toHaveLength(1);
    expect(run.count).toBe(510);
    expect(run.service).toBe('checkout');
    expect(run.source).toBe('gctrace');
    expect(Array.from(run.cycle.subarray(0, 3))).toEqual([1, 2, 3]);
    expect(run.cycle[509]).toBe(510);
  });

  it('reads every field of a line', () => {
    // gc 1 @0.018s 1%: 0.045+1.2+0.002 ms clock, 0.091+0.093/0.22/0+0.005 ms cpu, 3->4->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P
    expect(run.sinceStartS[0]).toBe(0.018);
    expect(run.cpuPercent[0]).toBe(1);
    expect(run.stwSweepTermMs[0]).toBe(0.045);
    expect(run.concurrentMarkMs[0]).toBe(1.2);
    expect(run.stwMarkTermMs[0]).toBe(0.002);
    expect(run.cpuSweepTermMs[0]).toBe(0.091);
    expect(run.cpuAssistMs[0]).toBe(0.093);
    expect(run.cpuBackgroundMs[0]).toBe(0.22);
    expect(run.cpuIdleMs[0]).toBe(0);
    expect(run.cpuMarkTermMs[0]).toBe(0.005);
    expect(run.heapStartBytes[0]).toBe(3 * MIB);
    expect(run.heapEndBytes[0]).toBe(4 * MIB);
    expect(run.heapLiveBytes[0]).toBe(1 * MIB);
    expect(run.heapGoalBytes[0]).toBe(4 * MIB);
    expect(run.stacksBytes[0]).toBe(0);
    expect(run.globalsBytes[0]).toBe(0);
    expect(run.procs[0]).toBe(2);
    expect(run.forced[0]).toBe(0);
    // gc 510 @18.386s 1%: 0.044+11+0.21 ms clock, 0.088+0/4.5/0+0.43 ms cpu, 93->95->50 MB, 95 MB goal, …
    const i = 509;
    expect(run.sinceStartS[i]).toBe(18.386);
    expect(run.concurrentMarkMs[i]).toBe(11);
    expect(run.stwMarkTermMs[i]).toBe(0.21);
    expect(run.cpuBackgroundMs[i]).toBe(4.5);
    expect(run.heapLiveBytes[i]).toBe(50 * MIB);
    expect(run.heapGoalBytes[i]).toBe(95 * MIB);
  });

  it('matches a straightforward reading of every line', () => {
    const re =
      /gc (\d+) @([\d.]+)s (\d+)%: ([\d.]+)\+([\d.]+)\+([\d.]+) ms clock, ([\d.]+)\+([\d.]+)\/([\d.]+)\/([\d.]+)\+([\d.]+) ms cpu, (\d+)->(\d+)->(\d+) MB, (\d+) MB goal, (\d+) MB stacks, (\d+) MB globals, (\d+) P/;
    let i = 0;
    for (const { line } of lines) {
      const m = re.exec(line);
      if (!m) {
        continue;
      }
      const v = m.slice(1).map(Number);
      const got = [
        run.cycle[i],
        run.sinceStartS[i],
        run.cpuPercent[i],
        run.stwSweepTermMs[i],
        run.concurrentMarkMs[i],
        run.stwMarkTermMs[i],
        run.cpuSweepTermMs[i],
        run.cpuAssistMs[i],
        run.cpuBackgroundMs[i],
        run.cpuIdleMs[i],
        run.cpuMarkTermMs[i],
        run.heapStartBytes[i] / MIB,
        run.heapEndBytes[i] / MIB,
        run.heapLiveBytes[i] / MIB,
        run.heapGoalBytes[i] / MIB,
        run.stacksBytes[i] / MIB,
        run.globalsBytes[i] / MIB,
        run.procs[i],
      ];
      expect(got).toEqual(v);
      i++;
    }
    expect(i).toBe(510);
  });

  it('anchors the run start on the log timestamps', () => {
    // The program wrote its own start (after runtime init) in the first marker line.
    const marker = /start_unix_nano=(\d+)/.exec(lines[0].line)!;
    const programStartMs = Number(marker[1]) / 1e6;
    expect(Math.abs(run.startMs - programStartMs)).toBeLessThan(30);
    for (let i = 0; i < run.count; i++) {
      expect(run.timeMs[i]).toBeCloseTo(run.startMs + run.sinceStartS[i] * 1000, 6);
      // A shipper stamps a line after it was written, never before.
      expect(run.timeMs[i]).toBeLessThanOrEqual(lines.find((l) => l.line.startsWith(`gc ${i + 1} `))!.timeMs! + 1e-6);
    }
  });

  it('gives the same cycles from the text fast path', () => {
    const text = parseGcTraceText(lines.map((l) => l.line).join('\n'), { baseTimeMs: run.startMs });
    expect(text.runs).toHaveLength(1);
    expect(text.skipped).toBe(4);
    expect(Array.from(text.runs[0].heapLiveBytes)).toEqual(Array.from(run.heapLiveBytes));
    expect(Array.from(text.runs[0].timeMs)).toEqual(Array.from(run.timeMs));
  });
});

describe('parseGcTraceText on public logs', () => {
  it('reads tebeka/gctrace map.gctrace (1.18+, noise lines, three restarts)', () => {
    const text = readFileSync(resolve(FIXTURES, 'public', 'tebeka-map.gctrace.txt'), 'utf8');
    const trace = parseGcTraceText(text, { baseTimeMs: 1_000_000 });
    expect(trace.unparsed).toBe(0);
    expect(trace.skipped).toBe(2); // `# command-line-arguments`
    expect(trace.runs.map((r) => r.count)).toEqual([18, 2, 2, 73]);
    expect(trace.runs[0].startMs).toBe(1_000_000);
    // Without timestamps a restart starts where the previous run ended.
    expect(trace.runs[1].startMs).toBe(trace.runs[0].timeMs[17]);
    // gc 6 @0.312s 7%: 0.016+57+0.010 ms clock, 0.067+23/43/18+0.041 ms cpu, 118->119->99 MB, 118 MB goal, 0 MB stacks, 0 MB globals, 4 P
    const last = trace.runs[3];
    expect(last.cycle[5]).toBe(6);
    expect(last.sinceStartS[5]).toBe(0.312);
    expect(last.cpuPercent[5]).toBe(7);
    expect(last.concurrentMarkMs[5]).toBe(57);
    expect(last.cpuAssistMs[5]).toBe(23);
    expect(last.cpuBackgroundMs[5]).toBe(43);
    expect(last.cpuIdleMs[5]).toBe(18);
    expect(last.heapStartBytes[5]).toBe(118 * MIB);
    expect(last.heapLiveBytes[5]).toBe(99 * MIB);
    expect(last.procs[5]).toBe(4);
  });

  it('maps the five Go 1.5 clock phases onto the three', () => {
    const text = readFileSync(resolve(FIXTURES, 'public', 'go-gcstats-go15.gctrace.txt'), 'utf8');
    const trace = parseGcTraceText(text);
    expect(trace.unparsed).toBe(0);
    expect(trace.skipped).toBe(1);
    expect(trace.runs).toHaveLength(1);
    const run = trace.runs[0];
    expect(run.count).toBe(17);
    // gc 1 @0.019s 5%: 0.11+1.1+2.2+1.4+0.59 ms clock, 0.22+1.1+0+1.5/1.0/2.1+1.1 ms cpu, 4->4->1 MB, 4 MB goal, 4 P
    expect(run.stwSweepTermMs[0]).toBe(0.11);
    expect(run.concurrentMarkMs[0]).toBeCloseTo(1.1 + 2.2 + 1.4, 12); // scan + install WB + mark
    expect(run.stwMarkTermMs[0]).toBe(0.59);
    expect(run.cpuSweepTermMs[0]).toBe(0.22);
    expect(run.cpuAssistMs[0]).toBe(1.5);
    expect(run.cpuBackgroundMs[0]).toBeCloseTo(1.0 + 1.1 + 0, 12); // background + scan + install WB
    expect(run.cpuIdleMs[0]).toBe(2.1);
    expect(run.cpuMarkTermMs[0]).toBe(1.1);
    expect(run.heapLiveBytes[0]).toBe(MIB);
    expect(Number.isNaN(run.stacksBytes[0])).toBe(true);
    expect(Number.isNaN(run.globalsBytes[0])).toBe(true);
    expect(run.procs[0]).toBe(4);
  });
});

describe('line formats', () => {
  it('reads the 1.6-1.17 format and the forced suffix', () => {
    const t = parseGcTraceText(
      'gc 318 @36.750s 0%: 0.022+0.27+0.040 ms clock, 0.13+0.60/0.43/0.031+0.24 ms cpu, 4->4->0 MB, 5 MB goal, 8 P\n' +
        'gc 319 @36.800s 0%: 0.022+0.27+0.040 ms clock, 0.13+0.60/0.43/0.031+0.24 ms cpu, 4->4->0 MB, 5 MB goal, 8 P (forced)\n'
    );
    const r = t.runs[0];
    expect(r.count).toBe(2);
    expect(r.cpuIdleMs[0]).toBe(0.031);
    expect(r.heapGoalBytes[0]).toBe(5 * MIB);
    expect(Number.isNaN(r.stacksBytes[0])).toBe(true);
    expect(r.procs[0]).toBe(8);
    expect(Array.from(r.forced)).toEqual([0, 1]);
  });

  it('finds the trace after any log prefix and inside JSON', () => {
    const body =
      'gc 7 @0.070s 6%: 2.8+1.2+0.35 ms clock, 5.6+0/0.98/0+0.70 ms cpu, 3->4->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P';
    const t = parseGcTrace([
      { line: `2024-05-01T10:00:00.123Z stderr F ${body}` },
      { line: `level=info ts=2024-05-01 msg="${body.replace('gc 7', 'gc 8')}"` },
      { line: JSON.stringify({ log: body.replace('gc 7', 'gc 9') + '\n', stream: 'stderr' }) },
      { line: `I0501 10:00:00.1 main.go:1] ${body.replace('gc 7', 'gc 10')} (forced)` },
      { line: 'debug gc 12 is not a trace line; msgc 3 @x neither' },
    ]);
    expect(t.unparsed).toBe(0);
    expect(t.skipped).toBe(1);
    expect(Array.from(t.runs[0].cycle)).toEqual([7, 8, 9, 10]);
    expect(Array.from(t.runs[0].forced)).toEqual([0, 0, 0, 1]);
    expect(t.runs[0].stwSweepTermMs[2]).toBe(2.8);
  });

  it('keeps scavenger lines of every version as their own series', () => {
    const t = parseGcTrace([
      { line: 'scvg0: inuse: 3, idle: 0, sys: 3, released: 1, consumed: 2 (MB)', timeMs: 1000 },
      { line: 'scvg12: 12 MB released', timeMs: 2000 },
      { line: 'scvg: 8 MB released', timeMs: 3000 },
      { line: 'scav 0 KiB work, 512 KiB total, 99% util', timeMs: 4000 },
      { line: 'scav 3 64 KiB work, 1024 KiB total, 97% util (forced)', timeMs: 5000 },
      { line: 'scav 16 KiB work (bg), 32 KiB work (eager), 4344 KiB now, 99% util', timeMs: 6000 },
    ]);
    expect(t.unparsed).toBe(0);
    expect(t.skipped).toBe(0);
    expect(t.runs).toHaveLength(0);
    expect(t.scavenger.map((e) => [e.kind, e.releasedBytes, e.timeMs])).toEqual([
      ['summary', 0, 1000],
      ['released', 12 * MIB, 2000],
      ['released', 8 * MIB, 3000],
      ['scav', 0, 4000],
      ['scav', 64 * 1024, 5000],
      ['scav', 48 * 1024, 6000],
    ]);
    expect(t.scavenger[0].totalReleasedBytes).toBe(MIB);
    expect(t.scavenger[0].inuseBytes).toBe(3 * MIB);
    expect(t.scavenger[4].forced).toBe(true);
    expect(t.scavenger[5].totalReleasedBytes).toBe(4344 * 1024);
    expect(t.scavenger[5].utilPercent).toBe(99);
  });

  it('gives scavenger lines without a timestamp the time of the cycle before them', () => {
    const t = parseGcTraceText(
      'gc 1 @1.000s 0%: 0.01+0.1+0.01 ms clock, 0.01+0.1/0.1/0+0.01 ms cpu, 4->4->1 MB, 4 MB goal, 2 P\nscav 1 KiB work, 2 KiB total, 50% util\n',
      { baseTimeMs: 10_000 }
    );
    expect(t.scavenger[0].timeMs).toBe(11_000);
  });

  it('splits runs on restarts and series on labels, and drops repeated lines', () => {
    const line = (n: number, at: number) =>
      `gc ${n} @${at.toFixed(3)}s 0%: 0.01+0.1+0.01 ms clock, 0.01+0.1/0.1/0+0.01 ms cpu, 4->4->1 MB, 4 MB goal, 2 P`;
    const t = parseGcTrace([
      { line: line(5, 10), timeMs: 100_000, instance: 'a' },
      { line: line(1, 0.5), timeMs: 100_000, instance: 'b' },
      { line: line(6, 11), timeMs: 101_000, instance: 'a' },
      { line: line(6, 11), timeMs: 101_000, instance: 'a' },
      { line: line(1, 0.2), timeMs: 102_000, instance: 'a' },
      { line: line(2, 1.5), timeMs: 101_000, instance: 'b' },
    ]);
    expect(t.skipped).toBe(1);
    expect(t.runs.map((r) => [r.instance, Array.from(r.cycle)])).toEqual([
      ['a', [5, 6]],
      ['a', [1]],
      ['b', [1, 2]],
    ]);
    expect(t.runs[0].startMs).toBe(90_000);
    expect(t.runs[1].startMs).toBe(101_800);
    expect(t.runs[2].timeMs[1]).toBe(101_000);
  });
});

describe('bad input', () => {
  const good =
    'gc 1 @0.018s 1%: 0.045+1.2+0.002 ms clock, 0.091+0.093/0.22/0+0.005 ms cpu, 3->4->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P';

  it('counts binary garbage as skipped lines', () => {
    let seed = 7;
    const bytes = new Uint8Array(200_000);
    for (let i = 0; i < bytes.length; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      bytes[i] = seed & 0xff;
    }
    const text = Buffer.from(bytes).toString('latin1');
    const t = parseGcTraceText(text);
    expect(t.runs).toHaveLength(0);
    expect(t.unparsed).toBe(0);
    expect(t.skipped).toBe(text.split('\n').length);
  });

  it('counts every cut-off line as unparsed (or skipped before `gc N @`), never as a cycle', () => {
    const lines: GcLogLine[] = [];
    for (let n = 1; n < good.length; n++) {
      lines.push({ line: good.slice(0, n) });
    }
    const t = parseGcTrace(lines);
    expect(t.runs).toHaveLength(0);
    const looksLike = lines.filter((l) => /gc \d+ @/.test(l.line)).length;
    expect(t.unparsed).toBe(looksLike);
    expect(t.skipped).toBe(lines.length - looksLike);
    expect(t.unparsedExamples).toHaveLength(5);
    expect(t.unparsedExamples[0]).toBe('gc 1 @');
  });

  it('survives a 10 MB line, with and without a trace in it', () => {
    const big = 'x'.repeat(10 * MIB);
    const t = parseGcTraceText(`${big}\n${big} ${good}\ngc 1 @${'9'.repeat(10 * MIB)}s\n`);
    expect(t.skipped).toBe(1);
    expect(t.runs[0].count).toBe(1);
    expect(t.unparsed).toBe(1);
    expect(t.unparsedExamples[0].length).toBe(300);
  });

  it('refuses absurd numbers instead of storing them', () => {
    const t = parseGcTrace([
      { line: good.replace('gc 1 ', `gc ${'9'.repeat(30)} `) },
      { line: good.replace('3->4->1 MB', `3->4->${'1'.repeat(25)} MB`) },
      { line: good.replace('0.045+1.2+0.002', '0.045+1.2+0.002+1+2+3+4+5+6') },
      { line: good.replace('0.091+0.093/0.22/0+0.005', '0.091+0.093/0.22/0/1+0.005') },
      { line: good.replace('@0.018s', '@0.s') },
      { line: good.replace('@0.018s', '@-0.018s') },
      { line: good.replace('gc 1 ', 'gc 1.5 ') }, // not `gc <n> @`: not a trace line at all
    ]);
    expect(t.runs).toHaveLength(0);
    expect(t.unparsed).toBe(6);
    expect(t.skipped).toBe(1);
  });

  it('treats a non-string line as an empty one', () => {
    const t = parseGcTrace([{ line: undefined as unknown as string }, { line: good }]);
    expect(t.skipped).toBe(1);
    expect(t.runs[0].count).toBe(1);
  });
});

describe('npm run gctrace (cli/gctrace.ts)', () => {
  const run = (file: string) =>
    spawnSync(process.execPath, ['--import', 'tsx', resolve(__dirname, '..', '..', 'cli', 'gctrace.ts'), file], {
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('prints one object per cycle and the summary last, for JSON lines', () => {
    const out = run(resolve(FIXTURES, 'go-checkout', 'gctrace.jsonl'));
    expect(out.status).toBe(0);
    const lines = out.stdout.trim().split('\n');
    expect(lines).toHaveLength(511);
    expect(JSON.parse(lines[0])).toMatchObject({ cycle: 1, sinceStartS: 0.018, heapLiveBytes: MIB, forced: false });
    expect(JSON.parse(lines[510])).toEqual({
      summary: { cycles: 510, forced: 0, runs: 1, scavenger: 0, skipped: 4, unparsed: 0 },
    });
  });

  it('reads plain text and fails clearly on a missing file', () => {
    const out = run(resolve(FIXTURES, 'public', 'tebeka-map.gctrace.txt'));
    expect(JSON.parse(out.stdout.trim().split('\n').pop()!)).toEqual({
      summary: { cycles: 95, forced: 0, runs: 4, scavenger: 0, skipped: 2, unparsed: 0 },
    });
    const missing = run('/nonexistent/gctrace.log');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/cannot read \/nonexistent\/gctrace.log/);
  });
});
