/**
 * Bar colours. Every scheme maps a node to a small integer colour id so the renderer can sort
 * rectangles by colour and set fillStyle once per colour, not once per rectangle.
 */
import type { GrafanaTheme2 } from '@grafana/data';

import { ProfileTree, allocTree } from '../../model/profile';

export type ColorScheme = 'package' | 'value' | 'diff' | 'diff-colorblind';

/** Steps of the by-value ramp. */
export const VALUE_STEPS = 16;
/** Steps on each side of the diff scale (grew / shrank); ids 0..2*DIFF_STEPS, DIFF_STEPS = unchanged. */
export const DIFF_STEPS = 8;

/**
 * Go package path of a symbol: everything before the first dot after the last slash.
 * `encoding/json.(*decodeState).object` -> `encoding/json`, `runtime.mallocgc` -> `runtime`.
 */
export function goPackage(name: string): string {
  if (name[0] === '[') {
    return name; // an unsymbolized `[mapping]`
  }
  const slash = name.lastIndexOf('/');
  const dot = name.indexOf('.', slash + 1);
  return dot < 0 ? name : name.slice(0, dot);
}

/** FNV-1a 32-bit: stable across runs and machines, so a package keeps its colour. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Package hash by function name, across trees: a dashboard refresh brings back the same names, and
 * parsing and hashing a name's package costs about 300 ns (0.5 ms for the functions of a 16k-node
 * first draw). Cleared when it grows past MAX_CACHED_NAMES, so it stays bounded.
 */
const packageHashByName = new Map<string, number>();
const MAX_CACHED_NAMES = 200_000;

export function packageColorIndex(name: string, paletteSize: number): number {
  let h = packageHashByName.get(name);
  if (h === undefined) {
    if (packageHashByName.size >= MAX_CACHED_NAMES) {
      packageHashByName.clear();
    }
    h = hashString(goPackage(name));
    packageHashByName.set(name, h);
  }
  return h % paletteSize;
}

/** Ramp step for a node holding `share` (0..1) of the focused total. */
export function valueStep(share: number): number {
  const s = Math.floor(share * VALUE_STEPS);
  return s < 0 ? 0 : s >= VALUE_STEPS ? VALUE_STEPS - 1 : s;
}

/**
 * Relative change of a node's share of its profile between baseline (left) and comparison
 * (right): 0 unchanged, +1 doubled, -1 gone. A node only in the comparison is +Infinity.
 */
export function relativeChange(left: number, right: number, leftRoot: number, rightRoot: number): number {
  const pl = leftRoot > 0 ? left / leftRoot : 0;
  const pr = rightRoot > 0 ? right / rightRoot : 0;
  if (pl === 0) {
    return pr === 0 ? 0 : Infinity;
  }
  return (pr - pl) / pl;
}

/** Diff colour id: DIFF_STEPS = unchanged, above = grew, below = shrank; +-100% saturates. */
export function diffStep(change: number): number {
  const k = Math.round((change > 1 ? 1 : change < -1 ? -1 : change) * DIFF_STEPS);
  return k + DIFF_STEPS;
}

type Rgb = [number, number, number];

/** Parses `#rgb`, `#rrggbb`, `#rrggbbaa` and `rgb()/rgba()`; unknown -> mid grey. */
export function parseColor(c: string): Rgb {
  if (c[0] === '#') {
    const h = c.slice(1);
    if (h.length === 3) {
      return [parseInt(h[0] + h[0], 16), parseInt(h[1] + h[1], 16), parseInt(h[2] + h[2], 16)];
    }
    return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)];
  }
  const m = /rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/.exec(c);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [128, 128, 128];
}

