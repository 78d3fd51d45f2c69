/** Bench page: our FlameGraphView, fed from the nested-set DataFrame through our importer. */
import React from 'react';
import { Root, createRoot } from 'react-dom/client';

import { nestedSetToTree } from '../../src/sources/nestedSet';
import { FlameGraphView } from '../../src/views/flamegraph/FlameGraphView';
import { click, installHarness } from './harness';

let root: Root | null = null;
let element: (w: number, h: number) => React.ReactElement;

installHarness({
  mount(host, frame, width, height) {
    // Converting the frame is part of "data handed over -> pixels".
    const tree = nestedSetToTree(frame);
    element = (w, h) => (
      <FlameGraphView
        tree={tree}
        width={w}
        height={h}
        view="flamegraph"
        onViewChange={() => {}}
        orientation="icicle"
        colorScheme="package"
      />
    );
    root = createRoot(host);
    root.render(element(width, height));
  },
  resize(width, height) {
    root!.render(element(width, height));
  },
  // Toolbar 40px + breadcrumbs 28px sit above the canvas; rows are 20px: level 2 is y 40-60.
  focusPoint: (width) => ({ x: width * 0.3, y: 50 }),
  // Ours focuses on a click.
  prepareFocus: async (canvas, x, y) => () => click(canvas, x, y),
  unmount() {
    root?.unmount();
    root = null;
  },
});
