/**
 * ProfileTree -> pprof (profile.proto), for "export what is shown" and `go tool pprof`.
 *
 * A call tree becomes one Sample per node with self != 0: its stack is the path from the node up to
 * (not including) the root, as Location ids leaf-first. There is one Function and one Location
 * (with one Line) per distinct function name, so `go tool pprof -top` gives back the tree's flat
 * and cum per function. A diff tree exports its comparison side (right). Values are rounded to
 * integers (pprof values are int64).
 *
 * Encoded with the protobufjs static encoders from ./generated; samples go straight into one
 * Writer with a single reused message, so a million-node tree allocates no per-sample objects.
 */
import { gzipSync } from 'fflate';
import { Writer } from 'protobufjs/minimal';

import { ProfileTree } from '../../model/profile';
import { perftools } from './generated/profile';

export interface EncodeOptions {
  /** gzip the bytes, as pprof files usually are (default true). */
  gzip?: boolean;
  /** Sampling period and its type, when known (e.g. 10000000 cpu/nanoseconds). */
  period?: number;
  periodType?: { type: string; unit: string };
  /** Profile.time_nanos. */
  timeNanos?: number;
  /** Profile.duration_nanos. */
  durationNanos?: number;
}

/** Field 2 of Profile (`repeated Sample sample`), wire type 2. */
const SAMPLE_TAG = (2 << 3) | 2;

export function encodePprof(tree: ProfileTree, opts: EncodeOptions = {}): Uint8Array {
  const strings = new StringTable();
  const { name: names, count } = tree.functions;
  // Function id (1-based) per function index; equal names share one pprof Function.
  const fnId = new Int32Array(count);
  const byName = new Map<string, number>();
  const functions: perftools.profiles.IFunction[] = [];
  const locations: perftools.profiles.ILocation[] = [];
  for (let f = 0; f < count; f++) {
    let id = byName.get(names[f]);
    if (id === undefined) {
      id = functions.length + 1;
      byName.set(names[f], id);
      const name = strings.id(names[f]);
      functions.push({ id, name, systemName: name });
      locations.push({ id, line: [{ functionId: id }] });
    }
    fnId[f] = id;
  }

  const self = tree.right ? tree.right.self : tree.self;
  const { parent, fn, depth } = tree;
  const writer = Writer.create();
  const sample = { locationId: [] as number[], value: [0] };
  for (let i = 0; i < tree.size; i++) {
    const v = Math.round(self[i]);
    if (v === 0) {
      continue;
    }
    const stack = sample.locationId;
    stack.length = depth[i];
    let k = 0;
    for (let n = i; n > 0; n = parent[n]) {
      stack[k++] = fnId[fn[n]];
    }
    stack.length = k;
    sample.value[0] = v;
    perftools.profiles.Sample.encode(sample, writer.uint32(SAMPLE_TAG).fork()).ldelim();
  }

  const profile: perftools.profiles.IProfile = {
    sampleType: [{ type: strings.id(tree.sampleType || 'samples'), unit: strings.id(tree.unit || 'count') }],
    location: locations,
    function: functions,
  };
  if (opts.periodType) {
    profile.periodType = { type: strings.id(opts.periodType.type), unit: strings.id(opts.periodType.unit) };
  }
  if (opts.period !== undefined) {
    profile.period = Math.round(opts.period);
  }
  if (opts.timeNanos !== undefined) {
    profile.timeNanos = Math.round(opts.timeNanos);
  }
  if (opts.durationNanos !== undefined) {
    profile.durationNanos = Math.round(opts.durationNanos);
  }
  // The string table is written last: every string is interned by now. Field order is free in protobuf.
  profile.stringTable = strings.list;
  const out = perftools.profiles.Profile.encode(profile, writer).finish();
  // In Node protobufjs hands back a Buffer; callers get a plain Uint8Array everywhere.
  const bytes = new Uint8Array(out.buffer, out.byteOffset, out.length);
  return opts.gzip === false ? bytes : gzipSync(bytes);
}

/** pprof's string table: index 0 is always "". */
class StringTable {
  readonly list: string[] = [''];
  private readonly index = new Map<string, number>([['', 0]]);

  id(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}
