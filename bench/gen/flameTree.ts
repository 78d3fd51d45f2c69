/**
 * Seeded generator of flame-graph trees in nested-set form (the columns Grafana's flame graph
 * takes: level, value, self, label), with Go-like names and one recursive tower 300 levels deep.
 * The same seed and size always give the same tree, so our view and the peer draw identical data.
 */

import { rng } from './rng';

export interface NestedSetColumns {
  level: number[];
  value: number[];
  self: number[];
  label: string[];
}

const PACKAGES = [
  'runtime',
  'encoding/json',
  'crypto/sha256',
  'net/http',
  'bufio',
  'sync',
  'compress/gzip',
  'github.com/acme/checkout/internal/orders',
  'github.com/acme/checkout/internal/cache',
  'github.com/acme/checkout/pkg/pricing',
  'google.golang.org/grpc',
  'google.golang.org/protobuf/internal/impl',
  'github.com/jackc/pgx/v5/pgconn',
  'go.opentelemetry.io/otel/sdk/trace',
];
const TYPES = ['', '(*Server).', '(*decodeState).', '(*Conn).', '(*Mutex).', 'Handler.', '(*digest).', '(*Writer).'];
const VERBS = ['serve', 'handle', 'read', 'write', 'encode', 'decode', 'lookup', 'compute', 'flush', 'lock', 'scan', 'marshal'];

/** A function-name pool of `count` distinct Go-like symbols. */
function namePool(count: number, next: () => number): string[] {
  const names = new Set<string>();
  while (names.size < count) {
    const pkg = PACKAGES[Math.floor(next() * PACKAGES.length)];
    const typ = TYPES[Math.floor(next() * TYPES.length)];
    const verb = VERBS[Math.floor(next() * VERBS.length)];
    const suffix = next() < 0.3 ? `.func${1 + Math.floor(next() * 4)}` : '';
    names.add(`${pkg}.${typ}${verb}${String.fromCharCode(65 + Math.floor(next() * 26))}${Math.floor(next() * 1000)}${suffix}`);
  }
  return Array.from(names);
}

export const TOWER_DEPTH = 300;

/** A tree of exactly `size` nodes (size >= TOWER_DEPTH + 2) in depth-first pre-order. */
export function generateFlameTree(size: number, seed = 1): NestedSetColumns {
  const next = rng(seed);
  const names = namePool(Math.max(64, Math.min(20000, Math.floor(size / 8))), next);
  const level = new Array<number>(size);
  const self = new Array<number>(size);
  const label = new Array<string>(size);
  level[0] = 0;
  label[0] = 'total';
  self[0] = 0;
  // The recursive tower: main -> walker.visit x TOWER_DEPTH.
  let i = 1;
  level[i] = 1;
  label[i] = 'main.main';
  self[i] = 0;
  i++;
  for (let d = 0; d < TOWER_DEPTH && i < size; d++, i++) {
    level[i] = 2 + d;
    label[i] = 'github.com/acme/checkout/internal/tree.(*walker).visit';
    self[i] = d === TOWER_DEPTH - 1 ? 5000 : 1 + Math.floor(next() * 3);
  }
  // The rest: each node is a child of the previous one or of one of its ancestors; stacks stay
  // mostly under 40 deep, as in real Go services. Siblings have distinct names, as in any call tree
  // built from samples (Pyroscope merges equal frames): a parent whose name pool is used up gets no
  // more children, so the new node goes one level deeper instead.
  const ROOT_CHILDREN = ['main.main', 'runtime.goexit', 'runtime.main', 'runtime.mcall', 'runtime.morestack', 'runtime.bgsweep', 'runtime.gcBgMarkWorker'];
  const fanOut = Math.min(2000, names.length >> 1);
  // usedAt[l]: names already taken by the children of the open node at level l - 1.
  const usedAt: Array<Set<string>> = [];
  for (let l = 0; l <= 42; l++) {
    usedAt.push(new Set());
  }
  usedAt[1].add('main.main');
  for (let d = 2; d < TOWER_DEPTH + 2 && d <= 42; d++) {
    usedAt[d].add('github.com/acme/checkout/internal/tree.(*walker).visit');
  }
  for (; i < size; i++) {
    const prev = level[i - 1];
    let l: number;
    const r = next();
    if (prev > 40 || r < 0.45) {
      l = 1 + Math.floor(next() * Math.min(prev, 40)); // back up to a shallower level
    } else {
      l = prev + 1;
    }
    const full = l === 1 ? usedAt[1].size >= ROOT_CHILDREN.length : usedAt[l].size >= fanOut;
    if (full) {
      l = prev + 1;
    }
    if (l > 41) {
      l = 41;
    }
    if (l > prev) {
      usedAt[l].clear(); // a new parent: no children yet
    }
    // Deeper levels belong to the node being closed: their names are free again.
    for (let k = l + 1; k <= 42 && usedAt[k].size > 0; k++) {
      usedAt[k].clear();
    }
    let name: string;
    if (l === 1) {
      name = ROOT_CHILDREN.find((n) => !usedAt[1].has(n))!;
    } else {
      do {
        name = names[Math.floor(next() * names.length)];
      } while (usedAt[l].has(name));
    }
    usedAt[l].add(name);
    level[i] = l;
    label[i] = name;
    self[i] = next() < 0.5 ? 0 : 1 + Math.floor(next() * 1000);
  }
  // Totals bottom-up: walking backwards, childSum[l + 1] holds the sum of node i's children.
  const value = new Array<number>(size);
  const childSum = new Float64Array(size + 2);
  for (let k = size - 1; k >= 0; k--) {
    const l = level[k];
    value[k] = self[k] + childSum[l + 1];
    if (value[k] === 0) {
      self[k] = 1; // a leaf with nothing would be an empty bar
      value[k] = 1;
    }
    childSum[l + 1] = 0;
    childSum[l] += value[k];
  }
  return { level, value, self, label };
}
