/** Value formatting through Grafana's own unit formatters, so numbers read as they do elsewhere in Grafana. */
import { formattedValueToString, getValueFormat } from '@grafana/data';

import { GRAFANA_UNITS, ValueUnit } from '../../model/profile';

/** Grafana unit id for a profile unit; unknown units format as plain numbers. */
export function grafanaUnit(unit: ValueUnit): string {
  return GRAFANA_UNITS[unit] ?? 'short';
}

export function formatValue(value: number, unit: ValueUnit): string {
  return formattedValueToString(getValueFormat(grafanaUnit(unit))(value));
}

export function formatPercent(share: number): string {
  if (!Number.isFinite(share)) {
    return 'new';
  }
  const p = share * 100;
  return `${Math.abs(p) >= 10 ? p.toFixed(1) : p.toFixed(2)}%`;
}

/** Relative change as a signed percentage; +Infinity (absent in the baseline) reads `new`. */
export function formatChange(change: number): string {
  if (change === Infinity) {
    return 'new';
  }
  if (change === -1) {
    return 'gone';
  }
  const p = change * 100;
  return `${p > 0 ? '+' : ''}${p.toFixed(1)}%`;
}
