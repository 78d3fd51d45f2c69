import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { of } from 'rxjs';
import { DataQueryRequest, dateTime, LoadingState, PanelData } from '@grafana/data';
import { DataSourceSrv, setDataSourceSrv } from '@grafana/runtime';

import { buildSampleTree } from '../model/samples';
import { toNestedSetFrame } from '../sources/nestedSet';
import { decodePprof } from '../sources/pprof';
import { compareWindows, profileTargets } from './comparison';

const FIXTURES = resolve(__dirname, '..', '..', '..', 'shared', 'fixtures', 'go-checkout');
const tree = (phase: string) =>
  buildSampleTree(decodePprof(new Uint8Array(readFileSync(resolve(FIXTURES, `${phase}.cpu.pb.gz`)))).samples);

describe('compareWindows', () => {
  const baseline = tree('baseline');
  const incident = tree('incident');
  const target = {
    refId: 'A',
    datasource: { type: 'grafana-pyroscope-datasource', uid: 'pyroscope' },
    queryType: 'profile',
    labelSelector: '{service_name="$service"}',
  };
  const data: PanelData = {
    state: LoadingState.Done,
    series: [],
    timeRange: { from: dateTime(0), to: dateTime(18_000), raw: { from: 'now-1h', to: 'now' } },
    request: { requestId: 'Q1', targets: [target] } as unknown as DataQueryRequest,
  };
  const requests: DataQueryRequest[] = [];

  beforeAll(() => {
    // The data source answers like Pyroscope: one nested-set frame for the requested range.
    const pyroscope = {
      query: (req: DataQueryRequest) => {
        requests.push(req);
        const t = req.range.from.valueOf() >= 6_000 ? incident : baseline;
        return of({ data: [{ ...toNestedSetFrame(t), refId: req.targets[0].refId }] });
      },
    };
    setDataSourceSrv({ get: async () => pyroscope } as unknown as DataSourceSrv);
  });

  it('re-runs the panel query for both windows through the data source and diffs them', async () => {
    const diff = await compareWindows(
      data,
      profileTargets(data, new Set(['A'])),
      { fromMs: 6_000, toMs: 12_000 },
      [{ fromMs: 0, toMs: 6_000 }],
      (s) => s.replace('$service', 'checkout'),
      { sampleType: '', service: null, serviceLabelKeys: ['service_name'] }
    );

    expect(requests.map((r) => [r.range.from.valueOf(), r.range.to.valueOf()])).toEqual([
      [6_000, 12_000],
      [0, 6_000],
    ]);
    expect((requests[0].targets[0] as typeof target).labelSelector).toBe('{service_name="checkout"}');
    expect(diff.total[0]).toBe(baseline.total[0]);
    expect(diff.right!.total[0]).toBe(incident.total[0]);

    const sha = diff.functions.name.indexOf('crypto/sha256.block');
    let left = 0;
    let right = 0;
    for (let i = 0; i < diff.size; i++) {
      if (diff.fn[i] === sha) {
        left += diff.self[i];
        right += diff.right!.self[i];
      }
    }
    expect(right).toBeGreaterThan(2 * left);
  });

  it('says why when there is nothing to compare', async () => {
    const run = (targets: Array<typeof target>, base: Array<{ fromMs: number; toMs: number }>) =>
      compareWindows(data, targets, { fromMs: 0, toMs: 18_000 }, base, (s) => s, {
        sampleType: '',
        service: null,
        serviceLabelKeys: [],
      });
    await expect(run([], [{ fromMs: 0, toMs: 1 }])).rejects.toThrow(/no profile query/);
    await expect(run([target], [])).rejects.toThrow(/whole time range/);
  });
});
