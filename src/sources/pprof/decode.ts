/**
 * pprof decoder: profile.proto bytes (gzip or plain) -> PprofProfile with a columnar SampleTable.
 *
 * The Profile message is walked by hand on a varint reader so that a million samples become typed
 * arrays directly (no per-sample objects, no Long). Names follow `go tool pprof` at function
 * granularity: a frame is its function name; an unsymbolized frame is `[<mapping file basename>]`,
 * or `<unknown>` without a mapping file (pprof zeroes addresses when aggregating by function).
 */
import { Gunzip } from 'fflate';
import { FrameKind } from '../../model/profile';
import { SampleTable, ValueType } from '../../model/samples';
import { FunctionInterner } from '../../model/treeBuilder';
import { grown } from '../../model/typedArrays';
import { ProfileDecodeError } from './errors';
import { Wire, WireEndError } from './wire';

export interface PprofMapping {
  id: number;
  memoryStart: number;
  memoryLimit: number;
  fileOffset: number;
  filename: string;
  buildId: string;
  hasFunctions: boolean;
}

export interface PprofProfile {
  sampleTypes: ValueType[];
  /** Index of default_sample_type, else the last sample type. */
  defaultSampleType: number;
  periodType?: ValueType;
  period: number;
  /** Collection start, ns since the Unix epoch (0 = unknown). */
  timeNanos: number;
  durationNanos: number;
  comments: string[];
  dropFrames: string;
  keepFrames: string;
  mappings: PprofMapping[];
  /** Number of Location and Function messages. */
  locationCount: number;
  functionCount: number;
  samples: SampleTable;
  /** Non-fatal problems, e.g. a drop_frames regexp JavaScript cannot compile. */
  warnings: string[];
}

export interface DecodeOptions {
  /** Refuse profiles that decompress to more than this many bytes. Default 512 MiB. */
  maxDecompressedBytes?: number;
  /**
   * Gunzip with the platform's native zlib when there is one (Node), which is about twice as fast as
   * the bundled JavaScript inflater used in browsers. Default true; false forces the bundled one.
   */
  nativeGunzip?: boolean;
  /**
   * Read the samples' labels. Default true; false leaves every sample without labels, for callers
   * that never filter by them (the profile:top CLI), which saves their decoding and memory.
   */
  labels?: boolean;
}

export const DEFAULT_MAX_DECOMPRESSED_BYTES = 512 * 1024 * 1024;

/** Bytes a Profile message can start with: a tag of one of its fields, with that field's wire type. */
const PROFILE_FIRST_TAGS = new Set([
  0x0a, 0x12, 0x1a, 0x22, 0x2a, 0x32, 0x38, 0x3a, 0x40, 0x42, 0x48, 0x4a, 0x50, 0x52, 0x5a, 0x60, 0x62, 0x68, 0x6a,
  0x70, 0x72,
]);

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export function decodePprof(bytes: Uint8Array, opts: DecodeOptions = {}): PprofProfile {
  if (!bytes || bytes.length === 0) {
    throw new ProfileDecodeError('empty', 'the profile is empty (0 bytes)');
  }
  const cap = opts.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
  const gzipped = isGzip(bytes);
  let raw: Uint8Array;
  if (gzipped) {
    const zlib = opts.nativeGunzip === false ? undefined : nativeZlib();
    raw = zlib ? nativeGunzip(zlib, bytes, cap) : gunzip(bytes, cap);
  } else {
    if (bytes.length > cap) {
      throw new ProfileDecodeError('too-large', `profile is ${bytes.length} bytes, above the ${cap}-byte limit`);
    }
    raw = bytes;
  }
  if (raw.length === 0) {
    // A gzip member is at least 18 bytes (header + empty block + trailer): fewer means cut off.
    if (bytes.length < 18) {
      throw new ProfileDecodeError('truncated', `the gzip stream ends after ${bytes.length} bytes (truncated?)`);
    }
    throw new ProfileDecodeError('empty', 'the gzip stream holds no data');
  }
  if (!PROFILE_FIRST_TAGS.has(raw[0])) {
    throw new ProfileDecodeError(
      'not-a-profile',
      gzipped ? 'the gzip data is not a pprof profile' : 'not a pprof profile: neither gzip (1f 8b) nor profile.proto'
    );
  }
  try {
    // A plain Uint8Array view, not Node's Buffer subclass: subarray() on a Buffer builds a Buffer, and
    // one array class keeps the reading code monomorphic.
    return parseProfile(new Uint8Array(raw.buffer, raw.byteOffset, raw.length), opts.labels !== false);
  } catch (e) {
    if (e instanceof ProfileDecodeError) {
      throw e;
    }
    if (e instanceof WireEndError || e instanceof RangeError) {
      throw new ProfileDecodeError('truncated', 'the profile data ends in the middle of a message (truncated?)');
    }
    throw new ProfileDecodeError('corrupt', `cannot decode the profile: ${e instanceof Error ? e.message : String(e)}`);
  }
}

interface ZlibLike {
  gunzipSync(buf: Uint8Array, opts: { maxOutputLength: number; chunkSize: number }): Uint8Array;
}

/** Node's zlib, looked up at run time so that browser bundles neither import nor polyfill it. */
function nativeZlib(): ZlibLike | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const zlib =
    typeof proc?.getBuiltinModule === 'function' ? (proc.getBuiltinModule('node:zlib') as ZlibLike) : undefined;
  return zlib && typeof zlib.gunzipSync === 'function' ? zlib : undefined;
}

