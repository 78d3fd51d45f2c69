/**
 * Bad input never breaks a dashboard: when one half's view throws while rendering, that half's
 * error boundary shows its alert, the other half still renders, and nothing leaves the panel. And
 * garbage frames of every kind reach the panel without an exception escaping.
 */
import React from 'react';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { render, screen, waitFor } from '@testing-library/react';
import { dateTime, DataFrame, EventBusSrv, Field, FieldType, LoadingState, PanelProps, TimeRange } from '@grafana/data';
import { setTemplateSrv, TemplateSrv } from '@grafana/runtime';

import { buildSampleTree } from '../model/samples';
import { defaultOptions, PanelOptions } from '../options';
import { toNestedSetFrame } from '../sources/nestedSet';
import { decodePprof } from '../sources/pprof/decode';
import { FlameGcPanel } from './FlameGcPanel';

// Which view throws on render; `mock` prefix so jest.mock's hoisted factories may read it.
const mockFailing = { profile: false, gc: false };

jest.mock('../views/flamegraph/FlameGraphView', () => {
  const actual = jest.requireActual('../views/flamegraph/FlameGraphView');
  const react = jest.requireActual('react');
  return {
    ...actual,
    FlameGraphView: (props: object) => {
      if (mockFailing.profile) {
        throw new Error('the flame graph view threw');
      }
      return react.createElement(actual.FlameGraphView, props);
    },
  };
});

jest.mock('../views/gc/GcCharts', () => {
  const actual = jest.requireActual('../views/gc/GcCharts');
  const react = jest.requireActual('react');
  return {
    ...actual,
    GcCharts: (props: object) => {
      if (mockFailing.gc) {
        throw new Error('the GC charts threw');
      }
      return react.createElement(actual.GcCharts, props);
    },
  };
});

const FIXTURES = resolve(__dirname, '../../../shared/fixtures');

function field(name: string, type: FieldType, values: unknown[], extra: Partial<Field> = {}): Field {
  return { name, type, config: {}, values, ...extra };
}

function profileFrame(): DataFrame {
  const profile = decodePprof(new Uint8Array(readFileSync(resolve(FIXTURES, 'go-checkout/incident.cpu.pb.gz'))));
  return { ...toNestedSetFrame(buildSampleTree(profile.samples)), refId: 'profile' };
}

