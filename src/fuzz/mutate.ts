/**
 * Mutators for the fuzz suites. Each mutation is a plain tuple of numbers (from fast-check, so a
 * failure shrinks to a short list) that says what to change and where:
 *  - bytes: bit flips, overwrites, truncation, duplicated / deleted / swapped chunks, huge varints;
 *  - profile.proto fields: the message is parsed into fields, one field of a Sample, Location,
 *    Function, Mapping or the Profile itself is rewritten (ids that point at themselves or nowhere,
 *    string indices past the table, 10-byte varints, duplicated ids, a missing string table, a
 *    drop_frames regexp), then encoded again;
 *  - text: the same chunk operations on lines and characters.
 */

/** [kind, a, b]: kind picks the operation, a and b its position/value (taken modulo what fits). */
export type Op = [number, number, number];

const HUGE_VARINT = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];

export function mutateBytes(input: Uint8Array, ops: Op[]): Uint8Array {
  let b = input;
  for (const [kind, a, v] of ops) {
    const n = b.length;
    const at = n ? a % n : 0;
    switch (kind % 9) {
      case 0: // bit flip
        if (n) {
          b = b.slice();
          b[at] ^= 1 << (v % 8);
        }
        break;
      case 1: // overwrite a byte
        if (n) {
          b = b.slice();
          b[at] = v & 0xff;
        }
        break;
      case 2: // truncate
        b = b.subarray(0, at);
        break;
      case 3: {
        // duplicate a chunk in place
        const len = Math.min(n - at, 1 + (v % 512));
        b = concat(b.subarray(0, at + len), b.subarray(at, at + len), b.subarray(at + len));
        break;
      }
      case 4: {
        // delete a chunk
        const len = 1 + (v % 256);
        b = concat(b.subarray(0, at), b.subarray(Math.min(n, at + len)));
        break;
      }
      case 5: {
        // swap two chunks
        const len = 1 + (v % 128);
        const other = n ? (v * 7919) % n : 0;
        const [p, q] = at < other ? [at, other] : [other, at];
        if (p + len <= q && q + len <= n) {
          b = concat(
            b.subarray(0, p),
            b.subarray(q, q + len),
            b.subarray(p + len, q),
            b.subarray(p, p + len),
            b.subarray(q + len)
          );
        }
        break;
      }
      case 6: // insert a 10-byte varint (2^64 - 1)
        b = concat(b.subarray(0, at), Uint8Array.from(HUGE_VARINT), b.subarray(at));
        break;
      case 7: // insert an over-long varint (11 continuation bytes)
        b = concat(b.subarray(0, at), new Uint8Array(11).fill(0x80 | (v & 0x7f)), b.subarray(at));
        break;
      default: {
        // a run of one byte value
        const len = Math.min(n - at, 1 + (v % 64));
        b = b.slice();
        b.fill(v >>> 8, at, at + len);
      }
    }
  }
  return b;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  return concatAll(parts);
}

export function concatAll(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) {
    n += p.length;
  }
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// ---- protobuf fields -------------------------------------------------------------------------

/** One wire field. Varints are kept as bigint so 2^64 - 1 survives; other types as raw bytes. */
export interface PField {
  field: number;
  wt: number;
  v: bigint;
  bytes: Uint8Array;
  /** The field's original encoding (tag included), copied as is when the field is unchanged. */
  enc?: Uint8Array;
}

export class ProtoShapeError extends Error {}

function readVarint(buf: Uint8Array, pos: { at: number }): bigint {
  let r = BigInt(0);
  let shift = BigInt(0);
  for (let i = 0; i < 10; i++) {
    if (pos.at >= buf.length) {
      throw new ProtoShapeError('varint past the end');
    }
    const b = buf[pos.at++];
    r |= BigInt(b & 0x7f) << shift;
    if (b < 0x80) {
      return r & BigInt('0xffffffffffffffff');
    }
    shift += BigInt(7);
  }
  throw new ProtoShapeError('varint too long');
}