/** ISIZE, the gzip trailer's claim of the decompressed size (mod 2^32); 0 when there is no trailer. */
function gzipSize(bytes: Uint8Array): number {
  const n = bytes.length;
  return n >= 18 ? (bytes[n - 4] | (bytes[n - 3] << 8) | (bytes[n - 2] << 16) | (bytes[n - 1] << 24)) >>> 0 : 0;
}

/** Deflate's largest expansion is about 1032:1, so a gzip stream cannot inflate to more than this. */
const MAX_DEFLATE_RATIO = 1032;

function nativeGunzip(zlib: ZlibLike, bytes: Uint8Array, cap: number): Uint8Array {
  // One output chunk one byte larger than ISIZE inflates in one call with no final concatenation
  // (about half the time of 16 KiB chunks). ISIZE may lie: a smaller one only means more chunks, a
  // larger one is bounded by what the input can inflate to and by the cap.
  const n = bytes.length;
  const isize = gzipSize(bytes);
  const chunkSize = Math.max(64 * 1024, Math.min(isize + 1, cap + 1, n * MAX_DEFLATE_RATIO));
  try {
    // maxOutputLength stops inflating as soon as the cap is passed, whatever ISIZE claims.
    return zlib.gunzipSync(bytes, { maxOutputLength: cap, chunkSize });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      throw new ProfileDecodeError('too-large', `profile decompresses to more than the ${cap}-byte limit`);
    }
    const msg = e instanceof Error ? e.message : String(e);
    if (code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(msg)) {
      throw new ProfileDecodeError('truncated', 'the gzip stream ends early (truncated download?)');
    }
    throw new ProfileDecodeError('corrupt', `the gzip stream is corrupt: ${msg}`);
  }
}

/** Compressed bytes handed to the inflater at a time; deflate expands at most ~1032x. */
const GUNZIP_SLICE = 16 * 1024;

function gunzip(bytes: Uint8Array, cap: number): Uint8Array {
  // ISIZE (last 4 bytes, size mod 2^32) only sizes the first buffer: it may lie or be cut off, so
  // the cap is enforced by counting the stream, which stops as soon as it is exceeded.
  const n = bytes.length;
  const isize = gzipSize(bytes);
  let out = new Uint8Array(Math.max(1024, Math.min(isize, cap, n * 32)));
  let size = 0;
  const stream = new Gunzip((chunk) => {
    if (size + chunk.length > cap) {
      throw new ProfileDecodeError('too-large', `profile decompresses to more than the ${cap}-byte limit`);
    }
    if (size + chunk.length > out.length) {
      out = grown(out.subarray(0, size), Math.min(cap, Math.max(out.length * 2, size + chunk.length)));
    }
    out.set(chunk, size);
    size += chunk.length;
  });
  try {
    // fflate inflates all it is given before calling back: feed small slices so a gzip bomb is
    // stopped at the cap instead of after filling memory.
    for (let at = 0; at < n; at += GUNZIP_SLICE) {
      stream.push(bytes.subarray(at, Math.min(n, at + GUNZIP_SLICE)), at + GUNZIP_SLICE >= n);
    }
  } catch (e) {
    if (e instanceof ProfileDecodeError) {
      throw e;
    }
    const msg = e instanceof Error ? e.message : String(e);
    if (/unexpected EOF/i.test(msg)) {
      throw new ProfileDecodeError('truncated', 'the gzip stream ends early (truncated download?)');
    }
    throw new ProfileDecodeError('corrupt', `the gzip stream is corrupt: ${msg}`);
  }
  return out.subarray(0, size);
}

/** Growable typed arrays for the columns whose final length is unknown until the end. */
class F64 {
  /** Keeps the class's optimized code alive between profiles (see Wire.idle). */
  static readonly idle = new F64();
  a = new Float64Array(1024);
  n = 0;
  push(v: number): void {
    if (this.n === this.a.length) {
      this.a = grown(this.a);
    }
    this.a[this.n++] = v;
  }
  take(): Float64Array {
    return this.a.slice(0, this.n);
  }
}

class I32 {
  /** Keeps the class's optimized code alive between profiles (see Wire.idle). */
  static readonly idle = new I32();
  a = new Int32Array(1024);
  n = 0;
  push(v: number): void {
    if (this.n === this.a.length) {
      this.a = grown(this.a);
    }
    this.a[this.n++] = v;
  }
  /** Room for `more` further values. */
  reserve(more: number): void {
    if (this.n + more > this.a.length) {
      this.a = grown(this.a.subarray(0, this.n), Math.max(this.a.length * 2, this.n + more));
    }
  }
  take(): Int32Array {
    return this.a.slice(0, this.n);
  }
}

/**
 * Location messages as columns: location l has id id.a[l], mapping id mapping.a[l] and the function
 * ids of its Line messages lineFn.a[lineStart.a[l] .. lineStart.a[l + 1]), in proto order (inlined
 * first, caller last). Ids are uint64 read as numbers, so Float64.
 */
class RawLocations {
  /** Keeps the class's optimized code alive between profiles (see Wire.idle). */
  static readonly idle = new RawLocations();
  count = 0;
  readonly id = new F64();
  readonly mapping = new F64();
  readonly lineStart = new I32();
  readonly lineFn = new F64();
  constructor() {
    this.lineStart.push(0);
  }
}

/** Function messages as columns: id and the string ids of name, system name and file name. */
class RawFunctions {
  /** Keeps the class's optimized code alive between profiles (see Wire.idle). */
  static readonly idle = new RawFunctions();
  count = 0;
  readonly id = new F64();
  readonly name = new F64();
  readonly systemName = new F64();
  readonly filename = new F64();
}

