import React from 'react';
import { css } from '@emotion/css';
import { dateTimeFormat, GrafanaTheme2 } from '@grafana/data';
import { Button, useStyles2 } from '@grafana/ui';

import { TimeWindow } from './windows';

interface Props {
  selection: TimeWindow;
  timeZone?: string;
  comparing: boolean;
  onZoom: () => void;
  onCompare: () => void;
  onClear: () => void;
}

/** The actions on a window dragged across the GC charts. */
export function SelectionBar({ selection, timeZone, comparing, onZoom, onCompare, onClear }: Props) {
  const styles = useStyles2(getStyles);
  const fmt = (ms: number) => dateTimeFormat(ms, { timeZone, format: 'HH:mm:ss.SSS' });
  const seconds = ((selection.toMs - selection.fromMs) / 1000).toFixed(1);
  return (
    <div className={styles.bar} data-testid="selection-bar">
      <span className={styles.range}>
        Selected {fmt(selection.fromMs)} – {fmt(selection.toMs)} ({seconds} s)
      </span>
      <Button size="sm" variant="secondary" icon="search-plus" onClick={onZoom} data-testid="selection-zoom">
        Zoom to selection
      </Button>
      <Button
        size="sm"
        variant={comparing ? 'primary' : 'secondary'}
        icon="code-branch"
        onClick={onCompare}
        data-testid="selection-compare"
        tooltip="Diff flame graph: this window against the baseline before it (red grew, green shrank)"
      >
        Compare with baseline
      </Button>
      <Button size="sm" variant="secondary" fill="text" icon="times" onClick={onClear} data-testid="selection-clear">
        Clear
      </Button>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  bar: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1), flexWrap: 'wrap' }),
  range: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});
