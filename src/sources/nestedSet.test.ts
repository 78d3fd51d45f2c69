/** @jest-environment node */
import type { DataFrame, Field, FieldType } from '@grafana/data';

import { FrameKind } from '../model/profile';
import { dumpTree, fixtureTree } from '../transforms/testFixtures';
import { ProfileImportError } from './errors';
import { foldedToTree } from './folded';
import { isNestedSetFrame, nestedSetToTree, readNestedSetFrame, toNestedSetFrame } from './nestedSet';

function field(name: string, values: unknown[], type = 'number', config: Field['config'] = {}): Field {
  return { name, type: type as FieldType, config, values };
}

/** A frame as Pyroscope's data source builds it: enum label, unit on value and self. */
function pyroscopeFrame(rows: Array<[number, number, number, string]>, unit = 'ns'): DataFrame {
  const text: string[] = [];
  const index = new Map<string, number>();
  const labels = rows.map(([, , , name]) => {
    if (!index.has(name)) {
      index.set(name, text.length);
      text.push(name);
    }
    return index.get(name)!;
  });
  return {
    name: 'response',
    length: rows.length,
    meta: { preferredVisualisationType: 'flamegraph' },
    fields: [
      field(
        'level',
        rows.map((r) => r[0])
      ),
      field(
        'value',
        rows.map((r) => r[1]),
        'number',
        { unit }
      ),
      field(
        'self',
        rows.map((r) => r[2]),
        'number',
        { unit }
      ),
      field('label', labels, 'enum', { type: { enum: { text } } }),
    ],
  };
}

