/** @jest-environment node */
/**
 * Cross-checks the server stack's files, since this machine has no Docker engine to run them:
 * docker-compose.yaml (+ the generated base it extends), alloy/config.alloy, provisioning/ and
 * the offline dashboard's raw frames against the fixtures' `go tool pprof -top` oracle.
 *
 * `checkStack` is pure: it takes the parsed files and returns every problem it finds. The tests at
 * the bottom feed it broken copies to prove each check can fail.
 */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

import type { DataFrame, Field } from '@grafana/data';
import { load as loadYaml } from 'js-yaml';

import { defaultOptions } from '../options';
import { nestedSetToTree } from '../sources/nestedSet';
import { nodeName, ProfileTree } from '../model/profile';

// ---------------------------------------------------------------------------------------------
// The pure checker

type Json = Record<string, unknown>;

export interface StackFiles {
  pluginId: string;
  /** Option keys the panel knows (src/options.ts defaultOptions). */
  optionKeys: string[];
  /** docker-compose.yaml, and the files it extends, by repository-relative path. */
  compose: { path: string; doc: Json };
  composeIncludes: Record<string, Json>;
  alloy: { path: string; text: string };
  datasources: Array<{ path: string; doc: Json }>;
  dashboards: Array<{ path: string; doc: Json }>;
  /** Files that failed to parse: path -> message. */
  parseErrors: Record<string, string>;
  /** Repository-relative paths that exist (files and directories). */
  existing: Set<string>;
}

/** Data source uids Grafana defines itself. */
const BUILTIN_DATASOURCE_UIDS = new Set(['-- Mixed --', '-- Grafana --', '-- Dashboard --', 'grafana']);
/** Panel types shipped with Grafana that a dashboard here may use next to ours. */
const CORE_PANEL_TYPES = new Set(['row', 'text', 'timeseries', 'logs', 'table', 'stat', 'flamegraph']);
/** Variables Grafana defines itself. */
const BUILTIN_VARIABLES = new Set([
  '__interval',
  '__interval_ms',
  '__range',
  '__rate_interval',
  '__from',
  '__to',
  '__dashboard',
]);
const PROFILE_TYPE_ID = /^[a-z_]+:[a-z_]+:[a-z]+:[a-z_]+:[a-z]+$/;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Compose service with `extends` resolved (one level, as the base file uses). */
interface ResolvedService {
  name: string;
  doc: Json;
  /** Directory the service's relative paths are resolved against. */
  dir: string;
  /** Volumes as [host path (repo-relative or absolute), container path]. */
  volumes: Array<[string, string]>;
}

function resolveServices(files: StackFiles, problems: string[]): ResolvedService[] {
  const services = files.compose.doc.services;
  if (!isObject(services)) {
    problems.push(`${files.compose.path}: no services`);
    return [];
  }
  const out: ResolvedService[] = [];
  const composeDir = dirname(files.compose.path);
  for (const [name, raw] of Object.entries(services)) {
    if (!isObject(raw)) {
      problems.push(`${files.compose.path}: service ${name} is not a mapping`);
      continue;
    }
    const volumes: Array<[string, string]> = [];
    let merged: Json = { ...raw };
    let dir = composeDir;
    const ext = raw.extends;
    if (isObject(ext)) {
      const basePath = normalize(join(composeDir, str(ext.file) ?? ''));
      const base = files.composeIncludes[basePath];
      const baseService = isObject(base?.services) ? base.services[str(ext.service) ?? ''] : undefined;
      if (!isObject(baseService)) {
        problems.push(
          `${files.compose.path}: service ${name} extends ${basePath}#${String(ext.service)}, which does not exist`
        );
      } else {
        dir = dirname(basePath);
        merged = { ...baseService, ...raw };
        // Compose merges volume lists; the base's paths are relative to the base file.
        volumes.push(...parseVolumes(baseService.volumes, dirname(basePath)));
      }
    }
    volumes.push(...parseVolumes(raw.volumes, composeDir));
    out.push({ name, doc: merged, dir, volumes });
  }
  return out;
}

function parseVolumes(list: unknown, dir: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const v of asArray(list)) {
    const spec = str(v);
    if (!spec) {
      continue;
    }
    const [host, container] = spec.split(':');
    const resolved = host.startsWith('.') ? normalize(join(dir, host)) : host;
    out.push([resolved === '' ? '.' : resolved, container]);
  }
  return out;
}

const imageOf = (s: ResolvedService) => str(s.doc.image) ?? '';
const portsOf = (s: ResolvedService) => asArray(s.doc.ports).map((p) => String(p));
const publishes = (s: ResolvedService, port: number) =>
  portsOf(s).some((p) => p.split('/')[0].split(':').includes(String(port)));

