/**
 * A data source for the playground that answers the same queries a dashboard sends to Pyroscope and
 * Loki, from the recorded go-checkout runs in playground/data/<service>/.
 *
 * Each service's run has three recorded phases (baseline, incident, recovery), each with one pprof
 * profile per type. A profile query for a window returns what was recorded inside it, as the nested-set
 * frame the Pyroscope data source returns: profiles of phases that overlap the window, scaled by how
 * much of the phase lies inside it. A log query returns the gctrace lines logged inside the window as
 * a Loki frame. Runs are shifted to start together so services share one time axis.
 */
import {
  DataFrame,
  DataQuery,
  DataQueryRequest,
  DataQueryResponse,
  DataSourceApi,
  DataSourceInstanceSettings,
  FieldType,
  TimeRange,
  createDataFrame,
} from '@grafana/data';

import { FunctionInterner, TreeBuilder } from '../src/model/treeBuilder';
import { ProfileTree } from '../src/model/profile';
import { buildSampleTree } from '../src/model/samples';
import { decodePprof } from '../src/sources/pprof/decode';
import { toNestedSetFrame } from '../src/sources/nestedSet';
import { compactTree, forEachStack, internAll } from '../src/transforms/treeOps';

export interface ProfileQuery extends DataQuery {
  queryType: 'profile';
  profileTypeId: string;
  labelSelector: string;
}
export interface LogQuery extends DataQuery {
  expr: string;
}
type PlaygroundQuery = ProfileQuery | LogQuery;

const PHASES = ['baseline', 'incident', 'recovery'] as const;
const SERVICES = ['checkout', 'payments'];

/** Pyroscope profile type id -> the Go profile file and its sample type. */
const PROFILE_TYPES: Record<string, { file: string; sampleType: string; cumulative: boolean }> = {
  'process_cpu:cpu:nanoseconds:cpu:nanoseconds': { file: 'cpu', sampleType: 'cpu', cumulative: false },
  'memory:alloc_space:bytes:space:bytes': { file: 'allocs', sampleType: 'alloc_space', cumulative: true },
  'memory:alloc_objects:count:space:bytes': { file: 'allocs', sampleType: 'alloc_objects', cumulative: true },
  'memory:inuse_space:bytes:space:bytes': { file: 'heap', sampleType: 'inuse_space', cumulative: false },
  'memory:inuse_objects:count:space:bytes': { file: 'heap', sampleType: 'inuse_objects', cumulative: false },
  'goroutine:goroutine:count:goroutine:count': { file: 'goroutine', sampleType: 'goroutine', cumulative: false },
  'mutex:contentions:count:contentions:count': { file: 'mutex', sampleType: 'contentions', cumulative: true },
  'mutex:delay:nanoseconds:contentions:count': { file: 'mutex', sampleType: 'delay', cumulative: true },
  'block:contentions:count:contentions:count': { file: 'block', sampleType: 'contentions', cumulative: true },
  'block:delay:nanoseconds:contentions:count': { file: 'block', sampleType: 'delay', cumulative: true },
};

/** The two queries the provisioned "Go incident investigation" dashboard sends. */
export const playgroundQueries: PlaygroundQuery[] = [
  {
    refId: 'A',
    queryType: 'profile',
    profileTypeId: 'process_cpu:cpu:nanoseconds:cpu:nanoseconds',
    labelSelector: '{service_name="$service"}',
    datasource: { type: 'grafana-pyroscope-datasource', uid: 'playground' },
  },
  {
    refId: 'B',
    expr: '{service_name="$service"} |= "gc "',
    datasource: { type: 'loki', uid: 'playground' },
  },
];

interface LogLine {
  timeMs: number;
  line: string;
}

interface ServiceRun {
  service: string;
  /** Phase boundaries on the shared axis: phase k is [bounds[k], bounds[k+1]). */
  bounds: number[];
  lines: LogLine[];
  /** `${file}.${sampleType}` -> one tree per phase (for cumulative types, what the phase added). */
  trees: Map<string, ProfileTree[]>;
  files: Map<string, Uint8Array>;
}

const instanceSettings = {
  id: 1,
  uid: 'playground',
  type: 'goperf-playground-datasource',
  name: 'Playground fixtures',
  access: 'direct',
  jsonData: {},
  readOnly: true,
  meta: { id: 'goperf-playground-datasource', name: 'Playground fixtures', type: 'datasource', info: {} },
} as unknown as DataSourceInstanceSettings;

