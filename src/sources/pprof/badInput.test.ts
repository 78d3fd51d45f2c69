/** @jest-environment node */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'fflate';
import { decodePprof } from './decode';
import { ProfileDecodeError } from './errors';
import { encodeFields, parseFields, PField } from '../../fuzz/mutate';
import { buildSampleTree } from '../../model/samples';

const FIXTURE = resolve(__dirname, '../../../../shared/fixtures/go-checkout/incident.cpu.pb.gz');

function codeOf(bytes: Uint8Array, opts?: Parameters<typeof decodePprof>[1]): string {
  try {
    decodePprof(bytes, opts);
  } catch (e) {
    expect(e).toBeInstanceOf(ProfileDecodeError);
    return (e as ProfileDecodeError).code;
  }
  return 'ok';
}

describe('decodePprof on bad input', () => {
  const good = new Uint8Array(readFileSync(FIXTURE));
  const raw = gunzipSync(good);

  it('decodes the good fixture (gzip and plain)', () => {
    expect(codeOf(good)).toBe('ok');
    expect(codeOf(raw)).toBe('ok');
  });

  it('empty input', () => {
    expect(codeOf(new Uint8Array(0))).toBe('empty');
    expect(codeOf(gzipSync(new Uint8Array(0)))).toBe('empty');
  });

  it('truncated gzip and truncated protobuf', () => {
    for (const frac of [0.1, 0.5, 0.99]) {
      expect(codeOf(good.subarray(0, Math.floor(good.length * frac)))).toBe('truncated');
      expect(['truncated', 'corrupt']).toContain(codeOf(raw.subarray(0, Math.floor(raw.length * frac))));
    }
    expect(codeOf(good.subarray(0, 5))).toBe('truncated');
  });

  it('corrupted bytes never escape as an untyped error', () => {
    let seed = 7;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
    for (let i = 0; i < 60; i++) {
      const bad = raw.slice();
      for (let k = 0; k < 8; k++) {
        bad[Math.floor(rnd() * bad.length)] = Math.floor(rnd() * 256);
      }
      const code = codeOf(gzipSync(bad));
      expect(['ok', 'corrupt', 'truncated', 'not-a-profile']).toContain(code);
    }
    const gz = good.slice();
    gz[20] ^= 0xff;
    gz[21] ^= 0xff;
    expect(['corrupt', 'truncated']).toContain(codeOf(gz));
  });

  it('wrong magic and non-profile bytes', () => {
    expect(codeOf(new TextEncoder().encode('{"flamebearer": {"names": []}}'))).toBe('not-a-profile');
    expect(codeOf(new TextEncoder().encode('main;foo;bar 10\n'))).toBe('not-a-profile');
    expect(codeOf(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe('not-a-profile');
    const wrongMagic = good.slice();
    wrongMagic[1] = 0x8c;
    expect(codeOf(wrongMagic)).toBe('not-a-profile');
    expect(codeOf(gzipSync(new TextEncoder().encode('{"not": "a profile"}')))).toBe('not-a-profile');
  });

  it('refuses what decompresses beyond the cap', () => {
    expect(codeOf(good, { maxDecompressedBytes: 1000 })).toBe('too-large');
    // A lying ISIZE trailer is caught by the streaming count.
    const lying = good.slice();
    lying.set([1, 0, 0, 0], lying.length - 4);
    expect(codeOf(lying, { maxDecompressedBytes: 1000 })).toBe('too-large');
  });

  it('the bundled inflater (browsers) gives the same error codes', () => {
    const js = { nativeGunzip: false };
    expect(codeOf(gzipSync(new Uint8Array(0)), js)).toBe('empty');
    for (const frac of [0.1, 0.5, 0.99]) {
      expect(codeOf(good.subarray(0, Math.floor(good.length * frac)), js)).toBe('truncated');
    }
    expect(codeOf(good.subarray(0, 5), js)).toBe('truncated');
    const lying = good.slice();
    lying.set([1, 0, 0, 0], lying.length - 4);
    expect(codeOf(lying, { ...js, maxDecompressedBytes: 1000 })).toBe('too-large');
    const gz = good.slice();
    gz[20] ^= 0xff;
    gz[21] ^= 0xff;
    expect(['corrupt', 'truncated']).toContain(codeOf(gz, js));
  });
});

describe('drop_frames chosen by the profile', () => {
  const raw = gunzipSync(new Uint8Array(readFileSync(FIXTURE)));
  const enc = new TextEncoder();
  const str = (s: string): PField => ({ field: 6, wt: 2, v: BigInt(0), bytes: enc.encode(s) });

  /** The fixture with its first function renamed to `name` and drop_frames set to `pattern`. */
  function withDropFrames(name: string, pattern: string): Uint8Array {
    const fields = parseFields(raw);
    const strings = fields.filter((f) => f.field === 6).length;
    const fnField = fields.find((f) => f.field === 5)!;
    const fn = parseFields(fnField.bytes).map((f) => (f.field === 2 ? { field: 2, wt: 0, v: BigInt(strings), bytes: new Uint8Array(0) } : f));
    const edited = fields.map((f) => (f === fnField ? { field: 5, wt: 2, v: BigInt(0), bytes: encodeFields(fn) } : f));
    return encodeFields([...edited, str(name), str(pattern), { field: 7, wt: 0, v: BigInt(strings + 1), bytes: new Uint8Array(0) }]);
  }

  it('a pattern that backtracks exponentially is not run: no hang, a warning instead', () => {
    const profile = decodePprof(withDropFrames('a'.repeat(40), '(a|a)*b'));
    expect(profile.warnings.join(' ')).toMatch(/exponential/);
  });

  it('an ordinary pattern still prunes the frames it names', () => {
    const kept = buildSampleTree(decodePprof(withDropFrames('runtime.dropMe', 'nothing')).samples);
    const pruned = decodePprof(withDropFrames('runtime.dropMe', 'runtime\\.dropMe'));
    expect(pruned.warnings).toEqual([]);
    const tree = buildSampleTree(pruned.samples);
    const named = (t: typeof tree) => Array.from(t.fn).filter((f) => f >= 0 && t.functions.name[f] === 'runtime.dropMe').length;
    expect(named(kept)).toBeGreaterThan(0);
    expect(named(tree)).toBe(0);
  });
});