/** The body of the first Alloy block `<kind> "<label>" { ... }` of the given kind, by brace matching. */
function alloyBlocks(text: string, kind: string): string[] {
  const out: string[] = [];
  // Line comments only: "//" inside a URL string is not one.
  const code = text.replace(/(^|\s)\/\/[^\n]*/g, '$1');
  const re = new RegExp(`(^|\\n)\\s*${kind.replace(/\./g, '\\.')}\\s+"[^"]*"\\s*\\{`, 'g');
  let m: RegExpExecArray | null;
  while ((m = re.exec(code))) {
    let depth = 1;
    let i = m.index + m[0].length;
    const start = i;
    for (; i < code.length && depth > 0; i++) {
      if (code[i] === '{') {
        depth++;
      } else if (code[i] === '}') {
        depth--;
      }
    }
    out.push(code.slice(start, i - 1));
  }
  return out;
}

function urlHostPort(url: string): [string, number] | undefined {
  const m = /^https?:\/\/([^/:]+):(\d+)/.exec(url);
  return m ? [m[1], Number(m[2])] : undefined;
}

/** Every `$name` / `${name}` / `[[name]]` referenced in a string. */
function variableRefs(s: string): string[] {
  const out: string[] = [];
  const re = /\$\{([A-Za-z0-9_]+)(?::[^}]*)?\}|\$([A-Za-z_][A-Za-z0-9_]*)|\[\[([A-Za-z0-9_]+)\]\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    out.push(m[1] ?? m[2] ?? m[3]);
  }
  return out;
}

function stringsIn(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') {
    out.push(v);
  } else if (Array.isArray(v)) {
    v.forEach((x) => stringsIn(x, out));
  } else if (isObject(v)) {
    Object.values(v).forEach((x) => stringsIn(x, out));
  }
  return out;
}