/** The checkout log as Loki returns it (legacy layout: labels, Time, Line, tsNs, id). */
function lokiFrame(): { frame: DataFrame; fromMs: number; toMs: number } {
  const rows = readFileSync(resolve(FIXTURES, 'go-checkout/gctrace.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { ts_ns: number; line: string });
  const ms = rows.map((r) => r.ts_ns / 1e6);
  const frame: DataFrame = {
    refId: 'gc',
    length: rows.length,
    fields: [
      field(
        'labels',
        FieldType.other,
        rows.map(() => ({ service_name: 'checkout' }))
      ),
      field('Time', FieldType.time, ms),
      field(
        'Line',
        FieldType.string,
        rows.map((r) => r.line)
      ),
      field(
        'tsNs',
        FieldType.string,
        rows.map((r) => String(r.ts_ns))
      ),
      field(
        'id',
        FieldType.string,
        rows.map((_, i) => `row-${i}`)
      ),
    ],
  };
  return { frame, fromMs: Math.floor(ms[0]) - 1000, toMs: Math.ceil(ms[ms.length - 1]) + 1000 };
}

function props(series: DataFrame[], fromMs: number, toMs: number): PanelProps<PanelOptions> {
  const timeRange: TimeRange = {
    from: dateTime(fromMs),
    to: dateTime(toMs),
    raw: { from: dateTime(fromMs), to: dateTime(toMs) },
  };
  return {
    id: 1,
    title: 'Go performance',
    data: { series, state: LoadingState.Done, timeRange },
    timeRange,
    timeZone: 'utc',
    options: { ...defaultOptions, layout: 'side-by-side' },
    onOptionsChange: jest.fn(),
    onFieldConfigChange: jest.fn(),
    onChangeTimeRange: jest.fn(),
    fieldConfig: { defaults: {}, overrides: [] },
    replaceVariables: (s: string) => s,
    eventBus: new EventBusSrv(),
    renderCounter: 0,
    transparent: false,
    width: 1400,
    height: 700,
  } as PanelProps<PanelOptions>;
}

// jsdom has no canvas: hand the views a context that accepts every call (uPlot and the flame graph).
beforeAll(() => {
  // What Grafana sets before a panel loads: a dashboard without variables.
  setTemplateSrv({
    getVariables: () => [],
    replace: (s?: string) => s ?? '',
    containsTemplate: () => false,
    updateTimeRange: () => {},
  } as unknown as TemplateSrv);
  const ctx = new Proxy({} as Record<string, unknown>, {
    get: (target, prop: string) =>
      prop === 'measureText' ? () => ({ width: 10 }) : prop in target ? target[prop] : () => undefined,
    set: (target, prop: string, value) => {
      target[prop] = value;
      return true;
    },
  });
  HTMLCanvasElement.prototype.getContext = (() => ctx) as unknown as typeof HTMLCanvasElement.prototype.getContext;
  (globalThis as unknown as { Path2D: unknown }).Path2D = class {
    moveTo() {}
    lineTo() {}
    rect() {}
    arc() {}
    closePath() {}
  };
});

let consoleError: jest.SpyInstance;
beforeEach(() => {
  mockFailing.profile = false;
  mockFailing.gc = false;
  // React reports each error a boundary catches on console.error; the test asserts on the DOM.
  consoleError = jest.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => consoleError.mockRestore());

describe('FlameGcPanel error boundaries', () => {
  const { frame: loki, fromMs, toMs } = lokiFrame();
  const series = [profileFrame(), loki];

  it('renders both halves from real frames', async () => {
    render(<FlameGcPanel {...props(series, fromMs, toMs)} />);
    expect(await screen.findByTestId('flamegraph-canvas')).toBeInTheDocument();
    expect(screen.getAllByTestId('gc-chart').length).toBeGreaterThan(0);
    expect(screen.queryByText('The flame graph failed')).toBeNull();
    expect(screen.queryByText('The GC trace failed')).toBeNull();
  });

  it('the Toolbar option shows or hides the flame graph toolbar', async () => {
    const shown = render(<FlameGcPanel {...props(series, fromMs, toMs)} />);
    expect(await screen.findByLabelText('Search functions')).toBeInTheDocument();
    shown.unmount();
    const base = props(series, fromMs, toMs);
    render(<FlameGcPanel {...base} options={{ ...base.options, showToolbar: false }} />);
    expect(await screen.findByTestId('flamegraph-canvas')).toBeInTheDocument();
    expect(screen.queryByLabelText('Search functions')).toBeNull();
  });

  it('a throwing flame graph view shows its alert; the GC half still renders', async () => {
    mockFailing.profile = true;
    expect(() => render(<FlameGcPanel {...props(series, fromMs, toMs)} />)).not.toThrow();
    expect(await screen.findByText('The flame graph failed')).toBeInTheDocument();
    expect(screen.queryByTestId('flamegraph-canvas')).toBeNull();
    expect(screen.getAllByTestId('gc-chart').length).toBeGreaterThan(0);
    expect(screen.queryByText('The GC trace failed')).toBeNull();
  });

  it('throwing GC charts show their alert; the flame graph half still renders', async () => {
    mockFailing.gc = true;
    expect(() => render(<FlameGcPanel {...props(series, fromMs, toMs)} />)).not.toThrow();
    expect(screen.getByText('The GC trace failed')).toBeInTheDocument();
    expect(screen.queryByTestId('gc-chart')).toBeNull();
    expect(await screen.findByTestId('flamegraph-canvas')).toBeInTheDocument();
    expect(screen.queryByText('The flame graph failed')).toBeNull();
  });
});

describe('FlameGcPanel on garbage frames', () => {
  const num = FieldType.number;
  const str = FieldType.string;
  const garbage: Array<[string, unknown[]]> = [
    ['nothing', []],
    ['null and non-frames', [null, undefined, 3, 'frame', {}, { fields: null }, { fields: [null] }]],
    ['fields without values', [{ refId: 'A', fields: [{ name: 'level', type: num, config: {}, values: null }] }]],
    [
      'a nested-set frame with NaN, negative values and level jumps',
      [
        {
          refId: 'A',
          length: 3,
          fields: [
            field('level', num, [0, 5, -1]),
            field('value', num, [NaN, -3, Infinity]),
            field('self', num, [1, 2, 3]),
            field('label', FieldType.enum, [0, 9, 'x'], { config: { type: { enum: { text: ['total'] } } } }),
          ],
        },
      ],
    ],
    [
      'values past Number.MAX_VALUE',
      [
        {
          refId: 'A',
          length: 2,
          fields: [
            field('level', num, [0, 1]),
            field('value', num, [1, Number.MAX_VALUE]),
            field('self', num, [Number.MAX_VALUE, Number.MAX_VALUE]),
            field('label', str, ['total', 'a']),
          ],
        },
      ],
    ],
    [
      'pprof bytes that are not a profile',
      [{ refId: 'B', length: 2, fields: [field('profile', str, ['H4sIAAAAAAAA/wMAAAAAAAAAAAA=', 'CgQIARACgarbage'])] }],
    ],
    [
      'a gzip bomb header in base64',
      [{ refId: 'B', length: 1, fields: [field('profile', str, ['H4sI' + 'A'.repeat(4000)])] }],
    ],
    [
      'folded text that is half stacks',
      [{ refId: 'C', length: 3, fields: [field('text', str, ['a;b;c 9'.repeat(50) + '9'.repeat(400), 'x y', null])] }],
    ],
    [
      'Loki frames with broken lines, times and labels',
      [
        {
          refId: 'D',
          length: 4,
          fields: [
            field('labels', FieldType.other, ['{bad json', null, 7, { service_name: 3 }]),
            field('Time', FieldType.time, [NaN, -1, 'soon', Infinity]),
            field('Line', str, [
              'gc 1 @',
              'gc 99999999999999999999999 @1.0s 0%: 1+1+1 ms clock',
              null,
              'scvg: 1 MB released',
            ]),
            field('tsNs', str, ['x', '', '-5', '1e400']),
          ],
        },
      ],
    ],
    [
      'metric frames with odd names and values',
      [
        {
          refId: 'E',
          name: 'go_gc_duration_seconds',
          length: 2,
          fields: [
            field('Time', FieldType.time, [1, NaN]),
            field('Value', num, [Infinity, 'x'], { labels: { quantile: 'abc' } }),
          ],
        },
      ],
    ],
  ];

  it.each(garbage)('%s: no exception escapes the panel, and no half needs its boundary', async (_, frames) => {
    expect(() => render(<FlameGcPanel {...props(frames as DataFrame[], 0, 1_000_000)} />)).not.toThrow();
    // Profiles load in the background: judge the panel once they are read.
    await waitFor(() => expect(screen.queryByText(/^Reading the/)).toBeNull());
    // Bad data is a notice inside the half, not a crash caught by the boundary.
    expect(screen.queryByText('The flame graph failed')).toBeNull();
    expect(screen.queryByText('The GC trace failed')).toBeNull();
  });

  it('all of them together, next to good frames, still show the good ones', async () => {
    const { frame: loki, fromMs, toMs } = lokiFrame();
    const all = garbage.flatMap(([, frames]) => frames);
    render(<FlameGcPanel {...props([...(all as DataFrame[]), profileFrame(), loki], fromMs, toMs)} />);
    expect(screen.getAllByTestId('gc-chart').length).toBeGreaterThan(0);
    expect(await screen.findByTestId('flamegraph-canvas')).toBeInTheDocument();
    expect(screen.getAllByTestId('panel-notice').length).toBeGreaterThan(0);
  });
});
