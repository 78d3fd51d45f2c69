import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Grafana may run under a strict CSP, and the plugin validator rejects dynamic code: the built bundle
 * must not contain eval, new Function, dangerouslySetInnerHTML or console.log. protobufjs is used through
 * static code only (its reflection path builds decoders with new Function).
 */
test('the built bundle has no eval, new Function, dangerouslySetInnerHTML or console.log', () => {
  const bundle = readFileSync(join(__dirname, '..', '..', 'dist', 'module.js'), 'utf8');
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
