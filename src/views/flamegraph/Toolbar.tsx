/**
 * The flame graph toolbar. Memoised and given no focus: focusing a frame (the most frequent
 * interaction) re-renders only the canvas and the breadcrumbs, not these @grafana/ui controls.
 * It mounts with the graph, so it stays light: buttons and radio options carry native titles
 * rather than Tooltip components, and the exports sit in one menu that is rendered only while open.
 */
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Button, ContextMenu, IconButton, Input, MenuItem, RadioButtonGroup, useStyles2 } from '@grafana/ui';
import React, { RefObject, memo, useState } from 'react';

import { ColorScheme } from './colors';
import { formatPercent } from './format';
import { Orientation } from './layout';
import { SearchResult } from '../../transforms/search';
import { ProfileExportFormat } from './exportProfile';

export type FlameGraphViewMode = 'flamegraph' | 'table' | 'both' | 'sandwich';

export interface ToolbarProps {
  height: number;
  searchRef: RefObject<HTMLInputElement>;
  query: string;
  onQueryChange: (query: string) => void;
  regex: boolean;
  onRegexChange: (regex: boolean) => void;
  caseSensitive: boolean;
  onCaseSensitiveChange: (caseSensitive: boolean) => void;
  searchResult: SearchResult | null;
  searchError: string | null;
  view: FlameGraphViewMode;
  onViewChange: (view: FlameGraphViewMode) => void;
  orientation: Orientation;
  onOrientationChange: (orientation: Orientation) => void;
  diff: boolean;
  scheme: ColorScheme;
  onColorSchemeChange: (scheme: ColorScheme) => void;
  onResetFocus: () => void;
  onExportPng: () => void;
  onExportCsv: () => void;
  onExportProfile: (format: ProfileExportFormat) => void;
}

const viewOptions: Array<{ label: string; value: FlameGraphViewMode }> = [
  { label: 'Flame graph', value: 'flamegraph' },
  { label: 'Table', value: 'table' },
  { label: 'Both', value: 'both' },
  { label: 'Sandwich', value: 'sandwich' },
];
// No `description`: RadioButton would mount a Tooltip per option; the aria-label is also the
// label's native title, like the other toolbar controls.
const orientationOptions: Array<{ label: string; value: Orientation; ariaLabel: string }> = [
  { label: 'Icicle', value: 'icicle', ariaLabel: 'Icicle (root on top)' },
  { label: 'Flame', value: 'flame', ariaLabel: 'Flame (root at the bottom)' },
];
const diffSchemes: Array<{ label: string; value: ColorScheme }> = [
  { label: 'Diff', value: 'diff' },
  { label: 'Diff (colour-blind)', value: 'diff-colorblind' },
];
const plainSchemes: Array<{ label: string; value: ColorScheme }> = [
  { label: 'By package', value: 'package' },
  { label: 'By value', value: 'value' },
];

function ToolbarComponent(props: ToolbarProps) {
  const { view, regex, caseSensitive, searchResult, searchError, searchRef } = props;
  const styles = useStyles2(getStyles);
  const [exportMenu, setExportMenu] = useState<{ x: number; y: number } | null>(null);
  const regexTitle = regex ? 'Regular expression (on)' : 'Regular expression (off)';
  const caseTitle = caseSensitive ? 'Match case (on)' : 'Match case (off)';
  return (
    <div className={styles.toolbar} style={{ height: props.height }}>
      <div className={styles.search}>
        <Input
          ref={searchRef}
          width={28}
          placeholder="Search functions ( / )"
          value={props.query}
          invalid={!!searchError}
          title={searchError ?? undefined}
          onChange={(e) => props.onQueryChange(e.currentTarget.value)}
          aria-label="Search functions"
          suffix={
            <>
              <IconButton
                name="brackets-curly"
                size="sm"
                variant={regex ? 'primary' : 'secondary'}
                aria-label={regexTitle}
                title={regexTitle}
                aria-pressed={regex}
                onClick={() => props.onRegexChange(!regex)}
              />
              <Button
                size="sm"
                fill="text"
                variant={caseSensitive ? 'primary' : 'secondary'}
                aria-pressed={caseSensitive}
                aria-label={caseTitle}
                title={caseTitle}
                onClick={() => props.onCaseSensitiveChange(!caseSensitive)}
              >
                Aa
              </Button>
            </>
          }
        />
        {searchResult && (
          <span className={styles.matched} data-testid="flamegraph-search-share">
            {searchResult.matchedFunctions} functions, {formatPercent(searchResult.share)} of total
          </span>
        )}
      </div>
      <RadioButtonGroup size="sm" options={viewOptions} value={view} onChange={props.onViewChange} />
      {view !== 'table' && (
        <RadioButtonGroup
          size="sm"
          options={orientationOptions}
          value={props.orientation}
          onChange={props.onOrientationChange}
        />
      )}
      {view !== 'table' && (
        <RadioButtonGroup
          size="sm"
          options={props.diff ? diffSchemes : plainSchemes}
          value={props.scheme}
          onChange={props.onColorSchemeChange}
        />
      )}
      <IconButton
        name="history-alt"
        aria-label="Reset focus (Esc)"
        title="Reset focus (Esc)"
        onClick={props.onResetFocus}
      />
      <IconButton
        name="download-alt"
        aria-label="Export"
        title="Export"
        aria-haspopup="menu"
        onClick={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          setExportMenu({ x: r.left, y: r.bottom });
        }}
      />
      {exportMenu && (
        <ContextMenu
          x={exportMenu.x}
          y={exportMenu.y}
          onClose={() => setExportMenu(null)}
          renderMenuItems={() => (
            <>
              <MenuItem label="Flame graph as PNG" icon="camera" onClick={props.onExportPng} />
              <MenuItem label="Table as CSV" icon="table" onClick={props.onExportCsv} />
              <MenuItem
                label="Shown profile as pprof (.pb.gz)"
                icon="download-alt"
                onClick={() => props.onExportProfile('pprof')}
              />
              <MenuItem
                label="Shown profile as folded stacks"
                icon="file-alt"
                onClick={() => props.onExportProfile('folded')}
              />
            </>
          )}
        />
      )}
    </div>
  );
}

export const Toolbar = memo(ToolbarComponent);

const getStyles = (theme: GrafanaTheme2) => ({
  toolbar: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    flexWrap: 'nowrap',
    overflowX: 'auto',
    flex: 'none',
  }),
  search: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1), marginRight: 'auto' }),
  matched: css({
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
    whiteSpace: 'nowrap',
  }),
});
