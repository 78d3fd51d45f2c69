/** @jest-environment node */
/**
 * decodePprof, then buildSampleTree on every sample type and the top table, on random bytes and on
 * mutations of every real profile: bytes of the gzip stream, bytes of the decompressed proto, and
 * profile.proto fields (re-gzipped or not). Each input is read or refused with ProfileDecodeError.
 */
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { gunzipSync } from 'fflate';

import { buildSampleTree } from '../model/samples';
import { topTable } from '../transforms/top';
import { decodePprof } from '../sources/pprof/decode';
import { FIXTURES, FUZZ_SEED, FuzzStats, fixtureBytes, runs, treeProblems } from './fuzzKit';
import { mutateBytes, mutateProfile, Op, ProtoShapeError } from './mutate';

const BIG = new Set(['public/pprof-large.cpu.pb.gz', 'public/parca-alloc_objects.heap.pb.gz']);
const all = ['go-checkout', 'public'].flatMap((dir) =>
  readdirSync(resolve(FIXTURES, dir))
    .filter((f) => f.endsWith('.pb.gz'))
    .map((f) => `${dir}/${f}`)
);
const load = (names: string[]) =>
  names.map((name) => {
    const gz = fixtureBytes(name);
    return { name, gz, raw: gunzipSync(gz) };
  });
const small = load(all.filter((n) => !BIG.has(n)));
const big = load(all.filter((n) => BIG.has(n)));

const stats = new FuzzStats('pprof');
afterAll(() => stats.report());

/** Decode, build the tree of every sample type, and check each tree. */
function check(bytes: Uint8Array, budgetMs: number, nativeGunzip = true): void {
  stats.call(budgetMs, () => {
    const profile = decodePprof(bytes, { nativeGunzip });
    const s = profile.samples;
    if (s.defaultType >= s.sampleTypes.length || (s.sampleTypes.length > 0 && s.defaultType < 0)) {
      stats.fail(`default sample type ${s.defaultType} of ${s.sampleTypes.length}`);
    }
    for (let t = 0; t < s.sampleTypes.length; t++) {
      const tree = buildSampleTree(s, { sampleType: t });
      // pprof values are int64: negative ones are legal (diff profiles), so only finiteness is asked.
      const problems = treeProblems(tree, { allowNegative: true });
      if (problems.length) {
        stats.fail(`sample type ${t}: ${problems.slice(0, 3).join('; ')}`);
      }
      if (t === s.defaultType) {
        topTable(tree);
      }
    }
    return profile;
  });
}

const op = fc.tuple(fc.nat(1 << 16), fc.nat(), fc.nat()) as fc.Arbitrary<Op>;
const ops = (max: number) => fc.array(op, { minLength: 1, maxLength: max });

describe('pprof decoder fuzz', () => {
  it('random bytes: plain, behind a gzip magic, gzipped, behind a profile field tag', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(3), (bytes, how) => {
        if (how === 0) {
          check(bytes, 500);
        } else if (how === 1) {
          check(Uint8Array.from([0x1f, 0x8b, ...bytes]), 500, bytes.length % 2 === 0);
        } else if (how === 2) {
          check(gzipSync(bytes, { level: 1 }), 500);
        } else {
          // Field 1 (sample_type) or 6 (string_table), then garbage.
          check(Uint8Array.from([bytes.length % 2 ? 0x0a : 0x32, ...bytes]), 500);
        }
      }),
      { seed: FUZZ_SEED, numRuns: runs(30000) }
    );
  });

  it('byte mutations of every fixture: the gzip stream (both inflaters) and the plain proto', () => {
    fc.assert(
      fc.property(fc.nat(small.length - 1), fc.boolean(), ops(6), (k, compressed, o) => {
        const f = small[k];
        if (compressed) {
          check(mutateBytes(f.gz, o), 1000, o[0][0] % 2 === 0);
        } else {
          check(mutateBytes(f.raw, o), 1000);
        }
      }),
      { seed: FUZZ_SEED, numRuns: runs(3500) }
    );
  });

  it('profile.proto field mutations of every fixture, plain and re-gzipped', () => {
    fc.assert(
      fc.property(fc.nat(small.length - 1), fc.nat(2), ops(4), (k, how, o) => {
        const mutated = mutateProfile(small[k].raw, o);
        check(how === 0 ? mutated : gzipSync(mutated, { level: 1 }), 1000, how !== 2);
      }),
      { seed: FUZZ_SEED, numRuns: runs(3500) }
    );
  });

  it('field then byte mutations together', () => {
    fc.assert(
      fc.property(fc.nat(small.length - 1), ops(3), ops(3), (k, fieldOps, byteOps) => {
        let bytes: Uint8Array;
        try {
          bytes = mutateBytes(mutateProfile(small[k].raw, fieldOps), byteOps);
        } catch (e) {
          if (!(e instanceof ProtoShapeError)) {
            throw e;
          }
          bytes = mutateBytes(small[k].raw, byteOps);
        }
        check(bytes, 1000);
      }),
      { seed: FUZZ_SEED, numRuns: runs(2000) }
    );
  });

  it('the two large fixtures, mutated', () => {
    fc.assert(
      fc.property(fc.nat(big.length - 1), fc.boolean(), ops(3), (k, fields, o) => {
        const bytes = fields ? mutateProfile(big[k].raw, o) : mutateBytes(big[k].raw, o);
        check(bytes, 10000);
      }),
      { seed: FUZZ_SEED, numRuns: runs(8) }
    );
  });
});
