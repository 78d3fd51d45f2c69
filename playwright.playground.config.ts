import { defineConfig } from '@playwright/test';

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
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: `node scripts/playground.mjs --no-build --port ${port}`,
    url: `http://localhost:${port}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
  },
});
