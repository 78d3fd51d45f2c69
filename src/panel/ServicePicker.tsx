import React from 'react';
import { Combobox, ComboboxOption, InlineField } from '@grafana/ui';

import { ServiceChoice } from './useServiceChoice';

const ALL = '__all_services__';

/** Which service both halves show; always visible in the panel header. */
export function ServicePicker({ choice }: { choice: ServiceChoice }) {
  const options: Array<ComboboxOption<string>> = [
    { label: 'All services', value: ALL },
    ...choice.services.map((s) => ({ label: s, value: s })),
  ];
  return (
    <div data-testid="service-picker">
      <InlineField
        label="Service"
        tooltip={choice.usesVariable ? 'Sets the dashboard variable: every query follows' : 'Filters this panel'}
      >
        <Combobox
          aria-label="Service"
          width={24}
          options={options}
          value={choice.current ?? ALL}
          onChange={(o) => choice.choose(o.value === ALL ? null : o.value)}
        />
      </InlineField>
    </div>
  );
}
