/** @jest-environment node */
/**
 * readNestedSetFrame on random frames (any fields, types, values, enum configs, level jumps, NaN,
 * Infinity, negatives, bigints) and on mutations of the nested-set frames of every real profile;
 * each tree it returns then goes through the transforms and the flame graph layout.
 */
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DataFrame, Field, FieldType } from '@grafana/data';
import fc from 'fast-check';

import { buildSampleTree } from '../model/samples';
import { readNestedSetFrame, toNestedSetFrame } from '../sources/nestedSet';
import { decodePprof } from '../sources/pprof/decode';
import { exerciseTree, FIXTURES, FUZZ_SEED, FuzzStats, fixtureBytes, runs, treeProblems } from './fuzzKit';
import { Op } from './mutate';

const stats = new FuzzStats('nested-set');
afterAll(() => stats.report());

function check(frame: DataFrame, pick: number): void {
  stats.call(1000, () => {
    const { tree } = readNestedSetFrame(frame);
    const problems = treeProblems(tree);
    if (problems.length) {
      stats.fail(problems.slice(0, 3).join('; '));
    }
    const derived = exerciseTree(tree, pick);
    if (derived) {
      stats.fail(derived);
    }
  });
}

const WEIRD: unknown[] = [
  NaN,
  Infinity,
  -Infinity,
  -1,
  -0,
  0.5,
  1e308,
  Number.MAX_VALUE,
  2 ** 53 + 2,
  null,
  undefined,
  '',
  '12',
  'main.main',
  true,
  {},
  [],
  BigInt(10),
  BigInt(2) ** BigInt(80),
];

const cell = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -2, max: 1000 }) },
  { weight: 2, arbitrary: fc.constantFrom(...WEIRD) },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
  { weight: 1, arbitrary: fc.double() }
);
const NAMES = ['level', 'value', 'self', 'label', 'valueRight', 'selfRight', 'kind', 'Time'];
const TYPES = ['number', 'string', 'enum', 'time', 'other', 'boolean'];
const enumText = fc.oneof(
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 6 }),
  fc.array(cell, { maxLength: 4 }),
  fc.constantFrom(undefined, null, 'abc', 3)
);

/** Levels that mostly nest (steps -3..+3 from 0), sometimes jump, go negative or are not integers. */
const levels = (rows: number) =>
  fc.array(fc.integer({ min: -3, max: 3 }), { minLength: rows, maxLength: rows }).map((steps) => {
    let l = 0;
    return steps.map((s, i) => (i === 0 ? 0 : (l = Math.max(s === -3 ? -1 : 0, l + s))));
  });

const field = (rows: number) =>
  fc.record({
    name: fc.constantFrom(...NAMES),
    type: fc.constantFrom(...TYPES),
    unit: fc.constantFrom(undefined, 'ns', 'bytes', 'short', '', 'µs', 'weird'),
    text: fc.option(enumText),
    values: fc.oneof(
      { weight: 8, arbitrary: fc.array(cell, { minLength: rows, maxLength: rows }) },
      { weight: 3, arbitrary: levels(rows) },
      { weight: 1, arbitrary: fc.array(cell, { maxLength: rows + 2 }) },
      { weight: 1, arbitrary: fc.constantFrom<unknown>(null, undefined, 'abc', {}) }
    ),
  });

const randomFrame = fc.nat(30).chain((rows) =>
  fc.record({
    fields: fc.array(field(rows), { maxLength: 8 }),
    required: fc.boolean(),
    levels: levels(rows),
    values: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: rows, maxLength: rows }),
    custom: fc.option(fc.record({ sampleType: cell, ProfileTypeID: fc.option(fc.string()) })),
  })
);

type RandomFrame = typeof randomFrame extends fc.Arbitrary<infer T> ? T : never;

function toFrame(r: RandomFrame): DataFrame {
  const fields: Field[] = r.fields.map((f) => ({
    name: f.name,
    type: f.type as FieldType,
    config: { unit: f.unit, ...(f.text !== null ? { type: { enum: { text: f.text as string[] } } } : {}) },
    values: f.values as unknown[],
  }));
  if (r.required) {
    // Mostly well-formed columns, so the random ones above get past the shape checks.
    fields.unshift(
      { name: 'level', type: 'number' as FieldType, config: {}, values: r.levels },
      { name: 'value', type: 'number' as FieldType, config: { unit: 'ns' }, values: r.values },
      { name: 'label', type: 'string' as FieldType, config: {}, values: r.values.map((v) => `fn${v % 7}`) }
    );
  }
  return { length: r.levels.length, fields, meta: r.custom ? { custom: r.custom } : undefined };
}

