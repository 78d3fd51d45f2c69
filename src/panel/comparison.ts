/**
 * "Compare with baseline": fetch the profile for the selected window and for its baseline through
 * the same data source and query the panel's profile query uses, and diff them.
 */
import { isObservable, lastValueFrom } from 'rxjs';
import { DataFrame, DataQueryRequest, dateTime, PanelData } from '@grafana/data';
import { DataQuery } from '@grafana/schema';
import { getDataSourceSrv } from '@grafana/runtime';

import { ProfileTree } from '../model/profile';
import { classifyFrames } from '../sources/frames';
import { diffTrees } from '../transforms/diff';
import { mergeTrees } from '../transforms/merge';
import { loadProfiles, treeFor, TreeRequest } from './profileInputs';
import { interpolateQuery } from './queries';
import { needsNormalizing, TimeWindow } from './windows';

/** The queries whose results were profiles: their refIds are on the profile frames. */
export function profileTargets(data: PanelData, profileRefIds: Set<string | undefined>): DataQuery[] {
  return (data.request?.targets ?? []).filter((t) => profileRefIds.has(t.refId) && !t.hide);
}

async function fetchWindow(
  data: PanelData,
  targets: DataQuery[],
  window: TimeWindow,
  replace: (s: string) => string
): Promise<DataFrame[]> {
  const base = data.request;
  const frames: DataFrame[] = [];
  for (const target of targets) {
    const ds = await getDataSourceSrv().get(target.datasource ?? base?.targets[0]?.datasource);
    const from = dateTime(window.fromMs);
    const to = dateTime(window.toMs);
    const request = {
      ...base,
      requestId: `${base?.requestId ?? 'flamegc'}-compare-${window.fromMs}`,
      range: { from, to, raw: { from, to } },
      targets: [interpolateQuery(target, replace)],
    } as DataQueryRequest;
    const result = ds.query(request);
    const response = isObservable(result) ? await lastValueFrom(result) : await result;
    if (response.errors?.length) {
      throw new Error(response.errors[0].message ?? 'the data source returned an error');
    }
    frames.push(...response.data);
  }
  return frames;
}

async function windowTree(
  data: PanelData,
  targets: DataQuery[],
  window: TimeWindow,
  replace: (s: string) => string,
  req: Omit<TreeRequest, 'window'>
): Promise<ProfileTree | null> {
  const frames = await fetchWindow(data, targets, window, replace);
  const loaded = await loadProfiles(classifyFrames(frames).profiles);
  if (loaded.errors.length && !loaded.loaded.length) {
    throw new Error(loaded.errors[0]);
  }
  // pprof carrying several timestamped profiles: only those inside the window count.
  return treeFor(loaded, { ...req, window });
}

export async function compareWindows(
  data: PanelData,
  targets: DataQuery[],
  selection: TimeWindow,
  baseline: TimeWindow[],
  replace: (s: string) => string,
  req: Omit<TreeRequest, 'window'>
): Promise<ProfileTree> {
  if (!targets.length) {
    throw new Error('no profile query to re-run: the profile did not come from a query of this panel');
  }
  if (!baseline.length) {
    throw new Error('the selection covers the whole time range, so there is nothing to compare it with');
  }
  const comparison = await windowTree(data, targets, selection, replace, req);
  const baselines = (await Promise.all(baseline.map((w) => windowTree(data, targets, w, replace, req)))).filter(
    (t): t is ProfileTree => t !== null
  );
  if (!comparison || !baselines.length) {
    throw new Error(`no profile data in the ${comparison ? 'baseline' : 'selected'} window`);
  }
  const base = baselines.length === 1 ? baselines[0] : mergeTrees(baselines);
  return diffTrees(base, comparison, { normalize: needsNormalizing(selection, baseline) });
}
