/**
 * Draws a computed FrameLayout on a 2D canvas context. Rectangles are bucketed by colour with a
 * counting sort so fillStyle is set once per colour; labels are drawn with fillText only (names
 * are untrusted text, never HTML) and measured once per name and font.
 */
import { FrameKind, ProfileTree, nodeName } from '../../model/profile';
import { ColorTable, NodeColorer } from './colors';
import { FrameLayout, RectKind } from './layout';

/** Minimal surface of CanvasRenderingContext2D the renderer uses (also what tests provide). */
export type DrawContext = Pick<
  CanvasRenderingContext2D,
  | 'setTransform'
  | 'clearRect'
  | 'beginPath'
  | 'rect'
  | 'fill'
  | 'fillText'
  | 'strokeRect'
  | 'measureText'
  | 'setLineDash'
  | 'fillStyle'
  | 'strokeStyle'
  | 'lineWidth'
  | 'font'
  | 'textBaseline'
>;

/**
 * Width of each name in one font, measured once. Labels use a monospace font, so an ASCII name is
 * its length times one measured character width (measureText costs microseconds per call, and a
 * first draw shows hundreds of names); other names are measured.
 */
export class TextMeasurer {
  /** Keeps the class's optimized code alive between mounts (see FrameLayout.idle in layout.ts). */
  static readonly idle = new TextMeasurer();
  private widths = new Map<string, number>();
  private font = '';
  private charWidth = 0;
  ellipsisWidth = 0;

  setFont(ctx: DrawContext, font: string): void {
    if (font !== this.font) {
      this.font = font;
      this.widths.clear();
      ctx.font = font;
      this.ellipsisWidth = ctx.measureText('…').width;
      this.charWidth = ctx.measureText('0123456789').width / 10;
    }
  }

  width(ctx: DrawContext, text: string): number {
    let w = this.widths.get(text);
    if (w === undefined) {
      w = isAscii(text) ? text.length * this.charWidth : ctx.measureText(text).width;
      this.widths.set(text, w);
    }
    return w;
  }

  /** `text` cut to fit `avail` px with an ellipsis, or '' when not even one character fits. */
  fit(ctx: DrawContext, text: string, avail: number): string {
    const full = this.width(ctx, text);
    if (full <= avail) {
      return text;
    }
    // Prefix width estimated from the name's own mean character width (exact in a monospace font).
    const k = Math.floor(((avail - this.ellipsisWidth) * text.length) / full);
    return k < 1 ? '' : text.slice(0, k) + '…';
  }
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0x7e) {
      return false;
    }
  }
  return true;
}

export interface RenderOptions {
  width: number;
  height: number;
  dpr: number;
  rowHeight: number;
  font: string;
  colors: ColorTable;
  colorer: NodeColorer;
  /** Value of the focused node, for the by-value ramp. */
  focusTotal: number;
  /** From the search transform: non-matching nodes are dimmed. */
  fnMatch: Uint8Array | null;
  /** Function to outline (a row clicked in the table), or -1. Every function of that name is outlined. */
  highlightFn: number;
  /** Outline colour for highlights and frame kinds. */
  strokeColor: string;
}

const LABEL_PADDING = 3;
const MIN_LABEL_WIDTH = 16;

let colorIds = new Uint16Array(1024);
let order = new Int32Array(1024);

/**
 * Draws `layout` and returns how many labels were drawn. Each pass is one flat loop in a function
 * of its own: V8 compiles a hot loop on stack (OSR) while it runs, and a loop nested in another
 * one (say, bars inside colours) loses that code each time it exits to the outer loop.
 */
export function drawFrame(
  ctx: DrawContext,
  tree: ProfileTree,
  layout: FrameLayout,
  opts: RenderOptions,
  measurer: TextMeasurer
): number {
  ctx.setTransform(opts.dpr, 0, 0, opts.dpr, 0, 0);
  ctx.clearRect(0, 0, opts.width, opts.height);
  const n = layout.count;
  if (colorIds.length < n) {
    colorIds = new Uint16Array(n * 2);
    order = new Int32Array(n * 2);
  }
  sortByColor(tree, layout, opts);
  fillBars(ctx, layout, opts);

  // Frame kinds get their own outline: inlined dashed, kernel solid, JIT dotted.
  ctx.strokeStyle = opts.strokeColor;
  ctx.lineWidth = 1;
  for (const [kind, dash] of KIND_DASH) {
    outlineKind(ctx, tree, layout, opts, kind, dash);
  }
  ctx.setLineDash([]);
  if (opts.highlightFn >= 0) {
    ctx.lineWidth = 2;
    outlineHighlight(ctx, tree, layout, opts);
    ctx.lineWidth = 1;
  }

  measurer.setFont(ctx, opts.font);
  ctx.font = opts.font;
  ctx.textBaseline = 'middle';
  return drawLabels(ctx, tree, layout, opts, measurer);
}

