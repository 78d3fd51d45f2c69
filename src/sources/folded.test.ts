/** @jest-environment node */
import { FrameKind } from '../model/profile';
import { dumpTree, fixtureTree } from '../transforms/testFixtures';
import { ProfileImportError } from './errors';
import { FoldedReader, foldedToTree, isFoldedText, parseFolded, toFolded } from './folded';

describe('parseFolded', () => {
  it('builds a tree, counts skipped lines, tolerates CRLF and names with spaces', () => {
    const text = [
      '# comment',
      'main;handler;json.Marshal 12\r',
      '',
      'main;handler 3',
      'main;operator new(unsigned long) 2',
      'garbage without a count',
      'main;handler;json.Marshal 1',
      '   ',
      'main;x notanumber',
    ].join('\n');
    const r = parseFolded(text, { sampleType: 'cpu', unit: 'nanoseconds' });
    expect(r.stacks).toBe(4);
    expect(r.blank).toBe(2);
    expect(r.comments).toBe(1);
    expect(r.skipped).toBe(2);
    expect(r.firstSkippedLine).toBe(6);
    expect(r.tree.sampleType).toBe('cpu');
    expect(r.tree.unit).toBe('nanoseconds');
    expect(dumpTree(r.tree)).toEqual([
      'total 0/18',
      '  main 0/18',
      '    handler 3/16',
      '      json.Marshal 13/13',
      '    operator new(unsigned long) 2/2',
    ]);
  });

  it('reads frame kind suffixes into FrameKind and strips them', () => {
    const t = foldedToTree('a;b_[i];c_[k];d_[j];e_[w] 4\na;b 1\n');
    const names = dumpTree(t);
    expect(names).toEqual([
      'total 0/5',
      '  a 0/5',
      '    b 1/1',
      '    b 0/4',
      '      c 0/4',
      '        d 0/4',
      '          e_[w] 4/4',
    ]);
    const kinds = Array.from(t.fn.subarray(1)).map((f) => t.functions.kind[f]);
    expect(kinds).toEqual([
      FrameKind.Normal,
      FrameKind.Normal,
      FrameKind.Inlined,
      FrameKind.Kernel,
      FrameKind.Jit,
      FrameKind.Normal,
    ]);
  });

  it('reads a second count column as a diff (left baseline, right comparison)', () => {
    const t = foldedToTree('main;a 10 4\nmain;b 0 7\nmain 1 1\nmain;c 5\n');
    expect(dumpTree(t)).toEqual(['total 0/11 | 0/12', '  main 1/11 | 1/12', '    a 10/10 | 4/4', '    b 0/0 | 7/7']);
  });

  it('streams chunks split anywhere, including inside a CRLF', () => {
    const text = 'a;b 1\r\na;c 2\r\n\r\na;b;d 3\r\n';
    const whole = dumpTree(foldedToTree(text));
    for (let cut = 0; cut <= text.length; cut++) {
      const reader = new FoldedReader();
      reader.push(text.slice(0, cut));
      reader.push(text.slice(cut));
      expect(dumpTree(reader.end().tree)).toEqual(whole);
    }
  });

  it('throws a typed error when nothing is a stack, and gives an empty tree for empty text', () => {
    expect(() => parseFolded('hello world\nfoo\n')).toThrow(ProfileImportError);
    expect(() => parseFolded('hello world\n')).toThrow(/line 1/);
    const empty = parseFolded('\n# nothing\n');
    expect(empty.tree.size).toBe(1);
    expect(empty.tree.total[0]).toBe(0);
  });

  it('keeps root self from a bare count and fractional counts', () => {
    const t = foldedToTree('7\na 1.5\n');
    expect(dumpTree(t)).toEqual(['total 7/8.5', '  a 1.5/1.5']);
  });

  it('round-trips through toFolded', () => {
    const t = foldedToTree('a;b_[k] 4 1\na;c 2 0\n7 0\nx;y;z 0 3\n');
    expect(dumpTree(foldedToTree(toFolded(t)))).toEqual(dumpTree(t));
  });

  it('reads a 200k-line input into one node per distinct path', () => {
    const lines: string[] = [];
    for (let i = 0; i < 200000; i++) {
      lines.push(`main;svc.handle${i % 50};pkg.work${i % 997};runtime.leaf${i % 13} ${(i % 7) + 1}`);
    }
    const text = lines.join('\n');
    const r = parseFolded(text);
    expect(r.stacks).toBe(200000);
    // root, main, 50 handlers, 49,850 (handler, work) pairs (lcm of 50 and 997), and every line's leaf
    expect(r.tree.size).toBe(1 + 1 + 50 + 49850 + 200000);
    expect(r.tree.total[0]).toBe(28571 * 28 + 1 + 2 + 3);
  });
});

describe('isFoldedText', () => {
  it('accepts folded stacks and rejects other text', () => {
    expect(isFoldedText('main;a 1\nmain;b 2\n')).toBe(true);
    expect(isFoldedText('# header\nmain 3\n')).toBe(true);
    expect(isFoldedText('1\n2\n3\n')).toBe(false);
    expect(isFoldedText('gc 1 @0.019s 5%: 0.11+1.1+2.2 ms clock, 4->4->1 MB, 4 MB goal, 4 P\n')).toBe(false);
    expect(isFoldedText('a,b,c\n1,2,3\n')).toBe(false);
    expect(isFoldedText('{"ts_ns": 1, "line": "x"}\n')).toBe(false);
    expect(isFoldedText('')).toBe(false);
  });

  it('accepts a stack deeper than its 64 KiB look-ahead, with or without a final newline', () => {
    const deep = Array.from({ length: 10_000 }, (_, i) => `main.f${i}`).join(';') + ' 1';
    expect(deep.length).toBeGreaterThan(65536);
    expect(isFoldedText(deep)).toBe(true);
    expect(isFoldedText(`${deep}\nmain 2\n`)).toBe(true);
  });
});

describe('folded text of real profiles', () => {
  it.each([
    ['go-checkout/incident.cpu', 'cpu'],
    ['go-checkout/recovery.heap', 'inuse_space'],
    ['public/pprof-large.cpu', 'cpu'],
    ['public/pprof-cppbench-nosymbols.cpu', undefined],
  ])('%s reads back to the same tree, inline frames included', (profile, sampleType) => {
    const tree = fixtureTree(profile, sampleType as string);
    const back = foldedToTree(toFolded(tree), { sampleType: tree.sampleType, unit: tree.unit });
    expect(back.size).toBe(tree.size);
    expect(dumpTree(back)).toEqual(dumpTree(tree));
    for (let i = 1; i < tree.size; i++) {
      if (back.functions.kind[back.fn[i]] !== tree.functions.kind[tree.fn[i]]) {
        throw new Error(`kind differs at node ${i}`);
      }
    }
    expect(isFoldedText(toFolded(tree))).toBe(true);
  });
});
