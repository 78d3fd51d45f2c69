/** @jest-environment node */
import { migrateOptions, migrationHandler } from './migrations';
import { defaultOptions, OPTIONS_VERSION, PanelOptions } from './options';

describe('options migration', () => {
  it('gives a new panel (no saved options) every default', () => {
    expect(migrateOptions(undefined)).toEqual(defaultOptions);
    expect(migrateOptions({})).toEqual(defaultOptions);
    expect(migrateOptions(null)).toEqual(defaultOptions);
  });

  it('keeps every valid choice of a current panel', () => {
    const saved: PanelOptions = {
      version: OPTIONS_VERSION,
      view: 'sandwich',
      orientation: 'flame',
      colorScheme: 'diff-colorblind',
      showToolbar: false,
      layout: 'stacked',
      sampleType: 'inuse_space',
      gc: { stwMs: 0.5, cyclesPerSecond: 4, gcCpuPercent: 10 },
      serviceVariable: 'app',
      serviceLabelKeys: ['app', 'job'],
      baselineMode: 'rest-of-range',
    };
    expect(migrateOptions(saved)).toEqual(saved);
  });

  it('fills what a partial or older save lacks, and keeps what it has', () => {
    const migrated = migrateOptions({ view: 'table', gc: { stwMs: 0.25 } });
    expect(migrated.view).toBe('table');
    expect(migrated.gc).toEqual({ ...defaultOptions.gc, stwMs: 0.25 });
    expect(migrated.layout).toBe(defaultOptions.layout);
    expect(migrated.showToolbar).toBe(true);
    expect(migrated.version).toBe(OPTIONS_VERSION);
  });

  it('replaces unreadable values (hand-edited JSON) with defaults instead of breaking the dashboard', () => {
    const migrated = migrateOptions({
      view: 'pie',
      orientation: 42,
      colorScheme: null,
      showToolbar: 'no',
      layout: ['stacked'],
      sampleType: 7,
      gc: { stwMs: -1, cyclesPerSecond: 'many', gcCpuPercent: Number.NaN },
      serviceVariable: { name: 'service' },
      serviceLabelKeys: ['', 3, 'job'],
      baselineMode: 'yesterday',
    });
    expect(migrated).toEqual({ ...defaultOptions, serviceLabelKeys: ['job'] });
  });

  it('is what Grafana calls with the saved panel model', () => {
    const options = migrationHandler({ id: 1, type: 'goperf-flamegc-panel', options: { layout: 'gc-only' }, fieldConfig: { defaults: {}, overrides: [] } } as never);
    expect(options.layout).toBe('gc-only');
  });
});
