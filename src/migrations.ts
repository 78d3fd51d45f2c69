import { PanelModel } from '@grafana/data';

import {
  BaselineMode,
  ColorScheme,
  defaultOptions,
  GcThresholds,
  Orientation,
  OPTIONS_VERSION,
  PanelLayout,
  PanelOptions,
  ProfileView,
} from './options';

const views: ProfileView[] = ['flamegraph', 'table', 'both', 'sandwich'];
const orientations: Orientation[] = ['icicle', 'flame'];
const colorSchemes: ColorScheme[] = ['package', 'value', 'diff', 'diff-colorblind'];
const layouts: PanelLayout[] = ['auto', 'side-by-side', 'stacked', 'flamegraph-only', 'gc-only'];
const baselineModes: BaselineMode[] = ['previous-window', 'rest-of-range'];

function oneOf<T extends string>(value: unknown, allowed: T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

function positive(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

function thresholds(saved: unknown): GcThresholds {
  const gc = (saved && typeof saved === 'object' ? saved : {}) as Partial<Record<keyof GcThresholds, unknown>>;
  const d = defaultOptions.gc;
  return {
    stwMs: positive(gc.stwMs, d.stwMs),
    cyclesPerSecond: positive(gc.cyclesPerSecond, d.cyclesPerSecond),
    gcCpuPercent: positive(gc.gcCpuPercent, d.gcCpuPercent),
  };
}

/**
 * Brings options saved by any earlier version (or hand-edited JSON) to the current shape.
 * Valid values the user chose are kept; anything unreadable falls back to its default, so a
 * dashboard never breaks on load.
 */
export function migrateOptions(saved: unknown): PanelOptions {
  const o = (saved && typeof saved === 'object' ? saved : {}) as Record<string, unknown>;
  const labelKeys = Array.isArray(o.serviceLabelKeys)
    ? o.serviceLabelKeys.filter((k): k is string => typeof k === 'string' && k.length > 0)
    : [];
  return {
    version: OPTIONS_VERSION,
    view: oneOf(o.view, views, defaultOptions.view),
    orientation: oneOf(o.orientation, orientations, defaultOptions.orientation),
    colorScheme: oneOf(o.colorScheme, colorSchemes, defaultOptions.colorScheme),
    showToolbar: typeof o.showToolbar === 'boolean' ? o.showToolbar : defaultOptions.showToolbar,
    layout: oneOf(o.layout, layouts, defaultOptions.layout),
    sampleType: typeof o.sampleType === 'string' ? o.sampleType : defaultOptions.sampleType,
    gc: thresholds(o.gc),
    serviceVariable: typeof o.serviceVariable === 'string' ? o.serviceVariable : defaultOptions.serviceVariable,
    serviceLabelKeys: labelKeys.length ? labelKeys : defaultOptions.serviceLabelKeys,
    baselineMode: oneOf(o.baselineMode, baselineModes, defaultOptions.baselineMode),
  };
}

/** Grafana's migration hook: runs when a saved panel's plugin version differs from ours. */
export function migrationHandler(panel: PanelModel<Partial<PanelOptions>>): PanelOptions {
  return migrateOptions(panel.options);
}
