import React from 'react';
import { SelectableValue } from '@grafana/data';
import { Select } from '@grafana/ui';

import { ServiceChoice } from './useServiceChoice';

const ALL = '__all_services__';

export function ServicePicker({ choice }: { choice: ServiceChoice }) {
  const options: Array<SelectableValue<string>> = [
    { label: 'All services', value: ALL },
    ...choice.services.map((s) => ({ label: s, value: s })),
  ];
  return (
    <div data-testid="service-picker">
      <Select
        aria-label="Service"
        prefix="Service"
        width={28}
        options={options}
        value={choice.current ?? ALL}
        onChange={(v) => choice.choose(v.value === ALL || v.value === undefined ? null : v.value)}
        title={choice.usesVariable ? 'Sets the dashboard variable: every query follows' : 'Filters this panel'}
      />
    </div>
  );
}
