/**
 * Per-function top table, windowed by hand: only the rows in view (plus a few) are in the DOM, so
 * 100k functions scroll like 100.
 */
import { css, cx } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Icon, useStyles2 } from '@grafana/ui';
import React, { useCallback, useEffect, useMemo, useState } from 'react';

import { ProfileTree } from '../../model/profile';
import type { TopTable as TopTableData } from '../../transforms/top';
import { formatChange, formatValue } from '../flamegraph/format';
import { TopColumn, changeColumn, sortRows } from './topTableData';

export const TABLE_ROW_HEIGHT = 24;
const OVERSCAN = 8;

export interface TopTableProps {
  tree: ProfileTree;
  /** From topTable(tree). */
  table: TopTableData;
  width: number;
  height: number;
  /** Function index of the highlighted row, -1 for none. */
  selectedFn: number;
  /** A row was clicked: the function index (the graph highlights it). */
  onFunctionClick?: (fn: number) => void;
  /** Current row order, for the CSV export. */
  onOrderChange?: (order: Int32Array) => void;
}

interface ColumnDef {
  id: TopColumn;
  title: string;
  numeric: boolean;
}

export function TopTable({ tree, table, width, height, selectedFn, onFunctionClick, onOrderChange }: TopTableProps) {
  const styles = useStyles2(getStyles);
  const diff = !!(table.flatRight && table.cumRight);
  const [sort, setSort] = useState<{ column: TopColumn; descending: boolean }>({
    column: diff ? 'totalRight' : 'self',
    descending: true,
  });
  const [scrollTop, setScrollTop] = useState(0);

  const columns: ColumnDef[] = diff
    ? [
        { id: 'name', title: 'Function', numeric: false },
        { id: 'self', title: 'Self (baseline)', numeric: true },
        { id: 'selfRight', title: 'Self (comparison)', numeric: true },
        { id: 'total', title: 'Baseline', numeric: true },
        { id: 'totalRight', title: 'Comparison', numeric: true },
        { id: 'change', title: 'Change', numeric: true },
      ]
    : [
        { id: 'name', title: 'Function', numeric: false },
        { id: 'self', title: 'Self', numeric: true },
        { id: 'total', title: 'Total', numeric: true },
      ];

  const order = useMemo(() => sortRows(tree, table, sort.column, sort.descending), [tree, table, sort]);
  const change = useMemo(() => (diff ? changeColumn(tree, table) : null), [diff, tree, table]);
  useEffect(() => onOrderChange?.(order), [onOrderChange, order]);
  const template = `minmax(160px, 1fr) repeat(${columns.length - 1}, 120px)`;

  const onHeaderClick = useCallback((column: TopColumn) => {
    setSort((s) => (s.column === column ? { column, descending: !s.descending } : { column, descending: column !== 'name' }));
  }, []);

  const bodyHeight = Math.max(0, height - TABLE_ROW_HEIGHT);
  const first = Math.max(0, Math.floor(scrollTop / TABLE_ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(table.count, Math.ceil((scrollTop + bodyHeight) / TABLE_ROW_HEIGHT) + OVERSCAN);
  const unit = tree.unit;
  const names = tree.functions.name;

  const cell = (r: number, c: TopColumn): string => {
    switch (c) {
      case 'self':
        return formatValue(table.flat[r], unit);
      case 'total':
        return formatValue(table.cum[r], unit);
      case 'selfRight':
        return formatValue(table.flatRight ? table.flatRight[r] : 0, unit);
      case 'totalRight':
        return formatValue(table.cumRight ? table.cumRight[r] : 0, unit);
      case 'change':
        return change ? formatChange(change[r]) : '';
      default:
        return names[table.fn[r]];
    }
  };

  const rows: React.ReactNode[] = [];
  for (let k = first; k < last; k++) {
    const r = order[k];
    const fn = table.fn[r];
    rows.push(
      <div
        key={k}
        role="row"
        className={cx(styles.row, fn === selectedFn && styles.selected)}
        style={{ top: k * TABLE_ROW_HEIGHT, gridTemplateColumns: template }}
        onClick={() => onFunctionClick?.(fn)}
      >
        {columns.map((c) => (
          <div key={c.id} role="cell" className={c.numeric ? styles.num : styles.name} title={c.numeric ? undefined : names[fn]}>
            {cell(r, c.id)}
          </div>
        ))}
      </div>
    );
  }

  return (
    <div className={styles.wrap} style={{ width, height }} data-testid="top-table" role="table">
      <div className={styles.header} role="row" style={{ gridTemplateColumns: template }}>
        {columns.map((c) => (
          <button
            key={c.id}
            type="button"
            role="columnheader"
            aria-sort={sort.column === c.id ? (sort.descending ? 'descending' : 'ascending') : 'none'}
            className={cx(c.numeric ? styles.num : styles.name, styles.headerCell)}
            onClick={() => onHeaderClick(c.id)}
          >
            {c.title}
            {sort.column === c.id && <Icon name={sort.descending ? 'arrow-down' : 'arrow-up'} size="sm" />}
          </button>
        ))}
      </div>
      <div className={styles.body} style={{ height: bodyHeight }} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
        <div style={{ height: table.count * TABLE_ROW_HEIGHT, position: 'relative' }}>{rows}</div>
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => {
  const grid = css({
    display: 'grid',
    alignItems: 'center',
  });
  return {
    wrap: css({
      display: 'flex',
      flexDirection: 'column',
      fontSize: theme.typography.bodySmall.fontSize,
      overflow: 'hidden',
    }),
    header: cx(
      grid,
      css({
        height: TABLE_ROW_HEIGHT,
        flex: 'none',
        borderBottom: `1px solid ${theme.colors.border.medium}`,
      })
    ),
    headerCell: css({
      background: 'none',
      border: 'none',
      color: theme.colors.text.primary,
      fontWeight: theme.typography.fontWeightMedium,
      cursor: 'pointer',
      height: '100%',
      display: 'flex',
      alignItems: 'center',
      gap: theme.spacing(0.5),
    }),
    body: css({ overflowY: 'auto', position: 'relative' }),
    row: cx(
      grid,
      css({
        position: 'absolute',
        left: 0,
        right: 0,
        height: TABLE_ROW_HEIGHT,
        cursor: 'pointer',
        '&:hover': { background: theme.colors.action.hover },
      })
    ),
    selected: css({ background: theme.colors.action.selected }),
    name: css({
      padding: theme.spacing(0, 1),
      overflow: 'hidden',
      textOverflow: 'ellipsis',
      whiteSpace: 'nowrap',
      fontFamily: theme.typography.fontFamilyMonospace,
      textAlign: 'left',
    }),
    num: css({
      padding: theme.spacing(0, 1),
      textAlign: 'right',
      justifyContent: 'flex-end',
      whiteSpace: 'nowrap',
      fontVariantNumeric: 'tabular-nums',
    }),
  };
};
