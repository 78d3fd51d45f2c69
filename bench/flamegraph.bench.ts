/**
 * Flame graph view, ours vs @grafana/flamegraph 13.0.1, in headless Chromium on the same seeded
 * nested-set trees (1k, 16k, 100k, 1M nodes; bench/gen/flameTree.ts). Each side is its own esbuild
 * bundle on its own page, served from a temp dir on 127.0.0.1. Times run from "DataFrame handed
 * over" to the last canvas draw call (ours includes our nested-set import): first draw, redraw
 * after a resize, focus on a frame (ours: a click; the peer: its context menu's "Focus block",
 * which it only offers with its header shown, so it is remounted that way first, untimed).
 * Both sides are timed on the graph alone: the peer with showFlameGraphOnly, ours with its toolbar
 * off. The `-with-toolbar` lines time our graph with the toolbar the panel shows by default,
 * against the same peer runs. The `-cold` lines time a first draw in a fresh page per run, when no
 * code of either view has run yet, as when a dashboard opens (the other lines are warm: WARMUP
 * untimed rounds first). The `-default-layout` lines time a warm first draw of each view as Grafana
 * shows it by default, top table included: ours with its toolbar and the table beside the graph
 * (the panel's default view), the peer with its header, table and graph (its own default). The
 * peer's split panes keep their width when the page is resized, so there is no redraw line for it
 * in that layout. Then retained heap at 1M: JS heap + ArrayBuffer backing stores after a
 * forced GC, with the view mounted, minus the page holding only the input frame.
 *
 *   npx tsx bench/flamegraph.bench.ts [runs] [sizes, e.g. 1k,16k]
 */
import { Plugin, build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Browser, Page, chromium } from 'playwright-core';
import { grafanaIcon } from '../scripts/grafanaIcons.mjs';
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from '../tests/chromium';
import { median, reportBench } from './report';

const ROOT = resolve(__dirname, '..');
const RUNS = Math.max(5, Number(process.argv[2]) || 5);
const ALL_SIZES: Array<[string, number]> = [
  ['1k', 1000],
  ['16k', 16000],
  ['100k', 100000],
  ['1m', 1000000],
];
const only = process.argv[3]?.split(',');
const SIZES = ALL_SIZES.filter(([label]) => !only || only.includes(label));
const SEED = 42;
/**
 * Untimed rounds before the timed ones. V8 optimizes the hot code of both views over the first
 * rounds: a function that runs once per draw needs a few draws before it is compiled, and the
 * compiler runs on a background thread. After a single untimed round, the first one or two timed
 * first draws of ours at 16k took 9-12 ms against 6-8 ms later. The peer gains too: its warm first
 * draws at 100k took 102-130 ms after one untimed round and 65-97 ms after three.
 */
const WARMUP = 3;
const PEER = '@grafana/flamegraph';

/** See bench/flamegraph/scrollbarsShim.ts. */
const scrollbarsInterop: Plugin = {
  name: 'scrollbars-interop',
  setup(b) {
    b.onResolve({ filter: /^react-custom-scrollbars-2$/ }, () => ({ path: join(ROOT, 'bench/flamegraph/scrollbarsShim.ts') }));
  },
};

async function bundle(dir: string): Promise<void> {
  for (const side of ['ours', 'peer']) {
    await build({
      entryPoints: [join(ROOT, 'bench/flamegraph', `${side}.tsx`)],
      bundle: true,
      minify: true,
      format: 'iife',
      platform: 'browser',
      target: 'chrome120',
      outfile: join(dir, `${side}.js`),
      define: { 'process.env.NODE_ENV': '"production"', global: 'window' },
      loader: { '.svg': 'text', '.woff': 'empty', '.woff2': 'empty', '.png': 'empty', '.css': 'empty' },
      jsx: 'automatic',
      plugins: [scrollbarsInterop],
      logLevel: 'error',
    });
    writeFileSync(
      join(dir, `${side}.html`),
      `<!doctype html><html><head><meta charset="utf-8"></head><body style="margin:0">` +
        `<div id="root"></div><script src="${side}.js"></script></body></html>`
    );
  }
}

/** The pages, and @grafana/ui's icons as Grafana serves them (see scripts/grafanaIcons.mjs). */
function serve(dir: string): Promise<{ url: string; close: () => void }> {
  const server = createServer((req, res) => {
    const name = (req.url ?? '/').split('?')[0].replace(/^\/+/, '');
    const icon = grafanaIcon(ROOT, `/${name}`);
    if (icon) {
      res.writeHead(200, { 'content-type': 'image/svg+xml' });
      res.end(icon);
      return;
    }
    if (!/^[a-z]+\.(html|js)$/.test(name)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': name.endsWith('.js') ? 'text/javascript' : 'text/html' });
    res.end(readFileSync(join(dir, name)));
  });
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () =>
      ok({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() })
    )
  );
}

type Bench = Record<'generate' | 'firstDraw' | 'redraw' | 'focus' | 'unmount' | 'dropInput', (...a: number[]) => number>;

async function openPage(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('pageerror', (e) => process.stderr.write(`# page error: ${e.message}\n`));
  await page.goto(url);
  await page.waitForFunction(() => 'bench' in window);
  return page;
}

function call(page: Page, method: keyof Bench, ...args: number[]): Promise<number> {
  return page.evaluate(
    ([m, a]) => (window as unknown as { bench: Bench }).bench[m as keyof Bench](...(a as number[])),
    [method, args] as const
  );
}

