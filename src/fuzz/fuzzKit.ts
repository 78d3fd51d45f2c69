/**
 * Shared pieces of the fuzz suites (`*.fuzz.test.ts`): run counts, the one seed, the list of error
 * types a source may throw, a per-input time budget, tree invariants and the report lines.
 *
 * Run longer with `FUZZ_RUNS=<factor> npx jest src/fuzz` (every suite's count times the
 * factor; `FUZZ_RUNS=0.1` for a quick pass) and another seed with `FUZZ_SEED=<int>`.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { ProfileTree } from '../model/profile';
import { UnknownSampleTypeError } from '../model/samples';
import { diffTrees } from '../transforms/diff';
import { filterByFunctions } from '../transforms/filters';
import { focusNode } from '../transforms/focus';
import { MergeError } from '../transforms/merge';
import { collapseRecursion } from '../transforms/recursion';
import { sandwich } from '../transforms/sandwich';
import { search } from '../transforms/search';
import { topTable } from '../transforms/top';
import { PatternError, validateTree } from '../transforms/treeOps';
import { truncateTree } from '../transforms/truncate';
import { FrameLayout, layoutFrame } from '../views/flamegraph/layout';
import { ProfileImportError } from '../sources/errors';
import { ProfileDecodeError } from '../sources/pprof/errors';

export const FUZZ_SEED = Number.parseInt(process.env.FUZZ_SEED ?? '', 10) || 0x5eed_2024;

const factor = Number.parseFloat(process.env.FUZZ_RUNS ?? '');

/** The suite's default run count, times FUZZ_RUNS. */
export function runs(base: number): number {
  return Math.max(1, Math.round(base * (Number.isFinite(factor) && factor > 0 ? factor : 1)));
}

/** Repository root: src/fuzz is two levels down. */
export const REPO_ROOT = resolve(__dirname, '../..');
export const FIXTURES = resolve(REPO_ROOT, '../shared/fixtures');

export function fixtureBytes(rel: string): Uint8Array {
  return new Uint8Array(readFileSync(resolve(FIXTURES, rel)));
}

export function fixtureText(rel: string): string {
  return readFileSync(resolve(FIXTURES, rel), 'utf8');
}

/** The errors a source is allowed to throw on bad input: typed, with a message for the user. */
const TYPED_ERRORS = [ProfileDecodeError, ProfileImportError, PatternError, UnknownSampleTypeError, MergeError];

export function isTypedError(e: unknown): e is Error {
  return TYPED_ERRORS.some((T) => e instanceof T) && (e as Error).message.length > 0;
}

/** A broken invariant of a returned value (not an exception of the code under test). */
class InvariantError extends Error {}

/** Counts inputs and the slowest one, and writes the report lines. */
export class FuzzStats {
  inputs = 0;
  ok = 0;
  typedErrors = 0;
  unexpected = 0;
  slowestMs = 0;
  /** The call that came closest to its budget, to see how much room the budgets leave. */
  private closest = { ms: 0, budgetMs: 1 };
  private readonly started = performance.now();

  constructor(readonly name: string) {}

  /**
   * Runs one input through `fn`: a typed error is an expected outcome (returned as undefined); any
   * other throw, or a call over `budgetMs`, fails the property with what happened. `newInput` false:
   * another call on the same input (not counted again).
   */
  call<T>(budgetMs: number, fn: () => T, newInput = true): T | undefined {
    if (newInput) {
      this.inputs++;
    }
    const t0 = performance.now();
    let out: T | undefined;
    try {
      out = fn();
      this.ok++;
    } catch (e) {
      if (e instanceof InvariantError) {
        throw e;
      }
      if (!isTypedError(e)) {
        this.unexpected++;
        const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
        throw new Error(`${this.name}: unexpected exception ${what}`);
      }
      this.typedErrors++;
    }
    const ms = performance.now() - t0;
    this.slowestMs = Math.max(this.slowestMs, ms);
    if (ms / budgetMs > this.closest.ms / this.closest.budgetMs) {
      this.closest = { ms, budgetMs };
    }
    if (ms > budgetMs) {
      this.unexpected++;
      throw new Error(`${this.name}: one input took ${ms.toFixed(0)} ms, over its ${budgetMs} ms budget`);
    }
    return out;
  }