describe('nestedSetToTree', () => {
  it('reads a Pyroscope frame with an enum label field, keeping row order and `other`', () => {
    const frame = pyroscopeFrame([
      [0, 100, 0, 'total'],
      [1, 70, 5, 'main'],
      [2, 40, 40, 'json.Marshal'],
      [2, 20, 20, 'sha256.block'],
      [2, 5, 5, 'other'],
      [1, 30, 10, 'runtime.gcBgMarkWorker'],
      [2, 20, 20, 'runtime.scanobject'],
    ]);
    expect(isNestedSetFrame(frame)).toBe(true);
    const { tree, repairedRows } = readNestedSetFrame(frame);
    expect(repairedRows).toBe(0);
    expect(tree.unit).toBe('nanoseconds');
    expect(tree.sampleType).toBe('cpu');
    expect(dumpTree(tree)).toEqual([
      'total 0/100',
      '  main 5/70',
      '    json.Marshal 40/40',
      '    sha256.block 20/20',
      '    other 5/5',
      '  runtime.gcBgMarkWorker 10/30',
      '    runtime.scanobject 20/20',
    ]);
    expect(Array.from(tree.parent)).toEqual([-1, 0, 1, 1, 1, 0, 5]);
    expect(Array.from(tree.end)).toEqual([7, 5, 3, 4, 5, 7, 7]);
    expect(tree.truncation).toEqual({ droppedNodes: 1, otherValue: 5 });
  });

  it('reads string labels, bytes/short units and a sample type from meta', () => {
    const frame: DataFrame = {
      length: 2,
      meta: { custom: { ProfileTypeID: 'memory:alloc_space:bytes:space:bytes' } },
      fields: [
        field('label', ['total', 'make'], 'string'),
        field('self', [0, 8]),
        field('level', [0, 1]),
        field('value', [8, 8], 'number', { unit: 'bytes' }),
      ],
    };
    const t = nestedSetToTree(frame);
    expect(t.sampleType).toBe('alloc_space');
    expect(t.unit).toBe('bytes');
    expect(dumpTree(t)).toEqual(['total 0/8', '  make 8/8']);
    expect(t.truncation).toBeUndefined();
    frame.fields[3].config = { unit: 'short' };
    expect(nestedSetToTree(frame).unit).toBe('count');
  });

  it('interns string labels by text: a repeated name is one function, odd values are text', () => {
    const frame: DataFrame = {
      length: 6,
      fields: [
        field('level', [0, 1, 2, 1, 2, 1]),
        field('value', [10, 4, 3, 4, 3, 2]),
        field('self', [0, 1, 3, 1, 3, 2]),
        field('label', ['total', 'a', 'b', 'b', 'a', null], 'string'),
      ],
    };
    const t = nestedSetToTree(frame);
    expect(t.functions.name).toEqual(['a', 'b', '']);
    expect(Array.from(t.functions.kind)).toEqual([FrameKind.Normal, FrameKind.Normal, FrameKind.Normal]);
    expect(t.functions.count).toBe(3);
    expect(Array.from(t.fn)).toEqual([-1, 0, 1, 1, 0, 2]);
  });

  it('finds Pyroscope `other` nodes among string labels, unless the kind field says they are not plain frames', () => {
    const frame: DataFrame = {
      length: 5,
      fields: [
        field('level', [0, 1, 2, 1, 2]),
        field('value', [10, 4, 3, 6, 2]),
        field('self', [0, 1, 3, 4, 2]),
        field('label', ['total', 'a', 'other', 'b', 'other'], 'string'),
      ],
    };
    expect(nestedSetToTree(frame).truncation).toEqual({ droppedNodes: 2, otherValue: 5 });
    frame.fields.push(field('kind', [0, 0, FrameKind.Inlined, 0, FrameKind.Inlined]));
    expect(nestedSetToTree(frame).truncation).toBeUndefined();
  });

  it('reads a diff frame: value is the left (baseline) side only, valueRight the comparison', () => {
    const frame = pyroscopeFrame([
      [0, 10, 0, 'total'],
      [1, 10, 4, 'a'],
      [2, 6, 6, 'b'],
    ]);
    frame.fields.push(field('valueRight', [15, 15, 1]), field('selfRight', [0, 14, 1]));
    expect(dumpTree(nestedSetToTree(frame))).toEqual(['total 0/10 | 0/15', '  a 4/10 | 14/15', '    b 6/6 | 1/1']);
    frame.fields.pop();
    expect(() => nestedSetToTree(frame)).toThrow(/both valueRight and selfRight/);
  });

  it('repairs level jumps, several roots and inconsistent totals, and counts them', () => {
    const frame = pyroscopeFrame([
      [0, 10, 0, 'a'],
      [2, 4, 4, 'b'], // jumps two levels: becomes a's child
      [1, 3, 9, 'c'], // self above value: total grows to 9
      [0, 5, 1, 'd'], // a second root: a synthesized total goes above a and d
    ]);
    const { tree, repairedRows } = readNestedSetFrame(frame);
    expect(dumpTree(tree)).toEqual(['total 0/18', '  a 0/13', '    b 4/4', '    c 9/9', '  d 5/5']);
    // b (level), c (self > value), a (children exceed value), d (value > self + children).
    expect(repairedRows).toBe(4);
  });

  it('repairs and sums the same way across the chunks the import reads rows in', () => {
    // 5,000 copies of the repaired frame above: 15,000 rows, so the open path and the repairs
    // carry over several chunk boundaries, each at a different place in the pattern.
    const copies = 5000;
    const level: number[] = [];
    const value: number[] = [];
    const self: number[] = [];
    const label: string[] = [];
    for (let i = 0; i < copies; i++) {
      level.push(0, 2, 1);
      value.push(10, 4, 3);
      self.push(0, 4, 9);
      label.push('a', 'b', 'c');
    }
    const frame: DataFrame = {
      length: level.length,
      fields: [field('level', level), field('value', value), field('self', self), field('label', label, 'string')],
    };
    const { tree, repairedRows } = readNestedSetFrame(frame);
    const copy = ['  a 0/13', '    b 4/4', '    c 9/9'];
    expect(dumpTree(tree)).toEqual([`total 0/${13 * copies}`, ...Array.from({ length: copies }, () => copy).flat()]);
    expect(repairedRows).toBe(3 * copies);
    expect(tree.functions.name).toEqual(['a', 'b', 'c']);
  });

  it('reads a stack 9,000 frames deep, deeper than a chunk of rows', () => {
    const n = 9000;
    const frame: DataFrame = {
      length: n,
      fields: [
        field(
          'level',
          Array.from({ length: n }, (_, i) => i)
        ),
        field(
          'value',
          Array.from({ length: n }, (_, i) => n - i)
        ),
        field(
          'self',
          Array.from({ length: n }, () => 1)
        ),
        field(
          'label',
          Array.from({ length: n }, (_, i) => `f${i % 7}`),
          'string'
        ),
      ],
    };
    const { tree, repairedRows } = readNestedSetFrame(frame);
    expect(repairedRows).toBe(0);
    expect(tree.depth[n - 1]).toBe(n - 1);
    expect(tree.parent[n - 1]).toBe(n - 2);
    expect(tree.end[0]).toBe(n);
    expect(tree.total[4096]).toBe(n - 4096);
  });

  it('reads string labels of several roots under the synthesized root', () => {
    const frame: DataFrame = {
      length: 3,
      fields: [
        field('level', [0, 1, 0]),
        field('value', [3, 3, 2]),
        field('self', [0, 3, 2]),
        field('label', ['a', 'b', 'a'], 'string'),
      ],
    };
    const t = nestedSetToTree(frame);
    expect(dumpTree(t)).toEqual(['total 0/5', '  a 0/3', '    b 3/3', '  a 2/2']);
    expect(Array.from(t.fn)).toEqual([-1, 0, 1, 0]);
  });

  it('puts a second root found rows after the first chunk under the synthesized root', () => {
    // The main pass stops at the second level-0 row (a bigint here) and reads the rows again.
    const n = 5000;
    const level: unknown[] = [0, ...Array.from({ length: n - 1 }, () => 1), BigInt(0)];
    const frame: DataFrame = {
      length: n + 1,
      fields: [
        field('level', level as number[]),
        field('value', [n - 1, ...Array.from({ length: n - 1 }, () => 1), 2]),
        field('self', [0, ...Array.from({ length: n - 1 }, () => 1), 2]),
        field('label', ['a', ...Array.from({ length: n - 1 }, (_, i) => `b${i % 3}`), 'c'], 'string'),
      ],
    };
    const { tree, repairedRows } = readNestedSetFrame(frame);
    expect(repairedRows).toBe(0);
    expect(tree.size).toBe(n + 2);
    expect(tree.functions.name).toEqual(['a', 'b0', 'b1', 'b2', 'c']);
    expect([tree.fn[0], tree.total[0], tree.end[0]]).toEqual([-1, n + 1, n + 2]);
    // a (node 1) holds rows 1..n-1; c (node n+1) is the root's second child.
    expect([tree.parent[1], tree.depth[1], tree.end[1], tree.total[1]]).toEqual([0, 1, n + 1, n - 1]);
    expect([tree.parent[n], tree.depth[n], tree.fn[n]]).toEqual([1, 2, 1 + ((n - 2) % 3)]);
    expect([tree.parent[n + 1], tree.depth[n + 1], tree.fn[n + 1], tree.total[n + 1]]).toEqual([0, 1, 4, 2]);
  });

  it('derives self for frames without a self field (older Pyroscope)', () => {
    const frame: DataFrame = {
      length: 3,
      fields: [field('level', [0, 1, 2]), field('value', [9, 9, 2]), field('label', ['total', 'a', 'b'], 'string')],
    };
    const r = readNestedSetFrame(frame);
    expect(dumpTree(r.tree)).toEqual(['total 0/9', '  a 7/9', '    b 2/2']);
    expect(r.repairedRows).toBe(0);
  });

  it('throws ProfileImportError for frames that are not nested sets', () => {
    const bad: Array<[string, DataFrame]> = [
      ['missing field(s) level, label', { length: 0, fields: [field('value', [])] }],
      ['not a finite number', pyroscopeFrame([[0, NaN, 0, 'total']])],
      ['negative', pyroscopeFrame([[0, -1, 0, 'total']])],
      [
        'levels are integers',
        pyroscopeFrame([
          [0, 1, 0, 'total'],
          [-1, 1, 1, 'x'],
        ]),
      ],
      ['first row must be the root', pyroscopeFrame([[1, 1, 1, 'x']])],
      [
        'has 1 rows',
        { length: 2, fields: [field('level', [0, 1]), field('value', [1]), field('label', ['a', 'b'], 'string')] },
      ],
    ];
    for (const [message, frame] of bad) {
      expect(() => nestedSetToTree(frame)).toThrow(ProfileImportError);
      expect(() => nestedSetToTree(frame)).toThrow(message);
    }
    const outOfRange = pyroscopeFrame([
      [0, 1, 0, 'total'],
      [1, 1, 1, 'a'],
    ]);
    outOfRange.fields[3].values = [0, 2];
    expect(() => nestedSetToTree(outOfRange)).toThrow(/enum.text \(2 entries\)/);
    expect(isNestedSetFrame({ length: 0, fields: [field('Time', [], 'time'), field('Value', [])] })).toBe(false);
  });

  it('reads an empty frame as an empty tree', () => {
    const t = nestedSetToTree(pyroscopeFrame([]));
    expect(t.size).toBe(1);
    expect(t.total[0]).toBe(0);
  });
});

