/**
 * gctrace decoding: 1,000,000 generated Go 1.19 lines (the fixture's format), our char-code scanner
 * (parseGcTraceText) against the obvious peer, one RegExp per line with parseFloat on its 18 groups.
 * Both read the same text and fill columns; medians of 7 runs after a warm-up.
 */
import { parseGcTraceText } from '../src/sources/gctrace';
import { median, reportBench, time } from './report';

const LINES = 1_000_000;
const RUNS = 7;

function generate(n: number): string {
  const out: string[] = new Array(n);
  let seed = 12345;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  let t = 0;
  for (let i = 0; i < n; i++) {
    t += 0.02 + rnd() * 0.2;
    const live = 10 + Math.floor(rnd() * 40);
    const start = live * 2 - 2;
    out[i] =
      `gc ${i + 1} @${t.toFixed(3)}s ${1 + Math.floor(rnd() * 5)}%: ${(rnd() * 0.1).toFixed(3)}+${(rnd() * 10).toFixed(1)}+${(rnd() * 0.2).toFixed(3)} ms clock, ` +
      `${(rnd() * 0.2).toFixed(3)}+${(rnd() * 3).toFixed(2)}/${(rnd() * 5).toFixed(2)}/${(rnd() * 2).toFixed(2)}+${(rnd() * 0.4).toFixed(3)} ms cpu, ` +
      `${start}->${start + 1}->${live} MB, ${live * 2} MB goal, 0 MB stacks, 0 MB globals, 2 P`;
  }
  return out.join('\n') + '\n';
}

const RE =
  /gc (\d+) @([\d.]+)s (\d+)%: ([\d.]+)\+([\d.]+)\+([\d.]+) ms clock, ([\d.]+)\+([\d.]+)\/([\d.]+)\/([\d.]+)\+([\d.]+) ms cpu, (\d+)->(\d+)->(\d+) MB, (\d+) MB goal, (\d+) MB stacks, (\d+) MB globals, (\d+) P/;

function singleRegExp(text: string): number {
  const lines = text.split('\n');
  const cols: Float64Array[] = [];
  for (let c = 0; c < 18; c++) {
    cols.push(new Float64Array(lines.length));
  }
  let n = 0;
  for (const line of lines) {
    const m = RE.exec(line);
    if (!m) {
      continue;
    }
    for (let c = 0; c < 18; c++) {
      cols[c][n] = parseFloat(m[c + 1]);
    }
    n++;
  }
  return n;
}

function ours(text: string): number {
  return parseGcTraceText(text).runs.reduce((s, r) => s + r.count, 0);
}

/** Times a parse and checks it decoded every cycle, so a broken parser cannot look fast. */
function timeParse(parse: () => number, expect: number): number {
  let n = 0;
  const ms = time(() => (n = parse()));
  if (n !== expect) {
    throw new Error(`decoded ${n} cycles, expected ${expect}`);
  }
  return ms;
}

const text = generate(LINES);
ours(text);
singleRegExp(text);
// Interleaved, so a noisy neighbour on a shared machine slows both sides alike.
const oursRuns: number[] = [];
const peerRuns: number[] = [];
for (let i = 0; i < RUNS; i++) {
  oursRuns.push(timeParse(() => ours(text), LINES));
  peerRuns.push(timeParse(() => singleRegExp(text), LINES));
}
const oursMs = median(oursRuns);
const peerMs = median(peerRuns);
process.stdout.write(
  `# gctrace-1m: ours ${Math.round(LINES / (oursMs / 1000))} lines/s, single-regexp ${Math.round(LINES / (peerMs / 1000))} lines/s\n`
);
reportBench('gctrace-1m', oursMs, 'single-regexp', peerMs);
