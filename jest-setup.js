// Jest setup provided by Grafana scaffolding. It patches DOM globals, so it only loads for the
// jsdom suites (views, panel); the core's suites run in `@jest-environment node` and need none of it.
if (typeof window !== 'undefined') {
  require('./.config/jest-setup');
}