function checkDashboards(files: StackFiles, dsByUid: Map<string, string>, problems: string[]) {
  const dashboardUids = new Set<string>();
  for (const { path, doc } of files.dashboards) {
    const uid = str(doc.uid);
    if (!uid) {
      problems.push(`${path}: dashboard has no uid`);
    } else if (dashboardUids.has(uid)) {
      problems.push(`${path}: dashboard uid ${uid} is used twice`);
    } else {
      dashboardUids.add(uid);
    }
    const templating = isObject(doc.templating) ? doc.templating : {};
    const variables = asArray(templating.list).filter(isObject);
    const variableNames = new Set(variables.map((v) => str(v.name) ?? ''));

    const checkRef = (where: string, ref: unknown, allowBuiltin: boolean) => {
      if (ref === undefined || ref === null) {
        return;
      }
      if (!isObject(ref)) {
        problems.push(`${path}: ${where} names its data source by ${JSON.stringify(ref)}; use {type, uid}`);
        return;
      }
      const dsUid = str(ref.uid);
      if (!dsUid) {
        problems.push(`${path}: ${where} has a data source without uid`);
        return;
      }
      if (BUILTIN_DATASOURCE_UIDS.has(dsUid)) {
        if (!allowBuiltin) {
          problems.push(`${path}: ${where} uses ${dsUid}, which cannot run a query`);
        }
        return;
      }
      const varRef = variableRefs(dsUid);
      if (varRef.length) {
        varRef
          .filter((n) => !variableNames.has(n))
          .forEach((n) => problems.push(`${path}: ${where} uses undefined variable $${n}`));
        return;
      }
      const type = dsByUid.get(dsUid);
      if (type === undefined) {
        problems.push(
          `${path}: ${where} uses data source uid "${dsUid}", which provisioning/datasources does not define`
        );
      } else if (ref.type !== undefined && ref.type !== type) {
        problems.push(`${path}: ${where} says data source ${dsUid} is ${String(ref.type)}, provisioning says ${type}`);
      }
    };

    for (const v of variables) {
      const name = str(v.name) ?? '?';
      checkRef(`variable ${name}`, v.datasource, false);
      if (
        v.type === 'query' &&
        isObject(v.datasource) &&
        dsByUid.get(str(v.datasource.uid) ?? '') === 'grafana-pyroscope-datasource'
      ) {
        const q = isObject(v.query) ? v.query : {};
        if (!['profileType', 'label', 'labelValue'].includes(str(q.type) ?? '')) {
          problems.push(
            `${path}: variable ${name}: a Pyroscope variable query needs type profileType, label or labelValue`
          );
        }
        if (q.type === 'labelValue' && !str(q.labelName)) {
          problems.push(`${path}: variable ${name}: a labelValue query needs labelName`);
        }
      }
    }
    for (const a of asArray(isObject(doc.annotations) ? doc.annotations.list : undefined).filter(isObject)) {
      checkRef(`annotation ${String(a.name)}`, a.datasource, true);
    }

    const panels: Json[] = [];
    for (const p of asArray(doc.panels).filter(isObject)) {
      panels.push(p);
      panels.push(...asArray(p.panels).filter(isObject)); // panels inside collapsed rows
    }
    const panelIds = new Set<number>();
    let ours = 0;
    for (const p of panels) {
      const where = `panel ${String(p.id)} "${String(p.title)}"`;
      const id = Number(p.id);
      if (panelIds.has(id)) {
        problems.push(`${path}: panel id ${id} is used twice`);
      }
      panelIds.add(id);
      const type = str(p.type) ?? '';
      if (type === files.pluginId) {
        ours++;
        const options = isObject(p.options) ? p.options : {};
        for (const key of Object.keys(options)) {
          if (!files.optionKeys.includes(key)) {
            problems.push(`${path}: ${where} sets option "${key}", which the panel does not have`);
          }
        }
      } else if (!CORE_PANEL_TYPES.has(type)) {
        problems.push(
          `${path}: ${where} has type "${type}", which is neither the plugin id ${files.pluginId} nor a core panel`
        );
      }
      checkRef(where, p.datasource, true);
      const targets = asArray(p.targets).filter(isObject);
      for (const t of targets) {
        const tw = `${where} target ${String(t.refId)}`;
        checkRef(tw, t.datasource ?? p.datasource, false);
        const ds = isObject(t.datasource) ? t.datasource : isObject(p.datasource) ? p.datasource : {};
        const dsType = dsByUid.get(str(ds.uid) ?? '');
        if (dsType === 'grafana-pyroscope-datasource') {
          if (!['profile', 'metrics', 'both'].includes(str(t.queryType) ?? '')) {
            problems.push(`${path}: ${tw}: Pyroscope queryType must be profile, metrics or both`);
          }
          if (!PROFILE_TYPE_ID.test(str(t.profileTypeId) ?? '')) {
            problems.push(
              `${path}: ${tw}: profileTypeId "${String(t.profileTypeId)}" is not name:sample:unit:period:unit`
            );
          }
          if (!/^\{.*\}$/.test(str(t.labelSelector) ?? '')) {
            problems.push(`${path}: ${tw}: labelSelector must be a {…} selector`);
          }
        } else if (dsType === 'loki') {
          if (!/^\{.+\}/.test(str(t.expr) ?? '')) {
            problems.push(`${path}: ${tw}: Loki expr must start with a stream selector`);
          }
        } else if (dsType === 'grafana-testdata-datasource' && t.scenarioId === 'raw_frame') {
          try {
            const frames = JSON.parse(str(t.rawFrameContent) ?? '');
            if (!Array.isArray(frames) || !frames.every((f) => isObject(f) && Array.isArray(f.fields))) {
              problems.push(`${path}: ${tw}: rawFrameContent must be a JSON array of frames with fields`);
            }
          } catch (e) {
            problems.push(`${path}: ${tw}: rawFrameContent is not JSON (${(e as Error).message})`);
          }
        }
        for (const s of stringsIn([t.expr, t.labelSelector, t.query])) {
          for (const n of variableRefs(s)) {
            if (!variableNames.has(n) && !BUILTIN_VARIABLES.has(n)) {
              problems.push(`${path}: ${tw} uses undefined variable $${n}`);
            }
          }
        }
      }
      for (const n of variableRefs(str(p.title) ?? '')) {
        if (!variableNames.has(n) && !BUILTIN_VARIABLES.has(n)) {
          problems.push(`${path}: ${where} title uses undefined variable $${n}`);
        }
      }
    }
    if (ours === 0) {
      problems.push(`${path}: no panel of type ${files.pluginId}`);
    }
  }
}

