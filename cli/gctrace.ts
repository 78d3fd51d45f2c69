/**
 * `npm run -s gctrace -- FILE [--base-time-ms N]`: decodes a gctrace log, plain text or JSON lines
 * (`{"ts_ns": …, "line": "…"}` as a log shipper stores them), and prints one JSON object per cycle,
 * then one summary line `{"summary":{…}}`.
 */
import { readFileSync } from 'node:fs';

import { GC_CYCLE_VALUES } from '../src/model/gc';
import { GcTraceBuilder } from '../src/sources/gctrace';

function fail(message: string): never {
  process.stderr.write(`gctrace: ${message}\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
let file = '';
let baseTimeMs = 0;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--base-time-ms') {
    baseTimeMs = Number(args[++i]);
    if (!Number.isFinite(baseTimeMs)) {
      fail('--base-time-ms needs a number (ms since epoch)');
    }
  } else if (!file) {
    file = args[i];
  } else {
    fail(`unexpected argument ${args[i]}`);
  }
}
if (!file) {
  fail('usage: npm run -s gctrace -- FILE [--base-time-ms N]');
}

let text: string;
try {
  text = readFileSync(file, 'utf8');
} catch (e) {
  fail(`cannot read ${file}: ${(e as Error).message}`);
}

const builder = new GcTraceBuilder({ baseTimeMs });
const first = text.trimStart();
if (first.startsWith('{')) {
  // JSON lines: a line that is not a JSON object with a string `line` is still a log line.
  for (const raw of text.split('\n')) {
    if (raw.trim() === '') {
      continue;
    }
    let line = raw;
    let timeMs: number | undefined;
    try {
      const o = JSON.parse(raw) as Record<string, unknown>;
      if (o && typeof o === 'object') {
        if (typeof o.line === 'string') {
          line = o.line;
        }
        const ns = Number(o.ts_ns);
        if (Number.isFinite(ns)) {
          timeMs = ns / 1e6;
        }
      }
    } catch {
      // not JSON: scan it as text
    }
    builder.addLine(line, timeMs);
  }
} else {
  builder.addText(text);
}
const trace = builder.finish();

const out: string[] = [];
let cycles = 0;
let forced = 0;
trace.runs.forEach((run, r) => {
  for (let i = 0; i < run.count; i++) {
    const o: Record<string, string | number | boolean | null> = {
      service: run.service,
      instance: run.instance,
      run: r,
    };
    for (const f of GC_CYCLE_VALUES) {
      const v = run[f][i];
      o[f] = Number.isFinite(v) ? v : null;
    }
    o.forced = run.forced[i] === 1;
    forced += run.forced[i];
    out.push(JSON.stringify(o));
    if (out.length >= 4096) {
      process.stdout.write(out.join('\n') + '\n');
      out.length = 0;
    }
  }
  cycles += run.count;
});
out.push(
  JSON.stringify({
    summary: {
      cycles,
      forced,
      runs: trace.runs.length,
      scavenger: trace.scavenger.length,
      skipped: trace.skipped,
      unparsed: trace.unparsed,
    },
  })
);
process.stdout.write(out.join('\n') + '\n');