export function parseFields(buf: Uint8Array): PField[] {
  const out: PField[] = [];
  const pos = { at: 0 };
  while (pos.at < buf.length) {
    const start = pos.at;
    const tag = Number(readVarint(buf, pos));
    const field = tag >>> 3;
    const wt = tag & 7;
    if (wt === 0) {
      out.push({ field, wt, v: readVarint(buf, pos), bytes: EMPTY });
    } else if (wt === 2) {
      const len = Number(readVarint(buf, pos));
      if (pos.at + len > buf.length) {
        throw new ProtoShapeError('field past the end');
      }
      out.push({ field, wt, v: BigInt(0), bytes: buf.subarray(pos.at, pos.at + len) });
      pos.at += len;
    } else if (wt === 1 || wt === 5) {
      const len = wt === 1 ? 8 : 4;
      out.push({ field, wt, v: BigInt(0), bytes: buf.subarray(pos.at, pos.at + len) });
      pos.at += len;
    } else {
      throw new ProtoShapeError(`wire type ${wt}`);
    }
    out[out.length - 1].enc = buf.subarray(start, pos.at);
  }
  return out;
}

const EMPTY = new Uint8Array(0);

function varintBytes(v: bigint): number[] {
  let x = v & BigInt('0xffffffffffffffff');
  const out: number[] = [];
  while (x >= BigInt(0x80)) {
    out.push(Number(x & BigInt(0x7f)) | 0x80);
    x >>= BigInt(7);
  }
  out.push(Number(x));
  return out;
}

export function encodeFields(fields: PField[]): Uint8Array {
  let size = 0;
  for (const f of fields) {
    size += f.enc ? f.enc.length : 11 + (f.wt === 0 ? 10 : 10 + f.bytes.length);
  }
  const out = new Uint8Array(size);
  let at = 0;
  const put = (v: bigint) => {
    for (const b of varintBytes(v)) {
      out[at++] = b;
    }
  };
  for (const f of fields) {
    if (f.enc) {
      out.set(f.enc, at);
      at += f.enc.length;
      continue;
    }
    put(BigInt((f.field << 3) | f.wt));
    if (f.wt === 0) {
      put(f.v);
    } else {
      if (f.wt === 2) {
        put(BigInt(f.bytes.length));
      }
      out.set(f.bytes, at);
      at += f.bytes.length;
    }
  }
  return out.subarray(0, at);
}

export function packVarints(values: bigint[]): Uint8Array {
  const out: number[] = [];
  for (const v of values) {
    out.push(...varintBytes(v));
  }
  return Uint8Array.from(out);
}

export function unpackVarints(bytes: Uint8Array): bigint[] {
  const out: bigint[] = [];
  const pos = { at: 0 };
  while (pos.at < bytes.length) {
    out.push(readVarint(bytes, pos));
  }
  return out;
}

const varint = (field: number, v: bigint): PField => ({ field, wt: 0, v, bytes: EMPTY });
const message = (field: number, sub: PField[]): PField => ({ field, wt: 2, v: BigInt(0), bytes: encodeFields(sub) });
const text = (field: number, s: string): PField => ({ field, wt: 2, v: BigInt(0), bytes: new TextEncoder().encode(s) });

/** The first varint of `field` in a message's fields (0 when absent, as proto3 reads it). */
function getVarint(sub: PField[], field: number): bigint {
  return sub.find((f) => f.field === field && f.wt === 0)?.v ?? BigInt(0);
}

function setVarint(sub: PField[], field: number, v: bigint): PField[] {
  const rest = sub.filter((f) => f.field !== field);
  return [...rest, varint(field, v)];
}

// Profile fields (profile.proto).
const P_SAMPLE = 2;
const P_MAPPING = 3;
const P_LOCATION = 4;
const P_FUNCTION = 5;
const P_STRING = 6;
const P_DROP_FRAMES = 7;
const P_KEEP_FRAMES = 8;
const P_DEFAULT_TYPE = 14;

/** Values a rewritten id or index takes: itself, a neighbour, nowhere, or a huge varint. */
function idValue(pick: number, self: bigint, knownIds: () => bigint[]): bigint {
  const known = pick % 8 === 2 || pick % 8 === 3 ? knownIds() : [];
  switch (pick % 8) {
    case 0:
      return self;
    case 1:
      return BigInt(0);
    case 2:
      return known.length ? known[(pick >>> 3) % known.length] : BigInt(1);
    case 3:
      return (known.length ? known.reduce((a, b) => (a > b ? a : b)) : BigInt(0)) + BigInt(1000);
    case 4:
      return BigInt('0xffffffffffffffff');
    case 5:
      return BigInt(1) << BigInt(63);
    case 6:
      return (BigInt(1) << BigInt(53)) + BigInt(1);
    default:
      return (BigInt(1) << BigInt(31)) + BigInt(pick & 0xff);
  }
}

/** Regexps put into drop_frames: invalid ones, matching everything, matching nothing. */
const DROP_FRAMES = ['(', '.*', 'runtime\\..*', '[', 'main\\.main', '(?<name', 'a{2,1}', '\\', ''];