/** Nested-set frames of every small real profile, default sample type (the shape Pyroscope sends). */
const fixtureFrames: DataFrame[] = ['go-checkout', 'public'].flatMap((dir) =>
  readdirSync(resolve(FIXTURES, dir))
    .filter((f) => f.endsWith('.pb.gz') && !f.startsWith('pprof-large') && !f.startsWith('parca-alloc'))
    .map((f) => toNestedSetFrame(buildSampleTree(decodePprof(fixtureBytes(`${dir}/${f}`)).samples)))
);

/** Frame-level mutations: cells, rows, fields, types, enum text, overflowing values, diff columns. */
function mutateFrame(frame: DataFrame, ops: Op[]): DataFrame {
  let fields = frame.fields.map((f) => ({ ...f, values: [...f.values] as unknown[] }));
  for (const [kind, a, b] of ops) {
    const rows = fields[0]?.values.length ?? 0;
    const row = rows ? a % rows : 0;
    const f = fields.length ? fields[b % fields.length] : undefined;
    switch (kind % 12) {
      case 0: // a weird cell
        if (f && rows) {
          f.values[row] = WEIRD[(b >>> 4) % WEIRD.length];
        }
        break;
      case 1: {
        // a level jump
        const level = fields.find((x) => x.name === 'level');
        if (level && rows) {
          level.values[row] = Number(level.values[row]) + 1 + (b % 5);
        }
        break;
      }
      case 2: // delete a row everywhere
        fields.forEach((x) => x.values.splice(row, 1));
        break;
      case 3: {
        // duplicate a run of rows
        const len = 1 + (b % 20);
        fields.forEach((x) => x.values.splice(row, 0, ...x.values.slice(row, row + len)));
        break;
      }
      case 4: {
        // swap two rows
        const other = rows ? b % rows : 0;
        fields.forEach((x) => ([x.values[row], x.values[other]] = [x.values[other], x.values[row]]));
        break;
      }
      case 5: // one field shorter
        if (f) {
          f.values.length = Math.min(f.values.length, row);
        }
        break;
      case 6: // drop a field
        fields = fields.filter((x) => x !== f);
        break;
      case 7: // another field type
        if (f) {
          f.type = TYPES[a % TYPES.length] as FieldType;
        }
        break;
      case 8: {
        // enum text shorter, or not strings
        const label = fields.find((x) => x.name === 'label');
        const text = label?.config?.type?.enum?.text;
        if (label && text) {
          const t =
            b & 1
              ? text.slice(0, a % (text.length + 1))
              : text.map((s, i) => (i % 3 ? s : (WEIRD[b % WEIRD.length] as string)));
          label.config = { type: { enum: { text: t } } };
        }
        break;
      }
      case 9: // values that overflow to Infinity when summed
        fields
          .filter((x) => x.name === 'value' || x.name === 'self')
          .forEach((x) =>
            x.values.forEach((_, i) => i % (1 + (b % 3)) === 0 && (x.values[i] = Number.MAX_VALUE / (1 + (a % 4))))
          );
        break;
      case 10: // diff columns, possibly only one of them, possibly garbage
        fields.push({
          name: 'valueRight',
          type: 'number' as FieldType,
          config: {},
          values: fields[1]?.values.slice() ?? [],
        });
        if (b & 1) {
          fields.push({
            name: 'selfRight',
            type: 'number' as FieldType,
            config: {},
            values: (fields[2]?.values ?? []).map((v, i) => (i === row ? WEIRD[a % WEIRD.length] : v)),
          });
        }
        break;
      default: // a renamed field (a required one goes missing, or appears twice)
        if (f) {
          f.name = NAMES[a % NAMES.length];
        }
    }
  }
  return { ...frame, fields: fields as Field[], length: fields[0]?.values.length ?? 0 };
}

const op = fc.tuple(fc.nat(1 << 16), fc.nat(), fc.nat()) as fc.Arbitrary<Op>;

describe('nested-set importer fuzz', () => {
  it('random frames', () => {
    fc.assert(
      fc.property(randomFrame, fc.nat(), (r, pick) => check(toFrame(r), pick)),
      { seed: FUZZ_SEED, numRuns: runs(25000) }
    );
  });

  it('mutations of the frames of every real profile', () => {
    fc.assert(
      fc.property(
        fc.nat(fixtureFrames.length - 1),
        fc.array(op, { minLength: 1, maxLength: 5 }),
        fc.nat(),
        (k, ops, pick) => check(mutateFrame(fixtureFrames[k], ops), pick)
      ),
      { seed: FUZZ_SEED, numRuns: runs(4000) }
    );
  });
});
