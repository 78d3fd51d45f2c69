import React, { useCallback, useMemo, useState } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2, PanelProps } from '@grafana/data';
import { ErrorBoundaryAlert, useStyles2 } from '@grafana/ui';

import { PanelOptions } from '../options';
import { classifyFrames, EXPECTED_SHAPES } from '../sources/frames';
import { compareWindows, profileTargets } from './comparison';
import { exploreUrl } from './explore';
import { GcHalf, useGcTrace } from './GcHalf';
import { halvesLayout } from './layout';
import { PanelNotice } from './PanelNotice';
import { Comparison, ProfileHalf } from './ProfileHalf';
import { servicesInSamples } from './profileInputs';
import { SelectionBar } from './SelectionBar';
import { ServicePicker } from './ServicePicker';
import { useLoadedProfiles } from './useLoadedProfiles';
import { useServiceChoice } from './useServiceChoice';
import { baselineWindows, TimeWindow } from './windows';

type Props = PanelProps<PanelOptions>;

const HEADER_HEIGHT = 40;

export function FlameGcPanel(props: Props) {
  const { data, options, onOptionsChange, width, height, timeRange, replaceVariables } = props;
  const styles = useStyles2(getStyles);

  const classified = useMemo(() => classifyFrames(data.series), [data.series]);
  const { profiles: loaded, loading } = useLoadedProfiles(classified.profiles);
  const range = useMemo(() => ({ fromMs: timeRange.from.valueOf(), toMs: timeRange.to.valueOf() }), [timeRange]);
  const gc = useGcTrace(classified.gcFrames, range, options.gc);

  const profileRefIds = useMemo(
    () => new Set(classified.profiles.map((p) => (p.kind === 'nested-set' ? p.frame.refId : p.refId))),
    [classified]
  );
  const discovered = useMemo(() => {
    const names = new Set(servicesInSamples(loaded.loaded, options.serviceLabelKeys));
    gc.trace?.runs.forEach((r) => r.service && names.add(r.service));
    return [...names].sort();
  }, [loaded, gc.trace, options.serviceLabelKeys]);
  const service = useServiceChoice(options.serviceVariable, discovered);
  // With a dashboard variable the queries are already for that service.
  const panelFilter = service.usesVariable ? null : service.current;

  // A selection belongs to the time range and service it was made in: a new question drops it.
  const scope = `${range.fromMs}|${range.toMs}|${service.current}`;
  const [selected, setSelected] = useState<{ scope: string; window: TimeWindow; comparison: Comparison | null } | null>(null);
  const current = selected?.scope === scope ? selected : null;
  const selection = current?.window ?? null;
  const comparison = current?.comparison ?? null;
  const clearSelection = useCallback(() => setSelected(null), []);
  const select = (window: TimeWindow) => setSelected({ scope, window, comparison: null });
  // A comparison answers one selection: a late answer for an older one is dropped.
  const setComparison = (window: TimeWindow, c: Comparison | null) =>
    setSelected((s) => (s && s.window === window ? { ...s, comparison: c } : s));

  const compare = () => {
    if (!selection) {
      return;
    }
    const window = selection;
    const baseline = baselineWindows(window, range, options.baselineMode);
    setComparison(window, { status: 'loading' });
    compareWindows(data, profileTargets(data, profileRefIds), window, baseline, replaceVariables, {
      sampleType: options.sampleType,
      service: panelFilter,
      serviceLabelKeys: options.serviceLabelKeys,
    }).then(
      (tree) =>
        setComparison(window, {
          status: 'done',
          tree,
          label:
            options.baselineMode === 'previous-window'
              ? 'selection (right) against the window before it (left)'
              : 'selection (right) against the rest of the range (left)',
        }),
      (e: Error) => setComparison(window, { status: 'error', error: e.message })
    );
  };

  const layout = halvesLayout(options.layout, width);
  const both = layout.showProfile && layout.showGc;
  const bodyHeight = Math.max(0, height - HEADER_HEIGHT);
  const halfWidth = both && layout.direction === 'row' ? Math.floor((width - 8) / 2) : width;
  const halfHeight = both && layout.direction === 'column' ? Math.floor((bodyHeight - 8) / 2) : bodyHeight;

  return (
    <div
      className={styles.panel}
      style={{ width, height }}
      tabIndex={-1}
      onKeyDown={(e) => e.key === 'Escape' && selection && clearSelection()}
    >
      <div className={styles.header} style={{ height: HEADER_HEIGHT }}>
        <ServicePicker choice={service} />
        {selection && (
          <SelectionBar
            selection={selection}
            timeZone={props.timeZone}
            comparing={comparison !== null}
            onZoom={() => {
              props.onChangeTimeRange({ from: selection.fromMs, to: selection.toMs });
              clearSelection();
            }}
            onCompare={compare}
            onClear={clearSelection}
          />
        )}
        {classified.unusable.length > 0 && (
          <span className={styles.unusable} data-testid="panel-notice" title={EXPECTED_SHAPES}>
            Not used: {classified.unusable.map((u) => `${u.refId ?? u.name ?? 'frame'} ${u.reason}`).join('; ')}. Expected{' '}
            {EXPECTED_SHAPES}
          </span>
        )}
      </div>
      <div className={styles.halves} style={{ height: bodyHeight, flexDirection: layout.direction }}>
        {layout.showProfile && (
          <div className={styles.half} style={{ width: halfWidth, height: halfHeight }}>
            <ErrorBoundaryAlert title="The flame graph failed" boundaryName="flamegraph">
              <ProfileHalf
                loaded={loaded}
                loading={loading}
                empty={classified.profiles.length === 0}
                options={options}
                onOptionsChange={onOptionsChange}
                width={halfWidth}
                height={halfHeight}
                service={panelFilter}
                comparison={comparison}
                onCloseComparison={() => selection && setComparison(selection, null)}
                exploreLink={() => {
                  const [query] = profileTargets(data, profileRefIds);
                  return query ? exploreUrl(query, selection ?? range, replaceVariables) : undefined;
                }}
              />
            </ErrorBoundaryAlert>
          </div>
        )}
        {layout.showGc && (
          <div className={styles.half} style={{ width: halfWidth, height: halfHeight }}>
            <ErrorBoundaryAlert title="The GC trace failed" boundaryName="gc">
              {gc.error ? (
                <PanelNotice title="The GC trace could not be read" severity="error">
                  {gc.error}
                </PanelNotice>
              ) : (
                <GcHalf
                  gc={gc}
                  service={panelFilter}
                  range={range}
                  width={halfWidth}
                  height={halfHeight}
                  selection={selection}
                  onSelect={select}
                  eventBus={props.eventBus}
                  thresholds={options.gc}
                  timeZone={props.timeZone}
                />
              )}
            </ErrorBoundaryAlert>
          </div>
        )}
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  panel: css({ display: 'flex', flexDirection: 'column', outline: 'none' }),
  header: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(2), overflow: 'hidden', flex: 'none' }),
  unusable: css({
    color: theme.colors.warning.text,
    fontSize: theme.typography.bodySmall.fontSize,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    minWidth: 0,
  }),
  halves: css({ display: 'flex', gap: theme.spacing(1), overflow: 'hidden' }),
  half: css({ position: 'relative', overflow: 'hidden', minWidth: 0 }),
});