function checkCompose(files: StackFiles, services: ResolvedService[], dsUrls: Map<string, string>, problems: string[]) {
  const cp = files.compose.path;
  const byName = new Map(services.map((s) => [s.name, s]));
  // The scaffold's base file names the service grafana.
  const grafana = byName.get('grafana');
  if (!grafana) {
    problems.push(`${cp}: no grafana service`);
  } else {
    const prov = grafana.volumes.find(([, c]) => c === '/etc/grafana/provisioning');
    if (!prov) {
      problems.push(`${cp}: grafana does not mount provisioning/ at /etc/grafana/provisioning`);
    } else if (prov[0] !== 'provisioning') {
      problems.push(`${cp}: ${grafana.name} mounts ${prov[0]} at /etc/grafana/provisioning, not provisioning/`);
    }
    const plugin = grafana.volumes.find(([, c]) => c === `/var/lib/grafana/plugins/${files.pluginId}`);
    if (!plugin || plugin[0] !== 'dist') {
      problems.push(`${cp}: ${grafana.name} does not mount dist/ at /var/lib/grafana/plugins/${files.pluginId}`);
    }
    if (!publishes(grafana, 3000)) {
      problems.push(`${cp}: ${grafana.name} does not publish port 3000`);
    }
  }

  const byImage = (prefix: string) => services.filter((s) => imageOf(s).startsWith(prefix));
  const expectOne = (prefix: string, port: number | undefined): ResolvedService | undefined => {
    const found = byImage(prefix);
    if (found.length !== 1) {
      problems.push(`${cp}: expected one service running ${prefix}, found ${found.length}`);
      return undefined;
    }
    if (port !== undefined && !publishes(found[0], port)) {
      problems.push(`${cp}: ${found[0].name} (${prefix}) does not publish port ${port}`);
    }
    return found[0];
  };
  const pyroscope = expectOne('grafana/pyroscope', 4040);
  const loki = expectOne('grafana/loki', 3100);
  const alloy = expectOne('grafana/alloy', undefined);

  // Build contexts exist and hold a Dockerfile.
  const demos: ResolvedService[] = [];
  for (const s of services) {
    const build = s.doc.build;
    if (build === undefined) {
      continue;
    }
    const context = normalize(join(s.dir, str(build) ?? str(isObject(build) ? build.context : undefined) ?? '.'));
    const dockerfile = normalize(join(context, (isObject(build) && str(build.dockerfile)) || 'Dockerfile'));
    if (!files.existing.has(context)) {
      problems.push(`${cp}: ${s.name} builds from ${context}, which does not exist`);
    } else if (!files.existing.has(dockerfile)) {
      problems.push(`${cp}: ${s.name} builds with ${dockerfile}, which does not exist`);
    }
    if (s !== grafana) {
      demos.push(s);
    }
  }
  if (demos.length < 2) {
    problems.push(
      `${cp}: expected at least two demo services (one image, several service names), found ${demos.length}`
    );
  }
  for (const d of demos) {
    const env = isObject(d.doc.environment) ? d.doc.environment : {};
    const labels = isObject(d.doc.labels) ? d.doc.labels : {};
    if (!/gctrace=1/.test(String(env.GODEBUG ?? ''))) {
      problems.push(`${cp}: ${d.name} does not set GODEBUG=gctrace=1`);
    }
    if (!str(env.SERVICE_NAME)) {
      problems.push(`${cp}: ${d.name} has no SERVICE_NAME`);
    } else if (labels['goperf.service'] !== env.SERVICE_NAME) {
      problems.push(
        `${cp}: ${d.name}: label goperf.service (${String(labels['goperf.service'])}) differs from SERVICE_NAME (${String(env.SERVICE_NAME)})`
      );
    }
  }

  // Provisioned data sources point at the compose services.
  for (const [type, svc, port] of [
    ['grafana-pyroscope-datasource', pyroscope, 4040],
    ['loki', loki, 3100],
  ] as const) {
    const url = dsUrls.get(type);
    const hp = url ? urlHostPort(url) : undefined;
    if (!svc) {
      continue;
    }
    if (!hp || hp[0] !== svc.name || hp[1] !== port) {
      problems.push(`provisioning: the ${type} data source url ${String(url)} is not http://${svc.name}:${port}`);
    }
  }

  // Alloy: config mounted, and it talks to the services compose defines.
  const at = files.alloy.path;
  if (alloy) {
    const mounted = alloy.volumes.find(([h]) => h === at);
    if (!mounted) {
      problems.push(`${cp}: ${alloy.name} does not mount ${at}`);
    } else if (!stringsIn(alloy.doc.command).includes(mounted[1])) {
      problems.push(`${cp}: ${alloy.name} mounts ${at} at ${mounted[1]} but does not run it`);
    }
    if (!alloy.volumes.some(([h]) => h === '/var/run/docker.sock')) {
      problems.push(`${cp}: ${alloy.name} needs /var/run/docker.sock to read container logs`);
    }
  }
  const writeTarget = (kind: string, svc: ResolvedService | undefined, port: number) => {
    const blocks = alloyBlocks(files.alloy.text, kind);
    if (blocks.length === 0) {
      problems.push(`${at}: no ${kind} block`);
      return;
    }
    for (const b of blocks) {
      const url = /url\s*=\s*"([^"]+)"/.exec(b)?.[1];
      const hp = url ? urlHostPort(url) : undefined;
      if (!hp || !byName.has(hp[0])) {
        problems.push(`${at}: ${kind} sends to ${String(url)}, whose host is not a compose service`);
      } else if (svc && (hp[0] !== svc.name || hp[1] !== port)) {
        problems.push(`${at}: ${kind} sends to ${url}, expected ${svc.name}:${port}`);
      }
    }
  };
  writeTarget('loki.write', loki, 3100);
  writeTarget('pyroscope.write', pyroscope, 4040);

  const scrape = alloyBlocks(files.alloy.text, 'pyroscope.scrape').join('\n');
  const scraped = new Map<string, string>();
  const targetRe = /\{([^{}]*"__address__"[^{}]*)\}/g;
  let m: RegExpExecArray | null;
  while ((m = targetRe.exec(scrape))) {
    const addr = /"__address__"\s*=\s*"([^"]+)"/.exec(m[1])?.[1] ?? '';
    const svcName = /"service_name"\s*=\s*"([^"]+)"/.exec(m[1])?.[1];
    const host = addr.split(':')[0];
    if (!byName.has(host)) {
      problems.push(`${at}: pyroscope.scrape target ${addr} is not a compose service`);
    }
    if (!svcName) {
      problems.push(`${at}: pyroscope.scrape target ${addr} has no service_name`);
    }
    scraped.set(host, svcName ?? '');
  }
  for (const d of demos) {
    const env = isObject(d.doc.environment) ? d.doc.environment : {};
    if (!scraped.has(d.name)) {
      problems.push(`${at}: demo service ${d.name} is not scraped by pyroscope.scrape`);
    } else if (scraped.get(d.name) !== env.SERVICE_NAME) {
      problems.push(
        `${at}: ${d.name} is scraped as service_name=${scraped.get(d.name)}, but runs as ${String(env.SERVICE_NAME)}`
      );
    }
  }
  if (!/__meta_docker_container_label_goperf_service[\s\S]*target_label\s*=\s*"service_name"/.test(files.alloy.text)) {
    problems.push(`${at}: container logs are not labelled service_name from the goperf.service container label`);
  }
}

