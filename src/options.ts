/** Panel options. Every field has a default; `migrations.ts` upgrades what older versions saved. */

export type ProfileView = 'flamegraph' | 'table' | 'both' | 'sandwich';
export type Orientation = 'icicle' | 'flame';
export type ColorScheme = 'package' | 'value' | 'diff' | 'diff-colorblind';
export type PanelLayout = 'auto' | 'side-by-side' | 'stacked' | 'flamegraph-only' | 'gc-only';
/** Which window a selection is compared with. */
export type BaselineMode = 'previous-window' | 'rest-of-range';

export interface GcThresholds {
  /** A STW phase longer than this is flagged (rule of thumb: 100 µs). */
  stwMs: number;
  /** More GC cycles per second than this is thrashing. */
  cyclesPerSecond: number;
  /** GC CPU above this percentage is felt by users. */
  gcCpuPercent: number;
}

export interface PanelOptions {
  /** Bumped when the shape changes; read by the migration handler. */
  version: number;
  view: ProfileView;
  orientation: Orientation;
  colorScheme: ColorScheme;
  /** The flame graph's toolbar (search, view, orientation, colours, export); off for a compact graph. */
  showToolbar: boolean;
  layout: PanelLayout;
  /** pprof sample type to show (`cpu`, `alloc_space`, ...); empty = the profile's default. */
  sampleType: string;
  gc: GcThresholds;
  /** Dashboard variable the service picker drives; empty = filter inside the panel. */
  serviceVariable: string;
  /** Label keys that name a service, first match wins. */
  serviceLabelKeys: string[];
  baselineMode: BaselineMode;
}

export const OPTIONS_VERSION = 1;

export const defaultGcThresholds: GcThresholds = { stwMs: 0.1, cyclesPerSecond: 2, gcCpuPercent: 25 };

export const defaultOptions: PanelOptions = {
  version: OPTIONS_VERSION,
  view: 'both',
  orientation: 'icicle',
  colorScheme: 'package',
  showToolbar: true,
  layout: 'auto',
  sampleType: '',
  gc: defaultGcThresholds,
  serviceVariable: 'service',
  serviceLabelKeys: ['service_name', 'service', 'app', 'job'],
  baselineMode: 'previous-window',
};