/**
 * Message id -> index, -1 for none. Go numbers locations and functions 1..n, so a flat table
 * (`dense`, indexed by id) serves them; other numbering falls back to `sparse`. The last of
 * repeated ids wins.
 */
interface IdIndex {
  dense: Int32Array;
  sparse: Map<number, number> | undefined;
}

function indexIds(ids: Float64Array, count: number): IdIndex {
  let maxId = 0;
  for (let i = 0; i < count; i++) {
    maxId = Math.max(maxId, ids[i]);
  }
  if (maxId <= 4 * count + 1024) {
    const dense = new Int32Array(maxId + 1).fill(-1);
    for (let i = 0; i < count; i++) {
      dense[ids[i]] = i;
    }
    return { dense, sparse: undefined };
  }
  const sparse = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    sparse.set(ids[i], i);
  }
  return { dense: new Int32Array(0), sparse };
}

function indexOf(index: IdIndex, id: number): number {
  return id < index.dense.length ? index.dense[id] : (index.sparse?.get(id) ?? -1);
}

const decoder = new TextDecoder('utf-8');

interface Header {
  strings: string[];
  sampleTypeIds: Array<[number, number]>;
  mappings: Array<{ m: PprofMapping; filename: number; buildId: number }>;
  locations: RawLocations;
  functions: RawFunctions;
  comments: number[];
  dropFrames: number;
  keepFrames: number;
  timeNanos: number;
  durationNanos: number;
  periodType: [number, number] | undefined;
  period: number;
  defaultSampleType: number;
  sampleCount: number;
}

/**
 * Pass 1: everything but the samples, which are only counted. Go writes samples before the
 * locations they refer to; with the locations known first, pass 2 can turn location ids into
 * indices and share identical stacks while reading, with every column sized exactly.
 */
function readHeader(buf: Uint8Array): Header {
  const w = new Wire(buf);
  const end = buf.length;
  const strings: string[] = [];
  const sampleTypeIds: Array<[number, number]> = [];
  const mappings: Array<{ m: PprofMapping; filename: number; buildId: number }> = [];
  const locations = new RawLocations();
  const functions = new RawFunctions();
  const comments: number[] = [];
  let dropFrames = 0;
  let keepFrames = 0;
  let timeNanos = 0;
  let durationNanos = 0;
  let periodType: [number, number] | undefined;
  let period = 0;
  let defaultSampleType = 0;
  let sampleCount = 0;

  while (w.pos < end) {
    if (buf[w.pos] === 0x12) {
      sampleCount += skipSamples(w);
      continue;
    }
    const tag = w.uint();
    const field = tag >>> 3;
    const wt = tag & 7;
    if (field === 0) {
      throw new ProfileDecodeError('corrupt', `invalid field number 0 at offset ${w.pos}`);
    }
    if (wt === 2 && field === 2) {
      w.pos = w.delimited();
      sampleCount++;
      continue;
    }
    switch (field) {
      case 1:
        sampleTypeIds.push(readValueType(w, expectLen(w, wt)));
        break;
      case 3:
        mappings.push(readMapping(w, expectLen(w, wt)));
        break;
      case 4:
        readLocation(w, expectLen(w, wt), locations);
        break;
      case 5:
        readFunction(w, expectLen(w, wt), functions);
        break;
      case 6: {
        const e = expectLen(w, wt);
        strings.push(decoder.decode(buf.subarray(w.pos, e)));
        w.pos = e;
        break;
      }
      case 7:
        dropFrames = w.int();
        break;
      case 8:
        keepFrames = w.int();
        break;
      case 9:
        timeNanos = w.int();
        break;
      case 10:
        durationNanos = w.int();
        break;
      case 11:
        periodType = readValueType(w, expectLen(w, wt));
        break;
      case 12:
        period = w.int();
        break;
      case 13:
        if (wt === 2) {
          const e = w.delimited();
          while (w.pos < e) {
            comments.push(w.int());
          }
        } else {
          comments.push(w.int());
        }
        break;
      case 14:
        defaultSampleType = w.int();
        break;
      default:
        w.skip(wt);
    }
  }
  if (w.pos !== end) {
    throw new WireEndError();
  }
  return {
    strings,
    sampleTypeIds,
    mappings,
    locations,
    functions,
    comments,
    dropFrames,
    keepFrames,
    timeNanos,
    durationNanos,
    periodType,
    period,
    defaultSampleType,
    sampleCount,
  };
}

/**
 * Skips the Sample messages (tag 0x12) from w.pos on, which Go writes one after another, and returns
 * how many. Samples are most of a profile and pass 1 only counts them, so this loop reads their
 * lengths inline instead of through the reader's calls.
 */
function skipSamples(w: Wire): number {
  const buf = w.buf;
  const end = buf.length;
  let pos = w.pos;
  let n = 0;
  while (pos < end && buf[pos] === 0x12) {
    pos++;
    let len = buf[pos++];
    if (len >= 0x80) {
      let b = buf[pos++];
      len = (len & 0x7f) | ((b & 0x7f) << 7);
      if (b >= 0x80) {
        b = buf[pos++];
        len |= (b & 0x7f) << 14;
        if (b >= 0x80) {
          w.pos = pos - 3;
          len = w.uint();
          pos = w.pos;
        }
      }
    }
    pos += len;
    if (!(pos <= end)) {
      throw new WireEndError();
    }
    n++;
  }
  w.pos = pos;
  return n;
}

