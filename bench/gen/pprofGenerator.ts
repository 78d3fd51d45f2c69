/**
 * Seeded generator of large, Go-like CPU profiles for the pprof benchmarks: realistic package paths
 * and method names, inlined frames, pprof labels, encoded with the generated protobufjs encoder and
 * gzipped with fflate, so the bytes look like what `runtime/pprof` writes.
 */
import { gzipSync } from 'fflate';
import { perftools } from '../../src/sources/pprof/generated/profile';
import { rng } from './rng';

export interface GeneratorOptions {
  samples: number;
  /** Distinct call-tree nodes to aim for (every one is sampled at least once). */
  nodes: number;
  functions?: number;
  seed?: number;
}

const DOMAINS = ['github.com/acme', 'go.uber.org', 'google.golang.org/grpc', 'github.com/prometheus', 'example.com/shop'];
const PKGS = ['checkout', 'payments', 'cache', 'store', 'http', 'codec', 'auth', 'queue', 'db', 'trace', 'render', 'ledger'];
const TYPES = ['Server', 'Client', 'conn', 'decodeState', 'Handler', 'pool', 'Order', 'Cart', 'span', 'Tx', 'bucket'];
const VERBS = ['Serve', 'handle', 'decode', 'encode', 'Get', 'Put', 'flush', 'write', 'read', 'process', 'lookup', 'hash'];
const STD = ['runtime.mallocgc', 'runtime.memmove', 'runtime.scanobject', 'encoding/json.(*decodeState).object', 'crypto/sha256.block', 'syscall.Syscall', 'runtime.gcBgMarkWorker', 'net/http.(*conn).serve', 'runtime.nextFreeFast', 'sync.(*Mutex).Lock'];

function functionName(i: number, r: () => number): string {
  if (i < STD.length) {
    return STD[i];
  }
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)];
  const pkg = `${pick(DOMAINS)}/${pick(PKGS)}${i % 7 === 0 ? '/v2' : ''}/${pick(PKGS)}`;
  const verb = `${pick(VERBS)}${i}`;
  switch (i % 4) {
    case 0:
      return `${pkg}.(*${pick(TYPES)}).${verb}`;
    case 1:
      return `${pkg}.${pick(TYPES)}.${verb}`;
    case 2:
      return `${pkg}.${verb}.func${1 + (i % 3)}`;
    default:
      return `${pkg}.${verb}`;
  }
}

/**
 * The profile as protobufjs message objects: `header` (everything but samples) and `samples(from, to)`,
 * so large profiles can be encoded chunk by chunk (concatenated Profile messages merge into one).
 */
function makeProfile(opts: GeneratorOptions): {
  header: perftools.profiles.IProfile;
  samples: (from: number, to: number) => perftools.profiles.ISample[];
} {
  const r = rng(opts.seed ?? 1);
  const nFunctions = opts.functions ?? Math.max(1000, Math.floor(opts.nodes / 10));
  const strings: string[] = [''];
  const stringIds = new Map<string, number>([['', 0]]);
  const s = (v: string) => {
    let id = stringIds.get(v);
    if (id === undefined) {
      id = strings.length;
      strings.push(v);
      stringIds.set(v, id);
    }
    return id;
  };

  const functions: perftools.profiles.IFunction[] = [];
  for (let i = 0; i < nFunctions; i++) {
    const name = functionName(i, r);
    functions.push({ id: i + 1, name: s(name), systemName: s(name), filename: s(`/src/${name.split('.')[0]}.go`), startLine: 10 + i });
  }
  // Two locations (call sites) per function; every 6th also has a function inlined into it.
  const locations: perftools.profiles.ILocation[] = [];
  for (let f = 0; f < nFunctions; f++) {
    for (let k = 0; k < 2; k++) {
      const line: perftools.profiles.ILine[] = [];
      if ((f + k) % 6 === 0) {
        line.push({ functionId: 1 + ((f * 7 + 3) % nFunctions), line: 5 });
      }
      line.push({ functionId: f + 1, line: 20 + k });
      locations.push({ id: locations.length + 1, mappingId: 1, address: 0x400000 + locations.length * 16, line });
    }
  }

  // A random call tree: node -> (parent, location). Parents skew to recent nodes so stacks get Go-deep.
  const parent = new Int32Array(opts.nodes);
  const loc = new Int32Array(opts.nodes);
  const depth = new Int32Array(opts.nodes);
  parent[0] = -1;
  loc[0] = 1 + 2 * 7; // net/http.(*conn).serve-like root
  for (let i = 1; i < opts.nodes; i++) {
    let p: number;
    do {
      p = i - 1 - Math.floor(Math.pow(r(), 3) * i);
    } while (depth[p] >= 60);
    parent[i] = p;
    depth[i] = depth[p] + 1;
    // Zipf-ish function popularity.
    const f = Math.floor(Math.pow(r(), 2) * nFunctions);
    loc[i] = 1 + 2 * f + (r() < 0.5 ? 0 : 1);
  }

  const endpoints = ['/checkout', '/health', '/cart', '/pay', '/search', '/login'].map((e) => s(e));
  const kService = s('service_name');
  const kEndpoint = s('endpoint');
  const vService = s('checkout');
  // Samples are drawn in order, so chunks must be requested in order too.
  const samples = (from: number, to: number) => {
    const out: perftools.profiles.ISample[] = [];
    for (let i = from; i < to; i++) {
      const node = i < opts.nodes ? i : Math.floor(r() * opts.nodes);
      const stack: number[] = [];
      for (let n = node; n >= 0; n = parent[n]) {
        stack.push(loc[n]);
      }
      const count = 1 + Math.floor(r() * 3);
      out.push({
        locationId: stack,
        value: [count, count * 10_000_000],
        label: [
          { key: kService, str: vService },
          { key: kEndpoint, str: endpoints[Math.floor(r() * endpoints.length)] },
        ],
      });
    }
    return out;
  };

  const header: perftools.profiles.IProfile = {
    sampleType: [
      { type: s('samples'), unit: s('count') },
      { type: s('cpu'), unit: s('nanoseconds') },
    ],
    mapping: [{ id: 1, memoryStart: 0x400000, memoryLimit: 0x4000000, filename: s('/usr/local/bin/checkout'), hasFunctions: true }],
    location: locations,
    function: functions,
    stringTable: strings,
    timeNanos: 1_700_000_000_000_000_000,
    durationNanos: 60_000_000_000,
    periodType: { type: s('cpu'), unit: s('nanoseconds') },
    period: 10_000_000,
  };
  return { header, samples };
}

/** The whole profile as one message object (small profiles: tests). */
export function generatePprof(opts: GeneratorOptions): perftools.profiles.IProfile {
  const { header, samples } = makeProfile(opts);
  return { ...header, sample: samples(0, opts.samples) };
}

/** Encoded and gzipped, as `runtime/pprof` would write it. */
export function generatePprofBytes(opts: GeneratorOptions): Uint8Array {
  const { header, samples } = makeProfile(opts);
  const parts: Uint8Array[] = [perftools.profiles.Profile.encode(header).finish()];
  const chunk = 20_000;
  for (let i = 0; i < opts.samples; i += chunk) {
    parts.push(perftools.profiles.Profile.encode({ sample: samples(i, Math.min(opts.samples, i + chunk)) }).finish());
  }
  const raw = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    raw.set(p, at);
    at += p.length;
  }
  return gzipSync(raw, { level: 6 });
}
