import { DataQuery } from '@grafana/schema';

/** Replaces dashboard variables in every string field of a query, as Grafana's query runner would. */
export function interpolateQuery<T extends DataQuery>(query: T, replace: (s: string) => string): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    out[key] = typeof value === 'string' && key !== 'refId' ? replace(value) : value;
  }
  return out as T;
}
