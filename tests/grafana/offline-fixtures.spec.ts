import { expect, test } from '@grafana/plugin-e2e';

// The TestData dashboard needs no server but Grafana: its frames are the checkout fixture
// (a CPU profile read by go tool pprof, and the gctrace log of the same run).
const UID = 'goperf-offline-fixtures';

test('the incident profile renders next to its GC trace', async ({ gotoDashboardPage, readProvisionedDashboard }) => {
  const dashboard = await readProvisionedDashboard({ fileName: 'offline-fixtures.json' });
  expect(dashboard.uid).toBe(UID);
  const page = await gotoDashboardPage({ uid: UID });
  const panel = page.getPanelById('1');
  await expect(panel.locator.getByTestId('flamegraph-canvas')).toBeVisible();
  await expect(panel.locator.getByTestId('gc-chart')).toBeVisible();
});

test('the baseline-vs-incident diff renders with the legacy Loki log layout', async ({ gotoDashboardPage }) => {
  const page = await gotoDashboardPage({ uid: UID });
  const panel = page.getPanelById('2');
  await panel.locator.scrollIntoViewIfNeeded();
  await expect(panel.locator.getByTestId('flamegraph-canvas')).toBeVisible();
  await expect(panel.locator.getByTestId('gc-chart')).toBeVisible();
});

test('the panel editor offers the plugin and its options', async ({ gotoPanelEditPage, readProvisionedDashboard }) => {
  const dashboard = await readProvisionedDashboard({ fileName: 'offline-fixtures.json' });
  const editPage = await gotoPanelEditPage({ dashboard, id: '1' });
  await expect(editPage.panel.locator.getByTestId('flamegraph-canvas')).toBeVisible();
  await expect(editPage.panel.locator.getByTestId('gc-chart')).toBeVisible();
});
