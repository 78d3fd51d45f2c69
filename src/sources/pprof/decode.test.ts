/** @jest-environment node */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'fflate';
import { Writer } from 'protobufjs/minimal';
import { nodeName, ProfileTree } from '../../model/profile';
import { buildSampleTree } from '../../model/samples';
import { TreeBuilder } from '../../model/treeBuilder';
import { decodePprof } from './decode';
import { perftools } from './generated/profile';

const FIXTURE = resolve(__dirname, '../../../../shared/fixtures/public/pprof-large.cpu.pb.gz');

/** Functions f1..f6, location i calls function i; location 7 has f6 inlined into f5. */
function header(): perftools.profiles.IProfile {
  const strings = ['', 'samples', 'count', 'f1', 'f2', 'f3', 'f4', 'f5', 'f6'];
  const fns = [1, 2, 3, 4, 5, 6].map((i) => ({ id: i, name: 2 + i }));
  const locs: perftools.profiles.ILocation[] = [1, 2, 3, 4, 5, 6].map((i) => ({ id: i, line: [{ functionId: i }] }));
  locs.push({ id: 7, line: [{ functionId: 6 }, { functionId: 5 }] });
  // Another call site in f1: stacks through it and through location 1 are one path in the tree.
  locs.push({ id: 8, line: [{ functionId: 1 }] });
  return { sampleType: [{ type: 1, unit: 2 }], function: fns, location: locs, stringTable: strings };
}

const SAMPLES: perftools.profiles.ISample[] = [
  { locationId: [3, 2, 1], value: [5] },
  { locationId: [4], value: [5] },
  { locationId: [3, 2, 1], value: [3] },
  { locationId: [2, 1], value: [2] },
  // Sums to 0 with the sample above: pprof still shows the node, with 0.
  { locationId: [4], value: [-5] },
  { locationId: [7, 1], value: [1] },
  { locationId: [], value: [4] },
  { locationId: [3, 2, 1], value: [0] },
];

function rows(t: ProfileTree): Array<[string, number, number, number]> {
  const out: Array<[string, number, number, number]> = [];
  for (let i = 0; i < t.size; i++) {
    out.push([nodeName(t, i), t.depth[i], t.self[i], t.total[i]]);
  }
  return out;
}

/** The tree the straightforward way: every sample walked on its own. */
function referenceTree(bytes: Uint8Array, type: number): ProfileTree {
  const p = decodePprof(bytes);
  const s = p.samples;
  const b = new TreeBuilder(s.functions);
  const path: number[] = [];
  for (let i = 0; i < s.count; i++) {
    const v = s.values[i * s.sampleTypes.length + type];
    if (v === 0) {
      continue;
    }
    path.length = 0;
    const k = s.stack[i];
    for (let j = s.stackOffsets[k + 1] - 1; j >= s.stackOffsets[k]; j--) {
      const l = s.stackLocations[j];
      for (let f = s.frameOffsets[l]; f < s.frameOffsets[l + 1]; f++) {
        path.push(s.frames[f]);
      }
    }
    b.addStack(path, 0, path.length, v);
  }
  return b.build(s.sampleTypes[type].type, s.sampleTypes[type].unit);
}

function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      return i;
    }
  }
  return -1;
}

