/** @jest-environment node */
/**
 * parseFolded / FoldedReader on random text and on mutations of the folded form of every real
 * profile. Beyond "a tree or a ProfileImportError": reading the same text in random chunks gives
 * the same tree, and isFoldedText never throws.
 */
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';

import { ProfileTree } from '../model/profile';
import { buildSampleTree } from '../model/samples';
import { FoldedImport, FoldedReader, isFoldedText, parseFolded, toFolded } from '../sources/folded';
import { decodePprof } from '../sources/pprof/decode';
import { exerciseTree, FIXTURES, FUZZ_SEED, FuzzStats, fixtureBytes, runs, treeProblems } from './fuzzKit';
import { mutateText, Op } from './mutate';

const stats = new FuzzStats('folded');
afterAll(() => stats.report());

function sameTree(a: ProfileTree, b: ProfileTree): boolean {
  if (a.size !== b.size) {
    return false;
  }
  for (let i = 0; i < a.size; i++) {
    if (a.parent[i] !== b.parent[i] || a.total[i] !== b.total[i] || a.fn[i] !== b.fn[i]) {
      return false;
    }
  }
  return true;
}

function check(text: string, cuts: number[], pick: number, exercise: boolean): void {
  const whole = stats.call(1000, () => {
    isFoldedText(text);
    return parseFolded(text);
  });
  if (!whole) {
    return;
  }
  const problems = treeProblems(whole.tree);
  if (problems.length) {
    stats.fail(problems.slice(0, 3).join('; '));
  }
  const chunked = stats.call(
    1000,
    (): FoldedImport => {
      const reader = new FoldedReader();
      let at = 0;
      for (const c of cuts) {
        const to = Math.min(text.length, at + c);
        reader.push(text.slice(at, to));
        at = to;
      }
      reader.push(text.slice(at));
      return reader.end();
    },
    false
  );
  if (!chunked || !sameTree(whole.tree, chunked.tree) || chunked.skipped !== whole.skipped) {
    stats.fail(`reading in chunks ${JSON.stringify(cuts)} gives another tree`);
  }
  if (exercise) {
    const derived = exerciseTree(whole.tree, pick);
    if (derived) {
      stats.fail(derived);
    }
  }
}

const PIECES = [
  'a',
  'main',
  'runtime.mallocgc',
  ';',
  ';',
  ';',
  ' ',
  ' ',
  '\t',
  '\r',
  '\n',
  '\n',
  '\r\n',
  '1',
  '0',
  '9',
  '42',
  '.',
  '.5',
  '_[k]',
  '_[i]',
  '_[j]',
  '_[w]',
  '#',
  '-1',
  'é',
  '😀',
  '\u0000',
  'e5',
];
const randomText = fc.array(fc.constantFrom(...PIECES), { maxLength: 80 }).map((p) => p.join(''));
const cuts = fc.array(fc.nat(40), { maxLength: 6 });
const op = fc.tuple(fc.nat(1 << 16), fc.nat(), fc.nat()) as fc.Arbitrary<Op>;

/** Folded text of every small real profile (default sample type), the shape flamegraph.pl reads. */
const fixtureTexts = ['go-checkout', 'public'].flatMap((dir) =>
  readdirSync(resolve(FIXTURES, dir))
    .filter((f) => f.endsWith('.pb.gz') && !f.startsWith('pprof-large') && !f.startsWith('parca-alloc'))
    .map((f) => toFolded(buildSampleTree(decodePprof(fixtureBytes(`${dir}/${f}`)).samples)))
);

describe('folded stacks fuzz', () => {
  it('random text', () => {
    fc.assert(
      fc.property(randomText, cuts, fc.nat(), (text, c, pick) => check(text, c, pick, pick % 4 === 0)),
      { seed: FUZZ_SEED, numRuns: runs(50000) }
    );
  });

  it('diff lines (two counts) with random frames', () => {
    const line = fc
      .tuple(fc.array(fc.constantFrom('a', 'b', 'c_[k]', 'd e'), { maxLength: 6 }), fc.nat(), fc.nat(), fc.boolean())
      .map(([frames, l, r, two]) => `${frames.join(';')} ${l}${two ? ` ${r}` : ''}`);
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), cuts, fc.nat(), (lines, c, pick) =>
        check(lines.join('\n'), c, pick, pick % 4 === 0)
      ),
      { seed: FUZZ_SEED, numRuns: runs(10000) }
    );
  });

  it('mutations of the folded text of every real profile', () => {
    fc.assert(
      fc.property(
        fc.nat(fixtureTexts.length - 1),
        fc.array(op, { minLength: 1, maxLength: 6 }),
        cuts,
        fc.nat(),
        (k, ops, c, pick) =>
          check(
            mutateText(fixtureTexts[k], ops, PIECES.join('')),
            c.map((x) => x * 997),
            pick,
            pick % 8 === 0
          )
      ),
      { seed: FUZZ_SEED, numRuns: runs(3000) }
    );
  });
});
