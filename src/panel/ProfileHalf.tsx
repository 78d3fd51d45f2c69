import React, { useMemo, useState } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Button, Combobox, Icon, Tag, Tooltip, useStyles2 } from '@grafana/ui';

import { ProfileTree } from '../model/profile';
import { EXPECTED_SHAPES } from '../sources/frames';
import { DEFAULT_LIMITS } from '../sources/limits';
import { capTree } from '../transforms/cap';
import { filterByFunctions } from '../transforms/filters';
import { FlameGraphView, FlameGraphViewMode } from '../views/flamegraph/FlameGraphView';
import { PanelOptions } from '../options';
import { PanelNotice } from './PanelNotice';
import { LoadedProfiles, treeFor } from './profileInputs';

/** The diff flame graph of a selected window against its baseline, while it is fetched and after. */
export type Comparison =
  | { status: 'loading' }
  | { status: 'done'; tree: ProfileTree; label: string }
  | { status: 'error'; error: string };

interface Props {
  loaded: LoadedProfiles;
  /** New inputs are being decoded; `loaded` still holds the previous ones. */
  loading: boolean;
  /** No profile frame arrived at all (as opposed to frames that failed to load). */
  empty: boolean;
  options: PanelOptions;
  onOptionsChange: (options: PanelOptions) => void;
  width: number;
  height: number;
  /** Service chosen in the panel (null = all); filters pprof samples by their labels. */
  service: string | null;
  comparison: Comparison | null;
  onCloseComparison: () => void;
  /** Link to Explore for the profile query and window in view, when there is one. */
  exploreLink?: () => string | undefined;
}

const SAMPLE_TYPE_HELP =
  'alloc_space / alloc_objects: everything allocated since the program started — finds churn that drives the GC. ' +
  'inuse_space / inuse_objects: what was still live at the last GC — finds leaks. ' +
  'cpu: on-CPU time; contentions / delay: waiting on mutexes or channels; goroutine: goroutines by stack.';

const TOOLBAR_HEIGHT = 36;

/** Functions the user hid or kept from the context menu, by name (names survive a new tree). */
interface FunctionFilter {
  hide: string[];
  show: string[];
}

function formatShare(part: number, whole: number): string {
  return whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : '0%';
}

function namesMask(tree: ProfileTree, names: string[]): Uint8Array | null {
  if (!names.length) {
    return null;
  }
  const wanted = new Set(names);
  const mask = new Uint8Array(tree.functions.count);
  for (let f = 0; f < tree.functions.count; f++) {
    mask[f] = wanted.has(tree.functions.name[f]) ? 1 : 0;
  }
  return mask;
}

