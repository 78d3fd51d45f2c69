import React from 'react';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';

import { DataHoverEvent, EventBusSrv } from '@grafana/data';

import { parseGcTrace } from '../../sources/gctrace';
import { gcFindings } from '../../transforms/gcFindings';
import { buildGcChartData } from './chartData';
import { GcCharts } from './GcCharts';
import { GcFindings } from './GcFindings';

const FIXTURES = resolve(__dirname, '..', '..', '..', '..', 'shared', 'fixtures');

function checkoutTrace() {
  const lines = readFileSync(resolve(FIXTURES, 'go-checkout', 'gctrace.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l)
    .map((l) => JSON.parse(l) as { ts_ns: number; line: string })
    .map((o) => ({ line: o.line, timeMs: o.ts_ns / 1e6, service: 'checkout' }));
  return parseGcTrace(lines);
}

// jsdom has no canvas: uPlot draws into a context that records the calls it gets.
const drawn: string[] = [];
beforeAll(() => {
  const ctx = new Proxy(
    {},
    {
      get: (target: Record<string, unknown>, prop: string) => {
        if (prop === 'measureText') {
          return () => ({ width: 10 });
        }
        if (prop in target) {
          return target[prop];
        }
        return (...args: unknown[]) => {
          drawn.push(prop);
          return args.length ? undefined : undefined;
        };
      },
      set: (target: Record<string, unknown>, prop: string, value: unknown) => {
        target[prop] = value;
        return true;
      },
    }
  );
  HTMLCanvasElement.prototype.getContext = (() => ctx) as unknown as typeof HTMLCanvasElement.prototype.getContext;
  class Path2DStub {
    moveTo() {}
    lineTo() {}
    rect() {}
    arc() {}
    closePath() {}
    addPath() {}
    bezierCurveTo() {}
  }
  (globalThis as unknown as { Path2D: unknown }).Path2D = Path2DStub;
});

describe('buildGcChartData', () => {
  it('puts every cycle on one time axis and keeps restarts apart', () => {
    const line = (n: number, s: number) =>
      `gc ${n} @${s.toFixed(3)}s 0%: 0.01+0.1+0.2 ms clock, 0.01+0.1/0.1/0+0.01 ms cpu, 4->4->1 MB, 4 MB goal, 2 P`;
    const trace = parseGcTrace([
      { line: line(1, 1), timeMs: 11_000 },
      { line: line(2, 2), timeMs: 12_000 },
      { line: line(1, 0.5), timeMs: 20_500 },
      { line: line(2, 1.5), timeMs: 21_500 },
    ]);
    const d = buildGcChartData(trace);
    // 4 cycles + 1 gap point between the runs.
    expect(d.x).toEqual([11_000, 12_000, 16_250, 20_500, 21_500]);
    const pause = d.charts.find((c) => c.id === 'pause')!;
    const markTerm = pause.series.find((s) => s.label === 'STW mark termination')!;
    expect(markTerm.values).toEqual([0.2, 0.2, null, 0.2, 0.2]);
    expect(d.cycle).toEqual([1, 2, undefined, 1, 2]);
    expect(d.charts.map((c) => c.id)).toEqual(['pause', 'heap', 'cpu', 'rate']);
  });
});

describe('GcCharts', () => {
  const trace = checkoutTrace();
  const run = trace.runs[0];
  const range = { fromMs: run.startMs, toMs: run.timeMs[run.count - 1] + 500 };

  it('draws four charts on the trace with legends and the STW threshold', async () => {
    drawn.length = 0;
    render(<GcCharts trace={trace} timeRange={range} width={600} height={400} findings={gcFindings(trace)} />);
    const charts = screen.getAllByTestId('gc-chart');
    expect(charts).toHaveLength(4);
    expect(charts.map((c) => c.getAttribute('aria-label'))).toEqual([
      'STW pause per cycle',
      'Heap vs goal',
      'GC CPU',
      'GC cycles per second',
    ]);
    expect(screen.getByText('STW mark termination')).toBeInTheDocument();
    expect(screen.getByText('live heap')).toBeInTheDocument();
    expect(screen.getByText('goal')).toBeInTheDocument();
    expect(screen.getByText('100 µs threshold')).toBeInTheDocument();
    // uPlot built a canvas per chart and drew the series and our overlay (threshold line, finding strips).
    expect(document.querySelectorAll('canvas')).toHaveLength(4);
    await waitFor(() => expect(drawn).toContain('stroke'));
    expect(drawn).toContain('setLineDash');
    expect(drawn).toContain('fillRect');
  });

  it('keeps the legend readable at 300 px with short words', () => {
    render(<GcCharts trace={trace} timeRange={range} width={300} height={300} />);
    expect(screen.getByText('STW')).toBeInTheDocument();
    expect(screen.getByText('mark term')).toBeInTheDocument();
    expect(screen.getByTitle('live heap')).toHaveTextContent('live');
    expect(screen.getByText('100 µs')).toBeInTheDocument();
  });

  it('turns a drag across a chart into a selected window', async () => {
    const onSelect = jest.fn();
    drawn.length = 0;
    render(<GcCharts trace={trace} timeRange={range} width={400} height={400} onSelect={onSelect} selection={null} />);
    await waitFor(() => expect(drawn).toContain('stroke')); // the first draw sets the scales
    const over = document.querySelector('.u-over') as HTMLElement;
    expect(over).not.toBeNull();
    fireEvent.mouseDown(over, { clientX: 100, clientY: 20, button: 0 });
    fireEvent.mouseMove(over, { clientX: 200, clientY: 20 });
    fireEvent.mouseUp(document, { clientX: 200, clientY: 20, button: 0 });
    await waitFor(() => expect(onSelect).toHaveBeenCalledTimes(1));
    const { fromMs, toMs } = onSelect.mock.calls[0][0];
    expect(fromMs).toBeGreaterThanOrEqual(range.fromMs);
    expect(toMs).toBeLessThanOrEqual(range.toMs);
    expect(toMs - fromMs).toBeGreaterThan(0);
  });

  it('shares the hovered time with the panel bus (Grafana shared crosshair)', async () => {
    const bus = new EventBusSrv();
    const seen: number[] = [];
    bus.subscribe(DataHoverEvent, (e) => seen.push(Number(e.payload.point.time)));
    drawn.length = 0;
    render(<GcCharts trace={trace} timeRange={range} width={400} height={400} eventBus={bus} />);
    await waitFor(() => expect(drawn).toContain('stroke'));
    // Hovering the first chart moves the synced cursor of all four; one of them publishes.
    fireEvent.mouseMove(document.querySelectorAll('.u-over')[0], { clientX: 150, clientY: 20 });
    await waitFor(() => expect(seen.length).toBeGreaterThan(0));
    expect(seen[0]).toBeGreaterThanOrEqual(range.fromMs);
    expect(seen[0]).toBeLessThanOrEqual(range.toMs);
    // Each chart shows its own values at the shared cursor.
    const tips = await screen.findAllByRole('tooltip');
    expect(tips).toHaveLength(4);
    expect(tips[0]).toHaveTextContent(/gc \d+/);
  });

  it('follows hover from other panels on the bus, without echoing it back', async () => {
    const bus = new EventBusSrv();
    const published: number[] = [];
    drawn.length = 0;
    render(<GcCharts trace={trace} timeRange={range} width={400} height={400} eventBus={bus} />);
    await waitFor(() => expect(drawn).toContain('stroke'));
    bus.subscribe(DataHoverEvent, (e) => published.push(Number(e.payload.point.time)));
    // Another panel hovers the middle of the range: every chart shows its values there.
    const time = (range.fromMs + range.toMs) / 2;
    act(() => bus.publish(new DataHoverEvent({ point: { time } })));
    const tips = await screen.findAllByRole('tooltip');
    expect(tips).toHaveLength(4);
    expect(tips[0]).toHaveTextContent(/gc \d+/);
    expect(published).toEqual([time]); // only the other panel's event: we did not publish our own
  });

  it('says so when a chart has no data (metrics without a cycle rate)', () => {
    const empty = { runs: [], scavenger: [], skipped: 0, unparsed: 0, unparsedExamples: [] };
    render(<GcCharts trace={empty} timeRange={range} width={300} height={300} />);
    expect(screen.getAllByText('no data for this chart')).toHaveLength(4);
  });
});

describe('GcFindings', () => {
  it('lists the findings of the checkout incident; clicking one selects its window', () => {
    const trace = checkoutTrace();
    const findings = gcFindings(trace);
    const onSelect = jest.fn();
    render(<GcFindings findings={findings} onSelect={onSelect} />);
    const list = screen.getByTestId('gc-findings');
    expect(list).toHaveTextContent('GC thrashing');
    expect(list).toHaveTextContent('possible leak');
    const thrash = findings.find((f) => f.kind === 'thrashing')!;
    fireEvent.click(screen.getByText('GC thrashing: allocation pressure'));
    expect(onSelect).toHaveBeenCalledWith({ fromMs: thrash.fromMs, toMs: thrash.toMs });
  });
});
