/**
 * Bench page: our FlameGraphView, fed from the nested-set DataFrame through our importer. The graph
 * alone (no toolbar), as the peer is mounted (showFlameGraphOnly); `?toolbar` adds our toolbar and
 * `?view=both` the top table beside the graph (the panel's default).
 */
import React from 'react';
import { Root, createRoot } from 'react-dom/client';

import { nestedSetToTree } from '../../src/sources/nestedSet';
import { FlameGraphView, FlameGraphViewMode } from '../../src/views/flamegraph/FlameGraphView';
import { hitTest } from '../../src/views/flamegraph/layout';
import { ProfileTree } from '../../src/model/profile';
import { click, installHarness } from './harness';

let root: Root | null = null;
let current: ProfileTree | null = null;
let element: (w: number, h: number) => React.ReactElement;
const params = new URLSearchParams(window.location.search);
const toolbar = params.has('toolbar');
const view = (params.get('view') ?? 'flamegraph') as FlameGraphViewMode;

installHarness({
  mount(host, frame, width, height) {
    // Converting the frame is part of "data handed over -> pixels".
    const tree = nestedSetToTree(frame);
    current = tree;
    element = (w, h) => (
      <FlameGraphView
        tree={tree}
        width={w}
        height={h}
        view={view}
        onViewChange={() => {}}
        orientation="icicle"
        colorScheme="package"
        toolbar={toolbar}
      />
    );
    root = createRoot(host);
    root.render(element(width, height));
  },
  resize(width, height) {
    root!.render(element(width, height));
  },
  // Ours focuses on a click. Rows are 20px; level 2 is y 40-60 in the canvas. Pick a frame at least
  // 4px wide from 30% across onwards, so the click always lands on one.
  async prepareFocus(host, width) {
    const canvas = host.querySelector('canvas')!;
    const r = canvas.getBoundingClientRect();
    const vp = { focus: 0, xStart: 0, xEnd: 1, width: r.width, height: r.height, rowHeight: 20, scrollTop: 0, orientation: 'icicle' as const };
    for (let cy = 50; cy < r.height; cy += 20) {
      for (let cx = width * 0.3; cx < r.width; cx += 4) {
        const n = current ? hitTest(current, vp, cx, cy) : -1;
        if (n > 0) {
          return () => click(canvas, r.left + cx, r.top + cy);
        }
      }
    }
    throw new Error('no frame to focus');
  },
  unmount() {
    root?.unmount();
    root = null;
  },
});
