/**
 * The flame graph canvas: as tall as the panel, never as tall as the stack. A spacer div gives the
 * scroll range (virtual vertical scroll); scrolling redraws through requestAnimationFrame without
 * a React render, and prop changes redraw once, synchronously before paint. A click focuses at
 * once: the canvas draws the new focus before the parent hears of it. Drawing never reads layout:
 * the scroll position is mirrored, and the spacer and scrollTop are written after the draw.
 */
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import React, { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';

import { ProfileTree } from '../../model/profile';
import { ColorScheme, NodeColorer, buildColorTable } from './colors';
import {
  FrameLayout,
  Orientation,
  Viewport,
  hitTest,
  indexWhileIdle,
  layoutFrame,
  nodeWeights,
  subtreeMaxDepth,
} from './layout';
import { TextMeasurer, drawFrame } from './rendering';

export const ROW_HEIGHT = 20;

export interface FlameGraphCanvasProps {
  tree: ProfileTree;
  width: number;
  height: number;
  orientation: Orientation;
  colorScheme: ColorScheme;
  /**
   * Node spanning the full width. A click draws its node as the focus at once and then calls
   * onNodeClick, which is expected to pass it back here.
   */
  focus: number;
  /** From the search transform: non-matching functions are dimmed. */
  fnMatch: Uint8Array | null;
  /** Function outlined in the graph (e.g. a table row click), -1 for none. */
  highlightFn: number;
  /** Node under the pointer (-1 when none) with the pointer's viewport coordinates. */
  onHover?: (node: number, clientX: number, clientY: number) => void;
  onNodeClick?: (node: number) => void;
  onNodeContextMenu?: (node: number, clientX: number, clientY: number) => void;
  /** Receives the canvas element (PNG export). */
  canvasRef?: (canvas: HTMLCanvasElement | null) => void;
}

/** Where the scroller stands for one focus: the spacer's height and the scrollTop keeping the root edge in view. */
interface Placement {
  tree: ProfileTree;
  focus: number;
  orientation: Orientation;
  height: number;
  spacerHeight: number;
  scrollTop: number;
}

function placementOf(tree: ProfileTree, focus: number, orientation: Orientation, height: number): Placement {
  const contentHeight = (subtreeMaxDepth(tree, focus) + 1) * ROW_HEIGHT;
  const spacerHeight = Math.max(contentHeight, height);
  const depth = tree.size > 0 ? tree.depth[focus] : 0;
  const fromRoot = Math.max(0, (depth - 1) * ROW_HEIGHT);
  const maxTop = spacerHeight - height;
  const top = orientation === 'icicle' ? fromRoot : maxTop - fromRoot;
  return { tree, focus, orientation, height, spacerHeight, scrollTop: Math.min(Math.max(0, top), maxTop) };
}

function FlameGraphCanvasComponent(props: FlameGraphCanvasProps) {
  const { tree, width, height, orientation, colorScheme, focus, fnMatch, highlightFn } = props;
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const scrollRef = useRef<HTMLDivElement>(null);
  const spacerRef = useRef<HTMLDivElement>(null);
  const canvasEl = useRef<HTMLCanvasElement | null>(null);
  // Lazy: created once per mount, not on every render (focus, hover...).
  const [layout] = useState(() => new FrameLayout());
  const [measurer] = useState(() => new TextMeasurer());
  const frame = useRef(0);
  /** The focus and scroll range being shown (a click changes it before the props do). */
  const placed = useRef<Placement | null>(null);
  /** The scroller's scrollTop as last written or seen in a scroll event. */
  const scrollTop = useRef(0);
  /** What the canvas shows: the focus and scrollTop drawn, and the draw function (its other inputs) that show() used. */
  const drawn = useRef<{ by: unknown; focus: number; scrollTop: number }>({ by: null, focus: -1, scrollTop: -1 });

  const colors = useMemo(() => buildColorTable(theme, colorScheme), [theme, colorScheme]);
  const colorer = useMemo(() => new NodeColorer(tree, colorScheme, colors.merged), [tree, colorScheme, colors]);
  const font = `${theme.typography.bodySmall.fontSize} ${theme.typography.fontFamilyMonospace}`;

  const viewport = useCallback((): Viewport => {
    const p = placed.current;
    const range = p ? p.spacerHeight - height : 0;
    return {
      focus: p ? p.focus : 0,
      xStart: 0,
      xEnd: 1,
      width,
      height,
      rowHeight: ROW_HEIGHT,
      // Flame graphs grow upwards: the DOM scrolls from the top, the layout from the root edge.
      scrollTop: orientation === 'icicle' ? scrollTop.current : range - scrollTop.current,
      orientation,
    };
  }, [width, height, orientation]);

  const draw = useCallback(() => {
    frame.current = 0;
    const canvas = canvasEl.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx || width <= 0 || height <= 0) {
      return;
    }
    const dpr = window.devicePixelRatio || 1;
    const pw = Math.round(width * dpr);
    const ph = Math.round(height * dpr);
    if (canvas.width !== pw || canvas.height !== ph) {
      canvas.width = pw;
      canvas.height = ph;
    }
    const vp = viewport();
    drawn.current.focus = vp.focus;
    drawn.current.scrollTop = scrollTop.current;
    layoutFrame(tree, vp, layout);
    drawFrame(
      ctx,
      tree,
      layout,
      {
        width,
        height,
        dpr,
        rowHeight: ROW_HEIGHT,
        font,
        colors,
        colorer,
        focusTotal: nodeWeights(tree)[vp.focus],
        fnMatch,
        highlightFn,
        strokeColor: theme.colors.text.primary,
      },
      measurer
    );
  }, [tree, width, height, fnMatch, highlightFn, colors, colorer, font, theme, viewport, layout, measurer]);

  const redraw = useCallback(() => {
    if (frame.current) {
      cancelAnimationFrame(frame.current);
    }
    draw();
    drawn.current.by = draw;
  }, [draw]);

  /**
   * Shows `node` as the focus, keeping the root edge in view: draws first, then writes the spacer
   * and scrollTop (only what changed), so the draw never waits for a layout.
   */
  const show = useCallback(
    (node: number) => {
      const prev = placed.current;
      const next = placementOf(tree, node, orientation, height);
      const domTop = scrollTop.current;
      placed.current = next;
      scrollTop.current = next.scrollTop;
      const d = drawn.current;
      if (d.by !== draw || d.focus !== node || d.scrollTop !== next.scrollTop) {
        redraw();
      }
      const spacer = spacerRef.current;
      if (spacer && (!prev || prev.spacerHeight !== next.spacerHeight)) {
        spacer.style.height = `${next.spacerHeight}px`;
      }
      const el = scrollRef.current;
      if (el && domTop !== next.scrollTop) {
        el.scrollTop = next.scrollTop;
      }
    },
    [tree, orientation, height, draw, redraw]
  );

  // One synchronous draw per change, before paint: a resized canvas is never shown blank. Data,
  // focus, orientation and height changes also bring the root edge back into view.
  useLayoutEffect(() => {
    const p = placed.current;
    if (!p || p.tree !== tree || p.focus !== focus || p.orientation !== orientation || p.height !== height) {
      show(focus);
    } else if (drawn.current.by !== draw) {
      redraw();
    }
  }, [tree, focus, orientation, height, draw, redraw, show]);

  useEffect(() => () => cancelAnimationFrame(frame.current), []);

  // Index the whole tree while the browser is idle, so later focus changes cost lookups.
  useEffect(() => {
    if (typeof requestIdleCallback !== 'function') {
      return;
    }
    let id = 0;
    const step = (deadline: IdleDeadline) => {
      if (!indexWhileIdle(tree, () => deadline.timeRemaining())) {
        id = requestIdleCallback(step);
      }
    };
    id = requestIdleCallback(step);
    return () => cancelIdleCallback(id);
  }, [tree]);

  // Writing scrollTop fires a scroll event for a position already drawn: no redraw then.
  const onScroll = useCallback(() => {
    const top = scrollRef.current ? scrollRef.current.scrollTop : 0;
    scrollTop.current = top;
    if (!frame.current && top !== drawn.current.scrollTop) {
      frame.current = requestAnimationFrame(draw);
    }
  }, [draw]);

  const nodeAt = (e: React.MouseEvent) => {
    const canvas = canvasEl.current;
    if (!canvas) {
      return -1;
    }
    const r = canvas.getBoundingClientRect();
    return hitTest(tree, viewport(), e.clientX - r.left, e.clientY - r.top);
  };

  const { onHover, onNodeClick, onNodeContextMenu, canvasRef } = props;
  const setCanvas = useCallback(
    (el: HTMLCanvasElement | null) => {
      canvasEl.current = el;
      canvasRef?.(el);
    },
    [canvasRef]
  );

  return (
    <div ref={scrollRef} className={styles.scroll} style={{ width, height }} onScroll={onScroll}>
      <div ref={spacerRef} className={styles.spacer}>
        <canvas
          ref={setCanvas}
          data-testid="flamegraph-canvas"
          className={styles.canvas}
          style={{ width, height }}
          onMouseMove={(e) => onHover?.(nodeAt(e), e.clientX, e.clientY)}
          onMouseLeave={(e) => onHover?.(-1, e.clientX, e.clientY)}
          onClick={(e) => {
            const n = nodeAt(e);
            if (n >= 0 && onNodeClick) {
              show(n);
              onNodeClick(n);
            }
          }}
          onContextMenu={(e) => {
            const n = nodeAt(e);
            if (n >= 0) {
              e.preventDefault();
              onNodeContextMenu?.(n, e.clientX, e.clientY);
            }
          }}
        />
      </div>
    </div>
  );
}

export const FlameGraphCanvas = memo(FlameGraphCanvasComponent);

const getStyles = (theme: GrafanaTheme2) => ({
  spacer: css({ position: 'relative' }),
  scroll: css({
    overflowY: 'auto',
    overflowX: 'hidden',
    position: 'relative',
  }),
  canvas: css({
    position: 'sticky',
    top: 0,
    display: 'block',
    cursor: 'pointer',
    background: theme.colors.background.primary,
  }),
});
