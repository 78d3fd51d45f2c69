#!/usr/bin/env node
/**
 * `npm start`: builds the plugin, bundles the playground host page and serves both on localhost.
 * The host loads the *built* dist/module.js through SystemJS exactly as Grafana does.
 *
 *   npm start -- [--port 3030] [--data DIR] [--no-build]
 *
 * --data DIR: files under DIR can be opened with ?profile=<path>&gctrace=<path>.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

import { grafanaIcon } from './grafanaIcons.mjs';
import { bundleHost } from './playground-bundle.mjs';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const value = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};

const port = Number(value('port', process.env.PORT || 3030));
const dataDir = resolve(value('data', join(root, 'playground', 'data')));

if (!flag('no-build')) {
  const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    process.exit(build.status ?? 1);
  }
}
if (!existsSync(join(root, 'dist', 'module.js'))) {
  process.stderr.write('dist/module.js is missing: run `npm run build` first (or drop --no-build).\n');
  process.exit(1);
}
const hostDir = await bundleHost(root);

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.jsonl': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.css': 'text/css',
  '.woff2': 'font/woff2',
};

const fontsource = (pkg, file) => join(root, 'node_modules', '@fontsource', pkg, 'files', file);
/** Fonts Grafana's server provides to every page (from @fontsource here); icons: grafanaIcons.mjs. */
const grafanaAssets = {
  '/public/fonts/inter/Inter-Regular.woff2': fontsource('inter', 'inter-latin-400-normal.woff2'),
  '/public/fonts/inter/Inter-Italic.woff2': fontsource('inter', 'inter-latin-400-italic.woff2'),
  '/public/fonts/inter/Inter-Medium.woff2': fontsource('inter', 'inter-latin-500-normal.woff2'),
  '/public/fonts/inter/Inter-MediumItalic.woff2': fontsource('inter', 'inter-latin-500-italic.woff2'),
};
const robotoMono = fontsource('roboto-mono', 'roboto-mono-latin-400-normal.woff2');

/** Maps a URL prefix to a folder; refuses paths that climb out of it. */
const mounts = [
  ['/dist/', join(root, 'dist')],
  ['/public/plugins/goperf-flamegc-panel/', join(root, 'dist')],
  ['/systemjs/', join(root, 'node_modules', 'systemjs', 'dist')],
  ['/fixtures/', join(root, 'playground', 'data')],
  ['/files/', dataDir],
  ['/', hostDir],
];

function fileFor(urlPath) {
  const path = decodeURIComponent(urlPath === '/' ? '/index.html' : urlPath);
  if (grafanaAssets[path]) {
    return grafanaAssets[path];
  }
  if (path.startsWith('/public/fonts/roboto/')) {
    return robotoMono;
  }
  for (const [prefix, dir] of mounts) {
    if (path.startsWith(prefix)) {
      const file = resolve(dir, '.' + path.slice(prefix.length - 1));
      if (file !== dir && !file.startsWith(dir + sep)) {
        return undefined;
      }
      if (existsSync(file) && statSync(file).isFile()) {
        return file;
      }
    }
  }
  return undefined;
}

const server = createServer((req, res) => {
  let file;
  let path = '/';
  try {
    path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const icon = grafanaIcon(root, path);
    if (icon) {
      res.writeHead(200, { 'content-type': 'image/svg+xml' });
      res.end(icon);
      return;
    }
    file = fileFor(path);
  } catch {
    file = undefined;
  }
  if (!file) {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
    return;
  }
  res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
  createReadStream(file).pipe(res);
});

server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`Playground: http://localhost:${port}/\n`);
  process.stdout.write(`Open your own files with http://localhost:${port}/?profile=<path>&gctrace=<path> (paths under ${dataDir})\n`);
});