function rgb(c: Rgb): string {
  return `rgb(${Math.round(c[0])}, ${Math.round(c[1])}, ${Math.round(c[2])})`;
}

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/** WCAG relative luminance. */
function luminance([r, g, b]: Rgb): number {
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** Black or white, whichever contrasts more with the bar: readable in light and dark themes. */
export function textColorFor(fill: string): string {
  const l = luminance(parseColor(fill));
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? '#000000' : '#ffffff';
}

/** The diff scale: the one place with fixed colours (its meaning must not change with the theme). */
export const DIFF_COLORS = {
  default: { shrank: 'rgb(0, 170, 0)', same: 'rgb(148, 142, 142)', grew: 'rgb(200, 0, 0)' },
  colorblind: { shrank: 'rgb(26, 133, 255)', same: 'rgb(148, 142, 142)', grew: 'rgb(230, 120, 0)' },
};

/** Colours for one scheme and theme. Ids past the scheme's own are the shared extras below. */
export interface ColorTable {
  fill: string[];
  text: string[];
  /** Merged level-of-detail blocks. */
  merged: number;
  /** Search non-matches. */
  dimmed: number;
}

const tableCache = new WeakMap<GrafanaTheme2, Map<ColorScheme, ColorTable>>();

/** The colour table of a theme and scheme; built once per theme (every mount draws with it). */
export function buildColorTable(theme: GrafanaTheme2, scheme: ColorScheme): ColorTable {
  let byScheme = tableCache.get(theme);
  if (!byScheme) {
    byScheme = new Map();
    tableCache.set(theme, byScheme);
  }
  let table = byScheme.get(scheme);
  if (!table) {
    table = colorTable(theme, scheme);
    byScheme.set(scheme, table);
  }
  return table;
}

function colorTable(theme: GrafanaTheme2, scheme: ColorScheme): ColorTable {
  const fill: string[] = [];
  if (scheme === 'package') {
    for (const name of theme.visualization.palette) {
      fill.push(theme.visualization.getColorByName(name));
    }
  } else if (scheme === 'value') {
    const lo = parseColor(theme.visualization.getColorByName('super-light-yellow'));
    const hi = parseColor(theme.visualization.getColorByName('dark-red'));
    for (let s = 0; s < VALUE_STEPS; s++) {
      fill.push(rgb(mix(lo, hi, s / (VALUE_STEPS - 1))));
    }
  } else {
    const c = scheme === 'diff' ? DIFF_COLORS.default : DIFF_COLORS.colorblind;
    const same = parseColor(c.same);
    const shrank = parseColor(c.shrank);
    const grew = parseColor(c.grew);
    for (let k = -DIFF_STEPS; k <= DIFF_STEPS; k++) {
      fill.push(rgb(k < 0 ? mix(same, shrank, -k / DIFF_STEPS) : mix(same, grew, k / DIFF_STEPS)));
    }
  }
  const text = fill.map(textColorFor);
  const merged = fill.length;
  fill.push(theme.colors.border.strong);
  text.push(theme.colors.text.primary);
  const dimmed = fill.length;
  fill.push(theme.colors.background.secondary);
  text.push(theme.colors.text.disabled);
  return { fill, text, merged, dimmed };
}

/**
 * Computes colour ids for nodes. Per-function package colours are computed lazily (only for
 * functions that get drawn) and kept for the life of the tree.
 */
export class NodeColorer {
  /** Keeps the class's optimized code alive between trees (see FrameLayout.idle in layout.ts). */
  static readonly idle = new NodeColorer(
    allocTree({ sampleType: '', unit: 'count', functions: { name: [], kind: new Uint8Array(0), count: 0 } }, 1, false),
    'package',
    1
  );
  private fnColor: Int16Array;
  private readonly leftRoot: number;
  private readonly rightRoot: number;

  constructor(
    private readonly tree: ProfileTree,
    private readonly scheme: ColorScheme,
    private readonly paletteSize: number
  ) {
    this.fnColor = new Int16Array(tree.functions.count).fill(-1);
    this.leftRoot = tree.size > 0 ? tree.total[0] : 0;
    this.rightRoot = tree.right && tree.size > 0 ? tree.right.total[0] : 0;
  }

  /** Colour id of node i; `focusTotal` scales the by-value ramp. */
  colorOf(i: number, focusTotal: number): number {
    const tree = this.tree;
    switch (this.scheme) {
      case 'package': {
        const f = tree.fn[i];
        if (f < 0) {
          return 0;
        }
        let c = this.fnColor[f];
        if (c < 0) {
          c = packageColorIndex(tree.functions.name[f], this.paletteSize);
          this.fnColor[f] = c;
        }
        return c;
      }
      case 'value':
        return valueStep(focusTotal > 0 ? tree.total[i] / focusTotal : 0);
      default:
        if (!tree.right) {
          return DIFF_STEPS;
        }
        return diffStep(relativeChange(tree.total[i], tree.right.total[i], this.leftRoot, this.rightRoot));
    }
  }
}
