import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { collectErrors, openPlayground, paintedPixels } from './helpers';

const data = (path: string) => join(__dirname, '..', '..', 'playground', 'data', path);

test('opens a pprof file from the URL, with a sample type picker', async ({ page }) => {
  const errors = collectErrors(page);
  await openPlayground(page, '?profile=checkout/recovery.heap.pb.gz');
  await expect.poll(() => paintedPixels(page.getByTestId('flamegraph-canvas'))).toBeGreaterThan(5000);
  const picker = page.getByTestId('sample-type-picker').getByRole('combobox');
  await expect(picker).toHaveValue('inuse_space');
  await picker.click();
  await page.getByRole('option', { name: 'alloc_space' }).click();
  await expect(picker).toHaveValue('alloc_space');
  await expect.poll(() => paintedPixels(page.getByTestId('flamegraph-canvas'))).toBeGreaterThan(5000);
  // No GC query: the GC half says what it expects instead of failing.
  await expect(page.getByTestId('panel-notice')).toContainText(/No GC trace/);
  expect(errors).toEqual([]);
});

test('pprof is decoded in a Web Worker, off the main thread', async ({ page }) => {
  const errors = collectErrors(page);
  const worker = page.waitForEvent('worker');
  await openPlayground(page, '?profile=checkout/incident.cpu.pb.gz');
  const decoder = await worker;
  expect(decoder.url()).toMatch(/\/public\/plugins\/goperf-flamegc-panel\/pprof-decode\.js/);
  // The worker's script ran to its end (a worker that failed to load would fall back to the main thread).
  expect(
    await decoder.evaluate(() => typeof (self as unknown as Record<string, unknown>).__goperfPprofDecodeWorker)
  ).toBe('object');
  await expect.poll(() => paintedPixels(page.getByTestId('flamegraph-canvas'))).toBeGreaterThan(5000);
  expect(errors).toEqual([]);
});

test('opens plain-text gctrace logs of Go 1.5 and Go 1.18+ from the URL', async ({ page }) => {
  for (const log of ['public/go-gcstats-go15.gctrace.txt', 'public/tebeka-map.gctrace.txt']) {
    await openPlayground(page, `?gctrace=${log}`);
    await expect(page.getByTestId('gc-chart').first()).toBeVisible();
    expect(await page.getByTestId('gc-chart').count()).toBeGreaterThanOrEqual(4);
    await expect.poll(() => paintedPixels(page.getByTestId('gc-chart').first().locator('canvas'))).toBeGreaterThan(500);
  }
});

test('a file dropped on the page opens in the panel', async ({ page }) => {
  await openPlayground(page);
  const bytes = Array.from(readFileSync(data('public/pprof-sample.cpu.pb.gz')));
  await page.evaluate((content) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(content)], 'sample.cpu.pb.gz'));
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, bytes);
  // The file replaces the recorded run: no GC trace any more and, once the profile is read (its
  // "Reading the profile" notice gone), a flame graph of the dropped profile.
  await expect(page.getByTestId('panel-notice')).toHaveCount(1);
  await expect(page.getByTestId('panel-notice')).toContainText(/No GC trace/);
  await expect.poll(() => paintedPixels(page.getByTestId('flamegraph-canvas'))).toBeGreaterThan(5000);
});
