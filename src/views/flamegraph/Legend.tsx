/** Legends for the diff colour scale and the frame-kind outlines. */
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import React, { useMemo } from 'react';

import { ColorScheme, buildColorTable } from './colors';

export function DiffLegend({ theme, scheme }: { theme: GrafanaTheme2; scheme: ColorScheme }) {
  const styles = useStyles2(getStyles);
  const gradient = useMemo(() => {
    const { fill, merged } = buildColorTable(theme, scheme);
    return `linear-gradient(90deg, ${fill.slice(0, merged).join(', ')})`;
  }, [theme, scheme]);
  return (
    <div className={styles.legend} data-testid="flamegraph-diff-legend">
      <span>-100% shrank</span>
      <span className={styles.bar} style={{ background: gradient }} />
      <span>+100% grew</span>
    </div>
  );
}

export function KindLegend() {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.legend}>
      <span className={styles.swatch} style={{ borderStyle: 'dashed' }} /> inlined
      <span className={styles.swatch} style={{ borderStyle: 'solid' }} /> kernel
      <span className={styles.swatch} style={{ borderStyle: 'dotted' }} /> JIT
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  legend: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.secondary,
    whiteSpace: 'nowrap',
  }),
  bar: css({ width: 120, height: 10, borderRadius: theme.shape.radius.default }),
  swatch: css({
    width: 16,
    height: 10,
    borderWidth: 1,
    borderColor: theme.colors.text.primary,
    marginLeft: theme.spacing(1),
  }),
});
