import { expect, Page, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { collectErrors, openPlayground, paintedPixels } from './helpers';

/** Phase boundaries of the recorded checkout run (ms), from the markers its program logged. */
function checkoutPhases(): { start: number; baselineEnd: number; incidentEnd: number; recoveryEnd: number } {
  const text = readFileSync(join(__dirname, '..', '..', 'playground', 'data', 'checkout', 'gctrace.jsonl'), 'utf8');
  const marks = [...text.matchAll(/unix_nano=(\d+)/g)].map((m) => Number(m[1].slice(0, -6)));
  const [start, baselineEnd, incidentEnd, recoveryEnd] = marks;
  return { start, baselineEnd, incidentEnd, recoveryEnd };
}

async function hostRange(page: Page): Promise<{ from: number; to: number }> {
  const el = page.getByTestId('host-time-range');
  return { from: Number(await el.getAttribute('data-from')), to: Number(await el.getAttribute('data-to')) };
}

/** Drags across the first GC chart's plot area from one time to another. */
async function dragAcrossGc(page: Page, fromMs: number, toMs: number) {
  const plot = page.getByTestId('gc-chart').first().locator('.u-over');
  const box = (await plot.boundingBox())!;
  const { from, to } = await hostRange(page);
  const x = (t: number) => box.x + ((t - from) / (to - from)) * box.width;
  const y = box.y + box.height / 2;
  await page.mouse.move(x(fromMs), y);
  await page.mouse.down();
  await page.mouse.move((x(fromMs) + x(toMs)) / 2, y, { steps: 4 });
  await page.mouse.move(x(toMs), y, { steps: 4 });
  await page.mouse.up();
}

test('the checkout incident is in view at first load: baseline, incident and recovery each a third', async ({ page }) => {
  await openPlayground(page);
  const phases = checkoutPhases();
  const { from, to } = await hostRange(page);
  const width = to - from;
  for (const [a, b] of [
    [phases.start, phases.baselineEnd],
    [phases.baselineEnd, phases.incidentEnd],
    [phases.incidentEnd, phases.recoveryEnd],
  ]) {
    expect((b - a) / width).toBeGreaterThan(0.28);
    expect((b - a) / width).toBeLessThan(0.38);
  }
  await expect(page.getByTestId('gc-findings')).toContainText(/thrash/i);
  await expect(page.getByTestId('gc-findings')).toContainText(/leak/i);
});

test('selecting the incident and comparing with the baseline shows sha256 and encoding/json grown in red', async ({ page }) => {
  const errors = collectErrors(page);
  await openPlayground(page);
  const phases = checkoutPhases();
  await dragAcrossGc(page, phases.baselineEnd + 100, phases.incidentEnd - 100);

  await expect(page.getByTestId('selection-bar')).toBeVisible();
  await page.getByTestId('selection-compare').click();
  await expect(page.getByTestId('diff-banner')).toBeVisible({ timeout: 20_000 });

  // Searching filters the table; the change column compares each function's share of the total.
  const table = page.getByTestId('top-table');
  await expect(table.getByRole('columnheader', { name: /Change/ })).toBeVisible();
  for (const name of ['crypto/sha256.block', 'encoding/json.Unmarshal']) {
    await page.getByLabel('Search functions').fill(name);
    const row = table.getByRole('row').filter({ hasText: name });
    await expect(row).toHaveCount(1);
    await expect(row.getByRole('cell').last()).toHaveText(/^(\+\d|new)/);
  }
  await page.getByLabel('Search functions').fill('');

  // Diff colours: grown frames are drawn red.
  const redPixels = await page.getByTestId('flamegraph-canvas').evaluate((el: HTMLCanvasElement) => {
    const { data } = el.getContext('2d')!.getImageData(0, 0, el.width, el.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i] > 150 && data[i] > data[i + 1] * 1.6 && data[i] > data[i + 2] * 1.6) {
        n++;
      }
    }
    return n;
  });
  expect(redPixels).toBeGreaterThan(500);
  await page.screenshot({ path: test.info().outputPath('compare-incident.png') });

  // Esc ends the selection.
  await page.getByTestId('gc-chart').first().click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('selection-bar')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('"Zoom to selection" changes the dashboard time range through onChangeTimeRange', async ({ page }) => {
  await openPlayground(page);
  const phases = checkoutPhases();
  await dragAcrossGc(page, phases.baselineEnd, phases.incidentEnd);
  await page.getByTestId('selection-zoom').click();
  await expect.poll(async () => (await hostRange(page)).from).toBeGreaterThan(phases.baselineEnd - 500);
  const { from, to } = await hostRange(page);
  expect(Math.abs(from - phases.baselineEnd)).toBeLessThan(500);
  expect(Math.abs(to - phases.incidentEnd)).toBeLessThan(500);
  await expect(page.getByTestId('selection-bar')).toHaveCount(0);
  await expect.poll(() => paintedPixels(page.getByTestId('flamegraph-canvas'))).toBeGreaterThan(5000);
});

test('the service picker sets the dashboard variable and both halves follow', async ({ page }) => {
  await openPlayground(page);
  const picker = page.getByTestId('service-picker').getByRole('combobox');
  await expect(picker).toHaveValue('checkout');
  await picker.click();
  await page.getByRole('option', { name: 'payments' }).click();

  await expect(page).toHaveURL(/var-service=payments/);
  await expect(picker).toHaveValue('payments');
  await expect(page.getByTestId('gc-findings')).toContainText('payments');
  await expect(page.getByTestId('gc-findings')).not.toContainText('checkout');
  await expect.poll(() => paintedPixels(page.getByTestId('flamegraph-canvas'))).toBeGreaterThan(5000);
});
