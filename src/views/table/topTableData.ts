/** Sorting and CSV export of the per-function top table: pure, no DOM. */
import { identityOrder, orderByKey, sortByName } from '../../model/order';
import { ProfileTree } from '../../model/profile';
import type { TopTable } from '../../transforms/top';
import { relativeChange } from '../flamegraph/colors';

export type TopColumn = 'name' | 'self' | 'total' | 'selfRight' | 'totalRight' | 'change';

/** Relative change of each row's total share (diff tables), +Infinity for functions new in the comparison. */
export function changeColumn(tree: ProfileTree, table: TopTable): Float64Array {
  const out = new Float64Array(table.count);
  if (!table.cumRight || tree.size === 0) {
    return out;
  }
  const leftRoot = tree.total[0];
  const rightRoot = tree.right ? tree.right.total[0] : 0;
  for (let r = 0; r < table.count; r++) {
    out[r] = relativeChange(table.cum[r], table.cumRight[r], leftRoot, rightRoot);
  }
  return out;
}

/** The rows of the functions that match a search: the table follows the search as the graph does. */
export function matchingRows(table: TopTable, fnMatch: Uint8Array): TopTable {
  const rows: number[] = [];
  for (let r = 0; r < table.count; r++) {
    if (fnMatch[table.fn[r]]) {
      rows.push(r);
    }
  }
  const pick = <T extends Float64Array | Int32Array | Uint8Array>(column: T): T => {
    const out = new (column.constructor as new (n: number) => T)(rows.length);
    rows.forEach((r, k) => (out[k] = column[r]));
    return out;
  };
  return {
    count: rows.length,
    fn: pick(table.fn),
    flat: pick(table.flat),
    cum: pick(table.cum),
    flatRight: table.flatRight && pick(table.flatRight),
    cumRight: table.cumRight && pick(table.cumRight),
    inline: pick(table.inline),
    total: table.total,
    functions: table.functions,
  };
}

/** Row order for a column; ties keep the table's own order (stable sort). */
export function sortRows(tree: ProfileTree, table: TopTable, column: TopColumn, descending: boolean): Int32Array {
  if (column === 'name') {
    const names = Array.from(table.fn, (f) => tree.functions.name[f]);
    const order = identityOrder(table.count);
    sortByName(order, names);
    return descending ? reversedKeepingTies(order, names) : order;
  }
  const values =
    column === 'self'
      ? table.flat
      : column === 'total'
        ? table.cum
        : column === 'selfRight'
          ? (table.flatRight ?? table.flat)
          : column === 'totalRight'
            ? (table.cumRight ?? table.cum)
            : changeColumn(tree, table);
  const key = new Float64Array(table.count);
  for (let r = 0; r < table.count; r++) {
    key[r] = descending ? -values[r] : values[r];
  }
  return orderByKey(key);
}

/** `order` (ascending by name) backwards, rows of equal names still in ascending row order. */
function reversedKeepingTies(order: Int32Array, names: string[]): Int32Array {
  const out = new Int32Array(order.length);
  let k = 0;
  for (let end = order.length; end > 0;) {
    let start = end - 1;
    while (start > 0 && names[order[start - 1]] === names[order[end - 1]]) {
      start--;
    }
    out.set(order.subarray(start, end), k);
    k += end - start;
    end = start;
  }
  return out;
}

/**
 * One CSV field (RFC 4180). Names are untrusted: a leading `= + - @` or tab would make a
 * spreadsheet evaluate the cell as a formula, so such cells get a leading apostrophe.
 */
export function csvField(s: string): string {
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The table as CSV text in `order` (default: the table's order), values in the profile's base unit. */
export function topTableCsv(tree: ProfileTree, table: TopTable, order?: Int32Array): string {
  const unit = tree.unit;
  const diff = !!(table.flatRight && table.cumRight);
  const lines: string[] = [
    diff
      ? `function,self_baseline_${unit},self_comparison_${unit},total_baseline_${unit},total_comparison_${unit},change`
      : `function,self_${unit},total_${unit}`,
  ];
  const change = diff ? changeColumn(tree, table) : null;
  for (let k = 0; k < table.count; k++) {
    const r = order ? order[k] : k;
    const name = csvField(tree.functions.name[table.fn[r]]);
    if (diff && change) {
      const c = change[r];
      lines.push(
        `${name},${table.flat[r]},${table.flatRight![r]},${table.cum[r]},${table.cumRight![r]},${Number.isFinite(c) ? Number(c.toPrecision(6)) : 'new'}`
      );
    } else {
      lines.push(`${name},${table.flat[r]},${table.cum[r]}`);
    }
  }
  return lines.join('\n') + '\n';
}
