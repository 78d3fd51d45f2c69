#!/usr/bin/env node
/**
 * `npm test`: every check, non-interactively, in the order a failure is cheapest to find:
 * typecheck, lint, unit tests (jest), build, browser tests (Playwright + Debian Chromium against the
 * playground serving the built dist/module.js). Ends with one `tests: N passed, N failed` line.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const results = join(root, 'test-results');
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

const steps = [
  ['typecheck', ['npm', 'run', '-s', 'typecheck']],
  ['lint', ['npm', 'run', '-s', 'lint']],
  ['unit', ['npx', 'jest', '--maxWorkers', '2', '--json', '--outputFile', join(results, 'jest.json')]],
  ['build', ['npm', 'run', '-s', 'build']],
  ['browser', ['npx', 'playwright', 'test', '-c', 'playwright.playground.config.ts']],
];

const failedSteps = [];
for (const [name, [cmd, ...args]] of steps) {
  process.stdout.write(`\n=== ${name}: ${cmd} ${args.join(' ')}\n`);
  const started = Date.now();
  const run = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, CI: process.env.CI ?? '1' } });
  process.stdout.write(`=== ${name}: ${run.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  if (run.status !== 0) {
    failedSteps.push(name);
  }
}

let passed = 0;
let failed = 0;
const jest = join(results, 'jest.json');
if (existsSync(jest)) {
  const r = JSON.parse(readFileSync(jest, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
}
const browser = join(results, 'playwright.json');
if (existsSync(browser)) {
  const s = JSON.parse(readFileSync(browser, 'utf8')).stats;
  passed += s.expected + s.flaky;
  failed += s.unexpected;
}
// A step that failed without failing a test (typecheck, lint, build) still fails the run.
failed += failedSteps.filter((s) => s !== 'unit' && s !== 'browser').length;
if (failedSteps.length) {
  process.stdout.write(`\nFailed steps: ${failedSteps.join(', ')}\n`);
}
process.stdout.write(`tests: ${passed} passed, ${failed} failed\n`);
process.exit(failedSteps.length ? 1 : 0);
