/** @jest-environment node */
import * as zlib from 'node:zlib';

import { DEFAULT_LIMITS } from './limits';
import { decodePprof } from './pprof/decode';
import { ProfileDecodeError } from './pprof/errors';

const MIB = 1024 * 1024;

/**
 * A valid gzip member that inflates to `mib` MiB of zeros from about 1 KB per MiB: one deflated
 * MiB ending on a byte boundary (sync flush, not final), repeated, then an empty final block and
 * the real CRC-32 and size, so any inflater reads it to the end.
 */
function gzipBomb(mib: number): Uint8Array {
  const zeros = new Uint8Array(MIB);
  const chunk = zlib.deflateRawSync(zeros, { level: 9, finishFlush: zlib.constants.Z_SYNC_FLUSH });
  let crc = 0;
  for (let i = 0; i < mib; i++) {
    crc = zlib.crc32(zeros, crc);
  }
  const out = new Uint8Array(10 + chunk.length * mib + 2 + 8);
  out.set([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
  for (let i = 0; i < mib; i++) {
    out.set(chunk, 10 + i * chunk.length);
  }
  let at = 10 + chunk.length * mib;
  out[at++] = 0x03; // final fixed-Huffman block holding only end-of-block
  out[at++] = 0x00;
  const view = new DataView(out.buffer);
  view.setUint32(at, crc >>> 0, true);
  view.setUint32(at + 4, (mib * MIB) >>> 0, true);
  return out;
}

describe('profile size limits', () => {
  // Node's zlib in the CLI and tests; fflate, fed in slices, in browsers.
  it.each([
    ['native zlib', true],
    ['bundled inflater (browsers)', false],
  ])('refuses a 1 GiB gzip bomb at the panel cap within a second, without inflating it (%s)', (_path, nativeGunzip) => {
    const bomb = gzipBomb(1024);
    expect(bomb.length).toBeLessThan(2 * MIB);
    const before = process.memoryUsage().arrayBuffers;
    const t0 = performance.now();
    let error: unknown;
    try {
      decodePprof(bomb, { maxDecompressedBytes: DEFAULT_LIMITS.maxDecompressedBytes, nativeGunzip });
    } catch (e) {
      error = e;
    }
    const ms = performance.now() - t0;
    expect(error).toBeInstanceOf(ProfileDecodeError);
    expect((error as ProfileDecodeError).code).toBe('too-large');
    expect((error as Error).message).toMatch(/limit/);
    expect(ms).toBeLessThan(1000);
    // Buffers still held right after the throw: about the cap, far from the 1 GiB it expands to.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(4 * DEFAULT_LIMITS.maxDecompressedBytes);
  });
});
