/** Bundles the playground host page (React, @grafana/* and the fixture data source) with esbuild. */
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export async function bundleHost(root) {
  const outdir = join(root, '.playground-build');
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: [join(root, 'playground', 'host.tsx')],
    bundle: true,
    outfile: join(outdir, 'host.js'),
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    sourcemap: true,
    // UMD packages (lodash) would see SystemJS's global AMD `define` and skip module.exports.
    define: { 'process.env.NODE_ENV': '"production"', global: 'window', define: 'undefined' },
    loader: { '.svg': 'text', '.woff': 'empty', '.woff2': 'empty', '.ttf': 'empty', '.png': 'empty' },
    logLevel: 'warning',
    tsconfig: join(root, 'tsconfig.json'),
  });
  copyFileSync(join(root, 'playground', 'index.html'), join(outdir, 'index.html'));
  return outdir;
}
