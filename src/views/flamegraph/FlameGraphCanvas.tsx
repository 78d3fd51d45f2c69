/**
 * The flame graph canvas: as tall as the panel, never as tall as the stack. A spacer div gives the
 * scroll range (virtual vertical scroll); scrolling redraws through requestAnimationFrame without
 * a React render, and prop changes redraw once, synchronously before paint.
 */
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import React, { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';

import { ProfileTree } from '../../model/profile';
import { ColorScheme, NodeColorer, buildColorTable } from './colors';
import { FrameLayout, Orientation, Viewport, hitTest, layoutFrame, nodeWeights, subtreeMaxDepth } from './layout';
import { TextMeasurer, drawFrame } from './rendering';

export const ROW_HEIGHT = 20;

export interface FlameGraphCanvasProps {
  tree: ProfileTree;
  width: number;
  height: number;
  orientation: Orientation;
  colorScheme: ColorScheme;
  /** Node spanning the full width. */
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

function FlameGraphCanvasComponent(props: FlameGraphCanvasProps) {
  const { tree, width, height, orientation, colorScheme, focus, fnMatch, highlightFn } = props;
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const scrollRef = useRef<HTMLDivElement>(null);
  const canvasEl = useRef<HTMLCanvasElement | null>(null);
  // Lazy: created once per mount, not on every render (focus, hover...).
  const [layout] = useState(() => new FrameLayout());
  const [measurer] = useState(() => new TextMeasurer());
  const frame = useRef(0);
  /** scrollTop of the last draw: a scroll event for a position already drawn needs no redraw. */
  const drawnTop = useRef(-1);

  const contentHeight = useMemo(() => (subtreeMaxDepth(tree, focus) + 1) * ROW_HEIGHT, [tree, focus]);
  const colors = useMemo(() => buildColorTable(theme, colorScheme), [theme, colorScheme]);
  const colorer = useMemo(() => new NodeColorer(tree, colorScheme, colors.merged), [tree, colorScheme, colors]);
  const font = `${theme.typography.bodySmall.fontSize} ${theme.typography.fontFamilyMonospace}`;

  const viewport = useCallback((): Viewport => {
    const el = scrollRef.current;
    const top = el ? el.scrollTop : 0;
    const range = Math.max(0, contentHeight - height);
    return {
      focus,
      xStart: 0,
      xEnd: 1,
      width,
      height,
      rowHeight: ROW_HEIGHT,
      // Flame graphs grow upwards: the DOM scrolls from the top, the layout from the root edge.
      scrollTop: orientation === 'icicle' ? top : range - top,
      orientation,
    };
  }, [focus, width, height, orientation, contentHeight]);

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
    drawnTop.current = scrollRef.current ? scrollRef.current.scrollTop : 0;
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
        focusTotal: nodeWeights(tree)[focus],
        fnMatch,
        highlightFn,
        strokeColor: theme.colors.text.primary,
      },
      measurer
    );
  }, [tree, width, height, focus, fnMatch, highlightFn, colors, colorer, font, theme, viewport, layout, measurer]);

  // Keep the root edge in view when the data, the focus or the orientation change.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (el) {
      const depth = tree.size > 0 ? tree.depth[focus] : 0;
      const fromRoot = Math.max(0, (depth - 1) * ROW_HEIGHT);
      el.scrollTop = orientation === 'icicle' ? fromRoot : Math.max(0, contentHeight - height - fromRoot);
    }
  }, [tree, focus, orientation, contentHeight, height]);

  // One synchronous draw per change, before paint: a resized canvas is never shown blank.
  useLayoutEffect(() => {
    if (frame.current) {
      cancelAnimationFrame(frame.current);
    }
    draw();
  }, [draw]);

  useEffect(() => () => cancelAnimationFrame(frame.current), []);

  // Setting scrollTop on focus fires a scroll event after the synchronous draw already used it.
  const onScroll = useCallback(() => {
    if (!frame.current && scrollRef.current?.scrollTop !== drawnTop.current) {
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
      <div style={{ height: Math.max(contentHeight, height), position: 'relative' }}>
        <canvas
          ref={setCanvas}
          data-testid="flamegraph-canvas"
          className={styles.canvas}
          style={{ width, height }}
          onMouseMove={(e) => onHover?.(nodeAt(e), e.clientX, e.clientY)}
          onMouseLeave={(e) => onHover?.(-1, e.clientX, e.clientY)}
          onClick={(e) => {
            const n = nodeAt(e);
            if (n >= 0) {
              onNodeClick?.(n);
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