/** Fixtures are mutated thousands of times: parse each once (mutations never edit in place). */
const parsedProfiles = new WeakMap<Uint8Array, PField[]>();

/**
 * Applies profile.proto-level mutations to an uncompressed profile. Throws ProtoShapeError when the
 * input is not well-formed protobuf (the caller then falls back to byte mutations).
 */
export function mutateProfile(raw: Uint8Array, ops: Op[]): Uint8Array {
  const parsed = parsedProfiles.get(raw) ?? parseFields(raw);
  parsedProfiles.set(raw, parsed);
  let fields = parsed;
  const idsOf = (kind: number) => () =>
    fields.filter((f) => f.field === kind && f.wt === 2).map((f) => getVarint(parseFields(f.bytes), 1));
  const nStrings = () => fields.filter((f) => f.field === P_STRING).length;
  // Index of the k-th top-level field of a kind, or -1.
  const nth = (kind: number, k: number) => {
    const at: number[] = [];
    fields.forEach((f, i) => f.field === kind && f.wt === 2 && at.push(i));
    return at.length ? at[k % at.length] : -1;
  };
  const rewrite = (i: number, change: (sub: PField[]) => PField[]) => {
    if (i >= 0) {
      fields = fields.slice();
      fields[i] = message(fields[i].field, change(parseFields(fields[i].bytes)));
    }
  };

  for (const [kind, a, b] of ops) {
    switch (kind % 16) {
      case 0: // Location.mapping_id: itself, another id, nowhere, huge
        rewrite(nth(P_LOCATION, a), (sub) => setVarint(sub, 2, idValue(b, getVarint(sub, 1), idsOf(P_MAPPING))));
        break;
      case 1: // Location.line.function_id
        rewrite(nth(P_LOCATION, a), (sub) =>
          sub.map((f) =>
            f.field === 4 && f.wt === 2
              ? message(4, setVarint(parseFields(f.bytes), 1, idValue(b, getVarint(sub, 1), idsOf(P_FUNCTION))))
              : f
          )
        );
        break;
      case 2: // Location.id: a duplicate of another location's id, 0, huge
        rewrite(nth(P_LOCATION, a), (sub) => setVarint(sub, 1, idValue(b, getVarint(sub, 1), idsOf(P_LOCATION))));
        break;
      case 3: // one Sample.location_id
        rewrite(nth(P_SAMPLE, a), (sub) =>
          sub.map((f) => {
            if (f.field !== 1 || f.wt !== 2) {
              return f;
            }
            const ids = unpackVarints(f.bytes);
            if (ids.length) {
              ids[b % ids.length] = idValue(b >>> 4, ids[b % ids.length], idsOf(P_LOCATION));
            }
            return { field: 1, wt: 2, v: BigInt(0), bytes: packVarints(ids) };
          })
        );
        break;
      case 4: // Sample.value: more or fewer values than sample types, negative, huge
        rewrite(nth(P_SAMPLE, a), (sub) =>
          sub.map((f) => {
            if (f.field !== 2 || f.wt !== 2) {
              return f;
            }
            const vs = unpackVarints(f.bytes);
            if (b % 3 === 0) {
              vs.push(BigInt(b));
            } else if (b % 3 === 1) {
              vs.pop();
            } else if (vs.length) {
              vs[b % vs.length] = b & 8 ? BigInt('0xffffffffffffffff') - BigInt(b) : BigInt(1) << BigInt(62);
            }
            return { field: 2, wt: 2, v: BigInt(0), bytes: packVarints(vs) };
          })
        );
        break;
      case 5: // Function.name / system_name / filename: a string index past the table, or huge
        rewrite(nth(P_FUNCTION, a), (sub) =>
          setVarint(sub, 2 + (b % 3), b & 4 ? BigInt(nStrings() + (b >>> 3)) : BigInt('0xffffffffffffffff'))
        );
        break;
      case 6: // Function.id duplicated or 0
        rewrite(nth(P_FUNCTION, a), (sub) => setVarint(sub, 1, idValue(b, getVarint(sub, 1), idsOf(P_FUNCTION))));
        break;
      case 7: // Mapping: id duplicated / 0, filename past the table
        rewrite(nth(P_MAPPING, a), (sub) =>
          b & 1
            ? setVarint(sub, 1, idValue(b >>> 1, getVarint(sub, 1), idsOf(P_MAPPING)))
            : setVarint(sub, 5, BigInt(nStrings() + (b >>> 1)))
        );
        break;
      case 8: {
        // drop_frames / keep_frames: an existing string or a regexp appended to the table
        const s = DROP_FRAMES[b % DROP_FRAMES.length];
        fields = [...fields, text(P_STRING, s), varint(a & 1 ? P_KEEP_FRAMES : P_DROP_FRAMES, BigInt(nStrings()))];
        break;
      }
      case 9: // string_table[0] not empty
        fields = fields.map((f) =>
          f.field === P_STRING && f === fields.find((g) => g.field === P_STRING) ? text(6, 'x') : f
        );
        break;
      case 10: {
        // remove every field of one kind (e.g. no string table, no functions)
        const gone = [1, P_SAMPLE, P_MAPPING, P_LOCATION, P_FUNCTION, P_STRING][a % 6];
        fields = fields.filter((f) => f.field !== gone);
        break;
      }
      case 11: {
        // duplicate a run of fields
        const at = fields.length ? a % fields.length : 0;
        const len = 1 + (b % 16);
        fields = [...fields.slice(0, at + len), ...fields.slice(at, at + len), ...fields.slice(at + len)];
        break;
      }
      case 12: {
        // shuffle: move a run of fields elsewhere
        const at = fields.length ? a % fields.length : 0;
        const run = fields.slice(at, at + 1 + (b % 32));
        const rest = [...fields.slice(0, at), ...fields.slice(at + run.length)];
        const to = rest.length ? (b >>> 5) % rest.length : 0;
        fields = [...rest.slice(0, to), ...run, ...rest.slice(to)];
        break;
      }
      case 13: // a top-level varint field set to something huge or out of range
        fields = setVarint(
          fields,
          [P_DEFAULT_TYPE, 9, 10, 12, P_DROP_FRAMES][a % 5],
          idValue(b, BigInt(nStrings()), () => [])
        );
        break;
      case 14: // a Sample whose location list is one id repeated (a deep, self-recursive stack)
        rewrite(nth(P_SAMPLE, a), (sub) =>
          sub.map((f) => {
            if (f.field !== 1 || f.wt !== 2) {
              return f;
            }
            const ids = unpackVarints(f.bytes);
            return {
              field: 1,
              wt: 2,
              v: BigInt(0),
              bytes: packVarints(new Array<bigint>(1 + (b % 2000)).fill(ids[0] ?? BigInt(1))),
            };
          })
        );
        break;
      default: // a Label with key/str out of range or a string value and a number at once
        rewrite(nth(P_SAMPLE, a), (sub) => [
          ...sub,
          message(3, [
            varint(1, BigInt(b % (nStrings() + 3))),
            varint(2, BigInt((b >>> 4) % (nStrings() + 3))),
            varint(3, BigInt(b)),
          ]),
        ]);
    }
  }
  return encodeFields(fields);
}

