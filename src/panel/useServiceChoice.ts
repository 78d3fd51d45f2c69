import { useState } from 'react';
import { getTemplateSrv, locationService } from '@grafana/runtime';

/** Grafana's value for "All" on a variable with includeAll. */
const ALL_VALUE = '$__all';

export interface ServiceChoice {
  services: string[];
  /** null = all services. */
  current: string | null;
  /** True when the choice is a dashboard variable, so every query follows it. */
  usesVariable: boolean;
  choose: (service: string | null) => void;
}

/**
 * The service the panel shows. With a dashboard variable of that name, choosing sets the variable
 * (every query of the dashboard re-runs for it); without one the panel filters its own data by the
 * service labels it found.
 */
export function useServiceChoice(variableName: string, discovered: string[]): ServiceChoice {
  const [local, setLocal] = useState<string | null>(null);
  const variable = variableName ? getTemplateSrv().getVariables().find((v) => v.name === variableName) : undefined;
  if (variable) {
    const options = 'options' in variable && Array.isArray(variable.options) ? variable.options : [];
    const values = options.map((o) => String(o.value)).filter((v) => v !== ALL_VALUE);
    const raw = 'current' in variable && variable.current ? variable.current.value : undefined;
    const value = Array.isArray(raw) ? raw[0] : raw;
    return {
      services: values.length ? values : discovered,
      current: value === undefined || value === ALL_VALUE ? null : String(value),
      usesVariable: true,
      choose: (service) => locationService.partial({ [`var-${variableName}`]: service ?? ALL_VALUE }, true),
    };
  }
  return {
    services: discovered,
    current: local !== null && discovered.includes(local) ? local : null,
    usesVariable: false,
    choose: setLocal,
  };
}