function parseProfile(buf: Uint8Array, withLabels: boolean): PprofProfile {
  const {
    strings,
    sampleTypeIds,
    mappings,
    locations,
    functions,
    comments,
    dropFrames,
    keepFrames,
    timeNanos,
    durationNanos,
    periodType,
    period,
    defaultSampleType,
    sampleCount,
  } = readHeader(buf);

  if (strings.length === 0 && sampleCount === 0 && sampleTypeIds.length === 0) {
    throw new ProfileDecodeError('not-a-profile', 'no sample types, samples or strings: not a pprof profile');
  }
  if (strings.length === 0 && (sampleCount > 0 || locations.count > 0)) {
    // Go writes the string table last: samples without it is a profile cut short.
    throw new ProfileDecodeError('corrupt', 'the profile has samples but no string table (truncated?)');
  }
  if (strings.length === 0 || strings[0] !== '') {
    throw new ProfileDecodeError('not-a-profile', 'string_table[0] must be "": not a pprof profile');
  }

  const sampleTypes = sampleTypeIds.map(([t, u]) => ({
    type: stringAt(strings, t, 'sample_type'),
    unit: stringAt(strings, u, 'sample_type'),
  }));
  let defaultType = sampleTypes.length - 1;
  if (defaultSampleType !== 0) {
    const name = stringAt(strings, defaultSampleType, 'default_sample_type');
    const i = sampleTypes.findIndex((t) => t.type === name);
    if (i >= 0) {
      defaultType = i;
    }
  }

  const pprofMappings = mappings.map(({ m, filename, buildId }) => {
    m.filename = stringAt(strings, filename, 'mapping');
    m.buildId = stringAt(strings, buildId, 'mapping');
    return m;
  });
  // What pprof shows for a frame without a function name, per mapping id.
  const unsymbolizedName = new Map<number, string>();
  for (const m of pprofMappings) {
    unsymbolizedName.set(m.id, m.filename ? `[${baseName(m.filename)}]` : '<unknown>');
  }
  checkFunctionStrings(functions, strings.length);
  const functionIndex = indexIds(functions.id.a, functions.count);

  const interner = new FunctionInterner();
  const { frameOffsets, frames } = locationFrames(
    locations,
    functions,
    functionIndex,
    strings,
    unsymbolizedName,
    interner
  );
  const locationIndex = indexIds(locations.id.a, locations.count);

  const nTypes = sampleTypes.length;
  const samples = readSamples(buf, sampleCount, nTypes, locationIndex, withLabels);
  const { labelKey, labelStr, labelUnit } = samples;
  for (let i = 0; i < labelKey.length; i++) {
    stringAt(strings, labelKey[i], 'label key');
    if (labelStr[i] >= 0) {
      stringAt(strings, labelStr[i], 'label value');
    }
    stringAt(strings, labelUnit[i], 'label unit');
  }

  const table: SampleTable = {
    count: sampleCount,
    sampleTypes,
    defaultType,
    values: samples.values,
    stack: samples.stack,
    stackCount: samples.stackCount,
    stackOffsets: samples.stackOffsets,
    stackLocations: samples.stackLocations,
    frameOffsets,
    frames,
    functions: interner,
    labelOffsets: samples.labelOffsets,
    labelKey,
    labelStr,
    labelNum: samples.labelNum,
    labelUnit,
    strings,
  };

  const profile: PprofProfile = {
    sampleTypes,
    defaultSampleType: defaultType,
    periodType: periodType
      ? { type: stringAt(strings, periodType[0], 'period_type'), unit: stringAt(strings, periodType[1], 'period_type') }
      : undefined,
    period,
    timeNanos,
    durationNanos,
    comments: comments.map((c) => stringAt(strings, c, 'comment')),
    dropFrames: stringAt(strings, dropFrames, 'drop_frames'),
    keepFrames: stringAt(strings, keepFrames, 'keep_frames'),
    mappings: pprofMappings,
    locationCount: locations.count,
    functionCount: functions.count,
    samples: table,
    warnings: [],
  };
  if (profile.dropFrames) {
    pruneFrames(profile, locations, functions, functionIndex);
  }
  return profile;
}

/** Every string a Function refers to is in the table, else the profile is corrupt. */
function checkFunctionStrings(fns: RawFunctions, nStrings: number): void {
  const columns = [fns.name.a, fns.systemName.a, fns.filename.a];
  for (let f = 0; f < fns.count; f++) {
    for (const ids of columns) {
      const id = ids[f];
      if (!(id >= 0 && id < nStrings)) {
        stringAt([], id, 'function', nStrings);
      }
    }
  }
}

/**
 * Frames per location, root first, interned as pprof names them. Names are interned once per
 * (string id, kind): Go writes each name once, so most locations skip the interner's string map.
 * A top-level function (no per-call closures) so its optimized code survives from one profile to the next.
 */
