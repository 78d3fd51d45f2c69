// Writes provisioning/dashboards/offline-fixtures.json: a dashboard that needs only the TestData
// data source, serving real fixture data through its `raw_frame` scenario (a JSON array of
// DataFrame objects, each passed to @grafana/data's toDataFrame by TestData's frontend).
//
// The call trees come from `go tool pprof -traces` (Go's own reading of the profile, independent of
// this plugin's decoder); the GC lines from the fixture's gctrace.jsonl. Needs Go on PATH.
// Run from the repository root:
//   node demo/offline-dashboard/make.mjs && npx prettier --write provisioning/dashboards/offline-fixtures.json
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const DATA = 'playground/data/checkout';
const OUT = 'provisioning/dashboards/offline-fixtures.json';
const SERVICE = 'checkout';
const INLINE = / \((partial-)?inline\)$/;

/** Samples of one profile as [value, stack root-first] from `go tool pprof -traces`. */
function traces(file, sampleIndex, unit) {
  const text = execFileSync('go', ['tool', 'pprof', '-traces', `-unit=${unit}`, `-sample_index=${sampleIndex}`, file], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const samples = [];
  let current;
  for (const line of text.split('\n')) {
    if (line.startsWith('-----------+')) {
      current = undefined;
      continue;
    }
    const first = /^\s*(\d+)[a-zA-Z]*\s{2,}(\S.*)$/.exec(line);
    if (first && current === undefined) {
      current = { value: Number(first[1]), leafFirst: [first[2]] };
      samples.push(current);
      continue;
    }
    const next = /^\s{13}(\S.*)$/.exec(line);
    if (next && current) {
      current.leafFirst.push(next[1]);
    }
  }
  // pprof marks inlined calls with " (inline)"; the flame graph shows plain function names, as
  // Pyroscope does, so a function inlined at one call site and not at another is one name.
  return samples.map((s) => ({ value: s.value, stack: s.leafFirst.reverse().map((f) => f.replace(INLINE, '')) }));
}

function newNode(name) {
  return { name, self: [0, 0], total: [0, 0], children: new Map() };
}

/** Merge samples into a call tree; side 0 = left (baseline), 1 = right (comparison). */
function addSamples(root, samples, side) {
  for (const { value, stack } of samples) {
    let node = root;
    node.total[side] += value;
    for (const name of stack) {
      let child = node.children.get(name);
      if (!child) {
        child = newNode(name);
        node.children.set(name, child);
      }
      child.total[side] += value;
      node = child;
    }
    node.self[side] += value;
  }
}

/** Pre-order nested set, children by name (as trees built from samples are ordered here). */
function nestedSet(root, diff) {
  const cols = { level: [], value: [], self: [], label: [], valueRight: [], selfRight: [] };
  const walk = (node, level) => {
    cols.level.push(level);
    cols.label.push(node.name);
    // In a diff frame value/self are the left side only: Grafana's flame graph draws a bar as
    // value + valueRight (@grafana/flamegraph nestedSetToLevels).
    cols.value.push(node.total[0]);
    cols.self.push(node.self[0]);
    if (diff) {
      cols.valueRight.push(node.total[1]);
      cols.selfRight.push(node.self[1]);
    }
    for (const name of [...node.children.keys()].sort()) {
      walk(node.children.get(name), level + 1);
    }
  };
  walk(root, 0);
  const num = (name, values, unit) => ({ name, type: 'number', values, config: unit ? { unit } : {} });
  const fields = [
    num('level', cols.level),
    num('value', cols.value, 'ns'),
    num('self', cols.self, 'ns'),
    { name: 'label', type: 'string', values: cols.label, config: {} },
  ];
  if (diff) {
    fields.push(num('valueRight', cols.valueRight, 'ns'), num('selfRight', cols.selfRight, 'ns'));
  }
  return fields;
}

function profileFrame(name, fields) {
  return { name, meta: { preferredVisualisationType: 'flamegraph' }, fields };
}

/** The gctrace lines Loki would return for `{service_name="checkout"} |= "gc "`, oldest first. */
function gcLines() {
  const out = [];
  for (const raw of readFileSync(`${DATA}/gctrace.jsonl`, 'utf8').split('\n')) {
    if (!raw) {
      continue;
    }
    // ts_ns has 19 digits: keep it as text, JSON numbers lose the last ones.
    const tsNs = /"ts_ns":\s*(\d+)/.exec(raw)[1];
    const { line } = JSON.parse(raw);
    if (line.includes('gc ')) {
      out.push({ tsNs, line });
    }
  }
  return out;
}

const msOf = (tsNs) => Number(BigInt(tsNs) / 1000000n);

/** Loki's data-plane log frame (meta.type log-lines). */
function dataplaneLogFrame(lines) {
  const labels = { service_name: SERVICE, stream: 'stderr' };
  return {
    name: 'gctrace (data-plane log-lines)',
    meta: { type: 'log-lines', typeVersion: [0, 0] },
    fields: [
      { name: 'labels', type: 'other', values: lines.map(() => labels), config: {} },
      { name: 'timestamp', type: 'time', values: lines.map((l) => msOf(l.tsNs)), config: {} },
      { name: 'body', type: 'string', values: lines.map((l) => l.line), config: {} },
      { name: 'id', type: 'string', values: lines.map((l, i) => `${l.tsNs}_${i}`), config: {} },
    ],
  };
}

/** Loki's legacy log frame (labels, Time, Line, tsNs, id), newest first as Loki returns it. */
function legacyLogFrame(lines) {
  const rows = [...lines].reverse();
  const labels = JSON.stringify({ service_name: SERVICE, stream: 'stderr' });
  return {
    name: 'gctrace (legacy Loki layout)',
    meta: { custom: { frameType: 'LabeledTimeValues' } },
    fields: [
      { name: 'labels', type: 'other', values: rows.map(() => JSON.parse(labels)), config: {} },
      { name: 'Time', type: 'time', values: rows.map((l) => msOf(l.tsNs)), config: {} },
      { name: 'Line', type: 'string', values: rows.map((l) => l.line), config: {} },
      { name: 'tsNs', type: 'string', values: rows.map((l) => l.tsNs), config: {} },
      { name: 'id', type: 'string', values: rows.map((l, i) => `${l.tsNs}_${i}`), config: {} },
    ],
  };
}

const TESTDATA = { type: 'grafana-testdata-datasource', uid: 'testdata' };

function rawFrameTarget(refId, frames) {
  return { refId, datasource: TESTDATA, scenarioId: 'raw_frame', rawFrameContent: JSON.stringify(frames) };
}

function panelOptions(extra) {
  return {
    version: 1,
    view: 'both',
    orientation: 'icicle',
    colorScheme: 'package',
    layout: 'side-by-side',
    sampleType: '',
    gc: { stwMs: 0.1, cyclesPerSecond: 2, gcCpuPercent: 25 },
    serviceVariable: '',
    serviceLabelKeys: ['service_name', 'service', 'app', 'job'],
    baselineMode: 'previous-window',
    ...extra,
  };
}

const baseline = traces(`${DATA}/baseline.cpu.pb.gz`, 'cpu', 'ns');
const incident = traces(`${DATA}/incident.cpu.pb.gz`, 'cpu', 'ns');

const incidentTree = newNode('total');
addSamples(incidentTree, incident, 0);
const diffTree = newNode('total');
addSamples(diffTree, baseline, 0);
addSamples(diffTree, incident, 1);

const gc = gcLines();
const markers = readFileSync(`${DATA}/gctrace.jsonl`, 'utf8')
  .split('\n')
  .filter((l) => l.includes('"# '))
  .map((l) => JSON.parse(l).line);
const startNs = BigInt(/start_unix_nano=(\d+)/.exec(markers.join('\n'))[1]);
const endNs = BigInt(/phase_end=recovery unix_nano=(\d+)/.exec(markers.join('\n'))[1]);
const iso = (ns) => new Date(Number(ns / 1000000n)).toISOString();

const dashboard = {
  uid: 'goperf-offline-fixtures',
  title: 'Go incident: recorded fixtures (TestData, no servers)',
  description:
    'Real data from playground/data/checkout (Go 1.19): CPU profiles read by go tool pprof and the GODEBUG=gctrace=1 log of ' +
    'the same run, served by TestData raw_frame. Generated by demo/offline-dashboard/make.mjs; do not edit by hand.',
  tags: ['goperf', 'testdata'],
  editable: true,
  schemaVersion: 39,
  version: 1,
  time: { from: iso(startNs - 2000000000n), to: iso(endNs + 2000000000n) },
  timezone: 'utc',
  refresh: '',
  templating: { list: [] },
  annotations: { list: [] },
  panels: [
    {
      id: 1,
      type: 'goperf-flamegc-panel',
      title: 'checkout: incident CPU profile next to the GC trace',
      gridPos: { h: 16, w: 24, x: 0, y: 0 },
      datasource: TESTDATA,
      targets: [
        rawFrameTarget('A', [profileFrame('incident.cpu', nestedSet(incidentTree, false))]),
        rawFrameTarget('B', [dataplaneLogFrame(gc)]),
      ],
      options: panelOptions({}),
    },
    {
      id: 2,
      type: 'goperf-flamegc-panel',
      title: 'checkout: baseline (left) vs incident (right) CPU, legacy Loki log layout',
      gridPos: { h: 16, w: 24, x: 0, y: 16 },
      datasource: TESTDATA,
      targets: [
        rawFrameTarget('A', [profileFrame('baseline-vs-incident.cpu', nestedSet(diffTree, true))]),
        rawFrameTarget('B', [legacyLogFrame(gc)]),
      ],
      options: panelOptions({ colorScheme: 'diff' }),
    },
  ],
};

writeFileSync(OUT, JSON.stringify(dashboard, null, 2) + '\n');
process.stdout.write(
  `${OUT}: incident ${incident.length} samples, diff ${baseline.length}+${incident.length} samples, ${gc.length} gc lines\n`
);