/** Colour id per rectangle into colorIds, then `order` lists the rectangles by colour (counting sort). */
function sortByColor(tree: ProfileTree, layout: FrameLayout, opts: RenderOptions): void {
  const { colors, colorer, fnMatch, focusTotal } = opts;
  const { node, flags } = layout;
  const n = layout.count;
  const counts = new Int32Array(colors.fill.length + 1);
  for (let k = 0; k < n; k++) {
    let c: number;
    if (flags[k] === RectKind.Merged) {
      c = colors.merged;
    } else {
      const i = node[k];
      const f = tree.fn[i];
      c = fnMatch && (f < 0 || fnMatch[f] === 0) ? colors.dimmed : colorer.colorOf(i, focusTotal);
    }
    colorIds[k] = c;
    counts[c + 1]++;
  }
  for (let c = 1; c < counts.length; c++) {
    counts[c] += counts[c - 1];
  }
  for (let k = 0; k < n; k++) {
    order[counts[colorIds[k]]++] = k;
  }
}

/**
 * Bars in colour order, one path per colour: a wide profile shows thousands of 1-2px bars, and a
 * rect() costs far less than a fillRect() (which is a draw of its own). The bars never overlap, so
 * one fill paints them as a fillRect each would, except where two bars of one colour share a pixel:
 * the path covers it once, with no seam of two blended half-covered edges.
 */
function fillBars(ctx: DrawContext, layout: FrameLayout, opts: RenderOptions): void {
  const { width, colors } = opts;
  const { x, w, y } = layout;
  const barHeight = opts.rowHeight - 1;
  let current = -1;
  for (let o = 0; o < layout.count; o++) {
    const k = order[o];
    const c = colorIds[k];
    if (c !== current) {
      if (current >= 0) {
        ctx.fill();
      }
      current = c;
      ctx.fillStyle = colors.fill[c];
      ctx.beginPath();
    }
    // Clip to the canvas so zoomed-in bars do not carry huge coordinates; keep a 1px gap between wide bars.
    const x0 = x[k] < 0 ? 0 : x[k];
    const x1 = x[k] + w[k] > width ? width : x[k] + w[k];
    const bw = x1 - x0;
    ctx.rect(x0, y[k], bw >= 3 ? bw - 1 : bw, barHeight);
  }
  if (current >= 0) {
    ctx.fill();
  }
}

function outlineKind(
  ctx: DrawContext,
  tree: ProfileTree,
  layout: FrameLayout,
  opts: RenderOptions,
  kind: FrameKind,
  dash: number[]
): void {
  const { node, flags, x, w, y } = layout;
  const kinds = tree.functions.kind;
  const barHeight = opts.rowHeight - 1;
  let dashSet = false;
  for (let k = 0; k < layout.count; k++) {
    const f = tree.fn[node[k]];
    if (flags[k] !== RectKind.Merged && f >= 0 && kinds[f] === kind && w[k] >= 3) {
      if (!dashSet) {
        ctx.setLineDash(dash);
        dashSet = true;
      }
      ctx.strokeRect(Math.max(0, x[k]) + 0.5, y[k] + 0.5, Math.min(w[k], opts.width) - 2, barHeight - 1);
    }
  }
}

/** Outlines every bar of the highlighted function's name. */
function outlineHighlight(ctx: DrawContext, tree: ProfileTree, layout: FrameLayout, opts: RenderOptions): void {
  const { node, flags, x, w, y } = layout;
  const names = tree.functions.name;
  const hl = names[opts.highlightFn];
  const barHeight = opts.rowHeight - 1;
  for (let k = 0; k < layout.count; k++) {
    const f = tree.fn[node[k]];
    if (flags[k] !== RectKind.Merged && f >= 0 && (f === opts.highlightFn || names[f] === hl)) {
      ctx.strokeRect(Math.max(0, x[k]) + 1, y[k] + 1, Math.max(1, Math.min(w[k], opts.width) - 3), barHeight - 2);
    }
  }
}

/** Labels, in colour order so the text colour changes only with the bar colour. */
function drawLabels(
  ctx: DrawContext,
  tree: ProfileTree,
  layout: FrameLayout,
  opts: RenderOptions,
  measurer: TextMeasurer
): number {
  const { width, colors } = opts;
  const { node, flags, x, w, y } = layout;
  const textY = (opts.rowHeight - 1) / 2;
  let labels = 0;
  let currentText = '';
  for (let o = 0; o < layout.count; o++) {
    const k = order[o];
    if (flags[k] === RectKind.Merged) {
      continue;
    }
    const x0 = x[k] < 0 ? 0 : x[k];
    const x1 = x[k] + w[k] > width ? width : x[k] + w[k];
    const avail = x1 - x0 - 2 * LABEL_PADDING;
    if (avail < MIN_LABEL_WIDTH) {
      continue;
    }
    const label = measurer.fit(ctx, nodeName(tree, node[k]), avail);
    if (label === '') {
      continue;
    }
    const text = colors.text[colorIds[k]];
    if (text !== currentText) {
      currentText = text;
      ctx.fillStyle = text;
    }
    ctx.fillText(label, x0 + LABEL_PADDING, y[k] + textY);
    labels++;
  }
  return labels;
}

const KIND_DASH: Array<[FrameKind, number[]]> = [
  [FrameKind.Inlined, [4, 2]],
  [FrameKind.Kernel, []],
  [FrameKind.Jit, [1, 2]],
];
