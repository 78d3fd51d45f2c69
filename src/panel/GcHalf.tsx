import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import { EventBus, GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';

import { GcTrace } from '../model/gc';
import { GcThresholds } from '../options';
import { gcTraceFromFrames } from '../sources/gcFrames';
import { GcFinding, gcFindings } from '../transforms/gcFindings';
import { GcCharts } from '../views/gc/GcCharts';
import { GcFindings } from '../views/gc/GcFindings';
import { PanelNotice } from './PanelNotice';
import { TimeWindow } from './windows';

export interface GcState {
  trace: GcTrace | null;
  findings: GcFinding[];
  /** No GC frame arrived at all. */
  empty: boolean;
  error: string | null;
}

/** The GC trace of the frames, parsed once per data change; lines without a timestamp start at the range start. */
export function useGcTrace(frames: Parameters<typeof gcTraceFromFrames>[0], range: TimeWindow, thresholds: GcThresholds): GcState {
  const trace = useMemo(() => {
    try {
      return { trace: gcTraceFromFrames(frames, { baseTimeMs: range.fromMs }), error: null };
    } catch (e) {
      return { trace: null, error: e instanceof Error ? e.message : String(e) };
    }
  }, [frames, range.fromMs]);
  const findings = useMemo(
    () =>
      trace.trace
        ? gcFindings(trace.trace, {
            stwMs: thresholds.stwMs,
            cyclesPerSecond: thresholds.cyclesPerSecond,
            gcCpuPercent: thresholds.gcCpuPercent,
          })
        : [],
    [trace.trace, thresholds.stwMs, thresholds.cyclesPerSecond, thresholds.gcCpuPercent]
  );
  return { ...trace, findings, empty: frames.length === 0 };
}

interface Props {
  gc: GcState;
  /** Service chosen in the panel (null = all). */
  service: string | null;
  range: TimeWindow;
  width: number;
  height: number;
  selection: TimeWindow | null;
  onSelect: (window: TimeWindow) => void;
  eventBus: EventBus;
  thresholds: GcThresholds;
  timeZone?: string;
}

const FINDINGS_HEIGHT = 96;

export function GcHalf({ gc, service, range, width, height, selection, onSelect, eventBus, thresholds, timeZone }: Props) {
  const styles = useStyles2(getStyles);
  const trace = useMemo(
    () => (gc.trace && service !== null ? { ...gc.trace, runs: gc.trace.runs.filter((r) => r.service === service) } : gc.trace),
    [gc.trace, service]
  );
  const findings = useMemo(
    () => (service === null ? gc.findings : gc.findings.filter((f) => f.service === service)),
    [gc.findings, service]
  );

  if (gc.empty) {
    return (
      <PanelNotice title="No GC trace in the query results" severity="info">
        Add a Loki query for the service&apos;s GODEBUG=gctrace=1 lines (e.g. {'{service_name="$service"} |= "gc "'}), or
        a Prometheus query of Go runtime metrics (go_gc_duration_seconds, go_memstats_heap_inuse_bytes, …).
      </PanelNotice>
    );
  }
  if (!trace || trace.runs.length === 0) {
    const unparsed = gc.trace?.unparsed ?? 0;
    return (
      <PanelNotice title="No GC cycles found" severity="warning">
        {unparsed > 0
          ? `${unparsed} line(s) looked like gctrace but did not parse, e.g. “${gc.trace?.unparsedExamples[0] ?? ''}”.`
          : 'The log lines hold no GODEBUG=gctrace=1 output for this service and time range.'}
      </PanelNotice>
    );
  }
  const findingsHeight = Math.min(FINDINGS_HEIGHT, Math.floor(height / 4));
  return (
    <div className={styles.half}>
      <GcCharts
        trace={trace}
        timeRange={range}
        width={width}
        height={height - findingsHeight}
        findings={findings}
        stwThresholdMs={thresholds.stwMs}
        selection={selection}
        onSelect={onSelect}
        eventBus={eventBus}
        timeZone={timeZone}
      />
      <div style={{ height: findingsHeight }} className={styles.findings}>
        <GcFindings findings={findings} onSelect={onSelect} timeZone={timeZone} />
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  half: css({ display: 'flex', flexDirection: 'column', height: '100%' }),
  findings: css({ overflowY: 'auto', flex: 'none', borderTop: `1px solid ${theme.colors.border.weak}` }),
});
