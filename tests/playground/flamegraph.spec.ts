import { expect, Locator, Page, test } from '@playwright/test';

import { collectErrors, openPlayground, paintedPixels } from './helpers';

const ROW = 20;

/** Pixels whose colour is saturated (bars in package colours; dimmed and grey bars are not). */
async function colourfulPixels(canvas: Locator): Promise<number> {
  return canvas.evaluate((el: HTMLCanvasElement) => {
    const { data } = el.getContext('2d')!.getImageData(0, 0, el.width, el.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      const max = Math.max(data[i], data[i + 1], data[i + 2]);
      const min = Math.min(data[i], data[i + 1], data[i + 2]);
      if (max - min > 30) {
        n++;
      }
    }
    return n;
  });
}

/**
 * Hovers row `depth` from the left until the tooltip shows a frame that is at least `minShare` of
 * the width; returns the pointer position and the tooltip text.
 */
async function hoverFrame(
  page: Page,
  canvas: Locator,
  depth: number,
  from = 0.5
): Promise<{ x: number; y: number; text: string }> {
  const box = (await canvas.boundingBox())!;
  const y = box.y + depth * ROW + ROW / 2;
  for (let f = from; f < 0.99; f += 0.03) {
    const x = box.x + box.width * f;
    await page.mouse.move(x, y);
    const tip = page.getByTestId('flamegraph-tooltip');
    if (await tip.isVisible()) {
      return { x, y, text: (await tip.textContent()) ?? '' };
    }
  }
  throw new Error(`no frame found on row ${depth}`);
}

test.describe('flame graph view on the checkout data', () => {
  test('hover, focus, search, table sort and sandwich', async ({ page }) => {
    const errors = collectErrors(page);
    await openPlayground(page);
    const canvas = page.getByTestId('flamegraph-canvas').first();
    await expect.poll(() => paintedPixels(canvas)).toBeGreaterThan(5000);
    await page.screenshot({ path: test.info().outputPath('1-loaded.png') });

    // Hover: the tooltip names the frame and gives its self and total.
    const hit = await hoverFrame(page, canvas, 2);
    expect(hit.text).toMatch(/[a-z]+\/?[\w/]*\.[\w.()*]+/);
    expect(hit.text).toContain('Self');
    expect(hit.text).toContain('Total');
    const name = await page.getByTestId('flamegraph-tooltip').locator('div').first().textContent();
    expect(name && hit.text.startsWith(name)).toBeTruthy();

    // Click: the breadcrumb shows the frame and the frame now spans the whole width.
    const before = await colourfulPixels(canvas);
    await page.mouse.click(hit.x, hit.y);
    await expect(page.getByRole('navigation', { name: 'Focus path' })).toContainText(name!);
    const box = (await canvas.boundingBox())!;
    for (const fx of [0.01, 0.99]) {
      await page.mouse.move(box.x + box.width * fx, hit.y);
      await expect(page.getByTestId('flamegraph-tooltip')).toContainText(name!);
    }
    await page.screenshot({ path: test.info().outputPath('2-focused.png') });
    await page.keyboard.press('Escape');
    await expect(page.getByRole('navigation', { name: 'Focus path' })).not.toContainText(name!);

    // Search: non-matching frames go grey, the share of sha256 is reported.
    await page.getByLabel('Search functions').fill('sha256');
    await expect(page.getByTestId('flamegraph-search-share')).toContainText(/\d+ functions?, [\d.]+% of total/);
    const share = Number(/([\d.]+)%/.exec((await page.getByTestId('flamegraph-search-share').textContent()) ?? '')![1]);
    expect(share).toBeGreaterThan(1);
    expect(share).toBeLessThan(100);
    await expect.poll(() => colourfulPixels(canvas)).toBeLessThan(before * 0.6);
    expect(await colourfulPixels(canvas)).toBeGreaterThan(0);
    await page.screenshot({ path: test.info().outputPath('3-search.png') });
    await page.getByLabel('Search functions').fill('');

    // Table: sorting by Total puts the biggest cumulative first, then the smallest after a second click.
    await page.getByLabel('Table', { exact: true }).check({ force: true });
    const table = page.getByTestId('top-table');
    await expect(table).toBeVisible();
    const header = table.getByRole('columnheader', { name: /^Total/ });
    const totalColumn = async () => {
      const headers = await table.getByRole('columnheader').allTextContents();
      const k = headers.findIndex((h) => /^Total/.test(h));
      const rows = table.getByRole('row');
      const n = Math.min(await rows.count(), 8);
      const out: string[] = [];
      for (let r = 1; r < n; r++) {
        out.push((await rows.nth(r).getByRole('cell').nth(k).textContent()) ?? '');
      }
      return out;
    };
    await header.click();
    const sort1 = await header.getAttribute('aria-sort');
    const first = await totalColumn();
    await header.click();
    const sort2 = await header.getAttribute('aria-sort');
    expect(sort1).not.toBe('none');
    expect(sort2).not.toBe('none');
    expect(sort2).not.toBe(sort1);
    expect(await totalColumn()).not.toEqual(first);
    await page.screenshot({ path: test.info().outputPath('4-table.png') });

    // Sandwich on a function: callers above, callees below, both drawn.
    await page.getByLabel('Flame graph', { exact: true }).check({ force: true });
    const graph = page.getByTestId('flamegraph-canvas').first();
    await expect.poll(() => paintedPixels(graph)).toBeGreaterThan(5000);
    const frame = await hoverFrame(page, graph, 3);
    await page.mouse.click(frame.x, frame.y, { button: 'right' });
    await page.getByRole('menuitem', { name: 'Sandwich' }).click();
    const callers = page.getByLabel('Callers');
    const callees = page.getByLabel('Callees');
    await expect(callers).toBeVisible();
    await expect(callees).toBeVisible();
    await expect.poll(() => paintedPixels(callers.getByTestId('flamegraph-canvas'))).toBeGreaterThan(1000);
    await expect.poll(() => paintedPixels(callees.getByTestId('flamegraph-canvas'))).toBeGreaterThan(1000);
    await page.screenshot({ path: test.info().outputPath('5-sandwich.png') });
    expect(errors).toEqual([]);
  });

  test('a 5,000-deep profile renders and scrolls', async ({ page }) => {
    const errors = collectErrors(page);
    await openPlayground(page, '?profile=deep/deep-5000.folded');
    const canvas = page.getByTestId('flamegraph-canvas').first();
    await expect.poll(() => paintedPixels(canvas)).toBeGreaterThan(5000);
    const scroller = canvas.locator('xpath=../..');
    const range = await scroller.evaluate((el) => el.scrollHeight - el.clientHeight);
    expect(range).toBeGreaterThan(4000 * ROW);
    await page.screenshot({ path: test.info().outputPath('deep-top.png') });

    // Scroll to the deepest frames: the canvas is redrawn there and they can be hovered.
    await scroller.evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await expect.poll(() => paintedPixels(canvas)).toBeGreaterThan(1000);
    const box = (await canvas.boundingBox())!;
    let found = '';
    for (let y = box.y + 5; y < box.y + box.height && !found; y += ROW) {
      await page.mouse.move(box.x + box.width * 0.6, y);
      const tip = page.getByTestId('flamegraph-tooltip');
      if (await tip.isVisible()) {
        found = (await tip.textContent()) ?? '';
      }
    }
    expect(found).toMatch(/main\.\(\*parser\)\.(value|object|leaf)/);
    await page.screenshot({ path: test.info().outputPath('deep-bottom.png') });
    expect(errors).toEqual([]);
  });
});
