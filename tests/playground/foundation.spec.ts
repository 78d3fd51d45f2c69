import { expect, test } from '@playwright/test';

import { collectErrors, openPlayground, paintedPixels } from './helpers';

test('loads the built dist/module.js and draws the flame graph next to the GC charts', async ({ page }) => {
  const errors = collectErrors(page);
  const moduleRequest = page.waitForRequest((r) => r.url().endsWith('/public/plugins/goperf-flamegc-panel/module.js'));
  await openPlayground(page);
  expect((await moduleRequest).url()).toContain('module.js');

  const canvas = page.getByTestId('flamegraph-canvas');
  await expect(canvas).toBeVisible();
  await expect.poll(() => paintedPixels(canvas)).toBeGreaterThan(5000);

  // The GC half charts the recorded go-checkout cycles.
  const charts = page.getByTestId('gc-chart');
  await expect(charts.first()).toBeVisible();
  expect(await charts.count()).toBeGreaterThanOrEqual(4);
  await expect(page.getByTestId('gc-findings')).toContainText(/thrash/i);

  await page.screenshot({ path: test.info().outputPath('playground.png') });
  expect(errors).toEqual([]);
});

test('a profile the panel cannot read gets a clear message while the GC half keeps working', async ({ page }) => {
  const errors = collectErrors(page);
  await openPlayground(page, '?profile=bad/corrupt-gzip.pb.gz&gctrace=checkout/gctrace.jsonl');
  const notice = page.getByTestId('panel-notice').first();
  await expect(notice).toContainText(/could not be read/i);
  await expect(notice).toContainText(/nested-set/);
  await expect(page.getByTestId('gc-chart').first()).toBeVisible();
  expect(errors).toEqual([]);
});

test('a frame of an unknown shape is named in a notice listing the expected shapes', async ({ page }) => {
  await openPlayground(page, '?profile=bad/not-a-profile.txt&gctrace=checkout/gctrace.jsonl');
  const notice = page.getByTestId('panel-notice').first();
  await expect(notice).toContainText(/Expected/);
  await expect(notice).toContainText(/folded stacks/);
  await expect(page.getByTestId('gc-chart').first()).toBeVisible();
});
