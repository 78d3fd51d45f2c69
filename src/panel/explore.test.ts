import { exploreUrl } from './explore';

describe('exploreUrl', () => {
  const query = {
    refId: 'A',
    datasource: { type: 'grafana-pyroscope-datasource', uid: 'pyroscope' },
    queryType: 'profile',
    profileTypeId: 'process_cpu:cpu:nanoseconds:cpu:nanoseconds',
    labelSelector: '{service_name="$service"}',
  };
  const replace = (s: string) => s.replace('$service', 'checkout');

  it('opens the same data source and query, for the service and window in view', () => {
    const url = exploreUrl(query, { fromMs: 1000.4, toMs: 7000.2 }, replace)!;
    expect(url.startsWith('/explore?')).toBe(true);
    const params = new URL(url, 'http://grafana.local').searchParams;
    expect(params.get('schemaVersion')).toBe('1');
    const panes = JSON.parse(params.get('panes')!);
    expect(panes.flamegc).toEqual({
      datasource: 'pyroscope',
      queries: [{ ...query, labelSelector: '{service_name="checkout"}' }],
      range: { from: '1000', to: '7001' },
    });
  });

  it('has no link for a query without a real data source', () => {
    expect(exploreUrl({ refId: 'A' }, { fromMs: 0, toMs: 1 }, replace)).toBeUndefined();
    expect(exploreUrl({ refId: 'A', datasource: { uid: '-- Mixed --' } }, { fromMs: 0, toMs: 1 }, replace)).toBeUndefined();
  });
});
