import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2, PanelProps } from '@grafana/data';
import { ErrorBoundaryAlert, useStyles2 } from '@grafana/ui';

import { PanelOptions } from '../options';
import { halvesLayout } from './layout';

type Props = PanelProps<PanelOptions>;

export function FlameGcPanel(props: Props) {
  const { options, width, height } = props;
  const styles = useStyles2(getStyles);
  const layout = halvesLayout(options.layout, width);
  const both = layout.showProfile && layout.showGc;
  const halfWidth = both && layout.direction === 'row' ? Math.floor(width / 2) : width;
  const halfHeight = both && layout.direction === 'column' ? Math.floor(height / 2) : height;

  return (
    <div className={styles.halves} style={{ width, height, flexDirection: layout.direction }}>
      {layout.showProfile && (
        <div className={styles.half} style={{ width: halfWidth, height: halfHeight }}>
          <ErrorBoundaryAlert title="The flame graph failed" boundaryName="flamegraph">
            <div />
          </ErrorBoundaryAlert>
        </div>
      )}
      {layout.showGc && (
        <div className={styles.half} style={{ width: halfWidth, height: halfHeight }}>
          <ErrorBoundaryAlert title="The GC trace failed" boundaryName="gc">
            <div />
          </ErrorBoundaryAlert>
        </div>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  halves: css({ display: 'flex', gap: theme.spacing(1), overflow: 'hidden' }),
  half: css({ position: 'relative', overflow: 'hidden', minWidth: 0 }),
});
