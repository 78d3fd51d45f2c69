/**
 * Runs cli/profile-top.ts from an esbuild bundle cached in node_modules/.cache/goperf, rebuilt whenever
 * a file it was built from is newer than it. Same src code as `tsx cli/profile-top.ts`, without the
 * time tsx needs to start and transpile on every run (most of a 100k-sample run).
 *
 *   node scripts/profile-top.mjs FILE [--sample-index NAME]
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = join(ROOT, 'node_modules', '.cache', 'goperf');
const OUT = join(CACHE, 'profile-top.cjs');
const INPUTS = join(CACHE, 'profile-top.inputs.json');

function upToDate() {
  try {
    const built = statSync(OUT).mtimeMs;
    const inputs = JSON.parse(readFileSync(INPUTS, 'utf8'));
    return inputs.length > 0 && inputs.every((f) => statSync(join(ROOT, f)).mtimeMs < built);
  } catch {
    return false;
  }
}

if (!upToDate()) {
  const { buildSync } = await import('esbuild');
  mkdirSync(CACHE, { recursive: true });
  const result = buildSync({
    absWorkingDir: ROOT,
    entryPoints: ['cli/profile-top.ts'],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'warning',
  });
  // Written under a temporary name and renamed, so a concurrent run never loads half a file.
  const tmp = `${OUT}.${process.pid}`;
  writeFileSync(tmp, result.outputFiles[0].contents);
  renameSync(tmp, OUT);
  writeFileSync(INPUTS, JSON.stringify(Object.keys(result.metafile.inputs)));
}

createRequire(import.meta.url)(OUT);