function locationFrames(
  locs: RawLocations,
  fns: RawFunctions,
  functionIndex: IdIndex,
  strings: string[],
  unsymbolizedName: Map<number, string>,
  interner: FunctionInterner
): { frameOffsets: Int32Array; frames: Int32Array } {
  const internedNormal = new Int32Array(strings.length).fill(-1);
  const internedInlined = new Int32Array(strings.length).fill(-1);
  const frameOffsets = new Int32Array(locs.count + 1);
  // A location has one frame per line, or one unsymbolized frame.
  const frames = new Int32Array(locs.lineFn.n + locs.count);
  const ids = locs.id.a;
  const lineStart = locs.lineStart.a;
  const lineFn = locs.lineFn.a;
  const fnName = fns.name.a;
  let n = 0;
  for (let l = 0; l < locs.count; l++) {
    if (ids[l] === 0) {
      throw new ProfileDecodeError('corrupt', `location ${l} has id 0`);
    }
    const first = lineStart[l];
    const last = lineStart[l + 1] - 1;
    if (last < first) {
      frames[n++] = interner.intern(unsymbolizedOf(locs, l, unsymbolizedName), FrameKind.Normal);
    }
    // Caller (last line) first; every line before the last was inlined into the one after it.
    for (let i = last; i >= first; i--) {
      const f = indexOf(functionIndex, lineFn[i]);
      const name = f < 0 ? 0 : fnName[f];
      const normal = i === last;
      const kind = normal ? FrameKind.Normal : FrameKind.Inlined;
      if (name === 0) {
        frames[n++] = interner.intern(unsymbolizedOf(locs, l, unsymbolizedName), kind);
        continue;
      }
      const cache = normal ? internedNormal : internedInlined;
      let id = cache[name];
      if (id < 0) {
        id = interner.intern(strings[name], kind);
        cache[name] = id;
      }
      frames[n++] = id;
    }
    frameOffsets[l + 1] = n;
  }
  return { frameOffsets, frames: frames.slice(0, n) };
}

/** What pprof shows for a frame of location l without a function name. */
function unsymbolizedOf(locs: RawLocations, l: number, unsymbolizedName: Map<number, string>): string {
  const mapping = locs.mapping.a[l];
  return (mapping && unsymbolizedName.get(mapping)) || '<unknown>';
}

type SampleColumns = Pick<
  SampleTable,
  | 'values'
  | 'stack'
  | 'stackCount'
  | 'stackOffsets'
  | 'stackLocations'
  | 'labelOffsets'
  | 'labelKey'
  | 'labelStr'
  | 'labelNum'
  | 'labelUnit'
>;

/**
 * Pass 2: the Sample messages. Samples whose location_id bytes equal an earlier sample's share its
 * stack without decoding the ids again; a new stack's ids become location indices as they are read.
 * Tree building then walks each distinct stack once. The loop only dispatches: each step is a small
 * function of its own, which V8 optimizes sooner than one large loop body.
 */
function readSamples(
  buf: Uint8Array,
  count: number,
  nTypes: number,
  locationIndex: IdIndex,
  withLabels: boolean
): SampleColumns {
  const w = new Wire(buf);
  const end = buf.length;
  const fields = new SampleFields(count, nTypes, withLabels);
  const stacks = new StackTable(w, locationIndex, count);
  const stack = new Int32Array(count);
  let s = 0;
  while (w.pos < end) {
    const tag = w.uint();
    if (tag !== 0x12) {
      // Not field 2 (Sample) with wire type 2: already checked in pass 1.
      w.skip(tag & 7);
      continue;
    }
    const e = w.delimited();
    const start = w.pos;
    fields.read(w, e, s);
    stack[s] = fields.irregularIds ? stacks.addFields(start, e) : stacks.find(fields.idsFrom, fields.idsTo, e);
    s++;
    fields.labels.endSample(s);
  }
  const { labels } = fields;
  return {
    values: fields.values,
    stack,
    stackCount: stacks.offsets.n - 1,
    stackOffsets: stacks.offsets.take(),
    stackLocations: stacks.locs.take(),
    labelOffsets: labels.offsets,
    labelKey: labels.key.take(),
    labelStr: labels.str.take(),
    labelNum: labels.num.take(),
    labelUnit: labels.unit.take(),
  };
}

/** Sample labels as columns; the labels of sample s are [offsets[s], offsets[s + 1]). */
class LabelColumns {
  /** Keeps the class's optimized code alive between profiles (see Wire.idle). */
  static readonly idle = new LabelColumns(0);
  readonly offsets: Int32Array;
  readonly key = new I32();
  readonly str = new I32();
  readonly num = new F64();
  readonly unit = new I32();

  constructor(samples: number) {
    this.offsets = new Int32Array(samples + 1);
  }

  /** One Label message, the field just tagged. */
  read(w: Wire): void {
    const le = w.delimited();
    let key = 0;
    let str = -1;
    let num = 0;
    let unit = 0;
    while (w.pos < le) {
      const lt = w.uint();
      const lf = lt >>> 3;
      if (lf === 1) {
        key = w.int();
      } else if (lf === 2) {
        str = w.int();
      } else if (lf === 3) {
        num = w.int();
      } else if (lf === 4) {
        unit = w.int();
      } else {
        w.skip(lt & 7);
      }
    }
    checkEnd(w, le, 'Label');
    this.key.push(key);
    // proto3: str 0 is the empty string, which is what a numeric label has.
    this.str.push(str > 0 ? str : -1);
    this.num.push(num);
    this.unit.push(unit);
  }

  endSample(s: number): void {
    this.offsets[s] = this.key.n;
  }
}

/** Values and labels of the samples; the location_id bytes of the sample read last. */
class SampleFields {
  /** Keeps the class's optimized code alive between profiles (see Wire.idle). */
  static readonly idle = new SampleFields(0, 0, false);
  readonly values: Float64Array;
  readonly labels: LabelColumns;
  private readonly nTypes: number;
  private readonly withLabels: boolean;
  /** The one packed location_id field Go writes: its bytes [idsFrom, idsTo). */
  idsFrom = 0;
  idsTo = 0;
  /** Ids unpacked or in several fields: read again in order by StackTable.addFields. */
  irregularIds = false;

  constructor(count: number, nTypes: number, withLabels: boolean) {
    this.values = new Float64Array(count * nTypes);
    this.labels = new LabelColumns(count);
    this.nTypes = nTypes;
    this.withLabels = withLabels;
  }

