import { expect, Locator, Page } from '@playwright/test';

/** Errors the page logs: the panel must not produce any. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => msg.type() === 'error' && errors.push(msg.text()));
  page.on('pageerror', (err) => errors.push(err.message));
  return errors;
}

/** Number of canvas pixels that differ from the top-left one (the background). */
export async function paintedPixels(canvas: Locator): Promise<number> {
  return canvas.evaluate((el: HTMLCanvasElement) => {
    const ctx = el.getContext('2d');
    if (!ctx || el.width === 0 || el.height === 0) {
      return 0;
    }
    const { data } = ctx.getImageData(0, 0, el.width, el.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2] || data[i + 3] !== data[3]) {
        n++;
      }
    }
    return n;
  });
}

export async function openPlayground(page: Page, query = '') {
  await page.goto(`/${query}`);
  await expect(page.getByTestId('flamegraph-canvas').or(page.getByTestId('panel-notice')).first()).toBeVisible({
    timeout: 30_000,
  });
}
