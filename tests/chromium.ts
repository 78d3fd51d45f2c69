/**
 * Debian's Chromium (`npx playwright install` cannot download browsers here) and the launch flags that
 * work on these machines: headless, no GPU, root without a sandbox, and no background connections
 * (the network is closed; Chromium would otherwise retry them at every start).
 */
export const CHROMIUM_EXECUTABLE = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