  /** Sample s, whose message ends at e. */
  read(w: Wire, e: number, s: number): void {
    const nTypes = this.nTypes;
    const values = this.values;
    const vBase = s * nTypes;
    let nv = 0;
    let packedIdFields = 0;
    this.idsFrom = w.pos;
    this.idsTo = w.pos;
    this.irregularIds = false;
    const buf = w.buf;
    while (w.pos < e) {
      // Every Sample field has a one-byte tag; the reader call is for anything else.
      let t = buf[w.pos];
      if (t < 0x80) {
        w.pos++;
      } else {
        t = w.uint();
      }
      if (t === 0x0a) {
        packedIdFields++;
        this.idsTo = w.delimited();
        this.idsFrom = w.pos;
        w.pos = this.idsTo;
      } else if (t === 0x12 || t === 0x10) {
        // Values, packed (wire type 2) or one varint (0).
        const pe = t === 0x12 ? w.delimited() : 0;
        if (t === 0x10 || w.pos < pe) {
          do {
            const v = w.int();
            if (nv < nTypes) {
              values[vBase + nv] = v;
            }
            nv++;
          } while (w.pos < pe);
        }
        if (t === 0x12 && w.pos !== pe) {
          throw new ProfileDecodeError('corrupt', `packed value overruns its length at offset ${w.pos}`);
        }
      } else if (t === 0x1a && this.withLabels) {
        this.labels.read(w);
      } else {
        if (t === 0x08) {
          this.irregularIds = true;
        }
        w.skip(t & 7);
      }
    }
    checkEnd(w, e, 'Sample');
    if (nv !== nTypes) {
      throw new ProfileDecodeError(
        'corrupt',
        `sample ${s} has ${nv} values, but the profile declares ${nTypes} sample types`
      );
    }
    if (packedIdFields > 1) {
      this.irregularIds = true;
    }
  }
}

/**
 * The distinct stacks: stack k is locs.a[offsets.a[k] .. offsets.a[k + 1]), location indices leaf
 * first. Found by the location_id bytes they were decoded from, in an open-addressing table of 4
 * ints per slot so a probe reads one cache line: hash, stack (-1 = free), start and length of the bytes.
 */
class StackTable {
  /** Keeps the class's optimized code alive between profiles (see Wire.idle). */
  static readonly idle = new StackTable(Wire.idle, { dense: new Int32Array(0), sparse: undefined }, 0);
  readonly locs = new I32();
  readonly offsets = new I32();
  private readonly w: Wire;
  private readonly index: IdIndex;
  private slots: Int32Array;
  private mask: number;

  /** Sized for `samples` distinct stacks up to 32k; more (when samples do not repeat stacks) grow it. */
  constructor(w: Wire, index: IdIndex, samples: number) {
    this.w = w;
    this.index = index;
    this.offsets.push(0);
    let size = 1024;
    while (size < 2 * samples && size < 65536) {
      size *= 2;
    }
    this.slots = new Int32Array(size * 4).fill(-1);
    this.mask = size - 1;
  }

  /** The stack of location_id bytes [from, to) of a sample ending at e, added if new. */
  find(from: number, to: number, e: number): number {
    const buf = this.w.buf;
    const slots = this.slots;
    const len = to - from;
    // Four bytes a step (a stack is some tens of bytes): a quarter of the iterations.
    const whole = from + (len & ~3);
    let h = len;
    for (let i = from; i < whole; i += 4) {
      const word = buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24);
      h = Math.imul(((h << 5) | (h >>> 27)) ^ word, 0x9e3779b1);
    }
    for (let i = whole; i < to; i++) {
      h = Math.imul(((h << 5) | (h >>> 27)) ^ buf[i], 0x9e3779b1);
    }
    h = fmix(h);
    const wrap = (this.mask << 2) | 3;
    let slot = (h & this.mask) << 2;
    for (;;) {
      const k = slots[slot + 1];
      if (k < 0) {
        return this.add(slot, h, from, to, e);
      }
      if (slots[slot] === h && slots[slot + 3] === len && sameBytes(buf, slots[slot + 2], from, len)) {
        return k;
      }
      slot = (slot + 4) & wrap;
    }
  }

  private add(slot: number, h: number, from: number, to: number, e: number): number {
    const k = this.offsets.n - 1;
    appendLocationIds(this.w, from, to, e, this.locs, this.index);
    this.offsets.push(this.locs.n);
    const slots = this.slots;
    slots[slot] = h;
    slots[slot + 1] = k;
    slots[slot + 2] = from;
    slots[slot + 3] = to - from;
    // Load factor under 1/2.
    if ((k + 1) * 2 > this.mask + 1) {
      this.slots = rehashStacks(slots, this.mask);
      this.mask = this.mask * 2 + 1;
    }
    return k;
  }

  /**
   * A stack of its own for a sample [start, e) whose ids are not one packed field, read in order
   * (the tree merges equal stacks).
   */
  addFields(start: number, e: number): number {
    const k = this.offsets.n - 1;
    const w = this.w;
    w.pos = start;
    while (w.pos < e) {
      const t = w.uint();
      if (t === 0x0a) {
        const to = w.delimited();
        appendLocationIds(w, w.pos, to, e, this.locs, this.index);
        w.pos = to;
      } else if (t === 0x08) {
        const from = w.pos;
        w.uint();
        appendLocationIds(w, from, w.pos, e, this.locs, this.index);
      } else {
        w.skip(t & 7);
      }
    }
    this.offsets.push(this.locs.n);
    return k;
  }
}

