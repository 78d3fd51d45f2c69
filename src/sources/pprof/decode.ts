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
    raw = gunzip(bytes, cap);
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
    return parseProfile(raw);
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

function gunzip(bytes: Uint8Array, cap: number): Uint8Array {
  // ISIZE (last 4 bytes, size mod 2^32) only sizes the first buffer: it may lie or be cut off, so
  // the cap is enforced by counting the stream, which stops as soon as it is exceeded.
  const n = bytes.length;
  const isize = n >= 18 ? (bytes[n - 4] | (bytes[n - 3] << 8) | (bytes[n - 2] << 16) | (bytes[n - 1] << 24)) >>> 0 : 0;
  let out = new Uint8Array(Math.max(1024, Math.min(isize, cap, n * 32)));
  let size = 0;
  const stream = new Gunzip((chunk) => {
    if (size + chunk.length > cap) {
      throw new ProfileDecodeError('too-large', `profile decompresses to more than the ${cap}-byte limit`);
    }
    if (size + chunk.length > out.length) {
      const grown = new Uint8Array(Math.min(cap, Math.max(out.length * 2, size + chunk.length)));
      grown.set(out.subarray(0, size));
      out = grown;
    }
    out.set(chunk, size);
    size += chunk.length;
  });
  try {
    stream.push(bytes, true);
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
  a = new Float64Array(1024);
  n = 0;
  push(v: number): void {
    if (this.n === this.a.length) {
      const g = new Float64Array(this.a.length * 2);
      g.set(this.a);
      this.a = g;
    }
    this.a[this.n++] = v;
  }
  /** Room for `more` further values. */
  reserve(more: number): void {
    if (this.n + more > this.a.length) {
      const g = new Float64Array(Math.max(this.a.length * 2, this.n + more));
      g.set(this.a.subarray(0, this.n));
      this.a = g;
    }
  }
  take(): Float64Array {
    return this.a.slice(0, this.n);
  }
}

/** A packed repeated varint field, one-byte varints read inline (most location ids and counts). */
function readPacked(w: Wire, buf: Uint8Array, out: F64, signed: boolean): void {
  const pe = w.delimited();
  let pos = w.pos;
  // Every varint takes at least one byte.
  out.reserve(pe - pos);
  const a = out.a;
  let n = out.n;
  while (pos < pe) {
    const b = buf[pos];
    if (b < 0x80) {
      a[n++] = b;
      pos++;
    } else {
      w.pos = pos;
      a[n++] = signed ? w.int() : w.uint();
      pos = w.pos;
    }
  }
  out.n = n;
  w.pos = pos;
  if (pos !== pe) {
    throw new ProfileDecodeError('corrupt', `packed field overruns its length at offset ${pos}`);
  }
}

class I32 {
  a = new Int32Array(1024);
  n = 0;
  push(v: number): void {
    if (this.n === this.a.length) {
      const g = new Int32Array(this.a.length * 2);
      g.set(this.a);
      this.a = g;
    }
    this.a[this.n++] = v;
  }
  take(): Int32Array {
    return this.a.slice(0, this.n);
  }
}

interface RawLocation {
  id: number;
  mappingId: number;
  address: number;
  /** Function ids of Location.line, in proto order (inlined first, caller last). */
  lineFunction: number[];
}

interface RawFunction {
  id: number;
  name: number;
  systemName: number;
  filename: number;
}

const decoder = new TextDecoder('utf-8');

function parseProfile(buf: Uint8Array): PprofProfile {
  const w = new Wire(buf);
  const end = buf.length;
  const strings: string[] = [];
  const sampleTypeIds: Array<[number, number]> = [];
  const mappings: Array<{ m: PprofMapping; filename: number; buildId: number }> = [];
  const locations: RawLocation[] = [];
  const functions: RawFunction[] = [];
  const comments: number[] = [];
  let dropFrames = 0;
  let keepFrames = 0;
  let timeNanos = 0;
  let durationNanos = 0;
  let periodType: [number, number] | undefined;
  let period = 0;
  let defaultSampleType = 0;

  // Sample columns: raw location ids (mapped to indices once all Locations are known).
  const locIds = new F64();
  const locOffsets = new I32();
  const values = new F64();
  let valuesPerSample = -1;
  const labelOffsets = new I32();
  const labelKey = new I32();
  const labelStr = new I32();
  const labelNum = new F64();
  const labelUnit = new I32();
  locOffsets.push(0);
  labelOffsets.push(0);

  while (w.pos < end) {
    const tag = w.uint();
    const field = tag >>> 3;
    const wt = tag & 7;
    if (field === 0) {
      throw new ProfileDecodeError('corrupt', `invalid field number 0 at offset ${w.pos}`);
    }
    if (wt === 2 && field === 2) {
      // Sample: the hot path.
      const e = w.delimited();
      const valuesBefore = values.n;
      while (w.pos < e) {
        const t = w.uint();
        const f = t >>> 3;
        const k = t & 7;
        if (f === 1) {
          if (k === 2) {
            readPacked(w, buf, locIds, false);
          } else {
            locIds.push(w.uint());
          }
        } else if (f === 2) {
          if (k === 2) {
            readPacked(w, buf, values, true);
          } else {
            values.push(w.int());
          }
        } else if (f === 3 && k === 2) {
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
          labelKey.push(key);
          // proto3: str 0 is the empty string, which is what a numeric label has.
          labelStr.push(str > 0 ? str : -1);
          labelNum.push(num);
          labelUnit.push(unit);
        } else {
          w.skip(k);
        }
      }
      checkEnd(w, e, 'Sample');
      const nv = values.n - valuesBefore;
      if (valuesPerSample < 0) {
        valuesPerSample = nv;
      } else if (nv !== valuesPerSample) {
        throw new ProfileDecodeError(
          'corrupt',
          `sample ${locOffsets.n - 1} has ${nv} values, others have ${valuesPerSample}`
        );
      }
      locOffsets.push(locIds.n);
      labelOffsets.push(labelKey.n);
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
        locations.push(readLocation(w, expectLen(w, wt)));
        break;
      case 5:
        functions.push(readFunction(w, expectLen(w, wt)));
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

  const nSamples = locOffsets.n - 1;
  if (strings.length === 0 && nSamples === 0 && sampleTypeIds.length === 0) {
    throw new ProfileDecodeError('not-a-profile', 'no sample types, samples or strings: not a pprof profile');
  }
  if (strings.length === 0 && (nSamples > 0 || locations.length > 0)) {
    // Go writes the string table last: samples without it is a profile cut short.
    throw new ProfileDecodeError('corrupt', 'the profile has samples but no string table (truncated?)');
  }
  if (strings.length === 0 || strings[0] !== '') {
    throw new ProfileDecodeError('not-a-profile', 'string_table[0] must be "": not a pprof profile');
  }
  const str = (id: number, what: string): string => {
    if (id < 0 || id >= strings.length || !Number.isInteger(id)) {
      throw new ProfileDecodeError('corrupt', `${what} refers to string ${id}, but the string table has ${strings.length}`);
    }
    return strings[id];
  };

  const sampleTypes = sampleTypeIds.map(([t, u]) => ({ type: str(t, 'sample_type'), unit: str(u, 'sample_type') }));
  if (nSamples > 0 && valuesPerSample !== sampleTypes.length) {
    throw new ProfileDecodeError(
      'corrupt',
      `samples have ${valuesPerSample} values but the profile declares ${sampleTypes.length} sample types`
    );
  }
  let defaultType = sampleTypes.length - 1;
  if (defaultSampleType !== 0) {
    const name = str(defaultSampleType, 'default_sample_type');
    const i = sampleTypes.findIndex((t) => t.type === name);
    if (i >= 0) {
      defaultType = i;
    }
  }

  const pprofMappings = mappings.map(({ m, filename, buildId }) => {
    m.filename = str(filename, 'mapping');
    m.buildId = str(buildId, 'mapping');
    return m;
  });
  const mappingById = new Map<number, PprofMapping>();
  for (const m of pprofMappings) {
    mappingById.set(m.id, m);
  }
  const functionById = new Map<number, RawFunction>();
  for (const f of functions) {
    str(f.name, 'function');
    str(f.systemName, 'function');
    str(f.filename, 'function');
    functionById.set(f.id, f);
  }

  // Frames per location, root first, interned as pprof names them.
  const interner = new FunctionInterner();
  const frameOffsets = new Int32Array(locations.length + 1);
  const frames = new I32();
  const locationIndex = new Map<number, number>();
  for (let l = 0; l < locations.length; l++) {
    const loc = locations[l];
    if (loc.id === 0) {
      throw new ProfileDecodeError('corrupt', `location ${l} has id 0`);
    }
    locationIndex.set(loc.id, l);
    const mapping = loc.mappingId ? mappingById.get(loc.mappingId) : undefined;
    const unsymbolized = mapping && mapping.filename ? `[${baseName(mapping.filename)}]` : '<unknown>';
    const lines = loc.lineFunction;
    if (lines.length === 0) {
      frames.push(interner.intern(unsymbolized, FrameKind.Normal));
    }
    // Caller (last line) first; every line before the last was inlined into the one after it.
    for (let i = lines.length - 1; i >= 0; i--) {
      const fn = functionById.get(lines[i]);
      const name = fn && fn.name ? strings[fn.name] : unsymbolized;
      frames.push(interner.intern(name, i === lines.length - 1 ? FrameKind.Normal : FrameKind.Inlined));
    }
    frameOffsets[l + 1] = frames.n;
  }

  // Sample location ids -> location indices.
  const ids = locIds.a;
  const nLocs = locIds.n;
  const sampleLocations = new Int32Array(nLocs);
  // Go numbers locations 1..n: then a flat table beats a Map in this per-frame loop.
  let maxId = 0;
  for (const loc of locations) {
    maxId = Math.max(maxId, loc.id);
  }
  const dense = maxId <= 4 * locations.length + 1024 ? new Int32Array(maxId + 1).fill(-1) : undefined;
  if (dense) {
    for (let l = 0; l < locations.length; l++) {
      dense[locations[l].id] = l;
    }
  }
  for (let i = 0; i < nLocs; i++) {
    const id = ids[i];
    const idx = dense ? (id <= maxId ? dense[id] : -1) : (locationIndex.get(id) ?? -1);
    if (idx < 0) {
      throw new ProfileDecodeError('corrupt', `a sample refers to location ${id}, which the profile does not define`);
    }
    sampleLocations[i] = idx;
  }
  const keyIds = labelKey.take();
  const strIds = labelStr.take();
  const unitIds = labelUnit.take();
  for (let i = 0; i < keyIds.length; i++) {
    str(keyIds[i], 'label key');
    if (strIds[i] >= 0) {
      str(strIds[i], 'label value');
    }
    str(unitIds[i], 'label unit');
  }

  const samples: SampleTable = {
    count: nSamples,
    sampleTypes,
    defaultType,
    values: values.take(),
    locationOffsets: locOffsets.take(),
    locations: sampleLocations,
    frameOffsets,
    frames: frames.take(),
    functions: interner,
    labelOffsets: labelOffsets.take(),
    labelKey: keyIds,
    labelStr: strIds,
    labelNum: labelNum.take(),
    labelUnit: unitIds,
    strings,
  };

  const profile: PprofProfile = {
    sampleTypes,
    defaultSampleType: defaultType,
    periodType: periodType ? { type: str(periodType[0], 'period_type'), unit: str(periodType[1], 'period_type') } : undefined,
    period,
    timeNanos,
    durationNanos,
    comments: comments.map((c) => str(c, 'comment')),
    dropFrames: str(dropFrames, 'drop_frames'),
    keepFrames: str(keepFrames, 'keep_frames'),
    mappings: pprofMappings,
    locationCount: locations.length,
    functionCount: functions.length,
    samples,
    warnings: [],
  };
  if (profile.dropFrames) {
    pruneFrames(profile, locations, functionById);
  }
  return profile;
}

function expectLen(w: Wire, wt: number): number {
  if (wt !== 2) {
    throw new ProfileDecodeError('corrupt', `expected a length-delimited field, got wire type ${wt} at offset ${w.pos}`);
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
  const m: PprofMapping = { id: 0, memoryStart: 0, memoryLimit: 0, fileOffset: 0, filename: '', buildId: '', hasFunctions: false };
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

function readLocation(w: Wire, e: number): RawLocation {
  const loc: RawLocation = { id: 0, mappingId: 0, address: 0, lineFunction: [] };
  while (w.pos < e) {
    const t = w.uint();
    const f = t >>> 3;
    if (f === 1) {
      loc.id = w.uint();
    } else if (f === 2) {
      loc.mappingId = w.uint();
    } else if (f === 3) {
      loc.address = w.uint();
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
      loc.lineFunction.push(fn);
    } else {
      w.skip(t & 7);
    }
  }
  checkEnd(w, e, 'Location');
  return loc;
}

function readFunction(w: Wire, e: number): RawFunction {
  const fn: RawFunction = { id: 0, name: 0, systemName: 0, filename: 0 };
  while (w.pos < e) {
    const t = w.uint();
    switch (t >>> 3) {
      case 1:
        fn.id = w.uint();
        break;
      case 2:
        fn.name = w.int();
        break;
      case 3:
        fn.systemName = w.int();
        break;
      case 4:
        fn.filename = w.int();
        break;
      default:
        w.skip(t & 7);
    }
  }
  checkEnd(w, e, 'Function');
  return fn;
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
function pruneFrames(profile: PprofProfile, locations: RawLocation[], functionById: Map<number, RawFunction>): void {
  let drop: RegExp;
  let keep: RegExp | undefined;
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
  const state = new Uint8Array(locations.length);
  const newFrames = new I32();
  const newOffsets = new Int32Array(locations.length + 1);
  for (let l = 0; l < locations.length; l++) {
    const lines = locations[l].lineFunction;
    let i = lines.length - 1;
    for (; i >= 0; i--) {
      const fn = functionById.get(lines[i]);
      if (fn && fn.name && pruneHere(s.strings[fn.name])) {
        break;
      }
    }
    const a = s.frameOffsets[l];
    let b = s.frameOffsets[l + 1];
    if (i >= 0) {
      state[l] = i === lines.length - 1 ? 1 : 2;
      // Keep lines[i+1..]: root-first those are the first (len-1-i) frames.
      b = a + (lines.length - 1 - i);
    }
    for (let f = a; f < b; f++) {
      newFrames.push(s.frames[f]);
    }
    newOffsets[l + 1] = newFrames.n;
  }
  s.frames = newFrames.take();
  s.frameOffsets = newOffsets;

  // Cut each sample at the first pruned location above a user frame (scanning root to leaf).
  const locs = s.locations;
  const out = new I32();
  const offsets = new Int32Array(s.count + 1);
  for (let k = 0; k < s.count; k++) {
    const from = s.locationOffsets[k];
    const to = s.locationOffsets[k + 1];
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
  s.locations = out.take();
  s.locationOffsets = offsets;
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
