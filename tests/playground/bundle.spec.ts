import { expect, test } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Grafana may run under a strict CSP, and the plugin validator rejects dynamic code: the built bundle
 * must not contain eval, new Function, dangerouslySetInnerHTML or console.log. protobufjs is used through
 * static code only (its reflection path builds decoders with new Function).
 */
const DIST = join(__dirname, '..', '..', 'dist');

test('the built bundle has no eval, new Function, dangerouslySetInnerHTML or console.log', () => {
  const scripts = readdirSync(DIST).filter((f) => f.endsWith('.js'));
  // module.js and the pprof decode worker's script, and nothing else to forget.
  expect(scripts.sort()).toEqual(['module.js', 'pprof-decode.js']);
  const bundle = scripts.map((f) => readFileSync(join(DIST, f), 'utf8')).join('\n');
  const forbidden: Array<[string, RegExp]> = [
    ['eval(', /(^|[^.\w$])eval\s*\(/],
    ['new Function', /new\s+Function\s*\(/],
    ['Function("…")', /(^|[^.\w$])Function\s*\(\s*["'`]/],
    ['dangerouslySetInnerHTML', /dangerouslySetInnerHTML/],
    ['innerHTML =', /\.innerHTML\s*=/],
    ['console.log', /console\.log/],
  ];
  const found = forbidden.filter(([, re]) => re.test(bundle)).map(([name]) => name);
  expect(found).toEqual([]);
  expect(bundle.length).toBeGreaterThan(10_000);
});

test('the decode worker is one plain script: no AMD define and no chunks to load inside the worker', () => {
  const worker = readFileSync(join(DIST, 'pprof-decode.js'), 'utf8');
  expect(worker.startsWith('var ')).toBe(true);
  expect(worker).not.toMatch(/(^|[^.\w$])define\(/);
  expect(worker).not.toMatch(/importScripts/);
});
