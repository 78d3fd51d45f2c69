import React from 'react';
import { Alert } from '@grafana/ui';

interface Props {
  title: string;
  /** Shown as plain text: it may quote names from the data. */
  children: React.ReactNode;
  severity?: 'info' | 'warning' | 'error';
}

/** A clear message inside one half of the panel; the other half keeps working. */
export function PanelNotice({ title, children, severity = 'warning' }: Props) {
  return (
    <div data-testid="panel-notice">
      <Alert title={title} severity={severity}>
        {children}
      </Alert>
    </div>
  );
}
