/** @jest-environment node */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { decodePprof } from '../sources/pprof/decode';
import { buildTree, labelMask, labelSummary, parseLabelFilter } from './labels';

const FIXTURE = resolve(__dirname, '../../../shared/fixtures/go-checkout/incident.cpu.pb.gz');

describe('label filtering', () => {
  const profile = decodePprof(new Uint8Array(readFileSync(FIXTURE)));

  it('parses selectors', () => {
    expect(parseLabelFilter('{service_name="checkout", endpoint="/checkout"}')).toEqual({
      service_name: ['checkout'],
      endpoint: ['/checkout'],
    });
    expect(parseLabelFilter('endpoint=/a endpoint=/b')).toEqual({ endpoint: ['/a', '/b'] });
    expect(() => parseLabelFilter('=x')).toThrow('label term');
  });

  it('lists keys and values with sample counts', () => {
    const summary = labelSummary(profile.samples);
    const service = summary.find((k) => k.key === 'service_name')!;
    expect(service.values.map((v) => v.value)).toEqual(['checkout']);
    const endpoint = summary.find((k) => k.key === 'endpoint')!;
    expect(endpoint.values.map((v) => v.value)).toContain('/checkout');
    expect(service.samples).toBeGreaterThanOrEqual(endpoint.samples);
    expect(endpoint.values.reduce((n, v) => n + v.samples, 0)).toBe(endpoint.samples);
  });

  it('ORs values of one key and ANDs keys; filtered trees add up', () => {
    const all = buildTree(profile, { sampleType: 'cpu' }).total[0];
    const a = buildTree(profile, { sampleType: 'cpu', labelFilter: { endpoint: ['/checkout'] } }).total[0];
    const b = buildTree(profile, { sampleType: 'cpu', labelFilter: { endpoint: ['/health'] } }).total[0];
    const none = buildTree(profile, { sampleType: 'cpu', labelFilter: { endpoint: ['/nope'] } });
    const unlabeled = labelMask(profile.samples, { endpoint: ['/checkout', '/health'] })!;
    let unlabeledTotal = 0;
    const t = profile.samples.sampleTypes.findIndex((x) => x.type === 'cpu');
    for (let s = 0; s < profile.samples.count; s++) {
      if (!unlabeled[s]) {
        unlabeledTotal += profile.samples.values[s * profile.samples.sampleTypes.length + t];
      }
    }
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThanOrEqual(0);
    expect(a + b + unlabeledTotal).toBe(all);
    expect(none.total[0]).toBe(0);
    const both = buildTree(profile, { sampleType: 'cpu', labelFilter: { endpoint: ['/checkout'], service_name: ['checkout'] } });
    expect(both.total[0]).toBe(a);
    expect(buildTree(profile, { sampleType: 'cpu', labelFilter: { endpoint: ['/checkout'], service_name: ['x'] } }).total[0]).toBe(0);
  });
});
