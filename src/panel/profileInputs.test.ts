/** @jest-environment node */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { loadProfiles, servicesInSamples, treeFor } from './profileInputs';

const DATA = resolve(__dirname, '..', '..', 'playground', 'data');
const bytes = (service: string, file: string) => new Uint8Array(readFileSync(resolve(DATA, service, file)));
/** The `go tool pprof -top` total of a profile, from its oracle file. */
const oracleTotal = (service: string, name: string) =>
  Number(/of (\d+)\w* total/.exec(readFileSync(resolve(DATA, service, 'pprof-top', name), 'utf8'))![1]);

describe('profile inputs', () => {
  const req = { sampleType: '', service: null, serviceLabelKeys: ['service_name', 'service', 'app', 'job'] };

  it('merges profiles of two services and filters them by the service label', async () => {
    const loaded = await loadProfiles([
      { kind: 'pprof', bytes: bytes('checkout', 'incident.cpu.pb.gz') },
      { kind: 'pprof', bytes: bytes('payments', 'incident.cpu.pb.gz') },
    ]);
    expect(loaded.errors).toEqual([]);
    expect(servicesInSamples(loaded.loaded, req.serviceLabelKeys)).toEqual(['checkout', 'payments']);

    const checkout = oracleTotal('checkout', 'incident.cpu.cpu.txt');
    const payments = oracleTotal('payments', 'incident.cpu.cpu.txt');
    expect(treeFor(loaded, req)!.total[0]).toBe(checkout + payments);
    expect(treeFor(loaded, { ...req, service: 'payments' })!.total[0]).toBe(payments);
    expect(treeFor(loaded, { ...req, service: 'nobody' })!.total[0]).toBe(0);
  });

  it("counts a single service's unlabelled runtime samples (GC workers) as that service's", async () => {
    const loaded = await loadProfiles([{ kind: 'pprof', bytes: bytes('checkout', 'incident.cpu.pb.gz') }]);
    const tree = treeFor(loaded, { ...req, service: 'checkout' })!;
    expect(tree.total[0]).toBe(oracleTotal('checkout', 'incident.cpu.cpu.txt'));
    const names = new Set(tree.functions.name);
    expect(names.has('runtime.gcBgMarkWorker')).toBe(true);
  });

  it('offers every sample type and builds the chosen one', async () => {
    const loaded = await loadProfiles([{ kind: 'pprof', bytes: bytes('checkout', 'recovery.heap.pb.gz') }]);
    expect(loaded.sampleTypes).toEqual(['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space']);
    expect(loaded.defaultSampleType).toBe('inuse_space');
    const tree = treeFor(loaded, { ...req, sampleType: 'alloc_space' })!;
    expect(tree.sampleType).toBe('alloc_space');
    expect(tree.total[0]).toBe(oracleTotal('checkout', 'recovery.heap.alloc_space.txt'));
  });

  it('keeps only timestamped profiles inside a window', async () => {
    const loaded = await loadProfiles([
      { kind: 'pprof', bytes: bytes('checkout', 'baseline.cpu.pb.gz'), timeMs: 1_000 },
      { kind: 'pprof', bytes: bytes('checkout', 'incident.cpu.pb.gz'), timeMs: 7_000 },
    ]);
    const incident = treeFor(loaded, { ...req, window: { fromMs: 6_000, toMs: 12_000 } })!;
    expect(incident.total[0]).toBe(oracleTotal('checkout', 'incident.cpu.cpu.txt'));
    expect(treeFor(loaded, { ...req, window: { fromMs: 20_000, toMs: 30_000 } })).toBeNull();
  });

  it('reports an unreadable input and still loads the others', async () => {
    const loaded = await loadProfiles([
      { kind: 'pprof', bytes: new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3]) },
      { kind: 'folded', text: 'main;work 5\nmain;idle 1\n' },
    ]);
    expect(loaded.errors).toHaveLength(1);
    expect(treeFor(loaded, req)!.total[0]).toBe(6);
  });
});
