import React, { useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type uPlot from 'uplot';
import { css } from '@emotion/css';
import { DataHoverClearEvent, DataHoverEvent, dateTimeFormat, EventBus, GrafanaTheme2 } from '@grafana/data';
import {
  AxisPlacement,
  DrawStyle,
  PointVisibility,
  ScaleDirection,
  ScaleOrientation,
  UPlotChart,
  UPlotConfigBuilder,
  useStyles2,
  useTheme2,
} from '@grafana/ui';

import type { GcTrace } from '../../model/gc';
import type { GcFinding } from '../../transforms/gcFindings';
import { buildGcChartData, ChartSpec, formatValue, GcChartData } from './chartData';

export interface TimeWindow {
  fromMs: number;
  toMs: number;
}

export interface GcChartsProps {
  trace: GcTrace;
  /** The panel's time range: the shared x axis of all four charts. */
  timeRange: TimeWindow;
  width: number;
  height: number;
  findings?: GcFinding[];
  selection?: TimeWindow | null;
  onSelect?: (range: TimeWindow) => void;
  /** The panel's bus: the hovered time is published as DataHoverEvent (Grafana's shared crosshair). */
  eventBus?: EventBus;
  /** STW threshold line, ms. Default 0.1 (100 µs). */
  stwThresholdMs?: number;
  /** For the tooltip's clock time; the browser's zone when absent. */
  timeZone?: string;
}

const HEADER = 20;
const COMPACT_WIDTH = 520;
const MIN_PLOT = 48;

/** Four small charts on one time axis: STW pause, heap vs goal, GC CPU, cycles per second. */
export function GcCharts({
  trace,
  timeRange,
  width,
  height,
  findings,
  selection,
  onSelect,
  stwThresholdMs = 0.1,
  timeZone,
  eventBus,
}: GcChartsProps) {
  const styles = useStyles2(getStyles);
  const data = useMemo(() => buildGcChartData(trace), [trace]);
  const syncKey = `gc-${useId()}`;
  // One flag for the four charts: set while they publish or follow a hover, so nothing is echoed.
  const [crosshair] = useState<Crosshair>(() => ({ quiet: false }));
  const charts = data.charts;
  const each = Math.max(MIN_PLOT + HEADER, Math.floor(height / charts.length));
  return (
    <div className={styles.stack} style={{ width }}>
      {charts.map((spec, i) => (
        <GcChart
          key={spec.id}
          spec={spec}
          data={data}
          width={width}
          height={each}
          timeRange={timeRange}
          selection={selection ?? null}
          findings={findings}
          onSelect={onSelect}
          syncKey={syncKey}
          showTimeAxis={i === charts.length - 1}
          thresholdMs={spec.id === 'pause' ? stwThresholdMs : undefined}
          timeZone={timeZone}
          eventBus={eventBus}
          publishHover={i === charts.length - 1}
          crosshair={crosshair}
        />
      ))}
    </div>
  );
}

interface ChartProps {
  spec: ChartSpec;
  data: GcChartData;
  width: number;
  height: number;
  timeRange: TimeWindow;
  selection: TimeWindow | null;
  findings?: GcFinding[];
  onSelect?: (range: TimeWindow) => void;
  syncKey: string;
  showTimeAxis: boolean;
  thresholdMs?: number;
  timeZone?: string;
  /** Every chart follows hover from the bus; one publishes for all (they share a cursor). */
  eventBus?: EventBus;
  publishHover: boolean;
  crosshair: Crosshair;
}

/** Shared by a GcCharts' four charts. */
interface Crosshair {
  quiet: boolean;
}

/**
 * What the uPlot hooks read at draw/select time. Updated from an effect, so a new selection or
 * finding list only redraws the plot instead of rebuilding it.
 */
class Overlay {
  selection: TimeWindow | null = null;
  findings?: GcFinding[];
  onSelect?: (range: TimeWindow) => void;
  eventBus?: EventBus;
  hovering = false;
  constructor(private crosshair: Crosshair) {}
  update(
    selection: TimeWindow | null,
    findings: GcFinding[] | undefined,
    onSelect: ((range: TimeWindow) => void) | undefined,
    eventBus: EventBus | undefined
  ) {
    this.selection = selection;
    this.findings = findings;
    this.onSelect = onSelect;
    this.eventBus = eventBus;
  }
  /** Publishes the hovered time (or its end) to the panel's bus. */
  hover(timeMs: number | null) {
    if (!this.eventBus || this.crosshair.quiet) {
      return;
    }
    this.crosshair.quiet = true;
    if (timeMs !== null) {
      this.hovering = true;
      this.eventBus.publish(new DataHoverEvent({ point: { time: timeMs } }));
    } else if (this.hovering) {
      this.hovering = false;
      this.eventBus.publish(new DataHoverClearEvent());
    }
    this.crosshair.quiet = false;
  }
  /** Moves the cursor to where another panel is hovering (left < 0 hides it), without echoing it back. */
  follow(u: uPlot, timeMs: number | null) {
    if (this.crosshair.quiet) {
      return;
    }
    this.crosshair.quiet = true;
    const left = timeMs === null ? -10 : u.valToPos(timeMs, 'x');
    u.setCursor({ left, top: timeMs === null ? -10 : u.rect.height / 2 });
    this.crosshair.quiet = false;
  }
}

interface Hover {
  idx: number;
  left: number;
}

function GcChart(props: ChartProps) {
  const {
    spec,
    data,
    width,
    height,
    timeRange,
    selection,
    findings,
    onSelect,
    syncKey,
    showTimeAxis,
    thresholdMs,
    timeZone,
    eventBus,
    publishHover,
    crosshair,
  } = props;
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const [hover, setHover] = useState<Hover | null>(null);
  const plotRef = useRef<uPlot | null>(null);
  const [overlay] = useState(() => new Overlay(crosshair));
  useLayoutEffect(() => {
    overlay.update(selection, findings, onSelect, publishHover ? eventBus : undefined);
    plotRef.current?.redraw(false, false);
  }, [overlay, selection, findings, onSelect, eventBus, publishHover]);

  // Grafana's shared crosshair: hover in other panels moves our cursor (and, through sync, all four).
  useEffect(() => {
    if (!eventBus) {
      return;
    }
    const follow = (timeMs: number | null) => plotRef.current && overlay.follow(plotRef.current, timeMs);
    const subscription = eventBus.getStream(DataHoverEvent).subscribe((e) => {
      const time = e.payload?.point?.time;
      follow(typeof time === 'number' ? time : null);
    });
    subscription.add(eventBus.getStream(DataHoverClearEvent).subscribe(() => follow(null)));
    return () => subscription.unsubscribe();
  }, [eventBus, overlay]);

  const colors = useMemo(() => spec.series.map((s) => seriesColor(theme, s.color, s.key)), [spec, theme]);

  const config = useMemo(() => {
    const b = new UPlotConfigBuilder();
    b.addScale({
      scaleKey: 'x',
      isTime: true,
      orientation: ScaleOrientation.Horizontal,
      direction: ScaleDirection.Right,
      range: () => [timeRange.fromMs, timeRange.toMs],
    });
    b.addAxis({
      scaleKey: 'x',
      isTime: true,
      theme,
      placement: AxisPlacement.Bottom,
      size: showTimeAxis ? undefined : 2,
      values: showTimeAxis ? undefined : (_u: uPlot, splits: number[]) => splits.map(() => ''),
    });
    b.addScale({
      scaleKey: spec.unit,
      orientation: ScaleOrientation.Vertical,
      direction: ScaleDirection.Up,
      softMin: 0,
      softMax: spec.id === 'pause' && thresholdMs !== undefined ? thresholdMs * 1.2 : undefined,
    });
    b.addAxis({
      scaleKey: spec.unit,
      theme,
      placement: AxisPlacement.Left,
      formatValue: (v: number) => formatValue(v, spec.unit),
      size: 56,
    });
    spec.series.forEach((s, i) => {
      b.addSeries({
        scaleKey: spec.unit,
        theme,
        drawStyle: DrawStyle.Line,
        lineColor: colors[i],
        lineWidth: 1,
        lineStyle: s.dashed ? { fill: 'dash', dash: [6, 4] } : undefined,
        fillOpacity: 0,
        showPoints: spec.id === 'pause' ? PointVisibility.Always : PointVisibility.Never,
        pointSize: 3,
        pointColor: colors[i],
        spanNulls: false,
      });
    });
    // Our own hover-point colours: the builder's default reads them from data frames, which we do not use.
    const pointColor = (_u: uPlot, seriesIdx: number) => colors[seriesIdx - 1] ?? theme.colors.text.primary;
    b.setCursor({
      // Share the crosshair, not the drag: each chart reports its own selection once, and the
      // selected window is drawn on every chart from props.
      sync: { key: syncKey, filters: { pub: (type: string) => type !== 'mousedown' && type !== 'mouseup' } },
      drag: { x: true, y: false, setScale: false },
      points: { stroke: pointColor, fill: pointColor },
    });
    b.addHook('setCursor', (u: uPlot) => {
      const idx = u.cursor.idx;
      const left = u.cursor.left;
      const on = idx != null && left != null && left >= 0;
      setHover(on ? { idx, left } : null);
      overlay.hover(on ? u.data[0][idx] : null);
    });
    b.addHook('setSelect', reportSelection(overlay));
    b.addHook('draw', drawOverlay(overlay, theme, thresholdMs, spec.unit));
    return b;
  }, [spec, theme, colors, timeRange.fromMs, timeRange.toMs, syncKey, showTimeAxis, thresholdMs, overlay]);

  const aligned = useMemo(() => [data.x, ...spec.series.map((s) => s.values)] as uPlot.AlignedData, [data.x, spec]);

  const plotHeight = Math.max(MIN_PLOT, height - HEADER);
  // Narrow panels get short legend words so every entry stays visible.
  const compact = width < COMPACT_WIDTH;
  return (
    <div className={styles.chart} data-testid="gc-chart" aria-label={spec.title}>
      <div className={styles.header}>
        <span className={styles.title} title={spec.title}>
          {compact ? spec.short : spec.title}
        </span>
        {spec.series.map((s, i) => (
          <span key={s.label} className={styles.legendItem} title={s.label}>
            <span className={styles.swatch} style={{ background: colors[i], opacity: s.dashed ? 0.6 : 1 }} />
            {compact ? s.short : s.label}
          </span>
        ))}
        {thresholdMs !== undefined && (
          <span className={styles.legendItem}>
            <span className={styles.swatch} style={{ background: theme.colors.error.main }} />
            {formatValue(thresholdMs, 'ms')}
            {compact ? '' : ' threshold'}
          </span>
        )}
        {spec.series.length === 0 && <span className={styles.none}>no data for this chart</span>}
      </div>
      <UPlotChart
        config={config}
        data={aligned}
        width={width}
        height={plotHeight}
        plotRef={(u) => (plotRef.current = u)}
      >
        {hover && (
          <div
            className={styles.tooltip}
            style={hover.left > width / 2 ? { right: width - hover.left + 12 } : { left: hover.left + 60 }}
            role="tooltip"
          >
            <div className={styles.tooltipTime}>
              {dateTimeFormat(data.x[hover.idx], { format: 'HH:mm:ss.SSS', timeZone })}
              {data.cycle[hover.idx] != null && ` · gc ${data.cycle[hover.idx]}`}
            </div>
            {spec.series.map((s, i) => {
              const v = s.values[hover.idx];
              return v == null ? null : (
                <div key={s.label}>
                  <span className={styles.swatch} style={{ background: colors[i] }} />
                  {s.label}: <b>{formatValue(v, spec.unit)}</b>
                </div>
              );
            })}
          </div>
        )}
      </UPlotChart>
    </div>
  );
}

/** A uPlot `setSelect` hook: the dragged window goes to onSelect, uPlot's own band is cleared. */
function reportSelection(overlay: Overlay) {
  return (u: uPlot) => {
    const sel = u.select;
    const onSelect = overlay.onSelect;
    if (sel.width > 2 && onSelect) {
      onSelect({ fromMs: u.posToVal(sel.left, 'x'), toMs: u.posToVal(sel.left + sel.width, 'x') });
    }
    u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
  };
}

/** A uPlot `draw` hook: the selected window, the findings' windows and the STW threshold line. */
function drawOverlay(overlay: Overlay, theme: GrafanaTheme2, thresholdMs: number | undefined, unit: string) {
  return (u: uPlot) => drawOverlayOn(u, theme, overlay.selection, overlay.findings, thresholdMs, unit);
}

function drawOverlayOn(
  u: uPlot,
  theme: GrafanaTheme2,
  selection: TimeWindow | null,
  findings: GcFinding[] | undefined,
  thresholdMs: number | undefined,
  unit: string
): void {
  const ctx = u.ctx;
  const { left, top, width, height } = u.bbox;
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();
  const xPos = (ms: number) => u.valToPos(ms, 'x', true);
  if (selection) {
    const a = xPos(selection.fromMs);
    const b = xPos(selection.toMs);
    ctx.fillStyle = theme.colors.primary.transparent;
    ctx.fillRect(Math.min(a, b), top, Math.max(1, Math.abs(b - a)), height);
  }
  for (const f of findings ?? []) {
    const a = xPos(f.fromMs);
    const b = xPos(f.toMs);
    ctx.fillStyle =
      f.severity === 'critical'
        ? theme.colors.error.main
        : f.severity === 'warning'
          ? theme.colors.warning.main
          : theme.colors.info.main;
    ctx.fillRect(Math.min(a, b), top, Math.max(2, Math.abs(b - a)), 3 * devicePixelRatio);
  }
  if (thresholdMs !== undefined) {
    const y = u.valToPos(thresholdMs, unit, true);
    ctx.strokeStyle = theme.colors.error.main;
    ctx.setLineDash([4, 4]);
    ctx.lineWidth = devicePixelRatio;
    ctx.beginPath();
    ctx.moveTo(left, y);
    ctx.lineTo(left + width, y);
    ctx.stroke();
  }
  ctx.restore();
}

function seriesColor(theme: GrafanaTheme2, name: string, key: number): string {
  if (key === 0) {
    return theme.visualization.getColorByName(name);
  }
  const palette = theme.visualization.palette;
  return theme.visualization.getColorByName(palette[(key * 5 + name.length) % palette.length]);
}

const getStyles = (theme: GrafanaTheme2) => ({
  stack: css({ display: 'flex', flexDirection: 'column' }),
  chart: css({ position: 'relative' }),
  header: css({
    display: 'flex',
    flexWrap: 'nowrap',
    overflow: 'hidden',
    whiteSpace: 'nowrap',
    gap: theme.spacing(1),
    height: HEADER,
    alignItems: 'center',
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.secondary,
    paddingLeft: theme.spacing(1),
  }),
  title: css({ color: theme.colors.text.primary, fontWeight: theme.typography.fontWeightMedium }),
  legendItem: css({ display: 'inline-flex', alignItems: 'center', gap: 4 }),
  swatch: css({ display: 'inline-block', width: 10, height: 3, marginRight: 4, verticalAlign: 'middle' }),
  none: css({ fontStyle: 'italic' }),
  tooltip: css({
    position: 'absolute',
    top: 4,
    zIndex: 1,
    pointerEvents: 'none',
    padding: theme.spacing(0.5, 1),
    background: theme.colors.background.elevated,
    border: `1px solid ${theme.colors.border.weak}`,
    boxShadow: theme.shadows.z2,
    borderRadius: theme.shape.radius.default,
    fontSize: theme.typography.bodySmall.fontSize,
    whiteSpace: 'nowrap',
  }),
  tooltipTime: css({ color: theme.colors.text.secondary }),
});
