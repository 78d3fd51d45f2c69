import { createTheme } from '@grafana/data';

import { NodeColorer, buildColorTable } from './colors';
import { FrameLayout, Viewport, layoutFrame } from './layout';
import { DrawContext, TextMeasurer, drawFrame } from './rendering';
import { search } from '../../transforms/search';
import { treeFromFolded } from './testTree';

/** A 2D context that records what is drawn; text is 7px per character (like a monospace font). */
function recordingContext() {
  const calls: Array<{ op: string; fill?: string; text?: string; x?: number; w?: number }> = [];
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
    fillRect(x: number, _y: number, w: number) {
      calls.push({ op: 'fillRect', fill: String(this.fillStyle), x, w });
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
  it('fills one rectangle per laid-out node, setting each colour once', () => {
    const { calls } = draw(['runtime.a 40', 'runtime.b 40', 'main.c 20']);
    const fills = calls.filter((c) => c.op === 'fillRect');
    expect(fills).toHaveLength(4);
    // Same package, same colour, and rectangles of one colour are drawn together.
    const byText = new Map(calls.filter((c) => c.op === 'fillText').map((c) => [c.text, c]));
    expect(byText.has('runtime.a')).toBe(true);
    const runs = fills.map((f) => f.fill).filter((f, k, a) => k === 0 || a[k - 1] !== f);
    expect(new Set(runs).size).toBe(runs.length);
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
    const dimmed = calls.filter((c) => c.op === 'fillRect' && c.fill === colors.fill[colors.dimmed]);
    expect(dimmed).toHaveLength(2); // the root and sha256.Sum
  });

  it('outlines inlined, kernel and JIT frames', () => {
    const { calls } = draw(['a_[i] 10', 'b_[k] 10', 'c_[j] 10', 'd 10']);
    expect(calls.filter((c) => c.op === 'strokeRect')).toHaveLength(3);
  });
});
