import React from 'react';
import { css } from '@emotion/css';
import { dateTimeFormat, GrafanaTheme2 } from '@grafana/data';
import { Icon, IconName, useStyles2 } from '@grafana/ui';

import { GcFinding } from '../../transforms/gcFindings';

interface Props {
  findings: GcFinding[];
  /** Clicking a finding selects its window. */
  onSelect: (window: { fromMs: number; toMs: number }) => void;
  timeZone?: string;
}

const ICONS: Record<GcFinding['severity'], IconName> = {
  critical: 'exclamation-circle',
  warning: 'exclamation-triangle',
  info: 'info-circle',
};

/** What the GC trace says, worst first; each item selects the window its evidence comes from. */
export function GcFindings({ findings, onSelect, timeZone }: Props) {
  const styles = useStyles2(getStyles);
  const order = { critical: 0, warning: 1, info: 2 };
  const sorted = [...findings].sort((a, b) => order[a.severity] - order[b.severity] || a.fromMs - b.fromMs);
  const time = (ms: number) => dateTimeFormat(ms, { timeZone, format: 'HH:mm:ss' });
  return (
    <ul className={styles.list} data-testid="gc-findings" aria-label="GC findings">
      {sorted.length === 0 && <li className={styles.none}>No GC trouble found in this range.</li>}
      {sorted.map((f, i) => (
        <li key={`${f.kind}-${f.service}-${f.instance}-${f.fromMs}-${i}`}>
          <button
            type="button"
            className={styles.item}
            onClick={() => onSelect({ fromMs: f.fromMs, toMs: f.toMs })}
            title={`Select ${time(f.fromMs)}–${time(f.toMs)}`}
            data-kind={f.kind}
          >
            <Icon name={ICONS[f.severity]} className={styles[f.severity]} />
            <span className={styles.title}>{f.title}</span>
            <span className={styles.evidence}>
              {f.service ? `${f.service}: ` : ''}
              {f.evidence} ({time(f.fromMs)}–{time(f.toMs)})
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  list: css({ listStyle: 'none', margin: 0, padding: 0, fontSize: theme.typography.bodySmall.fontSize }),
  none: css({ color: theme.colors.text.secondary, padding: theme.spacing(0.5) }),
  item: css({
    display: 'flex',
    gap: theme.spacing(1),
    alignItems: 'baseline',
    width: '100%',
    textAlign: 'left',
    background: 'none',
    border: 'none',
    color: theme.colors.text.primary,
    padding: theme.spacing(0.25, 0.5),
    cursor: 'pointer',
    '&:hover': { background: theme.colors.action.hover },
  }),
  title: css({ fontWeight: theme.typography.fontWeightMedium, whiteSpace: 'nowrap' }),
  evidence: css({ color: theme.colors.text.secondary, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }),
  critical: css({ color: theme.colors.error.text }),
  warning: css({ color: theme.colors.warning.text }),
  info: css({ color: theme.colors.info.text }),
});