/** Every problem found in the stack's files; empty when they agree. */
export function checkStack(files: StackFiles): string[] {
  const problems = Object.entries(files.parseErrors).map(([p, e]) => `${p}: does not parse: ${e}`);
  const dsByUid = new Map<string, string>();
  const dsUrls = new Map<string, string>();
  for (const { path, doc } of files.datasources) {
    for (const ds of asArray(doc.datasources).filter(isObject)) {
      const uid = str(ds.uid);
      const type = str(ds.type);
      if (!uid || !type) {
        problems.push(`${path}: data source ${String(ds.name)} needs a fixed uid and a type`);
        continue;
      }
      if (dsByUid.has(uid)) {
        problems.push(`${path}: data source uid ${uid} is defined twice`);
      }
      dsByUid.set(uid, type);
      if (str(ds.url)) {
        dsUrls.set(type, str(ds.url)!);
      }
    }
  }
  checkDashboards(files, dsByUid, problems);
  checkCompose(files, resolveServices(files, problems), dsUrls, problems);
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Loading the repository's files

const ROOT = join(__dirname, '..', '..');
const rel = (p: string) => relative(ROOT, p) || '.';

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

function parseFile(path: string, errors: Record<string, string>): Json | undefined {
  try {
    const text = readFileSync(join(ROOT, path), 'utf8');
    const doc = path.endsWith('.json') ? JSON.parse(text) : loadYaml(text);
    if (!isObject(doc)) {
      errors[path] = 'not a mapping';
      return undefined;
    }
    return doc;
  } catch (e) {
    errors[path] = (e as Error).message.split('\n')[0];
    return undefined;
  }
}

function loadStack(): StackFiles {
  const parseErrors: Record<string, string> = {};
  const datasources: StackFiles['datasources'] = [];
  const dashboards: StackFiles['dashboards'] = [];
  for (const abs of walk(join(ROOT, 'provisioning'))) {
    const path = rel(abs);
    if (!/\.(ya?ml|json)$/.test(path)) {
      continue;
    }
    const doc = parseFile(path, parseErrors);
    if (!doc) {
      continue;
    }
    if (path.startsWith('provisioning/datasources/')) {
      datasources.push({ path, doc });
    } else if (path.startsWith('provisioning/dashboards/') && path.endsWith('.json')) {
      dashboards.push({ path, doc });
    }
  }
  const composePath = 'docker-compose.yaml';
  const compose = parseFile(composePath, parseErrors) ?? {};
  const composeIncludes: Record<string, Json> = {};
  for (const s of Object.values(isObject(compose.services) ? compose.services : {})) {
    const file = isObject(s) && isObject(s.extends) ? str(s.extends.file) : undefined;
    if (file) {
      const p = normalize(file);
      composeIncludes[p] = parseFile(p, parseErrors) ?? {};
    }
  }
  const existing = new Set<string>();
  for (const p of [
    'demo',
    'demo/Dockerfile',
    'dist',
    'provisioning',
    'alloy/config.alloy',
    '.config',
    '.config/Dockerfile',
  ]) {
    if (existsSync(join(ROOT, p))) {
      existing.add(p);
    }
  }
  const alloyPath = 'alloy/config.alloy';
  return {
    pluginId: JSON.parse(readFileSync(join(ROOT, 'src/plugin.json'), 'utf8')).id,
    optionKeys: Object.keys(defaultOptions),
    compose: { path: composePath, doc: compose },
    composeIncludes,
    alloy: {
      path: alloyPath,
      text: existsSync(join(ROOT, alloyPath)) ? readFileSync(join(ROOT, alloyPath), 'utf8') : '',
    },
    datasources,
    dashboards,
    parseErrors,
    existing,
  };
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

function withCopy(files: StackFiles, edit: (copy: StackFiles) => void): StackFiles {
  const copy: StackFiles = {
    ...files,
    compose: clone(files.compose),
    composeIncludes: clone(files.composeIncludes),
    datasources: clone(files.datasources),
    dashboards: clone(files.dashboards),
    parseErrors: { ...files.parseErrors },
    existing: new Set(files.existing),
    alloy: { ...files.alloy },
  };
  edit(copy);
  return copy;
}

const dashboard = (files: StackFiles, name: string) => {
  const d = files.dashboards.find((x) => x.path.endsWith(name));
  if (!d) {
    throw new Error(`dashboard ${name} not found`);
  }
  return d.doc as { panels: Array<Json & { targets: Json[]; options: Json }>; templating: { list: Json[] } };
};

// ---------------------------------------------------------------------------------------------

describe('server stack files', () => {
  const files = loadStack();

  it('agree with each other', () => {
    expect(checkStack(files)).toEqual([]);
  });

  it('provision the two dashboards with the data sources they need', () => {
    expect(files.dashboards.map((d) => d.path).sort()).toEqual([
      'provisioning/dashboards/go-incident-investigation.json',
      'provisioning/dashboards/offline-fixtures.json',
    ]);
    const inv = dashboard(files, 'go-incident-investigation.json');
    const service = inv.templating.list.find((v) => v.name === 'service')!;
    expect(service.datasource).toEqual({ type: 'grafana-pyroscope-datasource', uid: 'pyroscope' });
    expect(service.query).toMatchObject({ type: 'labelValue', labelName: 'service_name' });
    const [a, b] = inv.panels[0].targets;
    expect(a).toMatchObject({
      queryType: 'profile',
      profileTypeId: 'process_cpu:cpu:nanoseconds:cpu:nanoseconds',
      labelSelector: '{service_name="$service"}',
    });
    expect(b).toMatchObject({ expr: '{service_name="$service"} |= "gc "' });
    expect(inv.panels[0].options).toMatchObject({ view: 'both', layout: 'side-by-side' });
  });

  describe('the checker reports broken copies', () => {
    it('a target with a data source uid that is not provisioned', () => {
      const broken = withCopy(files, (c) => {
        (dashboard(c, 'go-incident-investigation.json').panels[0].targets[1].datasource as Json).uid = 'loki-typo';
      });
      expect(checkStack(broken)).toEqual([
        expect.stringContaining('uses data source uid "loki-typo", which provisioning/datasources does not define'),
      ]);
    });

    it('a variable whose data source is gone', () => {
      const broken = withCopy(files, (c) => {
        c.datasources[0].doc.datasources = asArray(c.datasources[0].doc.datasources).filter(
          (d) => isObject(d) && d.uid !== 'pyroscope'
        );
      });
      const problems = checkStack(broken);
      expect(problems).toEqual(
        expect.arrayContaining([expect.stringContaining('variable service uses data source uid "pyroscope"')])
      );
    });

    it('a data source type that contradicts provisioning', () => {
      const broken = withCopy(files, (c) => {
        (dashboard(c, 'go-incident-investigation.json').panels[0].targets[0].datasource as Json).type = 'loki';
      });
      expect(checkStack(broken)).toEqual([expect.stringContaining('says data source pyroscope is loki')]);
    });

    it('a panel with the wrong plugin id', () => {
      const broken = withCopy(files, (c) => {
        dashboard(c, 'offline-fixtures.json').panels[1].type = 'goperf-flamegc-pannel';
      });
      expect(checkStack(broken)).toEqual([
        expect.stringContaining(
          'has type "goperf-flamegc-pannel", which is neither the plugin id goperf-flamegc-panel'
        ),
      ]);
    });

    it('an option the panel does not have, and an undefined variable', () => {
      const broken = withCopy(files, (c) => {
        const p = dashboard(c, 'go-incident-investigation.json').panels[0];
        p.options.colourScheme = 'package';
        p.targets[0].labelSelector = '{service_name="$svc"}';
      });
      expect(checkStack(broken).sort()).toEqual([
        expect.stringContaining('sets option "colourScheme"'),
        expect.stringContaining('uses undefined variable $svc'),
      ]);
    });

    it('a raw frame that is not JSON', () => {
      const broken = withCopy(files, (c) => {
        dashboard(c, 'offline-fixtures.json').panels[0].targets[0].rawFrameContent = '[{"fields": [}';
      });
      expect(checkStack(broken)).toEqual([expect.stringContaining('rawFrameContent is not JSON')]);
    });

    it('compose without the provisioning or plugin mount', () => {
      const broken = withCopy(files, (c) => {
        const base = c.composeIncludes['.config/docker-compose-base.yaml'] as { services: { grafana: Json } };
        base.services.grafana.volumes = ['../dist:/var/lib/grafana/plugins/goperf-flamegc-panel'];
      });
      expect(checkStack(broken)).toEqual([
        expect.stringContaining('grafana does not mount provisioning/ at /etc/grafana/provisioning'),
      ]);
      const noDist = withCopy(files, (c) => {
        const base = c.composeIncludes['.config/docker-compose-base.yaml'] as { services: { grafana: Json } };
        base.services.grafana.volumes = ['../provisioning:/etc/grafana/provisioning'];
      });
      expect(checkStack(noDist)).toEqual([
        expect.stringContaining('does not mount dist/ at /var/lib/grafana/plugins/goperf-flamegc-panel'),
      ]);
    });

    it('a demo build context without a Dockerfile', () => {
      const broken = withCopy(files, (c) => c.existing.delete('demo/Dockerfile'));
      expect(checkStack(broken)).toEqual([
        expect.stringContaining('checkout builds with demo/Dockerfile, which does not exist'),
        expect.stringContaining('payments builds with demo/Dockerfile, which does not exist'),
      ]);
    });

    it('Alloy sending to a service compose does not define', () => {
      const broken = withCopy(files, (c) => {
        c.alloy.text = c.alloy.text.replace('http://loki:3100', 'http://logs:3100');
      });
      expect(checkStack(broken)).toEqual([
        expect.stringContaining(
          'loki.write sends to http://logs:3100/loki/api/v1/push, whose host is not a compose service'
        ),
      ]);
    });

    it('a renamed compose service that Alloy and the data sources still point at', () => {
      const broken = withCopy(files, (c) => {
        const s = c.compose.doc.services as Json;
        s.profiles = s.pyroscope;
        delete s.pyroscope;
      });
      const problems = checkStack(broken);
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.stringContaining('url http://pyroscope:4040 is not http://profiles:4040'),
          expect.stringContaining(
            'pyroscope.write sends to http://pyroscope:4040, whose host is not a compose service'
          ),
        ])
      );
    });

    it('a demo service scraped under another name', () => {
      const broken = withCopy(files, (c) => {
        c.alloy.text = c.alloy.text.replace('"service_name" = "payments"', '"service_name" = "billing"');
      });
      expect(checkStack(broken)).toEqual([
        expect.stringContaining('payments is scraped as service_name=billing, but runs as payments'),
      ]);
    });

    it('a file that does not parse', () => {
      const broken = withCopy(files, (c) => {
        c.parseErrors['provisioning/datasources/extra.yml'] = 'bad indentation';
      });
      expect(checkStack(broken)).toEqual(['provisioning/datasources/extra.yml: does not parse: bad indentation']);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// The offline dashboard's raw frames hold the real fixture data: read as TestData reads them,
// they reproduce `go tool pprof -top` exactly.

interface TopRow {
  flat: number;
  cum: number;
}

function readTop(path: string): { total: number; rows: Map<string, TopRow> } {
  const text = readFileSync(join(ROOT, path), 'utf8');
  const total = Number(/of (\d+)\S* total/.exec(text)![1]);
  const rows = new Map<string, TopRow>();
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)\S*\s+\S+%\s+\S+%\s+(\d+)\S*\s+\S+%\s+(.+)$/.exec(line);
    if (m) {
      // pprof prints "f (inline)" or "f (partial-inline)" for a function inlined at some call
      // sites; the frames name it f, as Pyroscope does. Each function is one row either way.
      rows.set(m[3].replace(/ \((partial-)?inline\)$/, ''), { flat: Number(m[1]), cum: Number(m[2]) });
    }
  }
  return { total, rows };
}

/** Per function name: flat = sum of self; cum = sum of total over nodes with no ancestor of that name. */
function flatCum(tree: ProfileTree, self: Float64Array, total: Float64Array): Map<string, TopRow> {
  const out = new Map<string, TopRow>();
  const onPath = new Map<string, number>();
  const stack: number[] = [];
  for (let i = 1; i < tree.size; i++) {
    while (stack.length && tree.end[stack[stack.length - 1]] <= i) {
      const done = nodeName(tree, stack.pop()!);
      onPath.set(done, onPath.get(done)! - 1);
    }
    const name = nodeName(tree, i);
    const row = out.get(name) ?? { flat: 0, cum: 0 };
    row.flat += self[i];
    if (!onPath.get(name)) {
      row.cum += total[i];
    }
    out.set(name, row);
    onPath.set(name, (onPath.get(name) ?? 0) + 1);
    stack.push(i);
  }
  return out;
}

/**
 * What TestData's raw_frame scenario makes of rawFrameContent: each element goes to toDataFrame,
 * which for an object with `fields` (createDataFrame) keeps name, meta and every field's name,
 * type, config and values. (@grafana/data's runtime does not load under the node environment.)
 */
function framesOf(target: Json): DataFrame[] {
  return (JSON.parse(String(target.rawFrameContent)) as Json[]).map((dto) => {
    const fields = (dto.fields as Json[]).map(
      (f) => ({ name: f.name, type: f.type, config: f.config ?? {}, values: f.values }) as Field
    );
    return { name: str(dto.name), meta: dto.meta, fields, length: fields[0]?.values.length ?? 0 } as DataFrame;
  });
}

function expectMatchesOracle(tree: ProfileTree, self: Float64Array, total: Float64Array, oraclePath: string) {
  const oracle = readTop(oraclePath);
  expect(total[0]).toBe(oracle.total);
  const ours = flatCum(tree, self, total);
  const names = [...oracle.rows.keys()].filter((n) => oracle.rows.get(n)!.cum > 0);
  expect([...ours.keys()].filter((n) => ours.get(n)!.cum > 0).sort()).toEqual(names.sort());
  for (const name of names) {
    expect([name, ours.get(name)]).toEqual([name, oracle.rows.get(name)]);
  }
}

describe('offline dashboard frames', () => {
  const files = loadStack();
  const offline = dashboard(files, 'offline-fixtures.json');

  it('panel 1: the incident CPU tree matches go tool pprof -top', () => {
    const [frame] = framesOf(offline.panels[0].targets[0]);
    expect(frame.meta?.preferredVisualisationType).toBe('flamegraph');
    const tree = nestedSetToTree(frame);
    expect(tree.right).toBeUndefined();
    expectMatchesOracle(tree, tree.self, tree.total, 'playground/data/checkout/pprof-top/incident.cpu.cpu.txt');
  });

  it('panel 2: the diff tree holds the baseline on the left and the incident on the right', () => {
    const [frame] = framesOf(offline.panels[1].targets[0]);
    const tree = nestedSetToTree(frame);
    expect(tree.right).toBeDefined();
    expectMatchesOracle(tree, tree.self, tree.total, 'playground/data/checkout/pprof-top/baseline.cpu.cpu.txt');
    expectMatchesOracle(
      tree,
      tree.right!.self,
      tree.right!.total,
      'playground/data/checkout/pprof-top/incident.cpu.cpu.txt'
    );
  });

  it('both log frames carry every gctrace line of the fixture, with its timestamp', () => {
    const expected = readFileSync(join(ROOT, 'playground/data/checkout/gctrace.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l && (JSON.parse(l).line as string).includes('gc '))
      .map((l) => ({
        ms: Number(BigInt(/"ts_ns":\s*(\d+)/.exec(l)![1]) / BigInt(1000000)),
        line: JSON.parse(l).line as string,
      }));
    expect(expected.length).toBeGreaterThan(500);
    expect(expected.every((e) => /^gc \d+ @[\d.]+s \d+%: /.test(e.line))).toBe(true);

    const [dataplane] = framesOf(offline.panels[0].targets[1]);
    expect(dataplane.meta?.type).toBe('log-lines');
    const body = dataplane.fields.find((f) => f.name === 'body')!.values;
    const ts = dataplane.fields.find((f) => f.name === 'timestamp')!.values;
    expect(body).toEqual(expected.map((e) => e.line));
    expect(ts).toEqual(expected.map((e) => e.ms));

    const [legacy] = framesOf(offline.panels[1].targets[1]);
    const names = legacy.fields.map((f) => f.name);
    expect(names).toEqual(['labels', 'Time', 'Line', 'tsNs', 'id']);
    const line = legacy.fields[2].values;
    expect(line).toEqual(expected.map((e) => e.line).reverse()); // Loki returns newest first
  });

  it('the dashboard time range covers the recorded run', () => {
    const time = (files.dashboards.find((d) => d.path.endsWith('offline-fixtures.json'))!.doc.time ?? {}) as Json;
    const [frame] = framesOf(offline.panels[0].targets[1]);
    const ts = frame.fields.find((f) => f.name === 'timestamp')!.values as number[];
    expect(Date.parse(String(time.from))).toBeLessThanOrEqual(ts[0]);
    expect(Date.parse(String(time.to))).toBeGreaterThanOrEqual(ts[ts.length - 1]);
  });
});
