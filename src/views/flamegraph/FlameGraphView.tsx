/**
 * The flame graph view: toolbar (search, view switch, orientation, colours, reset, export), the
 * canvas, the top table and the sandwich view. Focus, search, hover and the context menu are
 * local state; everything the dashboard should remember comes in as props with callbacks.
 */
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Button, ContextMenu, MenuItem, useStyles2, useTheme2 } from '@grafana/ui';
import React, { memo, startTransition, useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';

import { FrameKind, ProfileTree, nodeName } from '../../model/profile';
import { topTable } from '../../transforms/top';
import { sandwich } from '../../transforms/sandwich';
import { TopTable } from '../table/TopTable';
import { matchingRows, topTableCsv } from '../table/topTableData';
import { ColorScheme } from './colors';
import { DiffLegend, KindLegend } from './Legend';
import { FlameGraphCanvas } from './FlameGraphCanvas';
import { FlameGraphTooltip } from './FlameGraphTooltip';
import { Orientation } from './layout';
import { PatternError, search as searchFunctions, SearchResult } from '../../transforms/search';
import { downloadBlob } from './download';
import { ProfileExportFormat, exportProfile } from './exportProfile';
import { FlameGraphViewMode, Toolbar } from './Toolbar';

export type { FlameGraphViewMode };

export interface FlameGraphViewProps {
  tree: ProfileTree;
  width: number;
  height: number;
  view: FlameGraphViewMode;
  onViewChange: (view: FlameGraphViewMode) => void;
  orientation: Orientation;
  onOrientationChange?: (orientation: Orientation) => void;
  colorScheme: ColorScheme;
  onColorSchemeChange?: (scheme: ColorScheme) => void;
  /** Context menu "Hide this function": the parent filters the tree. */
  onHideFunction?: (fn: number, name: string) => void;
  /** Context menu "Show only this function": the parent filters the tree. */
  onShowOnlyFunction?: (fn: number, name: string) => void;
  /** Context menu "Sandwich" (the view also switches itself to the sandwich view). */
  onSandwich?: (fn: number, name: string) => void;
  /** Base name for exported files. */
  exportName?: string;
  /**
   * Show the toolbar (search, view, orientation, colours, reset, export); default true. Without
   * it the view is the graph alone, like @grafana/flamegraph's showFlameGraphOnly: focus, the
   * context menu and Esc still work.
   */
  toolbar?: boolean;
  /**
   * URL of an Explore view for a function (built by the panel); when it returns one, the context
   * menu offers "Open in Explore". Only http(s) URLs are opened.
   */
  exploreLink?: (functionName: string) => string | undefined;
}

const TOOLBAR_HEIGHT = 40;
const CRUMBS_HEIGHT = 28;

// Not memoised in src/views/table; here it must not re-render when only the focus changes.
const MemoTopTable = memo(TopTable);
const MemoDiffLegend = memo(DiffLegend);
const MemoKindLegend = memo(KindLegend);

/**
 * A value the parent may control (with a callback) or leave to the view: the local choice holds
 * until the prop itself changes.
 */
function useControllable<T>(value: T, onChange?: (v: T) => void): [T, (v: T) => void] {
  const [state, setState] = useState({ prop: value, local: value });
  const set = useCallback(
    (v: T) => {
      setState({ prop: value, local: v });
      onChange?.(v);
    },
    [value, onChange]
  );
  return [state.prop === value ? state.local : value, set];
}

export function FlameGraphView(props: FlameGraphViewProps) {
  const { tree, width, height, view, onViewChange, onHideFunction, onShowOnlyFunction, onSandwich } = props;
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const diff = !!tree.right;
  const [orientation, setOrientation] = useControllable(props.orientation, props.onOrientationChange);
  const [colorScheme, setColorScheme] = useControllable(props.colorScheme, props.onColorSchemeChange);
  // A diff tree defaults to diff colours; a plain tree cannot show them.
  const scheme: ColorScheme = diff
    ? colorScheme
    : colorScheme === 'diff' || colorScheme === 'diff-colorblind'
      ? 'package'
      : colorScheme;

  // Focus belongs to one tree: new data resets it.
  const [focusState, setFocusState] = useState({ tree, node: 0 });
  const focus = focusState.tree === tree && focusState.node < tree.size ? focusState.node : 0;
  const setFocus = useCallback((node: number) => setFocusState({ tree, node }), [tree]);
  const resetFocus = useCallback(() => setFocus(0), [setFocus]);
  // The canvas has already drawn a clicked focus: the breadcrumbs may follow after the paint.
  const onFocusClick = useCallback((node: number) => startTransition(() => setFocus(node)), [setFocus]);
  // Read by the export callback so the memoised toolbar does not re-render on focus.
  const focusRef = useRef(focus);
  useLayoutEffect(() => {
    focusRef.current = focus;
  }, [focus]);

  const [query, setQuery] = useState('');
  const [regex, setRegex] = useState(false);
  const [caseSensitive, setCaseSensitive] = useState(false);
  const [hover, setHover] = useState<{ node: number; x: number; y: number } | null>(null);
  const [menu, setMenu] = useState<{ node: number; x: number; y: number } | null>(null);
  const [highlightFn, setHighlightFn] = useState(-1);
  const [sandwichFn, setSandwichFn] = useState(-1);
  const searchRef = useRef<HTMLInputElement>(null);
  const canvasRef = useRef<HTMLCanvasElement | null>(null);
  const tableOrder = useRef<Int32Array | undefined>(undefined);

  const search = useMemo((): { result: SearchResult | null; error: string | null } => {
    try {
      return { result: query ? searchFunctions(tree, { text: query, regex, caseSensitive }) : null, error: null };
    } catch (e) {
      if (e instanceof PatternError) {
        return { result: null, error: e.message };
      }
      throw e;
    }
  }, [tree, query, regex, caseSensitive]);

  const needTable = view !== 'flamegraph';
  const fullTable = useMemo(() => (needTable ? topTable(tree) : null), [needTable, tree]);
  const fnMatch = search.result?.matchFn;
  const table = useMemo(
    () => (fullTable && fnMatch ? matchingRows(fullTable, fnMatch) : fullTable),
    [fullTable, fnMatch]
  );
  const sandwichTrees = useMemo(
    () =>
      view === 'sandwich' && sandwichFn >= 0 && sandwichFn < tree.functions.count ? sandwich(tree, sandwichFn) : null,
    [view, tree, sandwichFn]
  );
  const hasKinds = useMemo(() => hasSpecialKinds(tree.functions.kind), [tree]);

  const onHover = useCallback((node: number, x: number, y: number) => setHover(node >= 0 ? { node, x, y } : null), []);
  const onNodeContextMenu = useCallback((node: number, x: number, y: number) => setMenu({ node, x, y }), []);
  const onCanvas = useCallback((el: HTMLCanvasElement | null) => {
    canvasRef.current = el;
  }, []);
  const onOrderChange = useCallback((order: Int32Array) => {
    tableOrder.current = order;
  }, []);
  const onFunctionClick = useCallback(
    (fn: number) => {
      setHighlightFn((h) => (h === fn ? -1 : fn));
      if (view === 'sandwich') {
        setSandwichFn(fn);
      }
    },
    [view]
  );

  const openSandwich = (fn: number) => {
    setSandwichFn(fn);
    onViewChange('sandwich');
    onSandwich?.(fn, tree.functions.name[fn]);
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    const typing = e.target instanceof HTMLInputElement;
    if (e.key === 'Escape') {
      setMenu(null);
      setFocus(0);
      setHighlightFn(-1);
    } else if (e.key === '/' && !typing) {
      e.preventDefault();
      searchRef.current?.focus();
    }
  };

  const { exportName } = props;
  const exportPng = useCallback(() => {
    canvasRef.current?.toBlob((blob) => blob && downloadBlob(blob, `${exportName ?? 'flamegraph'}.png`));
  }, [exportName]);
  const exportCsv = useCallback(() => {
    const t = table ?? topTable(tree);
    const csv = topTableCsv(tree, t, table ? tableOrder.current : undefined);
    downloadBlob(new Blob([csv], { type: 'text/csv' }), `${exportName ?? 'top'}.csv`);
  }, [table, tree, exportName]);

  const exportShown = useCallback(
    (format: ProfileExportFormat) => {
      const out = exportProfile(tree, focusRef.current, format, exportName ?? 'profile');
      // slice(): a Blob part must own a plain ArrayBuffer.
      downloadBlob(
        new Blob([typeof out.data === 'string' ? out.data : out.data.slice()], { type: out.mimeType }),
        out.fileName
      );
    },
    [tree, exportName]
  );

  const showToolbar = props.toolbar ?? true;
  const bodyHeight = Math.max(0, height - (showToolbar ? TOOLBAR_HEIGHT : 0) - CRUMBS_HEIGHT);
  const graph = (w: number, h: number) => (
    <FlameGraphCanvas
      tree={tree}
      width={w}
      height={h}
      orientation={orientation}
      colorScheme={scheme}
      focus={focus}
      fnMatch={search.result?.matchFn ?? null}
      highlightFn={highlightFn}
      onHover={onHover}
      onNodeClick={onFocusClick}
      onNodeContextMenu={onNodeContextMenu}
      canvasRef={onCanvas}
    />
  );
  const tableView = (w: number, h: number) =>
    table && (
      <MemoTopTable
        tree={tree}
        table={table}
        width={w}
        height={h}
        selectedFn={view === 'sandwich' ? sandwichFn : highlightFn}
        onFunctionClick={onFunctionClick}
        onOrderChange={onOrderChange}
      />
    );

  let body: React.ReactNode;
  const half = Math.floor(width * 0.4);
  if (view === 'flamegraph') {
    body = graph(width, bodyHeight);
  } else if (view === 'table') {
    body = tableView(width, bodyHeight);
  } else if (view === 'both') {
    body = (
      <div className={styles.row}>
        {tableView(half, bodyHeight)}
        {graph(width - half, bodyHeight)}
      </div>
    );
  } else {
    const sh = Math.floor(bodyHeight / 2);
    body = (
      <div className={styles.row}>
        {tableView(half, bodyHeight)}
        {sandwichTrees ? (
          <div className={styles.column}>
            <SandwichHalf
              label="Callers"
              tree={sandwichTrees.callers}
              width={width - half}
              height={sh}
              orientation="flame"
              scheme={scheme}
              query={query}
              regex={regex}
              caseSensitive={caseSensitive}
            />
            <SandwichHalf
              label="Callees"
              tree={sandwichTrees.callees}
              width={width - half}
              height={bodyHeight - sh}
              orientation="icicle"
              scheme={scheme}
              query={query}
              regex={regex}
              caseSensitive={caseSensitive}
            />
          </div>
        ) : (
          <div className={styles.hint} style={{ width: width - half }}>
            Pick a function in the table, or right-click a frame and choose Sandwich.
          </div>
        )}
      </div>
    );
  }

  const hoverTree = view === 'sandwich' ? null : tree;
  return (
    <div className={styles.container} style={{ width, height }} tabIndex={0} onKeyDown={onKeyDown}>
      {showToolbar && (
        <Toolbar
          height={TOOLBAR_HEIGHT}
          searchRef={searchRef}
          query={query}
          onQueryChange={setQuery}
          regex={regex}
          onRegexChange={setRegex}
          caseSensitive={caseSensitive}
          onCaseSensitiveChange={setCaseSensitive}
          searchResult={search.result}
          searchError={search.error}
          view={view}
          onViewChange={onViewChange}
          orientation={orientation}
          onOrientationChange={setOrientation}
          diff={diff}
          scheme={scheme}
          onColorSchemeChange={setColorScheme}
          onResetFocus={resetFocus}
          onExportPng={exportPng}
          onExportCsv={exportCsv}
          onExportProfile={exportShown}
        />
      )}
      <div className={styles.crumbs} style={{ height: CRUMBS_HEIGHT }}>
        <Breadcrumbs tree={tree} focus={focus} onFocus={setFocus} />
        {diff && view !== 'table' && <MemoDiffLegend theme={theme} scheme={scheme} />}
        {hasKinds && view !== 'table' && <MemoKindLegend />}
      </div>
      {body}
      {hover && hoverTree && hover.node < hoverTree.size && (
        <FlameGraphTooltip tree={hoverTree} node={hover.node} clientX={hover.x} clientY={hover.y} />
      )}
      {menu && (
        <ContextMenu
          x={menu.x}
          y={menu.y}
          onClose={() => setMenu(null)}
          renderHeader={() => <div className={styles.menuHeader}>{nodeName(tree, menu.node)}</div>}
          renderMenuItems={() => {
            const fn = tree.fn[menu.node];
            const name = nodeName(tree, menu.node);
            const explore = fn >= 0 ? safeHttpUrl(props.exploreLink?.(name)) : undefined;
            return (
              <>
                <MenuItem label="Focus" icon="eye" onClick={() => setFocus(menu.node)} />
                {fn >= 0 && <MenuItem label="Sandwich" icon="layer-group" onClick={() => openSandwich(fn)} />}
                <MenuItem label="Copy name" icon="copy" onClick={() => navigator.clipboard?.writeText(name)} />
                {explore && (
                  <MenuItem
                    label="Open in Explore"
                    icon="compass"
                    onClick={() => window.open(explore, '_blank', 'noopener,noreferrer')}
                  />
                )}
                {fn >= 0 && onHideFunction && (
                  <MenuItem label="Hide this function" icon="eye-slash" onClick={() => onHideFunction(fn, name)} />
                )}
                {fn >= 0 && onShowOnlyFunction && (
                  <MenuItem
                    label="Show only this function"
                    icon="filter"
                    onClick={() => onShowOnlyFunction(fn, name)}
                  />
                )}
              </>
            );
          }}
        />
      )}
    </div>
  );
}

/** Any inlined, kernel or JIT function? A plain loop: TypedArray.some calls back per element (0.3 ms at 12k functions). */
function hasSpecialKinds(kind: Uint8Array): boolean {
  for (let f = 0; f < kind.length; f++) {
    if (kind[f] !== FrameKind.Normal) {
      return true;
    }
  }
  return false;
}

/** `url` resolved against the page when it is http(s); anything else (javascript:, data:, ...) is refused. */
export function safeHttpUrl(url: string | undefined): string | undefined {
  if (!url) {
    return undefined;
  }
  try {
    const u = new URL(url, window.location.href);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

interface SandwichHalfProps {
  label: string;
  tree: ProfileTree;
  width: number;
  height: number;
  orientation: Orientation;
  scheme: ColorScheme;
  query: string;
  regex: boolean;
  caseSensitive: boolean;
}

/** One side of the sandwich: its own canvas with its own hover tooltip. */
function SandwichHalf({
  label,
  tree,
  width,
  height,
  orientation,
  scheme,
  query,
  regex,
  caseSensitive,
}: SandwichHalfProps) {
  // The halves have their own function tables, so the search is matched again on each.
  const fnMatch = useMemo(() => {
    try {
      return query ? searchFunctions(tree, { text: query, regex, caseSensitive }).matchFn : null;
    } catch {
      return null; // the toolbar already reports the invalid pattern
    }
  }, [tree, query, regex, caseSensitive]);
  const [hover, setHover] = useState<{ node: number; x: number; y: number } | null>(null);
  const [focus, setFocus] = useState({ tree, node: 0 });
  const node = focus.tree === tree ? focus.node : 0;
  const onHover = useCallback((n: number, x: number, y: number) => setHover(n >= 0 ? { node: n, x, y } : null), []);
  const onClick = useCallback((n: number) => setFocus({ tree, node: n }), [tree]);
  return (
    <div aria-label={label}>
      <FlameGraphCanvas
        tree={tree}
        width={width}
        height={height}
        orientation={orientation}
        colorScheme={scheme}
        focus={node}
        fnMatch={fnMatch}
        highlightFn={-1}
        onHover={onHover}
        onNodeClick={onClick}
      />
      {hover && hover.node < tree.size && (
        <FlameGraphTooltip tree={tree} node={hover.node} clientX={hover.x} clientY={hover.y} />
      )}
    </div>
  );
}

const MAX_CRUMBS = 6;

/** Path from the root to the focused node, once focused; long paths keep the root and the last few. */
function Breadcrumbs({ tree, focus, onFocus }: { tree: ProfileTree; focus: number; onFocus: (n: number) => void }) {
  const styles = useStyles2(getStyles);
  const path: number[] = [];
  for (let n = focus; n >= 0; n = tree.parent[n]) {
    path.push(n);
  }
  path.reverse();
  // At the root there is nothing to go back to, so no buttons (a cold first draw spends ~5 ms on one).
  const shown =
    path.length < 2
      ? []
      : path.length > MAX_CRUMBS
        ? [path[0], -1, ...path.slice(path.length - (MAX_CRUMBS - 1))]
        : path;
  return (
    <nav className={styles.crumbList} aria-label="Focus path">
      {shown.map((n, k) =>
        n < 0 ? (
          <span key={`gap${k}`}>…</span>
        ) : (
          <Button
            key={n}
            size="sm"
            fill="text"
            variant={n === focus ? 'primary' : 'secondary'}
            onClick={() => onFocus(n)}
          >
            {nodeName(tree, n)}
          </Button>
        )
      )}
    </nav>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  container: css({
    display: 'flex',
    flexDirection: 'column',
    overflow: 'hidden',
    outline: 'none',
  }),
  crumbs: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(2), flex: 'none', overflow: 'hidden' }),
  crumbList: css({
    display: 'flex',
    alignItems: 'center',
    overflow: 'hidden',
    marginRight: 'auto',
    '& button': {
      maxWidth: 240,
      overflow: 'hidden',
      textOverflow: 'ellipsis',
      fontFamily: theme.typography.fontFamilyMonospace,
    },
  }),
  row: css({ display: 'flex' }),
  column: css({ display: 'flex', flexDirection: 'column' }),
  hint: css({ padding: theme.spacing(2), color: theme.colors.text.secondary }),
  menuHeader: css({
    padding: theme.spacing(0.5, 1),
    fontFamily: theme.typography.fontFamilyMonospace,
    color: theme.colors.text.secondary,
    maxWidth: 400,
    wordBreak: 'break-all',
  }),
});
