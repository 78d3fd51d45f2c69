/**
 * Minimal protobuf wire reader for the hot decode loop: varints come back as plain numbers (exact up
 * to 2^53), never Long objects, and every read is bounds-checked so bad input fails fast.
 */
import { ProfileDecodeError } from './errors';

const TWO_32 = 4294967296;

/** Thrown internally when a read runs past the end; the decoder maps it to its error code. */
export class WireEndError extends Error {}

export class Wire {
  /**
   * One instance that never dies, here and on each class the decoder builds per profile. A full GC
   * that finds no instance of a class frees its hidden class, and V8 then throws away all optimized
   * code that depends on it: the next profile (the worker's next message, a dashboard refresh)
   * would decode cold again, twice as slow. A static field survives bundling, unlike an unused
   * module-level binding.
   */
  static readonly idle = new Wire(new Uint8Array(0));
  readonly buf: Uint8Array;
  pos: number;
  readonly end: number;

  constructor(buf: Uint8Array, pos = 0, end = buf.length) {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
  }

  /** Unsigned varint (uint64 as number; exact below 2^53). */
  uint(): number {
    const buf = this.buf;
    let pos = this.pos;
    let b = buf[pos++];
    if (b < 0x80) {
      this.pos = pos;
      if (pos > this.end) {
        throw new WireEndError();
      }
      return b;
    }
    return this.slowVarint(false);
  }

  /** Signed two's-complement varint (int64 as number). */
  int(): number {
    const buf = this.buf;
    let pos = this.pos;
    let b = buf[pos++];
    if (b < 0x80) {
      this.pos = pos;
      if (pos > this.end) {
        throw new WireEndError();
      }
      return b;
    }
    return this.slowVarint(true);
  }

  private slowVarint(signed: boolean): number {
    const buf = this.buf;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    let b = 0;
    let i = 0;
    // Low 28 bits.
    for (; i < 4; i++) {
      b = buf[pos++];
      lo |= (b & 0x7f) << (7 * i);
      if (b < 0x80) {
        break;
      }
    }
    if (i < 4) {
      this.pos = pos;
      if (pos > this.end) {
        throw new WireEndError();
      }
      return lo >>> 0;
    }
    // Byte 5 straddles the 32-bit boundary.
    b = buf[pos++];
    lo = (lo | ((b & 0x7f) << 28)) >>> 0;
    hi = (b & 0x7f) >> 4;
    if (b >= 0x80) {
      for (i = 0; i < 5; i++) {
        b = buf[pos++];
        hi |= (b & 0x7f) << (7 * i + 3);
        if (b < 0x80) {
          break;
        }
      }
      if (i === 5) {
        if (pos > this.end) {
          throw new WireEndError();
        }
        throw new ProfileDecodeError('corrupt', `varint longer than 10 bytes at offset ${this.pos}`);
      }
    }
    this.pos = pos;
    if (pos > this.end) {
      throw new WireEndError();
    }
    if (signed && hi >>> 31) {
      let nlo = (~lo + 1) >>> 0;
      let nhi = ~hi >>> 0;
      if (nlo === 0) {
        nhi = (nhi + 1) >>> 0;
      }
      return -(nlo + nhi * TWO_32);
    }
    return lo + (hi >>> 0) * TWO_32;
  }

  /** Length of a length-delimited field; returns its end offset. */
  delimited(): number {
    const len = this.uint();
    const e = this.pos + len;
    if (e > this.end) {
      throw new WireEndError();
    }
    return e;
  }

  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.uint();
        return;
      case 1:
        this.pos += 8;
        break;
      case 2:
        this.pos = this.delimited();
        return;
      case 5:
        this.pos += 4;
        break;
      default:
        // Groups (3/4) are not used by profile.proto; anything else is not protobuf.
        throw new ProfileDecodeError('corrupt', `unexpected wire type ${wireType} at offset ${this.pos}`);
    }
    if (this.pos > this.end) {
      throw new WireEndError();
    }
  }
}
