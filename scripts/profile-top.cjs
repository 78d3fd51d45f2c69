/**
 * Runs cli/profile-top.ts from an esbuild bundle cached in node_modules/.cache/goperf, rebuilt whenever
 * a file it was built from is newer than it. Same src code as `tsx cli/profile-top.ts`, without the
 * time tsx needs to start and transpile on every run (most of a 100k-sample run). CommonJS, because
 * Node's ESM loader alone adds about 10 ms to every start.
 *
 *   node scripts/profile-top.cjs FILE [--sample-index NAME]
 */
const { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } = require('node:fs');
const { join, resolve } = require('node:path');

const ROOT = resolve(__dirname, '..');
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

/**
 * fflate's Node build loads worker_threads and fills its tables as soon as the bundle starts, about
 * 10 ms of a 60 ms start, yet the decoder inflates with node:zlib wherever it exists: `fflate` here
 * is a Gunzip that loads the real one (esbuild evaluates a bundled CommonJS module at its first
 * require) only if it is ever constructed.
 */
const lazyFflate = {
  name: 'lazy-fflate',
  setup(build) {
    build.onResolve({ filter: /^fflate$/ }, () => ({ path: 'fflate', namespace: 'lazy-fflate' }));
    build.onLoad({ filter: /.*/, namespace: 'lazy-fflate' }, () => ({
      contents: `export class Gunzip {
        constructor(...args) {
          return new (require('fflate/node').Gunzip)(...args);
        }
      }`,
      resolveDir: ROOT,
      loader: 'js',
    }));
  },
};

/** Bundles cli/profile-top.ts into OUT and records the files it was built from. */
async function rebuild() {
  const { build } = await import('esbuild');
  mkdirSync(CACHE, { recursive: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ['cli/profile-top.ts'],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'warning',
    plugins: [lazyFflate],
  });
  // Written under a temporary name and renamed, so a concurrent run never loads half a file.
  const tmp = `${OUT}.${process.pid}`;
  writeFileSync(tmp, result.outputFiles[0].contents);
  renameSync(tmp, OUT);
  // The files it was built from (not the plugin's virtual module), and this script, which configures it.
  const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.startsWith('lazy-fflate:'));
  writeFileSync(INPUTS, JSON.stringify([...inputs, 'scripts/profile-top.cjs']));
}

if (upToDate()) {
  require(OUT);
} else {
  rebuild().then(
    () => require(OUT),
    (e) => {
      process.stderr.write(`profile-top: cannot build the CLI bundle: ${e instanceof Error ? e.message : e}\n`);
      process.exitCode = 2;
    }
  );
}