/**
 * Appends the location indices of packed location_id bytes [from, to) of a sample ending at e.
 * Ids below 2^28 are read inline, longer ones through the general reader.
 */
function appendLocationIds(w: Wire, from: number, to: number, e: number, locs: I32, index: IdIndex): void {
  const buf = w.buf;
  // Every varint takes at least one byte.
  locs.reserve(to - from);
  const a = locs.a;
  const dense = index.dense;
  const denseLen = dense.length;
  let n = locs.n;
  let pos = from;
  while (pos < to) {
    let id = buf[pos++];
    if (id >= 0x80) {
      let b = buf[pos++];
      id = (id & 0x7f) | ((b & 0x7f) << 7);
      if (b >= 0x80) {
        b = buf[pos++];
        id |= (b & 0x7f) << 14;
        if (b >= 0x80) {
          b = buf[pos++];
          id |= (b & 0x7f) << 21;
          if (b >= 0x80) {
            w.pos = pos - 4;
            id = w.uint();
            pos = w.pos;
          }
        }
      }
    }
    const idx = id < denseLen ? dense[id] : (index.sparse?.get(id) ?? -1);
    if (idx < 0) {
      if (pos > e) {
        throw new WireEndError();
      }
      throw new ProfileDecodeError('corrupt', `a sample refers to location ${id}, which the profile does not define`);
    }
    a[n++] = idx;
  }
  if (pos !== to) {
    throw new ProfileDecodeError('corrupt', `packed location_id overruns its length at offset ${pos}`);
  }
  locs.n = n;
}

/** Whether buf[a .. a + len) equals buf[b .. b + len). */
function sameBytes(buf: Uint8Array, a: number, b: number, len: number): boolean {
  for (let i = 0; i < len; i++) {
    if (buf[a + i] !== buf[b + i]) {
      return false;
    }
  }
  return true;
}

/** The stack table at twice the size. */
function rehashStacks(slots: Int32Array, mask: number): Int32Array {
  const bigger = mask * 2 + 1;
  const out = new Int32Array((bigger + 1) * 4).fill(-1);
  for (let at = 0; at < slots.length; at += 4) {
    if (slots[at + 1] < 0) {
      continue;
    }
    let to = (slots[at] & bigger) << 2;
    while (out[to + 1] >= 0) {
      to = (to + 4) & ((bigger << 2) | 3);
    }
    out[to] = slots[at];
    out[to + 1] = slots[at + 1];
    out[to + 2] = slots[at + 2];
    out[to + 3] = slots[at + 3];
  }
  return out;
}

/** murmur3's finalizer: spreads the stack hash into the low bits the table is masked by. */
function fmix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** String `id` of the table; a reference outside it is a corrupt profile. */
function stringAt(strings: string[], id: number, what: string, nStrings = strings.length): string {
  if (id < 0 || id >= nStrings || !Number.isInteger(id)) {
    throw new ProfileDecodeError('corrupt', `${what} refers to string ${id}, but the string table has ${nStrings}`);
  }
  return strings[id];
}

function expectLen(w: Wire, wt: number): number {
  if (wt !== 2) {
    throw new ProfileDecodeError(
      'corrupt',
      `expected a length-delimited field, got wire type ${wt} at offset ${w.pos}`
    );
  }
  return w.delimited();
}

function checkEnd(w: Wire, e: number, what: string): void {
  if (w.pos !== e) {
    throw new ProfileDecodeError('corrupt', `${what} message overruns its length at offset ${w.pos}`);
  }
}

function readValueType(w: Wire, e: number): [number, number] {
  let type = 0;
  let unit = 0;
  while (w.pos < e) {
    const t = w.uint();
    if (t >>> 3 === 1) {
      type = w.int();
    } else if (t >>> 3 === 2) {
      unit = w.int();
    } else {
      w.skip(t & 7);
    }
  }
  checkEnd(w, e, 'ValueType');
  return [type, unit];
}

function readMapping(w: Wire, e: number): { m: PprofMapping; filename: number; buildId: number } {
  const m: PprofMapping = {
    id: 0,
    memoryStart: 0,
    memoryLimit: 0,
    fileOffset: 0,
    filename: '',
    buildId: '',
    hasFunctions: false,
  };
  let filename = 0;
  let buildId = 0;
  while (w.pos < e) {
    const t = w.uint();
    switch (t >>> 3) {
      case 1:
        m.id = w.uint();
        break;
      case 2:
        m.memoryStart = w.uint();
        break;
      case 3:
        m.memoryLimit = w.uint();
        break;
      case 4:
        m.fileOffset = w.uint();
        break;
      case 5:
        filename = w.int();
        break;
      case 6:
        buildId = w.int();
        break;
      case 7:
        m.hasFunctions = w.uint() !== 0;
        break;
      default:
        w.skip(t & 7);
    }
  }
  checkEnd(w, e, 'Mapping');
  return { m, filename, buildId };
}

function readLocation(w: Wire, e: number, locs: RawLocations): void {
  let id = 0;
  let mapping = 0;
  while (w.pos < e) {
    const t = w.uint();
    const f = t >>> 3;
    if (f === 1) {
      id = w.uint();
    } else if (f === 2) {
      mapping = w.uint();
    } else if (f === 4 && (t & 7) === 2) {
      const le = w.delimited();
      let fn = 0;
      while (w.pos < le) {
        const lt = w.uint();
        if (lt >>> 3 === 1) {
          fn = w.uint();
        } else {
          w.skip(lt & 7);
        }
      }
      checkEnd(w, le, 'Line');
      locs.lineFn.push(fn);
    } else {
      w.skip(t & 7);
    }
  }
  checkEnd(w, e, 'Location');
  locs.id.push(id);
  locs.mapping.push(mapping);
  locs.lineStart.push(locs.lineFn.n);
  locs.count++;
}

