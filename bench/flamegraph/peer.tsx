/** Bench page: @grafana/flamegraph 13.0.1 with the same nested-set DataFrame. */
import { FlameGraph } from '@grafana/flamegraph';
import { createTheme } from '@grafana/data';
import React from 'react';
import { Root, createRoot } from 'react-dom/client';

import { click, installHarness } from './harness';

let root: Root | null = null;
let box: HTMLDivElement | null = null;
const theme = createTheme();
const getTheme = () => theme;

installHarness({
  mount(host, frame, width, height) {
    box = document.createElement('div');
    box.style.width = `${width}px`;
    box.style.height = `${height}px`;
    host.appendChild(box);
    root = createRoot(box);
    root.render(<FlameGraph data={frame} getTheme={getTheme as never} showFlameGraphOnly={true} />);
  },
  // The peer sizes itself from its container (ResizeObserver), as it does in Grafana.
  resize(width, height) {
    box!.style.width = `${width}px`;
    box!.style.height = `${height}px`;
  },
  // Grafana's flame graph: 22px per level.
  focusPoint: (width) => ({ x: width * 0.3, y: 22 * 2 + 11 }),
  // The peer opens a context menu on click; its "Focus block" item focuses.
  async prepareFocus(canvas, x, y) {
    // Try the given row, then the rows around it, until a frame is hit.
    for (const dy of [0, 22, -22, 44, 66]) {
      click(canvas, x, y + dy);
      for (let k = 0; k < 30; k++) {
        const item = Array.from(document.querySelectorAll('[role="menuitem"]')).find((e) =>
          /focus block/i.test(e.textContent ?? '')
        );
        if (item) {
          return () => (item as HTMLElement).click();
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    }
    throw new Error('peer context menu did not open');
  },
  unmount() {
    root?.unmount();
    root = null;
    box?.remove();
    box = null;
  },
});
