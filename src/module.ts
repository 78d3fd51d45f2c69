import { PanelPlugin } from '@grafana/data';

import { migrationHandler } from './migrations';
import { defaultOptions, PanelOptions } from './options';
import { FlameGcPanel } from './panel/FlameGcPanel';

const d = defaultOptions;

export const plugin = new PanelPlugin<PanelOptions>(FlameGcPanel)
  .setMigrationHandler(migrationHandler)
  .setPanelOptions((builder) =>
    builder
      .addRadio({
        path: 'layout',
        name: 'Layout',
        description: 'Where the flame graph and the GC charts go. Auto stacks them when the panel is narrow.',
        defaultValue: d.layout,
        settings: {
          options: [
            { value: 'auto', label: 'Auto' },
            { value: 'side-by-side', label: 'Side by side' },
            { value: 'stacked', label: 'Stacked' },
            { value: 'flamegraph-only', label: 'Flame graph only' },
            { value: 'gc-only', label: 'GC only' },
          ],
        },
      })
      .addRadio({
        path: 'view',
        name: 'Profile view',
        category: ['Flame graph'],
        defaultValue: d.view,
        settings: {
          options: [
            { value: 'flamegraph', label: 'Flame graph' },
            { value: 'table', label: 'Top table' },
            { value: 'both', label: 'Both' },
            { value: 'sandwich', label: 'Sandwich' },
          ],
        },
      })
      .addRadio({
        path: 'orientation',
        name: 'Orientation',
        category: ['Flame graph'],
        defaultValue: d.orientation,
        settings: {
          options: [
            { value: 'icicle', label: 'Icicle (root on top)' },
            { value: 'flame', label: 'Flame (root at bottom)' },
          ],
        },
      })
      .addSelect({
        path: 'colorScheme',
        name: 'Colour scheme',
        category: ['Flame graph'],
        defaultValue: d.colorScheme,
        settings: {
          options: [
            { value: 'package', label: 'By package' },
            { value: 'value', label: 'By value' },
            { value: 'diff', label: 'Diff: red grew, green shrank' },
            { value: 'diff-colorblind', label: 'Diff: colour-blind safe (orange grew, blue shrank)' },
          ],
        },
      })
      .addBooleanSwitch({
        path: 'showToolbar',
        name: 'Toolbar',
        category: ['Flame graph'],
        description:
          'Search, view, orientation, colour and export controls above the flame graph. Off: the graph alone; click to focus, right-click and Esc still work.',
        defaultValue: d.showToolbar,
      })
      .addTextInput({
        path: 'sampleType',
        name: 'Sample type',
        category: ['Flame graph'],
        description: 'pprof sample type to show (cpu, alloc_space, inuse_space, ...). Empty: the profile default.',
        defaultValue: d.sampleType,
      })
      .addNumberInput({
        path: 'gc.stwMs',
        name: 'STW pause threshold (ms)',
        category: ['GC trace'],
        description: 'Stop-the-world phases longer than this are flagged. Rule of thumb: 0.1 ms (100 µs).',
        defaultValue: d.gc.stwMs,
        settings: { min: 0.001, step: 0.05 },
      })
      .addNumberInput({
        path: 'gc.cyclesPerSecond',
        name: 'Thrashing: cycles per second',
        category: ['GC trace'],
        description: 'More GC cycles per second than this means allocation pressure.',
        defaultValue: d.gc.cyclesPerSecond,
        settings: { min: 0.01 },
      })
      .addNumberInput({
        path: 'gc.gcCpuPercent',
        name: 'Thrashing: GC CPU %',
        category: ['GC trace'],
        description: 'GC CPU above this share is felt by users. Rule of thumb: 25%.',
        defaultValue: d.gc.gcCpuPercent,
        settings: { min: 1, max: 100 },
      })
      .addTextInput({
        path: 'serviceVariable',
        name: 'Service variable',
        category: ['Incident workflow'],
        description:
          'Dashboard variable the service picker sets (without $). Empty, or a variable the dashboard lacks: the panel filters by itself.',
        defaultValue: d.serviceVariable,
      })
      .addStringArray({
        path: 'serviceLabelKeys',
        name: 'Service label keys',
        category: ['Incident workflow'],
        description: 'Labels that name a service, in order of preference.',
        defaultValue: d.serviceLabelKeys,
      })
      .addRadio({
        path: 'baselineMode',
        name: 'Baseline for "Compare"',
        category: ['Incident workflow'],
        defaultValue: d.baselineMode,
        settings: {
          options: [
            { value: 'previous-window', label: 'Equal window just before' },
            { value: 'rest-of-range', label: 'Rest of the time range' },
          ],
        },
      })
  );
