import { defineConfig } from '@playwright/test';

import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from './tests/chromium';

/**
 * Browser tests against the playground: the built dist/module.js loaded through SystemJS in Debian's
 * Chromium (`npx playwright install` cannot download browsers here). `npm test` builds first.
 */
const port = Number(process.env.PLAYGROUND_PORT ?? 3031);

export default defineConfig({
  testDir: './tests/playground',
  outputDir: './test-results/playground',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  forbidOnly: !!process.env.CI,
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    baseURL: `http://localhost:${port}`,
    viewport: { width: 1600, height: 1000 },
    screenshot: 'only-on-failure',
    launchOptions: { executablePath: CHROMIUM_EXECUTABLE, args: CHROMIUM_ARGS },
  },
  webServer: {
    command: `node scripts/playground.mjs --no-build --port ${port}`,
    url: `http://localhost:${port}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
  },
});