  /** An invariant of a returned value failed. */
  fail(problem: string): never {
    this.unexpected++;
    throw new InvariantError(`${this.name}: ${problem}`);
  }

  report(): void {
    const s = ((performance.now() - this.started) / 1000).toFixed(1);
    process.stdout.write(
      `fuzz ${this.name}: ${this.inputs} inputs in ${s} s (${this.ok} read, ${this.typedErrors} typed errors, ` +
        `slowest ${this.slowestMs.toFixed(1)} ms; closest to its budget ${this.closest.ms.toFixed(1)} of ` +
        `${this.closest.budgetMs} ms), seed ${FUZZ_SEED}\n` +
        `fuzz: ${this.inputs} inputs, ${this.unexpected} unexpected exceptions\n`
    );
  }
}

/** Problems of a tree as the views need it: well-formed, totals finite and >= 0 (both sides). */
export function treeProblems(tree: ProfileTree, opts: { allowNegative?: boolean } = {}): string[] {
  const problems = validateTree(tree);
  if (problems.length) {
    return problems;
  }
  const check = (name: string, a: Float64Array) => {
    for (let i = 0; i < tree.size; i++) {
      if (!Number.isFinite(a[i]) || (!opts.allowNegative && a[i] < 0)) {
        problems.push(`${name}[${i}] is ${a[i]}`);
        return;
      }
    }
  };
  check('total', tree.total);
  check('self', tree.self);
  if (tree.right) {
    check('right.total', tree.right.total);
    check('right.self', tree.right.self);
  }
  for (let i = 1; i < tree.size; i++) {
    const f = tree.fn[i];
    if (f < 0 || f >= tree.functions.count || typeof tree.functions.name[f] !== 'string') {
      problems.push(`node ${i}: function ${f} of ${tree.functions.count}`);
      break;
    }
  }
  return problems;
}

/** Small deterministic generator for choices inside a mutation (seeded from fast-check values). */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

const layout = new FrameLayout();

/**
 * What a dashboard does with an imported tree: top table, search, flame graph layout, focus,
 * sandwich, filters, truncation, recursion collapsing and a diff against itself. Returns the first
 * problem found in a derived tree, or '' (throws only what the transforms throw).
 */
export function exerciseTree(tree: ProfileTree, pick: number): string {
  topTable(tree);
  const found = search(tree, { text: pick & 1 ? 'a' : 'main.(', regex: false, caseSensitive: false });
  if (!(found.share >= 0 && found.share <= 1 + 1e-9)) {
    return `search share ${found.share}`;
  }
  layoutFrame(
    tree,
    { focus: 0, xStart: 0, xEnd: 1, width: 800, height: 400, rowHeight: 20, scrollTop: 0, orientation: 'icicle' },
    layout
  );
  for (let k = 0; k < layout.count; k++) {
    if (!Number.isFinite(layout.x[k]) || !Number.isFinite(layout.w[k])) {
      return `layout rect ${k}: x ${layout.x[k]} w ${layout.w[k]}`;
    }
  }
  const node = tree.size > 1 ? 1 + (pick % (tree.size - 1)) : 0;
  const derived: Array<[string, ProfileTree]> = [
    ['truncateTree', truncateTree(tree, 1 + (pick % 7))],
    ['focusNode', focusNode(tree, node)],
    ['collapseRecursion', collapseRecursion(tree)],
  ];
  if (tree.functions.count > 0) {
    const f = pick % tree.functions.count;
    const s = sandwich(tree, f);
    derived.push(['sandwich.callers', s.callers], ['sandwich.callees', s.callees]);
    const hide = new Uint8Array(tree.functions.count);
    hide[f] = 1;
    derived.push(['filterByFunctions', filterByFunctions(tree, { hide })]);
  }
  if (!tree.right) {
    derived.push(['diffTrees', diffTrees(tree, tree, { normalize: (pick & 2) !== 0 })]);
  }
  for (const [name, t] of derived) {
    const problems = treeProblems(t);
    if (problems.length) {
      return `${name}: ${problems.slice(0, 3).join('; ')}`;
    }
  }
  return '';
}
