/** Hover tooltip: plain text nodes only (function names are untrusted). */
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Portal, useStyles2 } from '@grafana/ui';
import React from 'react';

import { ProfileTree, nodeName } from '../../model/profile';
import { relativeChange } from './colors';
import { formatChange, formatPercent, formatValue } from './format';

export interface FlameGraphTooltipProps {
  tree: ProfileTree;
  node: number;
  clientX: number;
  clientY: number;
}

export interface TooltipRow {
  label: string;
  value: string;
}

/** The tooltip's rows for node i (pure, so it is tested without a DOM). */
export function tooltipRows(tree: ProfileTree, i: number): TooltipRow[] {
  const unit = tree.unit;
  const p = tree.parent[i];
  const rootTotal = tree.total[0];
  const rows: TooltipRow[] = [];
  if (!tree.right) {
    rows.push(
      { label: 'Self', value: formatValue(tree.self[i], unit) },
      { label: 'Total', value: formatValue(tree.total[i], unit) },
      { label: '% of total', value: formatPercent(rootTotal > 0 ? tree.total[i] / rootTotal : 0) },
      { label: '% of parent', value: formatPercent(p >= 0 && tree.total[p] > 0 ? tree.total[i] / tree.total[p] : 1) }
    );
    return rows;
  }
  const right = tree.right;
  const rightRoot = right.total[0];
  const share = (v: number, root: number) => formatPercent(root > 0 ? v / root : 0);
  rows.push(
    { label: 'Baseline self', value: formatValue(tree.self[i], unit) },
    { label: 'Baseline total', value: `${formatValue(tree.total[i], unit)} (${share(tree.total[i], rootTotal)})` },
    { label: 'Comparison self', value: formatValue(right.self[i], unit) },
    {
      label: 'Comparison total',
      value: `${formatValue(right.total[i], unit)} (${share(right.total[i], rightRoot)})`,
    },
    { label: 'Change', value: formatChange(relativeChange(tree.total[i], right.total[i], rootTotal, rightRoot)) },
    {
      label: '% of parent',
      value: formatPercent(p >= 0 && right.total[p] > 0 ? right.total[i] / right.total[p] : 1),
    }
  );
  return rows;
}

export function FlameGraphTooltip({ tree, node, clientX, clientY }: FlameGraphTooltipProps) {
  const styles = useStyles2(getStyles);
  const rows = tooltipRows(tree, node);
  // Keep the tooltip on screen: flip to the left/top of the pointer near the right/bottom edge.
  const left = clientX + 340 > window.innerWidth ? clientX - 340 : clientX + 12;
  const top = clientY + 180 > window.innerHeight ? clientY - 180 : clientY + 12;
  return (
    <Portal>
      <div className={styles.tooltip} style={{ left: Math.max(0, left), top: Math.max(0, top) }} data-testid="flamegraph-tooltip">
        <div className={styles.name}>{nodeName(tree, node)}</div>
        <table className={styles.table}>
          <tbody>
            {rows.map((r) => (
              <tr key={r.label}>
                <th>{r.label}</th>
                <td>{r.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Portal>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  tooltip: css({
    position: 'fixed',
    pointerEvents: 'none',
    zIndex: theme.zIndex.tooltip,
    maxWidth: 330,
    padding: theme.spacing(1),
    background: theme.colors.background.elevated,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    boxShadow: theme.shadows.z3,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  name: css({
    fontFamily: theme.typography.fontFamilyMonospace,
    wordBreak: 'break-all',
    marginBottom: theme.spacing(0.5),
  }),
  table: css({
    'th': { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightRegular, paddingRight: theme.spacing(1) },
    'td': { textAlign: 'right' },
  }),
});
