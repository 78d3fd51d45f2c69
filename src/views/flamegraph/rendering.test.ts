import { createTheme } from '@grafana/data';

import { NodeColorer, buildColorTable } from './colors';
import { FrameLayout, Viewport, layoutFrame } from './layout';
import { DrawContext, TextMeasurer, drawFrame } from './rendering';
import { search } from '../../transforms/search';
import { treeFromFolded } from './testTree';

/**
 * A 2D context that records what is drawn; text is 7px per character (like a monospace font). A
 * fill() records a `bar` per rect() of its path, in the fill colour.
 */
function recordingContext() {
  const calls: Array<{ op: string; fill?: string; text?: string; x?: number; w?: number }> = [];
  let path: Array<{ x: number; w: number }> = [];
  let measured = 0;
  const ctx = {
    fillStyle: '',
    strokeStyle: '',
    lineWidth: 1,
    font: '',
    textBaseline: 'alphabetic',
    setTransform: () => undefined,
    clearRect: () => undefined,
    setLineDash: () => undefined,
    strokeRect: () => calls.push({ op: 'strokeRect' }),
    beginPath() {
      path = [];
    },
    rect(x: number, _y: number, w: number) {
      path.push({ x, w });
    },
    fill() {
      calls.push({ op: 'fill', fill: String(this.fillStyle) });
      for (const r of path) {
        calls.push({ op: 'bar', fill: String(this.fillStyle), ...r });
      }
    },
    fillText(text: string, x: number) {
      calls.push({ op: 'fillText', fill: String(this.fillStyle), text, x });
    },
    measureText(text: string) {
      measured++;
      return { width: text.length * 7 } as TextMetrics;
    },
  };
  return { ctx: ctx as unknown as DrawContext, calls, measured: () => measured };
}

const theme = createTheme();
const vp: Viewport = { focus: 0, xStart: 0, xEnd: 1, width: 200, height: 100, rowHeight: 20, scrollTop: 0, orientation: 'icicle' };

function draw(lines: string[], fnSearch?: string, measurer = new TextMeasurer(), rec = recordingContext()) {
  const tree = treeFromFolded(lines);
  const colors = buildColorTable(theme, 'package');
  const layout = layoutFrame(tree, vp, new FrameLayout());
  drawFrame(
    rec.ctx,
    tree,
    layout,
    {
      width: vp.width,
      height: vp.height,
      dpr: 2,
      rowHeight: vp.rowHeight,
      font: '12px monospace',
      colors,
      colorer: new NodeColorer(tree, 'package', colors.merged),
      focusTotal: tree.total[0],
      fnMatch: fnSearch ? search(tree, { text: fnSearch, regex: false, caseSensitive: false }).matchFn : null,
      highlightFn: -1,
      strokeColor: '#000',
    },
    measurer
  );
  return { tree, colors, ...rec };
}

describe('drawFrame', () => {
  it('fills one rectangle per laid-out node, with one fill per colour', () => {
    const { calls } = draw(['runtime.a 40', 'runtime.b 40', 'main.c 20']);
    const bars = calls.filter((c) => c.op === 'bar');
    expect(bars).toHaveLength(4);
    const byText = new Map(calls.filter((c) => c.op === 'fillText').map((c) => [c.text, c]));
    expect(byText.has('runtime.a')).toBe(true);
    // Same package, same colour: runtime.a and runtime.b share a path, so one fill per colour.
    const fills = calls.filter((c) => c.op === 'fill').map((c) => c.fill);
    expect(new Set(fills).size).toBe(fills.length);
    expect(fills.length).toBeLessThan(bars.length);
  });

  it('truncates labels with an ellipsis and measures each name once', () => {
    const measurer = new TextMeasurer();
    const rec = recordingContext();
    const long = 'github.com/example/service/internal/handlers.(*Checkout).ServeHTTP';
    draw([`${long} 20`, 'short 80'], undefined, measurer, rec);
    const label = rec.calls.find((c) => c.op === 'fillText' && c.text!.startsWith('git'))!.text!;
    expect(label.endsWith('…')).toBe(true);
    expect(label.length * 7).toBeLessThanOrEqual(40 - 6);
    const first = rec.measured();
    draw([`${long} 20`, 'short 80'], undefined, measurer, rec);
    expect(rec.measured()).toBe(first);
  });

  it('dims search non-matches', () => {
    const { calls, colors } = draw(['json.Marshal 50', 'sha256.Sum 50'], 'json');
    const dimmed = calls.filter((c) => c.op === 'bar' && c.fill === colors.fill[colors.dimmed]);
    expect(dimmed).toHaveLength(2); // the root and sha256.Sum
  });

  it('outlines inlined, kernel and JIT frames', () => {
    const { calls } = draw(['a_[i] 10', 'b_[k] 10', 'c_[j] 10', 'd 10']);
    expect(calls.filter((c) => c.op === 'strokeRect')).toHaveLength(3);
  });
});
