import { ExploreUrlState, URLRange, urlUtil } from '@grafana/data';
import { config } from '@grafana/runtime';
import { DataQuery } from '@grafana/schema';

import { interpolateQuery } from './queries';
import { TimeWindow } from './windows';

/**
 * Link to Explore with the panel's profile query (variables, and so the service, replaced), its data
 * source and the window in view. Undefined when the query names no data source to open.
 */
export function exploreUrl(query: DataQuery, window: TimeWindow, replace: (s: string) => string): string | undefined {
  const uid = query.datasource?.uid;
  if (!uid || uid.startsWith('-- ')) {
    return undefined; // Mixed / Dashboard pseudo data sources cannot be opened in Explore
  }
  const pane: ExploreUrlState = {
    datasource: uid,
    queries: [interpolateQuery(query, replace)],
    range: { from: String(Math.floor(window.fromMs)), to: String(Math.ceil(window.toMs)) } as URLRange,
  };
  return urlUtil.renderUrl(`${config.appSubUrl ?? ''}/explore`, {
    schemaVersion: 1,
    panes: JSON.stringify({ flamegc: pane }),
  });
}