function readFunction(w: Wire, e: number, fns: RawFunctions): void {
  let id = 0;
  let name = 0;
  let systemName = 0;
  let filename = 0;
  while (w.pos < e) {
    const t = w.uint();
    switch (t >>> 3) {
      case 1:
        id = w.uint();
        break;
      case 2:
        name = w.int();
        break;
      case 3:
        systemName = w.int();
        break;
      case 4:
        filename = w.int();
        break;
      default:
        w.skip(t & 7);
    }
  }
  checkEnd(w, e, 'Function');
  fns.id.push(id);
  fns.name.push(name);
  fns.systemName.push(systemName);
  fns.filename.push(filename);
  fns.count++;
}

/** Go's filepath.Base for the slash-separated paths found in mappings. */
export function baseName(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '') {
    return path === '' ? '.' : '/';
  }
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/**
 * pprof's Prune(drop_frames, keep_frames), applied at load like `go tool pprof` does: a location whose
 * frame matches drop_frames loses that frame and everything it calls.
 */
/**
 * A repeated group in a pattern that also alternates or repeats elsewhere (`(a|a)*`, `(a+)+`,
 * `((a)*)*`): JavaScript's backtracking RegExp can take exponential time on it, and the profile,
 * not the user, chose the pattern. Cautious on purpose: pruning is cosmetic, a hang is not.
 */
function mayBacktrackExponentially(pattern: string): boolean {
  const repeatedGroup = /\)(?:[*+]|\{\d+,)/.test(pattern);
  const repeats = (pattern.match(/[*+]|\{\d+,/g) ?? []).length;
  return repeatedGroup && (repeats > 1 || pattern.includes('|'));
}

function pruneFrames(profile: PprofProfile, locations: RawLocations, fns: RawFunctions, functionIndex: IdIndex): void {
  let drop: RegExp;
  let keep: RegExp | undefined;
  if (mayBacktrackExponentially(profile.dropFrames) || mayBacktrackExponentially(profile.keepFrames)) {
    profile.warnings.push('drop_frames/keep_frames could take exponential time to match; frames were not pruned');
    return;
  }
  try {
    drop = new RegExp(`^(?:${profile.dropFrames})$`);
    keep = profile.keepFrames ? new RegExp(`^(?:${profile.keepFrames})$`) : undefined;
  } catch {
    profile.warnings.push(`drop_frames/keep_frames is not a regexp JavaScript understands; frames were not pruned`);
    return;
  }
  const s = profile.samples;
  const cache = new Map<string, boolean>();
  const pruneHere = (name: string): boolean => {
    let r = cache.get(name);
    if (r === undefined) {
      const simple = simplifyFunc(name);
      r = drop.test(simple) && !(keep && keep.test(simple));
      cache.set(name, r);
    }
    return r;
  };
  // 0 keep, 1 prune the whole location, 2 prune beneath it (some inlined frames were cut).
  const state = new Uint8Array(locations.count);
  const newFrames = new I32();
  const newOffsets = new Int32Array(locations.count + 1);
  const lineStart = locations.lineStart.a;
  const lineFn = locations.lineFn.a;
  for (let l = 0; l < locations.count; l++) {
    const first = lineStart[l];
    const last = lineStart[l + 1] - 1;
    let i = last;
    for (; i >= first; i--) {
      const f = indexOf(functionIndex, lineFn[i]);
      const name = f < 0 ? 0 : fns.name.a[f];
      if (name && pruneHere(s.strings[name])) {
        break;
      }
    }
    const a = s.frameOffsets[l];
    let b = s.frameOffsets[l + 1];
    if (i >= first) {
      state[l] = i === last ? 1 : 2;
      // Keep the lines after i: root-first those are the first (last - i) frames.
      b = a + (last - i);
    }
    for (let f = a; f < b; f++) {
      newFrames.push(s.frames[f]);
    }
    newOffsets[l + 1] = newFrames.n;
  }
  s.frames = newFrames.take();
  s.frameOffsets = newOffsets;

  // Cut each stack at the first pruned location above a user frame (scanning root to leaf).
  // Stacks that become equal stay separate; the tree merges them.
  const locs = s.stackLocations;
  const out = new I32();
  const offsets = new Int32Array(s.stackCount + 1);
  for (let k = 0; k < s.stackCount; k++) {
    const from = s.stackOffsets[k];
    const to = s.stackOffsets[k + 1];
    let start = from;
    let foundUser = false;
    for (let i = to - 1; i >= from; i--) {
      const st = state[locs[i]];
      if (st === 0) {
        foundUser = true;
        continue;
      }
      if (!foundUser) {
        continue;
      }
      start = st === 1 ? i + 1 : i;
      break;
    }
    for (let i = start; i < to; i++) {
      out.push(locs[i]);
    }
    offsets[k + 1] = out.n;
  }
  s.stackLocations = out.take();
  s.stackOffsets = offsets;
}

/** pprof's simplifyFunc: drop a leading '.' and the argument list, sparing `(anonymous namespace)` and `operator()`. */
function simplifyFunc(name: string): string {
  const f = name.startsWith('.') ? name.slice(1) : name;
  const re = /(\(anonymous namespace\)|operator\(\))|(\()/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(f)) !== null) {
    if (m[1] === undefined) {
      return f.slice(0, m.index);
    }
  }
  return f;
}
