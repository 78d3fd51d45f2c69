/**
 * pprof decode + call-tree build, ours vs the `pprof-format` npm package (decode) with a plain nested
 * Map tree keyed by function name; and our profile:top CLI vs `go tool pprof -top`, whole processes
 * (the CLI both from its cached bundle, scripts/profile-top.cjs, and through tsx).
 *
 *   npx tsx bench/pprof.bench.ts            (npm run bench runs it with --expose-gc)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'fflate';
import { Profile } from 'pprof-format';
import { decodePprof } from '../src/sources/pprof';
import { buildTree } from '../src/transforms/labels';
import { generatePprofBytes } from './gen/pprofGenerator';
import { median, reportBench, time } from './report';

const ROOT = resolve(__dirname, '..');
const LARGE = resolve(ROOT, '../shared/fixtures/public/pprof-large.cpu.pb.gz');
const GEN_VERSION = 1;

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Each run starts from a collected heap, so one side's garbage is not charged to the other. */
function timeAfterGc(fn: () => unknown): number {
  gc();
  return time(fn);
}

function ours(bytes: Uint8Array): number {
  return buildTree(decodePprof(bytes)).size;
}

interface MapNode {
  self: number;
  total: number;
  children: Map<string, MapNode>;
}

/** The peer path: pprof-format decode, then a nested Map per node keyed by function name. */
function peer(bytes: Uint8Array): number {
  const p = Profile.decode(gunzipSync(bytes));
  const strings = p.stringTable.strings;
  const fnName = new Map<string, string>();
  for (const f of p.function) {
    fnName.set(String(f.id), strings[Number(f.name)]);
  }
  const locFrames = new Map<string, string[]>();
  for (const l of p.location) {
    const names = l.line.map((ln) => fnName.get(String(ln.functionId)) ?? '<unknown>').reverse();
    locFrames.set(String(l.id), names.length ? names : ['<unknown>']);
  }
  const t = p.sampleType.length - 1;
  const root: MapNode = { self: 0, total: 0, children: new Map() };
  let nodes = 1;
  for (const s of p.sample) {
    const v = Number(s.value[t]);
    let node = root;
    node.total += v;
    for (let i = s.locationId.length - 1; i >= 0; i--) {
      for (const name of locFrames.get(String(s.locationId[i])) ?? []) {
        let child = node.children.get(name);
        if (!child) {
          child = { self: 0, total: 0, children: new Map() };
          node.children.set(name, child);
          nodes++;
        }
        child.total += v;
        node = child;
      }
    }
    node.self += v;
  }
  return nodes;
}

function compare(name: string, bytes: Uint8Array, runs: number, extra = ''): void {
  const ourNodes = ours(bytes); // warm-up, and a sanity check that both build the same tree size
  const peerNodes = peer(bytes);
  const o: number[] = [];
  const p: number[] = [];
  for (let i = 0; i < runs; i++) {
    o.push(timeAfterGc(() => ours(bytes)));
    p.push(timeAfterGc(() => peer(bytes)));
  }
  const om = median(o);
  const pm = median(p);
  if (ourNodes !== peerNodes) {
    // Expected only when a function appears both inlined and not under one parent (we keep both).
    process.stderr.write(`# ${name}: tree sizes differ: ours ${ourNodes} nodes, peer ${peerNodes}\n`);
  }
  reportBench(name, om, 'pprof-format', pm, extra);
}

function cached(name: string, make: () => Uint8Array): string {
  const path = join(tmpdir(), `goperf-${name}-v${GEN_VERSION}.pb.gz`);
  if (!existsSync(path)) {
    writeFileSync(path, make());
  }
  return path;
}

/** Peak RSS (MB) of one decode + tree build of `file` in a fresh process. */
function peakMb(file: string): number {
  const run = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--peak', file], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const m = /PEAK_KB=(\d+)/.exec(run.stdout);
  if (!m) {
    throw new Error(`peak measurement failed: ${run.stderr}`);
  }
  return Number(m[1]) / 1024;
}

function wholeProcess(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const t = performance.now();
  execFileSync(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 28 });
  return performance.now() - t;
}

function hasGo(): boolean {
  return spawnSync('go', ['version'], { encoding: 'utf8' }).status === 0;
}

function main(): void {
  if (process.argv[2] === '--peak') {
    ours(readFileSync(process.argv[3]));
    process.stdout.write(`PEAK_KB=${process.resourceUsage().maxRSS}\n`);
    return;
  }

  compare('pprof-decode-large', readFileSync(LARGE), 7);

  const file1m = cached('pprof-1m', () => generatePprofBytes({ samples: 1_000_000, nodes: 200_000, seed: 1 }));
  const peak = peakMb(file1m);
  compare('pprof-decode-1m', readFileSync(file1m), 3, ` peak_mb=${peak.toFixed(0)}`);

  if (!hasGo()) {
    process.stdout.write('BENCH profile-top-cli-100k SKIPPED reason=go-not-on-PATH\n');
    return;
  }
  const file100k = cached('pprof-100k', () => generatePprofBytes({ samples: 100_000, nodes: 25_000, seed: 2 }));
  const goArgs = ['tool', 'pprof', '-top', '-nodecount=1000000', '-nodefraction=0', '-edgefraction=0', file100k];
  // scripts/profile-top.cjs runs cli/profile-top.ts from a cached esbuild bundle (what the npm script
  // should run); the -tsx line is the same program transpiled by tsx on every start.
  const launcher = [join(ROOT, 'scripts/profile-top.cjs'), file100k];
  const tsx = ['--import', 'tsx', join(ROOT, 'cli/profile-top.ts'), file100k];
  // NODE_EXTRA_CA_CERTS makes Node 20 load that CA bundle at every start, before any script runs
  // (nodejs/node#40524; lazy only in later Node versions). This machine sets it: `node -e 0` takes
  // 61 ms with it, 25 ms without. Neither program uses TLS and a user's shell does not normally set
  // it, so both run without it; when it is set, the -inherited-env line shows the CLI paying for it.
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  const extraCaCertsSet = process.env.NODE_EXTRA_CA_CERTS !== undefined;
  // Warm-up: builds the bundle, fills the tsx transform cache and go's build cache.
  wholeProcess(process.execPath, launcher, env);
  wholeProcess(process.execPath, tsx, env);
  wholeProcess('go', goArgs, env);
  const o: number[] = [];
  const t: number[] = [];
  const inherited: number[] = [];
  const p: number[] = [];
  for (let run = 0; run < 5; run++) {
    o.push(wholeProcess(process.execPath, launcher, env));
    t.push(wholeProcess(process.execPath, tsx, env));
    if (extraCaCertsSet) {
      inherited.push(wholeProcess(process.execPath, launcher));
    }
    p.push(wholeProcess('go', goArgs, env));
  }
  const pm = median(p);
  const lines: Array<[string, number[]]> = [
    ['profile-top-cli-100k', o],
    ['profile-top-cli-100k-tsx', t],
  ];
  if (extraCaCertsSet) {
    lines.push(['profile-top-cli-100k-inherited-env', inherited]);
  }
  for (const [name, runs] of lines) {
    reportBench(name, median(runs), 'go-tool-pprof', pm);
  }
}

main();