describe('toNestedSetFrame', () => {
  it('writes a Pyroscope-shaped frame that reads back to the same tree', () => {
    const t = foldedToTree('main;a;b 5\nmain;a 2\nmain;c_[k] 4\nmain;a_[i] 1\n7\n', {
      sampleType: 'cpu',
      unit: 'nanoseconds',
    });
    const frame = toNestedSetFrame(t);
    expect(isNestedSetFrame(frame)).toBe(true);
    const label = frame.fields.find((f) => f.name === 'label')!;
    expect(label.type).toBe('enum');
    expect(label.config.type?.enum?.text?.[0]).toBe('total');
    expect(frame.fields.find((f) => f.name === 'value')!.config.unit).toBe('ns');
    const back = nestedSetToTree(frame);
    expect(back.sampleType).toBe('cpu');
    expect(back.unit).toBe('nanoseconds');
    expect(dumpTree(back)).toEqual(dumpTree(t));
    for (let i = 1; i < t.size; i++) {
      expect(back.functions.kind[back.fn[i]]).toBe(t.functions.kind[t.fn[i]]);
    }
  });

  it('writes diff fields and reads them back', () => {
    const t = foldedToTree('main;a 3 5\nmain;b 4 0\nmain 1 2\n');
    const back = nestedSetToTree(toNestedSetFrame(t));
    expect(back.right).toBeDefined();
    expect(dumpTree(back)).toEqual(dumpTree(t));
  });

  it('round-trips a 500k-node tree', () => {
    const lines: string[] = [];
    for (let i = 0; i < 100000; i++) {
      lines.push(`main;h${i % 100};w${i};x;y 1`);
    }
    const t = foldedToTree(lines.join('\n'));
    const back = nestedSetToTree(toNestedSetFrame(t));
    expect(back.size).toBe(t.size);
    expect(Array.from(back.total)).toEqual(Array.from(t.total));
    expect(back.functions.kind.every((k) => k === FrameKind.Normal)).toBe(true);
  });
});

describe('nested-set frames of real profiles', () => {
  it.each([
    ['go-checkout/incident.cpu', 'cpu'],
    ['go-checkout/baseline.allocs', 'alloc_space'],
    ['public/pprof-large.cpu', 'cpu'],
  ])('%s: model -> frame -> model is the identity', (profile, sampleType) => {
    const tree = fixtureTree(profile, sampleType);
    const { tree: back, repairedRows } = readNestedSetFrame(toNestedSetFrame(tree));
    expect(repairedRows).toBe(0);
    expect(back.sampleType).toBe(tree.sampleType);
    expect(back.unit).toBe(tree.unit);
    for (const key of ['parent', 'end', 'depth', 'self', 'total'] as const) {
      expect(Array.from(back[key])).toEqual(Array.from(tree[key]));
    }
    for (let i = 1; i < tree.size; i++) {
      const a = back.fn[i];
      const b = tree.fn[i];
      if (back.functions.name[a] !== tree.functions.name[b] || back.functions.kind[a] !== tree.functions.kind[b]) {
        throw new Error(`node ${i}: ${back.functions.name[a]} != ${tree.functions.name[b]}`);
      }
    }
  });
});