export function ProfileHalf(props: Props) {
  const { loaded, loading, empty, options, onOptionsChange, width, height, service, comparison } = props;
  const styles = useStyles2(getStyles);
  const [filter, setFilter] = useState<FunctionFilter>({ hide: [], show: [] });

  const built = useMemo(() => {
    try {
      return {
        tree: treeFor(loaded, { sampleType: options.sampleType, service, serviceLabelKeys: options.serviceLabelKeys }),
        error: null,
      };
    } catch (e) {
      return { tree: null, error: e instanceof Error ? e.message : String(e) };
    }
  }, [loaded, options.sampleType, service, options.serviceLabelKeys]);
  const { shown, capped } = useMemo(() => {
    const tree = comparison?.status === 'done' ? comparison.tree : built.tree;
    if (!tree) {
      return { shown: null, capped: null };
    }
    const filtered =
      filter.hide.length || filter.show.length
        ? filterByFunctions(tree, { hide: namesMask(tree, filter.hide), show: namesMask(tree, filter.show) })
        : tree;
    // Whatever the source sent, the views get at most DEFAULT_LIMITS nodes and depth.
    const cap = capTree(filtered, DEFAULT_LIMITS);
    return { shown: cap.tree, capped: cap.truncated };
  }, [comparison, built.tree, filter]);

  if (empty) {
    return (
      <PanelNotice title="No profile in the query results" severity="info">
        Add a profile query. This half reads {EXPECTED_SHAPES}
      </PanelNotice>
    );
  }
  const errors = built.error ? [...loaded.errors, built.error] : loaded.errors;
  if (!shown && loading) {
    return (
      <PanelNotice title="Reading the profile…" severity="info">
        Large profiles are decoded in the background; the GC trace is already usable.
      </PanelNotice>
    );
  }
  if (!shown) {
    return (
      <PanelNotice title="The profile could not be read" severity="error">
        {errors.length ? errors.join(' · ') : 'The profile has no samples in this time range.'} Expected {EXPECTED_SHAPES}
      </PanelNotice>
    );
  }

  const sampleType = options.sampleType || loaded.defaultSampleType;
  const diffing = comparison?.status === 'done';
  const view: FlameGraphViewMode = options.view;
  return (
    <div className={styles.half}>
      <div className={styles.toolbar} style={{ height: TOOLBAR_HEIGHT }}>
        {loaded.sampleTypes.length > 1 && (
          <div data-testid="sample-type-picker" className={styles.picker}>
            <Combobox
              aria-label="Sample type"
              width={22}
              options={loaded.sampleTypes.map((t) => ({ label: t, value: t }))}
              value={sampleType}
              onChange={(o) => onOptionsChange({ ...options, sampleType: o.value })}
            />
            <Tooltip content={SAMPLE_TYPE_HELP} placement="bottom">
              <Icon name="info-circle" />
            </Tooltip>
          </div>
        )}
        {loading && <span className={styles.note}>Reading the new profile…</span>}
        {comparison?.status === 'loading' && <span className={styles.note}>Fetching the baseline…</span>}
        {comparison?.status === 'error' && <span className={styles.error}>Compare failed: {comparison.error}</span>}
        {diffing && (
          <span className={styles.note} data-testid="diff-banner">
            Diff: {comparison.label}
          </span>
        )}
        {comparison && (
          <Button size="sm" variant="secondary" fill="text" icon="times" onClick={props.onCloseComparison}>
            Back to the profile
          </Button>
        )}
        {filter.hide.map((name) => (
          <Tag
            key={`hide:${name}`}
            name={`hidden: ${name}`}
            onClick={() => setFilter({ ...filter, hide: filter.hide.filter((n) => n !== name) })}
          />
        ))}
        {filter.show.map((name) => (
          <Tag
            key={`show:${name}`}
            name={`only: ${name}`}
            onClick={() => setFilter({ ...filter, show: filter.show.filter((n) => n !== name) })}
          />
        ))}
        {errors.length > 0 && <span className={styles.error}>{errors.length} input(s) skipped: {errors.join(' · ')}</span>}
        {capped && (
          <span className={styles.error} data-testid="profile-truncated">
            Too large to show whole: {capped.droppedNodes} nodes summed into “other” (
            {formatShare(capped.otherValue, shown.total[0])} of the total)
          </span>
        )}
        {!capped && shown.truncation && (
          <span className={styles.note}>
            Truncated by the source: {shown.truncation.droppedNodes}+ nodes in “other” (
            {formatShare(shown.truncation.otherValue, shown.total[0])} of the total)
          </span>
        )}
      </div>
      <FlameGraphView
        tree={shown}
        width={width}
        height={Math.max(0, height - TOOLBAR_HEIGHT)}
        view={view}
        onViewChange={(v) => onOptionsChange({ ...options, view: v })}
        orientation={options.orientation}
        onOrientationChange={(o) => onOptionsChange({ ...options, orientation: o })}
        colorScheme={diffing && !options.colorScheme.startsWith('diff') ? 'diff' : options.colorScheme}
        onColorSchemeChange={(c) => onOptionsChange({ ...options, colorScheme: c })}
        onHideFunction={(_fn, name) => setFilter({ ...filter, hide: [...filter.hide, name] })}
        onShowOnlyFunction={(_fn, name) => setFilter({ ...filter, show: [...filter.show, name] })}
        exportName={sampleType || 'profile'}
        exploreLink={props.exploreLink}
        toolbar={options.showToolbar}
      />
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  half: css({ display: 'flex', flexDirection: 'column', height: '100%' }),
  toolbar: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    overflow: 'hidden',
    whiteSpace: 'nowrap',
    flex: 'none',
  }),
  picker: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(0.5) }),
  note: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  error: css({ color: theme.colors.error.text, fontSize: theme.typography.bodySmall.fontSize }),
});
