import { createTheme } from '@grafana/data';

import {
  DIFF_COLORS,
  DIFF_STEPS,
  NodeColorer,
  VALUE_STEPS,
  buildColorTable,
  diffStep,
  goPackage,
  hashString,
  packageColorIndex,
  relativeChange,
  textColorFor,
  valueStep,
} from './colors';
import { treeFromFolded } from './testTree';

describe('package colours', () => {
  it('extracts the Go package path', () => {
    expect(goPackage('encoding/json.(*decodeState).object')).toBe('encoding/json');
    expect(goPackage('runtime.mallocgc')).toBe('runtime');
    expect(goPackage('github.com/foo/bar/baz.(*T).Method.func1')).toBe('github.com/foo/bar/baz');
    expect(goPackage('[libc-2.15.so]')).toBe('[libc-2.15.so]');
    expect(goPackage('main')).toBe('main');
  });

  it('hashes stably (FNV-1a) so a package keeps its colour, and functions of one package share it', () => {
    expect(hashString('')).toBe(0x811c9dc5);
    expect(hashString('a')).toBe(0xe40c292c);
    const n = createTheme().visualization.palette.length;
    expect(packageColorIndex('runtime.mallocgc', n)).toBe(packageColorIndex('runtime.gcBgMarkWorker', n));
    expect(packageColorIndex('runtime.mallocgc', n)).toBe(hashString('runtime') % n);
  });

  it("uses Grafana's classic palette with readable text in dark and light themes", () => {
    for (const mode of ['dark', 'light'] as const) {
      const theme = createTheme({ colors: { mode } });
      const table = buildColorTable(theme, 'package');
      expect(table.merged).toBe(theme.visualization.palette.length);
      expect(table.fill[0]).toBe(theme.visualization.getColorByName(theme.visualization.palette[0]));
      expect(table.fill[table.dimmed]).toBe(theme.colors.background.secondary);
      for (let c = 0; c < table.merged; c++) {
        expect(['#000000', '#ffffff']).toContain(table.text[c]);
      }
    }
    expect(textColorFor('#FADE2A')).toBe('#000000');
    expect(textColorFor('#1F60C4')).toBe('#ffffff');
    expect(textColorFor('rgb(200, 0, 0)')).toBe('#ffffff');
  });
});

describe('value and diff colours', () => {
  it('ramps by share of the focused value', () => {
    expect(valueStep(0)).toBe(0);
    expect(valueStep(0.5)).toBe(VALUE_STEPS / 2);
    expect(valueStep(1)).toBe(VALUE_STEPS - 1);
    expect(buildColorTable(createTheme(), 'value').merged).toBe(VALUE_STEPS);
  });

  it('scales the diff colour by the relative change of the share, saturating at +-100%', () => {
    expect(relativeChange(10, 20, 100, 100)).toBe(1);
    expect(relativeChange(10, 10, 100, 200)).toBe(-0.5);
    expect(relativeChange(0, 5, 100, 100)).toBe(Infinity);
    expect(relativeChange(0, 0, 100, 100)).toBe(0);
    expect(diffStep(0)).toBe(DIFF_STEPS);
    expect(diffStep(Infinity)).toBe(2 * DIFF_STEPS);
    expect(diffStep(-1)).toBe(0);
    expect(diffStep(0.5)).toBe(DIFF_STEPS + DIFF_STEPS / 2);
    const table = buildColorTable(createTheme(), 'diff');
    expect(table.fill[DIFF_STEPS]).toBe(DIFF_COLORS.default.same);
    expect(table.fill[2 * DIFF_STEPS]).toBe(DIFF_COLORS.default.grew);
    expect(table.fill[0]).toBe(DIFF_COLORS.default.shrank);
    const cb = buildColorTable(createTheme(), 'diff-colorblind');
    expect(cb.fill[2 * DIFF_STEPS]).toBe(DIFF_COLORS.colorblind.grew);
    expect(cb.fill[0]).toBe(DIFF_COLORS.colorblind.shrank);
  });

  it('colours nodes of a diff tree: red grew, green shrank, grey unchanged', () => {
    // total 100 both sides; a: 50 -> 80 (grew), b: 40 -> 10 (shrank), c: 10 -> 10 (same)
    const t = treeFromFolded(['a 50 80', 'b 40 10', 'c 10 10']);
    const colorer = new NodeColorer(t, 'diff', 0);
    const byName = (n: string) => t.functions.name.indexOf(n);
    const node = (n: string) => Array.from(t.fn).indexOf(byName(n));
    expect(colorer.colorOf(node('a'), 0)).toBeGreaterThan(DIFF_STEPS);
    expect(colorer.colorOf(node('b'), 0)).toBeLessThan(DIFF_STEPS);
    expect(colorer.colorOf(node('c'), 0)).toBe(DIFF_STEPS);
  });
});