// ---- text -------------------------------------------------------------------------------------

/** Character- and line-level mutations of a text. */
export function mutateText(input: string, ops: Op[], alphabet: string): string {
  let t = input;
  for (const [kind, a, v] of ops) {
    const n = t.length;
    const at = n ? a % n : 0;
    switch (kind % 8) {
      case 0: // replace a character
        t = t.slice(0, at) + alphabet[v % alphabet.length] + t.slice(at + 1);
        break;
      case 1: // insert a character
        t = t.slice(0, at) + alphabet[v % alphabet.length] + t.slice(at);
        break;
      case 2: // truncate
        t = t.slice(0, at);
        break;
      case 3: // delete a chunk
        t = t.slice(0, at) + t.slice(at + 1 + (v % 64));
        break;
      case 4: {
        // duplicate a chunk
        const c = t.slice(at, at + 1 + (v % 200));
        t = t.slice(0, at) + c + c + t.slice(at + c.length);
        break;
      }
      case 5: {
        // swap two lines
        const lines = t.split('\n');
        const i = a % lines.length;
        const j = v % lines.length;
        [lines[i], lines[j]] = [lines[j], lines[i]];
        t = lines.join('\n');
        break;
      }
      case 6: // a long run of digits (counts and numbers past 2^53, past Number.MAX_VALUE)
        t = t.slice(0, at) + '9'.repeat(1 + (v % 400)) + t.slice(at);
        break;
      default: // a long run of one character
        t = t.slice(0, at) + alphabet[v % alphabet.length].repeat(1 + (v % 300)) + t.slice(at);
    }
  }
  return t;
}