export class FixtureDataSource extends DataSourceApi<PlaygroundQuery> {
  readonly settings = instanceSettings;

  private constructor(private runs: ServiceRun[]) {
    super(instanceSettings);
  }

  static async load(baseUrl: string): Promise<FixtureDataSource> {
    const runs = await Promise.all(SERVICES.map((s) => loadRun(baseUrl, s)));
    // Shift every run so it starts where the first one started: one shared time axis.
    const origin = runs[0].bounds[0];
    for (const run of runs) {
      const shift = origin - run.bounds[0];
      run.bounds = run.bounds.map((b) => b + shift);
      for (const l of run.lines) {
        l.timeMs += shift;
      }
    }
    return new FixtureDataSource(runs);
  }

  services(): string[] {
    return this.runs.map((r) => r.service);
  }

  /** The recorded span, from the first start to the last phase end. */
  span(): { fromMs: number; toMs: number } {
    return {
      fromMs: Math.min(...this.runs.map((r) => r.bounds[0])),
      toMs: Math.max(...this.runs.map((r) => r.bounds[r.bounds.length - 1])),
    };
  }

  /** A request as Grafana's query runner builds one, with variables already replaced. */
  request(
    targets: PlaygroundQuery[],
    range: TimeRange,
    replace: (s: string) => string
  ): DataQueryRequest<PlaygroundQuery> {
    return {
      requestId: 'playground',
      interval: '1s',
      intervalMs: 1000,
      range,
      scopedVars: {},
      timezone: 'utc',
      app: 'dashboard',
      startTime: Date.now(),
      targets: targets.map((t) =>
        'labelSelector' in t ? { ...t, labelSelector: replace(t.labelSelector) } : { ...t, expr: replace(t.expr) }
      ),
    };
  }

  async query(request: DataQueryRequest<PlaygroundQuery>): Promise<DataQueryResponse> {
    const fromMs = request.range.from.valueOf();
    const toMs = request.range.to.valueOf();
    const data: DataFrame[] = [];
    for (const target of request.targets) {
      if (target.hide) {
        continue;
      }
      if ('labelSelector' in target) {
        data.push(this.profileFrame(target, fromMs, toMs));
      } else {
        data.push(this.logFrame(target, fromMs, toMs));
      }
    }
    return { data };
  }

  async testDatasource() {
    return { status: 'success', message: `Serving ${this.services().join(', ')}` };
  }

  private matching(selector: string): ServiceRun[] {
    // `{service_name="checkout"}`, or a regex matcher after "All" was chosen.
    const m = /service_name\s*(=~|=)\s*"([^"]*)"/.exec(selector);
    if (!m) {
      return this.runs;
    }
    if (m[1] === '=') {
      return this.runs.filter((r) => r.service === m[2]);
    }
    const re = new RegExp(`^(?:${m[2]})$`);
    return this.runs.filter((r) => re.test(r.service));
  }

  private profileFrame(target: ProfileQuery, fromMs: number, toMs: number): DataFrame {
    const type = PROFILE_TYPES[target.profileTypeId] ?? PROFILE_TYPES['process_cpu:cpu:nanoseconds:cpu:nanoseconds'];
    const parts: Array<{ tree: ProfileTree; weight: number }> = [];
    for (const run of this.matching(target.labelSelector)) {
      const trees = phaseTrees(run, type.file, type.sampleType, type.cumulative);
      for (let k = 0; k < PHASES.length; k++) {
        const a = run.bounds[k];
        const b = run.bounds[k + 1];
        const overlap = Math.max(0, Math.min(b, toMs) - Math.max(a, fromMs));
        if (overlap > 0) {
          parts.push({ tree: trees[k], weight: overlap / (b - a) });
        }
      }
    }
    if (!type.cumulative) {
      // A gauge (in-use memory, goroutines) is averaged over the window, not summed.
      const sum = parts.reduce((s, p) => s + p.weight, 0);
      for (const p of parts) {
        p.weight /= sum;
      }
    }
    const frame = toNestedSetFrame(weightedSum(parts, type.sampleType));
    return { ...frame, refId: target.refId, meta: { ...frame.meta, preferredVisualisationType: 'flamegraph' } };
  }

  private logFrame(target: LogQuery, fromMs: number, toMs: number): DataFrame {
    const runs = this.matching(target.expr);
    const rows: Array<LogLine & { service: string }> = [];
    for (const run of runs) {
      for (const l of run.lines) {
        if (l.timeMs >= fromMs && l.timeMs <= toMs) {
          rows.push({ ...l, service: run.service });
        }
      }
    }
    rows.sort((a, b) => b.timeMs - a.timeMs); // Loki returns newest first
    return createDataFrame({
      refId: target.refId,
      meta: { type: 'log-lines' as never, preferredVisualisationType: 'logs' },
      fields: [
        {
          name: 'labels',
          type: FieldType.other,
          values: rows.map((r) => ({ service_name: r.service, instance: `${r.service}-0` })),
        },
        { name: 'timestamp', type: FieldType.time, values: rows.map((r) => r.timeMs) },
        { name: 'body', type: FieldType.string, values: rows.map((r) => r.line) },
        { name: 'id', type: FieldType.string, values: rows.map((r, i) => `${r.service}-${r.timeMs}-${i}`) },
      ],
    });
  }
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) {
    throw new Error(`${url}: HTTP ${res.status}`);
  }
  return new Uint8Array(await res.arrayBuffer());
}

