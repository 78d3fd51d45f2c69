/** @jest-environment node */
import { nodeName } from '../../model/profile';
import {
  FrameLayout,
  RectKind,
  Viewport,
  hitTest,
  indexWhileIdle,
  layoutFrame,
  nodeSpan,
  subtreeMaxDepth,
} from './layout';
import { treeFromFolded } from './testTree';

const base: Viewport = {
  focus: 0,
  xStart: 0,
  xEnd: 1,
  width: 100,
  height: 100,
  rowHeight: 10,
  scrollTop: 0,
  orientation: 'icicle',
};

function rects(tree: ReturnType<typeof treeFromFolded>, out: FrameLayout) {
  const rows = [];
  for (let k = 0; k < out.count; k++) {
    rows.push({ name: nodeName(tree, out.node[k]), x: out.x[k], w: out.w[k], y: out.y[k], kind: out.flags[k] });
  }
  return rows.sort((a, b) => a.y - b.y || a.x - b.x);
}

describe('layoutFrame', () => {
  const tree = treeFromFolded(['main;a 60', 'main;b 30', 'main 10']);

  it('places children left-aligned, self on the right, one row per depth (icicle)', () => {
    expect(rects(tree, layoutFrame(tree, base, new FrameLayout()))).toEqual([
      { name: 'total', x: 0, w: 100, y: 0, kind: RectKind.Node },
      { name: 'main', x: 0, w: 100, y: 10, kind: RectKind.Node },
      { name: 'a', x: 0, w: 60, y: 20, kind: RectKind.Node },
      { name: 'b', x: 60, w: 30, y: 20, kind: RectKind.Node },
    ]);
  });

  it('puts the root at the bottom in flame orientation', () => {
    const out = layoutFrame(tree, { ...base, orientation: 'flame' }, new FrameLayout());
    const ys = rects(tree, out).map((r) => [r.name, r.y]);
    expect(ys).toEqual([
      ['a', 70],
      ['b', 70],
      ['main', 80],
      ['total', 90],
    ]);
  });

  it('draws the ancestors of the focused node at full width and zooms the focused node to the width', () => {
    const a = 2;
    expect(nodeName(tree, a)).toBe('a');
    expect(rects(tree, layoutFrame(tree, { ...base, focus: a }, new FrameLayout()))).toEqual([
      { name: 'total', x: 0, w: 100, y: 0, kind: RectKind.Ancestor },
      { name: 'main', x: 0, w: 100, y: 10, kind: RectKind.Ancestor },
      { name: 'a', x: 0, w: 100, y: 20, kind: RectKind.Node },
    ]);
  });

  it('zooms horizontally to an x range and culls what is left of it', () => {
    const out = rects(tree, layoutFrame(tree, { ...base, xStart: 0.5, xEnd: 1 }, new FrameLayout()));
    expect(out.filter((r) => r.y === 20)).toEqual([
      { name: 'a', x: -100, w: 120, y: 20, kind: RectKind.Node },
      { name: 'b', x: 20, w: 60, y: 20, kind: RectKind.Node },
    ]);
  });

  it('merges runs of sub-pixel siblings into one level-of-detail block and never enters them', () => {
    const lines = ['main;big 800'];
    for (let i = 0; i < 200; i++) {
      lines.push(`main;x${String(i).padStart(3, '0')};deep;deeper 1`);
    }
    const t = treeFromFolded(lines);
    const out = layoutFrame(t, base, new FrameLayout());
    const r = rects(t, out);
    expect(r.filter((q) => q.y === 20)).toEqual([
      { name: 'big', x: 0, w: 80, y: 20, kind: RectKind.Node },
      { name: 'x000', x: 80, w: expect.closeTo(20, 4), y: 20, kind: RectKind.Merged },
    ]);
    expect(r.some((q) => q.name === 'deep')).toBe(false);
    expect(out.count).toBe(4);
  });

  it('lays out the same before and after the idle-time index, which comes in slices', () => {
    const lines = ['main;big;x 500', 'main;big;y 3'];
    for (let i = 0; i < 3000; i++) {
      lines.push(`main;f${i % 700};g${i % 7};h 1`);
    }
    const t = treeFromFolded(lines);
    const foci = [0, 1, 2, 5, 40];
    const before = foci.map((focus) => [
      rects(t, layoutFrame(t, { ...base, focus, width: 700 }, new FrameLayout())),
      subtreeMaxDepth(t, focus),
    ]);
    let calls = 0;
    let budget = 0;
    // A budget that runs out after each check: one slice per call.
    while (!indexWhileIdle(t, () => (budget++ % 2 === 0 ? 5 : 0))) {
      calls++;
    }
    expect(calls).toBeGreaterThan(0);
    const after = foci.map((focus) => [
      rects(t, layoutFrame(t, { ...base, focus, width: 700 }, new FrameLayout())),
      subtreeMaxDepth(t, focus),
    ]);
    expect(after).toEqual(before);
  });

  it('renders a 5,000-deep stack one window of rows at a time (virtual scroll)', () => {
    const names = [];
    for (let i = 0; i < 5000; i++) {
      names.push(`f${i}`);
    }
    const t = treeFromFolded([`${names.join(';')} 1`]);
    expect(subtreeMaxDepth(t, 0)).toBe(5000);
    const out = layoutFrame(t, { ...base, scrollTop: 40000 }, new FrameLayout());
    const r = rects(t, out);
    expect(r.map((q) => q.name)).toEqual(names.slice(3999, 4009));
    expect(r.map((q) => q.y)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
    const flame = rects(t, layoutFrame(t, { ...base, scrollTop: 40000, orientation: 'flame' }, new FrameLayout()));
    expect(flame[flame.length - 1]).toMatchObject({ name: 'f3999', y: 90 });
    expect(flame[0]).toMatchObject({ name: 'f4008', y: 0 });
  });

  it('grows its buffers past the initial capacity', () => {
    const lines = [];
    for (let i = 0; i < 3000; i++) {
      lines.push(`f${i} 1`);
    }
    const t = treeFromFolded(lines);
    const expected = layoutFrame(t, { ...base, width: 3000 }, new FrameLayout());
    expect(expected.count).toBe(3001);
    // From empty (the idle instance's size) and from a capacity the rectangles outgrow.
    for (const capacity of [0, 1000]) {
      const out = layoutFrame(t, { ...base, width: 3000 }, new FrameLayout(capacity));
      expect(out.count).toBe(3001);
      expect(Array.from(out.node.subarray(0, out.count))).toEqual(Array.from(expected.node.subarray(0, 3001)));
      expect(Array.from(out.x.subarray(0, out.count))).toEqual(Array.from(expected.x.subarray(0, 3001)));
    }
  });

  it('emits nothing for an empty viewport', () => {
    expect(layoutFrame(tree, { ...base, width: 0 }, new FrameLayout()).count).toBe(0);
  });
});

describe('hitTest', () => {
  const tree = treeFromFolded(['main;a 60', 'main;b 30', 'main 10']);
  const name = (i: number) => (i < 0 ? null : nodeName(tree, i));

  it('finds the node under the point in both orientations', () => {
    expect(name(hitTest(tree, base, 65, 25))).toBe('b');
    expect(name(hitTest(tree, base, 5, 25))).toBe('a');
    expect(name(hitTest(tree, base, 5, 15))).toBe('main');
    expect(name(hitTest(tree, base, 95, 25))).toBeNull(); // main's self part
    expect(name(hitTest(tree, base, 5, 35))).toBeNull();
    const flame = { ...base, orientation: 'flame' as const };
    expect(name(hitTest(tree, flame, 65, 75))).toBe('b');
    expect(name(hitTest(tree, flame, 65, 95))).toBe('total');
  });

  it('returns ancestors of the focus and honours zoom', () => {
    const focused = { ...base, focus: 2 };
    expect(name(hitTest(tree, focused, 99, 5))).toBe('total');
    expect(name(hitTest(tree, focused, 99, 25))).toBe('a');
    expect(name(hitTest(tree, { ...base, xStart: 0.5 }, 25, 25))).toBe('b');
  });

  it('agrees with the layout on every drawn node', () => {
    const lines = [];
    for (let i = 0; i < 40; i++) {
      lines.push(`m${i % 3};g${i % 7};h${i} ${1 + (i % 5)}`);
    }
    const t = treeFromFolded(lines);
    const vp = { ...base, width: 400 };
    const out = layoutFrame(t, vp, new FrameLayout());
    for (let k = 0; k < out.count; k++) {
      if (out.w[k] >= 2) {
        expect(hitTest(t, vp, out.x[k] + out.w[k] / 2, out.y[k] + 5)).toBe(out.node[k]);
        expect(nodeSpan(t, vp, out.node[k])?.x).toBeCloseTo(out.x[k], 3);
      }
    }
  });
});