interface Timings {
  first: number[];
  redraw: number[];
  focus: number[];
}

/**
 * WARMUP untimed rounds, then RUNS measured rounds, each from a fresh mount. With `firstOnly`
 * a round is a first draw alone (redraw and focus stay empty).
 */
async function measure(browser: Browser, url: string, size: number, firstOnly = false): Promise<Timings> {
  const page = await openPage(browser, url);
  await call(page, 'generate', size, SEED);
  const t: Timings = { first: [], redraw: [], focus: [] };
  for (let r = 1 - WARMUP; r <= RUNS; r++) {
    const first = await call(page, 'firstDraw');
    if (!firstOnly) {
      const redraw = await call(page, 'redraw');
      // The peer focuses through its context menu; if that cannot be driven, report FAILED for focus only.
      const focus = await call(page, 'focus').catch(() => -1);
      if (r > 0) {
        t.redraw.push(redraw);
        t.focus.push(focus);
      }
    }
    await call(page, 'unmount');
    if (r > 0) {
      t.first.push(first);
    }
  }
  await page.close();
  return t;
}

/** First draw in a fresh page per run: nothing has been compiled or cached yet. */
async function measureCold(browser: Browser, url: string, size: number): Promise<number[]> {
  const t: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const page = await openPage(browser, url);
    try {
      await call(page, 'generate', size, SEED);
      t.push(await call(page, 'firstDraw'));
    } finally {
      // A side that fails (the caller reports it) must not leave its page running under the next runs.
      await page.close();
    }
  }
  return t;
}

async function heapMb(browser: Browser, url: string, size: number): Promise<number> {
  const page = await openPage(browser, url);
  const cdp = await page.context().newCDPSession(page);
  const used = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    const u = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number };
    return u.usedSize + (u.backingStorageSize ?? 0);
  };
  await call(page, 'generate', size, SEED);
  const before = await used();
  await call(page, 'firstDraw');
  const after = await used();
  await page.close();
  return (after - before) / (1024 * 1024);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'flamegraph-bench-'));
  let browser: Browser | null = null;
  let server: { url: string; close: () => void } | null = null;
  try {
    await bundle(dir);
    server = await serve(dir);
    browser = await chromium.launch({
      executablePath: CHROMIUM_EXECUTABLE,
      args: [...CHROMIUM_ARGS, '--js-flags=--expose-gc'],
    });
    for (const [label, size] of SIZES) {
      const ours = await measure(browser, `${server.url}/ours.html`, size);
      let peer: Timings | null = null;
      try {
        peer = await measure(browser, `${server.url}/peer.html`, size);
      } catch (e) {
        process.stderr.write(`# peer failed at ${label}: ${e instanceof Error ? e.message : String(e)}\n`);
      }
      const rows: Array<[string, number[], number[] | undefined, string?]> = [
        ['first-draw', ours.first, peer?.first],
        ['redraw', ours.redraw, peer?.redraw],
        ['focus', ours.focus, peer?.focus],
      ];
      // The same rounds as above, focus included (it shapes the next round's heap); its focus is not reported.
      const withToolbar = await measure(browser, `${server.url}/ours.html?toolbar`, size);
      rows.push(['first-draw', withToolbar.first, peer?.first, '-with-toolbar']);
      rows.push(['redraw', withToolbar.redraw, peer?.redraw, '-with-toolbar']);
      const oursCold = await measureCold(browser, `${server.url}/ours.html`, size);
      const peerCold = await measureCold(browser, `${server.url}/peer.html`, size).catch((e) => {
        process.stderr.write(`# peer failed cold at ${label}: ${e instanceof Error ? e.message : String(e)}\n`);
        return undefined;
      });
      rows.push(['first-draw', oursCold, peerCold, '-cold']);
      const oursDefault = await measure(browser, `${server.url}/ours.html?toolbar&view=both`, size, true);
      const peerDefault = await measure(browser, `${server.url}/peer.html?default-layout`, size, true).catch((e) => {
        process.stderr.write(`# peer failed in its default layout at ${label}: ${e instanceof Error ? e.message : String(e)}\n`);
        return undefined;
      });
      rows.push(['first-draw', oursDefault.first, peerDefault?.first, '-default-layout']);
      for (const [what, o, p, variant = ''] of rows) {
        // Every run, not only the medians: both sides vary run to run on a shared 2-core VM.
        const runs = (xs: number[] | undefined) => (xs ?? []).map((v) => v.toFixed(1)).join(' ');
        process.stderr.write(`# flamegraph-${what}-${label}${variant} runs: ours ${runs(o)} | peer ${runs(p)}\n`);
        // A negative run means that side could not be driven: the median would be meaningless.
        const om = o.every((v) => v >= 0) ? median(o) : NaN;
        const pm = p && p.length > 0 && p.every((v) => v >= 0) ? median(p) : NaN;
        reportBench(`flamegraph-${what}-${label}${variant}`, om, PEER, pm);
      }
    }
    if (only && !only.includes('1m')) {
      return;
    }
    const oursMb = await heapMb(browser, `${server.url}/ours.html`, 1000000);
    const peerMb = await heapMb(browser, `${server.url}/peer.html`, 1000000);
    process.stdout.write(`BENCH flamegraph-heap-1m ours_mb=${oursMb.toFixed(1)} peer=${PEER} peer_mb=${peerMb.toFixed(1)}\n`);
  } finally {
    await browser?.close();
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
