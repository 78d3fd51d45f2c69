import { expect, test } from '@grafana/plugin-e2e';

// Runs against `npm run server`: Pyroscope and Loki fill up from the demo services (checkout,
// payments) through Alloy, so the first profiles arrive about one scrape interval (15 s) after start.
const UID = 'goperf-incident';
const DATA_TIMEOUT = 120_000;

test.describe.configure({ timeout: 180_000 });

test('the provisioned data sources answer', async ({ page }) => {
  for (const uid of ['pyroscope', 'loki', 'testdata']) {
    const res = await page.request.get(`/api/datasources/uid/${uid}/health`);
    expect(res.ok(), `${uid}: ${await res.text()}`).toBeTruthy();
  }
});

for (const service of ['checkout', 'payments']) {
  test(`${service}: CPU flame graph next to the GC trace, with the service picker`, async ({ gotoDashboardPage }) => {
    const page = await gotoDashboardPage({
      uid: UID,
      timeRange: { from: 'now-15m', to: 'now' },
      // Refresh until the first scrapes and log lines have arrived.
      queryParams: new URLSearchParams({ 'var-service': service, refresh: '10s' }),
    });
    const panel = page.getPanelById('1');
    await expect(panel.locator).toContainText(`${service}: CPU profile and GC trace`);
    await expect(panel.locator.getByTestId('service-picker')).toBeVisible({ timeout: DATA_TIMEOUT });
    await expect(panel.locator.getByTestId('service-picker')).toContainText(service);
    await expect(panel.locator.getByTestId('flamegraph-canvas')).toBeVisible({ timeout: DATA_TIMEOUT });
    await expect(panel.locator.getByTestId('gc-chart')).toBeVisible({ timeout: DATA_TIMEOUT });
  });
}

test('the service variable lists both demo services from Pyroscope', async ({ gotoDashboardPage, page, selectors }) => {
  // Values are Pyroscope's label values of service_name for process_cpu; reload until both exist.
  await expect(async () => {
    const dashboardPage = await gotoDashboardPage({ uid: UID, timeRange: { from: 'now-15m', to: 'now' } });
    const dropdown = dashboardPage.getByGrafanaSelector(
      selectors.pages.Dashboard.SubMenu.submenuItemValueDropDownValueLinkTexts('checkout')
    );
    await dropdown.click();
    await expect(page.getByRole('option', { name: 'payments' })).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: DATA_TIMEOUT });
});
