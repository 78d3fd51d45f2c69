import { FrameKind } from '../model/profile';
import { buildSampleTree, SampleTable } from '../model/samples';
import { FunctionInterner } from '../model/treeBuilder';
import { InlineMark, TopTable, topRowName, topTable, topTableOfSamples } from './top';

/**
 * A SampleTable with one sample per `root;…;leaf` stack. As in pprof, a frame ending in `_[i]` was
 * inlined into the frame before it and shares its location; other frames start a location.
 */
function samplesOf(stacks: Array<[string, number]>): SampleTable {
  const functions = new FunctionInterner();
  const locationOf = new Map<string, number>();
  const frames: number[] = [];
  const frameOffsets = [0];
  const stackLocations: number[] = [];
  const stackOffsets = [0];
  for (const [stack] of stacks) {
    const locs = stack.split(/;(?!\w+_\[i\])/).map((location) => {
      let l = locationOf.get(location);
      if (l === undefined) {
        l = frameOffsets.length - 1;
        locationOf.set(location, l);
        location.split(';').forEach((frame, i) => {
          const kind = i > 0 ? FrameKind.Inlined : FrameKind.Normal;
          frames.push(functions.intern(frame.replace(/_\[i\]$/, ''), kind));
        });
        frameOffsets.push(frames.length);
      }
      return l;
    });
    stackLocations.push(...locs.reverse());
    stackOffsets.push(stackLocations.length);
  }
  const count = stacks.length;
  return {
    count,
    sampleTypes: [{ type: 'samples', unit: 'count' }],
    defaultType: 0,
    values: Float64Array.from(stacks.map(([, v]) => v)),
    stack: Int32Array.from(stacks.map((_, s) => s)),
    stackCount: count,
    stackOffsets: Int32Array.from(stackOffsets),
    stackLocations: Int32Array.from(stackLocations),
    frameOffsets: Int32Array.from(frameOffsets),
    frames: Int32Array.from(frames),
    functions,
    labelOffsets: new Int32Array(count + 1),
    labelKey: new Int32Array(0),
    labelStr: new Int32Array(0),
    labelNum: new Float64Array(0),
    labelUnit: new Int32Array(0),
    strings: [''],
  };
}

function rows(top: TopTable): string[] {
  return Array.from({ length: top.count }, (_, r) => `${top.flat[r]} ${top.cum[r]} ${topRowName(top, r)}`);
}

/** Both ways of computing the table, which must agree row for row. */
function bothTops(samples: SampleTable): string[] {
  const fromSamples = topTableOfSamples(samples);
  const fromTree = topTable(buildSampleTree(samples));
  expect(rows(fromSamples)).toEqual(rows(fromTree));
  expect(fromSamples.total).toBe(fromTree.total);
  return rows(fromSamples);
}

describe('top table', () => {
  it('counts a recursive function once per stack in cum', () => {
    expect(bothTops(samplesOf([['main;a;b;a;b', 5], ['main;a', 2]]))).toEqual([
      '5 5 b',
      '2 7 a',
      '0 7 main',
    ]);
  });

  it('marks an edge inlined only when every call along it is (pprof: Edge.Inline)', () => {
    // a -> c is both inlined and called: a called edge, so c is not marked at all.
    expect(bothTops(samplesOf([['a;c_[i]', 1], ['a;c', 1]]))).toEqual(['2 2 c', '0 2 a']);
    // b -> c only inlined, d -> c called: partly inlined.
    const mixed = samplesOf([['b;c_[i]', 1], ['d;c', 2]]);
    expect(bothTops(mixed)).toEqual(['3 3 c (partial-inline)', '0 1 b', '0 2 d']);
    expect(topTableOfSamples(mixed).inline[0]).toBe(InlineMark.Partial);
    // Only ever inlined.
    expect(bothTops(samplesOf([['a;c_[i]', 1], ['b;c_[i]', 1]]))).toEqual(['2 2 c (inline)', '0 1 a', '0 1 b']);
    // Inlined into several callers: each edge is judged on its own.
    const inlinedTwice = [['a;c_[i]', 1], ['b;c_[i]', 1], ['a;c', 1]] as Array<[string, number]>;
    expect(bothTops(samplesOf(inlinedTwice))).toEqual(['3 3 c (partial-inline)', '0 2 a', '0 1 b']);
    expect(bothTops(samplesOf([...inlinedTwice, ['b;c', 1]]))).toEqual(['4 4 c', '0 2 a', '0 2 b']);
  });

  it('leaves out stacks whose samples are 0 and rejects an unknown sample type', () => {
    const samples = samplesOf([['main;a', 0], ['main;b', 3]]);
    expect(bothTops(samples)).toEqual(['3 3 b', '0 3 main']);
    expect(() => topTableOfSamples(samples, { sampleType: 'cpu' })).toThrow(/unknown sample type "cpu"/);
  });
});
