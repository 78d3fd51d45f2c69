/**
 * Bench page: @grafana/flamegraph 13.0.1 with the same nested-set DataFrame: its graph alone
 * (showFlameGraphOnly), or with `?default-layout` as Grafana shows it (header, top table and graph).
 */
import { FlameGraph } from '@grafana/flamegraph';
import { DataFrame, createTheme } from '@grafana/data';
import React from 'react';
import { Root, createRoot } from 'react-dom/client';

import { click, installHarness, waitFor } from './harness';

let root: Root | null = null;
let box: HTMLDivElement | null = null;
let input: DataFrame | null = null;
const theme = createTheme();
const defaultLayout = new URLSearchParams(window.location.search).has('default-layout');
const getTheme = () => theme;

function mountPeer(host: HTMLElement, frame: DataFrame, width: number, height: number, graphOnly: boolean) {
  box = document.createElement('div');
  box.style.width = `${width}px`;
  box.style.height = `${height}px`;
  host.appendChild(box);
  root = createRoot(box);
  root.render(<FlameGraph data={frame} getTheme={getTheme as never} showFlameGraphOnly={graphOnly} />);
}

function unmountPeer() {
  root?.unmount();
  root = null;
  box?.remove();
  box = null;
}

installHarness({
  // Drawing and redrawing are timed on the graph alone (showFlameGraphOnly), like ours (no toolbar),
  // except in the default layout.
  mount(host, frame, width, height) {
    input = frame;
    mountPeer(host, frame, width, height, !defaultLayout);
  },
  // The peer sizes itself from its container (ResizeObserver), as it does in Grafana.
  resize(width, height) {
    box!.style.width = `${width}px`;
    box!.style.height = `${height}px`;
  },
  // The peer focuses only through its context menu ("Focus block"), which it renders only when
  // not in showFlameGraphOnly mode. So: remount it with its header, switch its view to "Flame
  // Graph" (its own radio button), click a frame two levels down (22px rows), and time the menu
  // item. None of that set-up is timed.
  async prepareFocus(host, width) {
    const height = box ? box.offsetHeight : 800;
    unmountPeer();
    mountPeer(host, input!, width, height, false);
    const radio = await waitFor('the "Flame Graph" view button', () =>
      Array.from(host.querySelectorAll('label')).find((l) => l.textContent?.trim() === 'Flame Graph')
    );
    radio.click();
    await waitFor('the graph alone', () => !host.querySelector('table') && host.querySelector('canvas[data-testid="flameGraph"]'));
    await new Promise((r) => setTimeout(r, 200));
    const canvas = host.querySelector('canvas[data-testid="flameGraph"]') as HTMLCanvasElement;
    const r = canvas.getBoundingClientRect();
    for (const y of [22 * 2 + 11, 22 * 3 + 11, 22 * 4 + 11]) {
      for (let x = width * 0.3; x < r.width; x += 25) {
        click(canvas, r.left + x, r.top + y);
        await new Promise((ok) => setTimeout(ok, 30));
        const item = Array.from(document.querySelectorAll('[role="menuitem"]')).find((e) =>
          /focus block/i.test(e.textContent ?? '')
        );
        if (item) {
          return () => (item as HTMLElement).click();
        }
      }
    }
    throw new Error('peer context menu did not open');
  },
  unmount: unmountPeer,
});