describe('samples that repeat a stack share it', () => {
  const encoded = perftools.profiles.Profile.encode({ ...header(), sample: SAMPLES }).finish();

  it('stores each distinct location list once, in order of first appearance', () => {
    const s = decodePprof(encoded).samples;
    expect(s.count).toBe(8);
    expect(Array.from(s.stack)).toEqual([0, 1, 0, 2, 1, 3, 4, 0]);
    expect(s.stackCount).toBe(5);
    expect(Array.from(s.stackOffsets)).toEqual([0, 3, 4, 6, 8, 8]);
    // Location indices, leaf first.
    expect(Array.from(s.stackLocations)).toEqual([2, 1, 0, 3, 1, 0, 6, 0]);
  });

  it('builds the tree pprof builds, zero-sum stacks included', () => {
    expect(rows(buildSampleTree(decodePprof(encoded).samples))).toEqual([
      ['total', 0, 4, 15],
      ['f1', 1, 0, 11],
      ['f2', 2, 2, 10],
      ['f3', 3, 8, 8],
      ['f5', 2, 0, 1],
      ['f6', 3, 1, 1],
      ['f4', 1, 0, 0],
    ]);
  });

  it('masks count per sample, not per stack', () => {
    const mask = new Uint8Array([1, 0, 0, 1, 0, 0, 0, 1]);
    expect(rows(buildSampleTree(decodePprof(encoded).samples, { mask }))).toEqual([
      ['total', 0, 0, 7],
      ['f1', 1, 0, 7],
      ['f2', 2, 2, 7],
      ['f3', 3, 5, 5],
    ]);
  });

  it('reads locations defined after the samples (Go order) and before them alike', () => {
    const samplesFirst = encoded;
    const h = perftools.profiles.Profile.encode(header()).finish();
    const s = perftools.profiles.Profile.encode({ sample: SAMPLES }).finish();
    const locationsFirst = new Uint8Array(h.length + s.length);
    locationsFirst.set(h);
    locationsFirst.set(s, h.length);
    expect(rows(buildSampleTree(decodePprof(locationsFirst).samples))).toEqual(
      rows(buildSampleTree(decodePprof(samplesFirst).samples))
    );
  });

  it('matches walking every sample on its own, on random stacks with many repeats', () => {
    let seed = 11;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
    const sample: perftools.profiles.ISample[] = [];
    for (let i = 0; i < 3000; i++) {
      const depth = Math.floor(rnd() * 6);
      const ids = [];
      for (let d = 0; d < depth; d++) {
        ids.push(1 + Math.floor(rnd() * 8));
      }
      sample.push({ locationId: ids, value: [Math.floor(rnd() * 7) - 1] });
    }
    const bytes = perftools.profiles.Profile.encode({ ...header(), sample }).finish();
    const s = decodePprof(bytes).samples;
    expect(s.stackCount).toBeLessThan(2000);
    expect(rows(buildSampleTree(s))).toEqual(rows(referenceTree(bytes, 0)));
  });

  it('matches walking every sample on its own on pprof-large', () => {
    const bytes = new Uint8Array(readFileSync(FIXTURE));
    for (const type of [0, 1]) {
      const ours = buildSampleTree(decodePprof(bytes).samples, { sampleType: type });
      const ref = referenceTree(bytes, type);
      expect(ours.size).toBe(ref.size);
      for (const col of ['fn', 'parent', 'end', 'depth', 'self', 'total'] as const) {
        expect([col, firstDifference(ours[col], ref[col])]).toEqual([col, -1]);
      }
    }
  });

  it('sorts stacks thousands of frames deep without recursion', () => {
    const deep = [];
    for (let i = 0; i < 5000; i++) {
      deep.push(1 + (i % 8));
    }
    const sample = [
      { locationId: deep, value: [1] },
      { locationId: deep.slice(1), value: [2] },
      { locationId: [2, ...deep.slice(1)], value: [3] },
      { locationId: deep.slice(2), value: [4] },
    ];
    const bytes = perftools.profiles.Profile.encode({ ...header(), sample }).finish();
    const ours = buildSampleTree(decodePprof(bytes).samples);
    const ref = referenceTree(bytes, 0);
    expect(ours.size).toBe(ref.size);
    for (const col of ['fn', 'parent', 'end', 'depth', 'self', 'total'] as const) {
      expect([col, firstDifference(ours[col], ref[col])]).toEqual([col, -1]);
    }
  });
});

describe('location ids written other ways', () => {
  /** A Sample message whose ids are unpacked varints, or split over two packed fields. */
  function sampleBytes(ids: number[], value: number, layout: 'unpacked' | 'split'): Uint8Array {
    const w = Writer.create();
    if (layout === 'unpacked') {
      for (const id of ids) {
        w.uint32(0x08).uint64(id);
      }
    } else {
      const half = ids.length >> 1;
      for (const part of [ids.slice(0, half), ids.slice(half)]) {
        w.uint32(0x0a).fork();
        part.forEach((id) => w.uint64(id));
        w.ldelim();
      }
    }
    w.uint32(0x10).int64(value);
    return w.finish();
  }

  it.each(['unpacked', 'split'] as const)('%s ids give the tree packed ones give', (layout) => {
    const packed = perftools.profiles.Profile.encode({ ...header(), sample: SAMPLES }).finish();
    const w = perftools.profiles.Profile.encode(header());
    for (const s of SAMPLES) {
      w.uint32(0x12).bytes(sampleBytes(s.locationId as number[], s.value![0] as number, layout));
    }
    const other = w.finish();
    expect(rows(buildSampleTree(decodePprof(other).samples))).toEqual(
      rows(buildSampleTree(decodePprof(packed).samples))
    );
  });
});

describe('labels: false', () => {
  it('decodes the same samples without their labels', () => {
    const bytes = readFileSync(resolve(__dirname, '../../../../shared/fixtures/public/parca-api-labels.cpu.pb.gz'));
    const all = decodePprof(bytes).samples;
    const bare = decodePprof(bytes, { labels: false }).samples;
    expect(all.labelKey.length).toBeGreaterThan(0);
    expect(bare.labelKey.length).toBe(0);
    expect(Array.from(bare.labelOffsets).every((o) => o === 0)).toBe(true);
    expect(Array.from(bare.values)).toEqual(Array.from(all.values));
    expect(Array.from(bare.stack)).toEqual(Array.from(all.stack));
    expect(rows(buildSampleTree(bare))).toEqual(rows(buildSampleTree(all)));
  });
});

describe('gunzip', () => {
  it('the bundled inflater and the native one give the same profile', () => {
    const bytes = new Uint8Array(readFileSync(FIXTURE));
    const native = decodePprof(bytes);
    const js = decodePprof(bytes, { nativeGunzip: false });
    expect(js.samples.count).toBe(native.samples.count);
    expect(Array.from(js.samples.values)).toEqual(Array.from(native.samples.values));
    expect(Array.from(js.samples.stackLocations)).toEqual(Array.from(native.samples.stackLocations));
  });

  it('both read a small gzipped profile', () => {
    const gz = gzipSync(perftools.profiles.Profile.encode({ ...header(), sample: SAMPLES }).finish());
    expect(decodePprof(gz).samples.count).toBe(8);
    expect(decodePprof(gz, { nativeGunzip: false }).samples.count).toBe(8);
  });
});
