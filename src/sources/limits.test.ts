/** @jest-environment node */
import * as zlib from 'node:zlib';

import { DEFAULT_LIMITS } from './limits';
import { decodePprof } from './pprof/decode';
import { ProfileDecodeError } from './pprof/errors';

const MIB = 1024 * 1024;

/**
 * A gzip member that claims 1 GiB of zeros from about 1 KB per MiB: one deflated MiB ending on a
 * byte boundary (sync flush, not final), repeated `validMib` times, then an invalid block (type 3)
 * and zeros up to the size of a 1 GiB stream, then the CRC-32 and size of 1 GiB. An inflater that
 * reads past `validMib` MiB reports corrupt data; one that stops at a smaller cap never sees it.
 */
function gzipBomb(validMib: number): Uint8Array {
  const zeros = new Uint8Array(MIB);
  const chunk = zlib.deflateRawSync(zeros, { level: 9, finishFlush: zlib.constants.Z_SYNC_FLUSH });
  let crc = 0;
  for (let i = 0; i < 1024; i++) {
    crc = zlib.crc32(zeros, crc);
  }
  const out = new Uint8Array(10 + chunk.length * 1024 + 2 + 8);
  out.set([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
  for (let i = 0; i < validMib; i++) {
    out.set(chunk, 10 + i * chunk.length);
  }
  out[10 + validMib * chunk.length] = 0x07; // final block of the reserved type 3: an error to any inflater
  const view = new DataView(out.buffer);
  view.setUint32(out.length - 8, crc >>> 0, true);
  view.setUint32(out.length - 4, 0, true); // ISIZE: 1 GiB mod 2^32
  return out;
}

describe('profile size limits', () => {
  // Node's zlib in the CLI and tests; fflate, fed in slices, in browsers.
  it.each([
    ['native zlib', true],
    ['bundled inflater (browsers)', false],
  ])(
    'refuses a 1 GiB gzip bomb at the panel cap, stopping within one input slice of the cap (%s)',
    (_path, nativeGunzip) => {
      const capMib = DEFAULT_LIMITS.maxDecompressedBytes / MIB;
      const decode = (bytes: Uint8Array): unknown => {
        try {
          decodePprof(bytes, { maxDecompressedBytes: DEFAULT_LIMITS.maxDecompressedBytes, nativeGunzip });
        } catch (e) {
          return e;
        }
        return undefined;
      };
      // The same stream broken just before the cap is read up to the break: the inflater does reach it.
      expect((decode(gzipBomb(capMib - 1)) as ProfileDecodeError).code).toBe('corrupt');

      // Broken past the cap: refused as too large, so inflating stopped before the break. The bundled
      // inflater is fed 16 KiB at a time, which deflate can expand to at most about 16.1 MiB.
      const bomb = gzipBomb(capMib + 17);
      expect(bomb.length).toBeLessThan(2 * MIB);
      const before = process.memoryUsage().arrayBuffers;
      const error = decode(bomb);
      expect(error).toBeInstanceOf(ProfileDecodeError);
      expect((error as ProfileDecodeError).code).toBe('too-large');
      expect((error as Error).message).toMatch(/limit/);
      // Buffers still held right after the throw: about the cap, far from the 1 GiB it expands to.
      expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(4 * DEFAULT_LIMITS.maxDecompressedBytes);
    }
  );
});