async function loadRun(baseUrl: string, service: string): Promise<ServiceRun> {
  const text = new TextDecoder().decode(await fetchBytes(`${baseUrl}${service}/gctrace.jsonl`));
  const lines: LogLine[] = [];
  const bounds: number[] = [];
  for (const raw of text.split('\n')) {
    if (!raw.trim()) {
      continue;
    }
    const { ts_ns, line } = JSON.parse(raw) as { ts_ns: number; line: string };
    if (line.startsWith('#')) {
      // Markers: `# start_unix_nano=...` and `# phase_end=<phase> unix_nano=...`.
      const m = /unix_nano=(\d+)/.exec(line);
      if (m) {
        bounds.push(Number(m[1].slice(0, -6)));
      }
      continue;
    }
    lines.push({ timeMs: ts_ns / 1e6, line });
  }
  const files = new Map<string, Uint8Array>();
  const names = ['cpu', 'allocs', 'heap', 'goroutine', 'mutex', 'block'];
  await Promise.all(
    PHASES.flatMap((phase) =>
      names.map(async (name) =>
        files.set(`${phase}.${name}`, await fetchBytes(`${baseUrl}${service}/${phase}.${name}.pb.gz`))
      )
    )
  );
  return { service, bounds, lines, trees: new Map(), files };
}

/** Trees per phase, decoded on first use. Cumulative profiles become what each phase added. */
function phaseTrees(run: ServiceRun, file: string, sampleType: string, cumulative: boolean): ProfileTree[] {
  const key = `${file}.${sampleType}`;
  let trees = run.trees.get(key);
  if (!trees) {
    const raw = PHASES.map((phase) =>
      buildSampleTree(decodePprof(run.files.get(`${phase}.${file}`)!).samples, { sampleType })
    );
    trees = cumulative
      ? raw.map((t, k) =>
          k === 0
            ? t
            : weightedSum(
                [
                  { tree: t, weight: 1 },
                  { tree: raw[k - 1], weight: -1 },
                ],
                sampleType
              )
        )
      : raw;
    run.trees.set(key, trees);
  }
  return trees;
}

/** Sum of trees by stack path, each scaled by its weight; values are kept whole and never negative. */
function weightedSum(parts: Array<{ tree: ProfileTree; weight: number }>, sampleType: string): ProfileTree {
  const functions = new FunctionInterner();
  const builder = new TreeBuilder(functions);
  let unit = 'count';
  let stack = new Int32Array(64);
  for (const { tree, weight } of parts) {
    unit = tree.unit;
    const ids = internAll(functions, tree.functions);
    forEachStack(tree, (node, path, depth) => {
      if (depth > stack.length) {
        stack = new Int32Array(depth * 2);
      }
      for (let d = 0; d < depth; d++) {
        stack[d] = ids[path[d]];
      }
      builder.addStack(stack, 0, depth, tree.self[node] * weight);
    });
  }
  const summed = builder.build(sampleType, unit);
  // A profile holds whole counts; stacks a later phase's subtraction emptied are dropped.
  return compactTree(
    summed,
    summed.self.map((v) => Math.max(0, Math.round(v)))
  );
}
