/**
 * In-page side of bench/flamegraph.bench.ts. Each page bundles one view (ours or the peer) behind
 * the same adapter; the harness times "until the last canvas draw call" so both are measured the
 * same way, whatever scheduling (layout effect, effect, ResizeObserver, rAF) a view uses.
 */
import { FieldType, createDataFrame, DataFrame } from '@grafana/data';

import { generateFlameTree } from '../gen/flameTree';

export interface ViewAdapter {
  mount(host: HTMLElement, frame: DataFrame, width: number, height: number): void;
  resize(width: number, height: number): void;
  /**
   * Get ready to focus a frame two levels below the root and return the action that focuses it.
   * Work before the action (e.g. the peer opening its context menu, whose "Focus block" item is
   * how it focuses) is not timed.
   */
  prepareFocus(host: HTMLElement, width: number): Promise<() => void>;
  unmount(): void;
}

let lastDraw = 0;
function patchCanvas() {
  const proto = CanvasRenderingContext2D.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
  for (const m of ['fillRect', 'fill', 'fillText', 'stroke', 'strokeRect', 'drawImage', 'putImageData']) {
    const orig = proto[m];
    proto[m] = function (this: unknown, ...args: unknown[]) {
      lastDraw = performance.now();
      return orig.apply(this, args);
    };
  }
}

/** Resolves with (last draw - t0) once nothing was drawn for `quietMs`; -1 on timeout. */
function settled(t0: number, quietMs = 250, timeoutMs = 30000): Promise<number> {
  return new Promise((resolve) => {
    const poll = () => {
      const now = performance.now();
      if (lastDraw > t0 && now - lastDraw >= quietMs) {
        resolve(lastDraw - t0);
      } else if (now - t0 > timeoutMs) {
        resolve(-1);
      } else {
        setTimeout(poll, 20);
      }
    };
    setTimeout(poll, 20);
  });
}

export function click(target: Element, clientX: number, clientY: number): void {
  target.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX, clientY, button: 0 }));
}

/** Polls `find` every 10 ms until it returns something; throws after `timeoutMs`. */
export async function waitFor<T>(what: string, find: () => T | null | undefined, timeoutMs = 10000): Promise<T> {
  const t0 = performance.now();
  for (;;) {
    const v = find();
    if (v) {
      return v;
    }
    if (performance.now() - t0 > timeoutMs) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function installHarness(adapter: ViewAdapter) {
  patchCanvas();
  const host = document.getElementById('root')!;
  let frame: DataFrame | null = null;
  let width = 1200;
  const height = 800;
  const api = {
    generate(size: number, seed: number) {
      const cols = generateFlameTree(size, seed);
      frame = createDataFrame({
        name: 'response',
        meta: { preferredVisualisationType: 'flamegraph' },
        fields: [
          { name: 'level', type: FieldType.number, values: cols.level },
          { name: 'value', type: FieldType.number, values: cols.value, config: { unit: 'ns' } },
          { name: 'self', type: FieldType.number, values: cols.self, config: { unit: 'ns' } },
          { name: 'label', type: FieldType.string, values: cols.label },
        ],
      });
      return size;
    },
    async firstDraw() {
      width = 1200;
      const t0 = performance.now();
      adapter.mount(host, frame!, width, height);
      return settled(t0);
    },
    async redraw() {
      width = width === 1200 ? 1100 : 1200;
      const t0 = performance.now();
      adapter.resize(width, height);
      return settled(t0);
    },
    async focus() {
      const act = await adapter.prepareFocus(host, width);
      await settled(performance.now(), 100, 2000);
      const t0 = performance.now();
      act();
      return settled(t0);
    },
    unmount() {
      adapter.unmount();
    },
    /** Drop the page's own reference to the input (the mounted view keeps what it needs). */
    dropInput() {
      frame = null;
    },
  };
  (window as unknown as { bench: typeof api }).bench = api;
}
