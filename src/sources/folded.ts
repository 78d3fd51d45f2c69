/**
 * Brendan Gregg's folded stacks (stackcollapse-*.pl, `pprof -raw | ...`, async-profiler `collapsed`):
 *
 *   root;child;leaf 12          one stack, root first, then a count
 *   root;child;leaf 12 15       a diff (difffolded.pl): left = baseline, right = comparison
 *
 * The count is the last whitespace-separated token, so frame names may contain spaces. A diff is
 * recognised on the first stack line (two trailing counts); from then on every line is read that
 * way. Frame suffixes `_[k]` (kernel), `_[i]` (inlined) and `_[j]` (JIT) become the FrameKind and
 * are stripped from the name; other suffixes (`_[w]`) stay in the name. Blank lines, `#` comments
 * and lines that do not parse are counted and skipped. Input may arrive in chunks (`FoldedReader`)
 * and is scanned in place: no split into line arrays.
 */
import { FrameKind, ProfileTree, ValueUnit } from '../model/profile';
import { FunctionInterner, TreeBuilder } from '../model/treeBuilder';
import { grown } from '../model/typedArrays';
import { ProfileImportError } from './errors';
import { MAX_TOTAL_VALUE } from './limits';

const FORMAT = 'folded stacks';
const SHAPE =
  "expected lines like 'main;handler;json.Marshal 12' (stack root first, then a count; a second count for a diff)";

export interface FoldedOptions {
  sampleType?: string;
  unit?: ValueUnit;
}

export interface FoldedImport {
  tree: ProfileTree;
  /** Lines read into the tree. */
  stacks: number;
  blank: number;
  comments: number;
  /** Lines that were neither a stack nor blank nor a comment. */
  skipped: number;
  /** 1-based number of the first skipped line, 0 if none, for an error message. */
  firstSkippedLine: number;
}

const SEMI = 59; // ;
const SPACE = 32;
const TAB = 9;
const CR = 13;
const HASH = 35;
const DOT = 46;
const ZERO = 48;
const NINE = 57;

function isSpace(c: number): boolean {
  return c === SPACE || c === TAB || c === CR;
}

/** Parses text[a..b) as a non-negative decimal count, NaN if it is not one. */
function parseCount(text: string, a: number, b: number): number {
  if (a >= b) {
    return NaN;
  }
  let v = 0;
  let i = a;
  for (; i < b; i++) {
    const c = text.charCodeAt(i);
    if (c < ZERO || c > NINE) {
      break;
    }
    v = v * 10 + (c - ZERO);
  }
  if (i === b) {
    // More than 308 digits is not a count (it would read as Infinity).
    return v === Infinity ? NaN : v;
  }
  // Rare: fractional counts (perf with weights); let Number handle precision.
  if (text.charCodeAt(i) !== DOT || i === a) {
    return NaN;
  }
  for (let j = i + 1; j < b; j++) {
    const c = text.charCodeAt(j);
    if (c < ZERO || c > NINE) {
      return NaN;
    }
  }
  const n = Number(text.slice(a, b));
  return n === Infinity ? NaN : n;
}

/** Start of the last whitespace-separated token in [a, b) (b is past a non-space), or -1 if none. */
function lastTokenStart(text: string, a: number, b: number): number {
  for (let i = b - 1; i >= a; i--) {
    if (isSpace(text.charCodeAt(i))) {
      return i + 1;
    }
  }
  return a;
}

/** Skips back over whitespace from b, returning the new end. */
function trimEnd(text: string, a: number, b: number): number {
  while (b > a && isSpace(text.charCodeAt(b - 1))) {
    b--;
  }
  return b;
}

/** Streams folded text in chunks of any size into a tree. */
export class FoldedReader {
  private readonly functions = new FunctionInterner();
  private builder: TreeBuilder | undefined;
  private diff = false;
  private rest = '';
  private lineNo = 0;
  private stack = new Int32Array(256);
  private readonly result = { stacks: 0, blank: 0, comments: 0, skipped: 0, firstSkippedLine: 0 };

  constructor(private readonly opts: FoldedOptions = {}) {}

  push(chunk: string): void {
    const text = this.rest ? this.rest + chunk : chunk;
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) {
        break;
      }
      this.line(text, start, nl);
      start = nl + 1;
    }
    this.rest = start < text.length ? text.slice(start) : '';
  }

  end(): FoldedImport {
    if (this.rest) {
      this.line(this.rest, 0, this.rest.length);
      this.rest = '';
    }
    const r = this.result;
    if (r.stacks === 0 && r.skipped > 0) {
      throw new ProfileImportError(FORMAT, `no stack line found (line ${r.firstSkippedLine} is not one); ${SHAPE}`);
    }
    const builder = this.builder ?? new TreeBuilder(this.functions);
    const tree = builder.build(this.opts.sampleType ?? 'samples', this.opts.unit ?? 'count');
    // Counts are finite and >= 0, so the root holds the largest total: check that the sum fits.
    if (!(tree.total[0] <= MAX_TOTAL_VALUE) || (tree.right && !(tree.right.total[0] <= MAX_TOTAL_VALUE))) {
      throw new ProfileImportError(FORMAT, `the counts add up to more than ${MAX_TOTAL_VALUE}`);
    }
    return { tree, ...r };
  }

  private line(text: string, a: number, b: number): void {
    this.lineNo++;
    while (a < b && isSpace(text.charCodeAt(a))) {
      a++;
    }
    b = trimEnd(text, a, b);
    if (a === b) {
      this.result.blank++;
      return;
    }
    if (text.charCodeAt(a) === HASH) {
      this.result.comments++;
      return;
    }
    const countAt = lastTokenStart(text, a, b);
    const count = parseCount(text, countAt, b);
    if (Number.isNaN(count)) {
      this.skip();
      return;
    }
    let stackEnd = trimEnd(text, a, countAt);
    let left = count;
    let right = 0;
    if (!this.builder) {
      // First stack line decides: two trailing counts make a diff profile.
      const prevAt = lastTokenStart(text, a, stackEnd);
      this.diff = stackEnd > a && !Number.isNaN(parseCount(text, prevAt, stackEnd));
      this.builder = new TreeBuilder(this.functions, { diff: this.diff });
    }
    if (this.diff) {
      const prevAt = lastTokenStart(text, a, stackEnd);
      left = parseCount(text, prevAt, stackEnd);
      if (Number.isNaN(left)) {
        this.skip();
        return;
      }
      right = count;
      stackEnd = trimEnd(text, a, prevAt);
    }
    const n = this.frames(text, a, stackEnd);
    this.builder.addStack(this.stack, 0, n, left, right);
    this.result.stacks++;
  }

  /** Interns the frames of text[a..b) into this.stack, returns how many. Empty frames are dropped. */
  private frames(text: string, a: number, b: number): number {
    let n = 0;
    let s = a;
    for (let i = a; i <= b; i++) {
      if (i < b && text.charCodeAt(i) !== SEMI) {
        continue;
      }
      if (i > s) {
        if (n === this.stack.length) {
          this.stack = grown(this.stack);
        }
        this.stack[n++] = this.frame(text, s, i);
      }
      s = i + 1;
    }
    return n;
  }

  private frame(text: string, a: number, b: number): number {
    let kind: FrameKind = FrameKind.Normal;
    // `name_[k]`: underscore, bracket, letter, bracket.
    if (b - a > 4 && text.charCodeAt(b - 1) === 93 && text.charCodeAt(b - 3) === 91 && text.charCodeAt(b - 4) === 95) {
      const c = text.charCodeAt(b - 2);
      kind =
        c === 107 ? FrameKind.Kernel : c === 105 ? FrameKind.Inlined : c === 106 ? FrameKind.Jit : FrameKind.Normal;
      if (kind !== FrameKind.Normal) {
        b -= 4;
      }
    }
    return this.functions.intern(text.slice(a, b), kind);
  }

  private skip(): void {
    this.result.skipped++;
    if (!this.result.firstSkippedLine) {
      this.result.firstSkippedLine = this.lineNo;
    }
  }
}

/** Reads a whole folded text. Throws ProfileImportError only when no line at all is a stack. */
export function parseFolded(text: string, opts?: FoldedOptions): FoldedImport {
  const reader = new FoldedReader(opts);
  reader.push(text);
  return reader.end();
}

export function foldedToTree(text: string, opts?: FoldedOptions): ProfileTree {
  return parseFolded(text, opts).tree;
}

const SUFFIX: Record<number, string> = {
  [FrameKind.Inlined]: '_[i]',
  [FrameKind.Kernel]: '_[k]',
  [FrameKind.Jit]: '_[j]',
};

/**
 * Tree to folded text: one line per node with self value (root-first path, self, and selfRight
 * for a diff). Newlines and `;` inside names would break the format, so they become spaces/`:`.
 */
export function toFolded(tree: ProfileTree): string {
  const names = tree.functions.name.map((name, f) => {
    const clean = /[\r\n;]/.test(name) ? name.replace(/[\r\n]/g, ' ').replace(/;/g, ':') : name;
    return clean + (SUFFIX[tree.functions.kind[f]] ?? '');
  });
  const path: string[] = [];
  const out: string[] = [];
  const right = tree.right;
  for (let i = 0; i < tree.size; i++) {
    const d = tree.depth[i];
    if (i > 0) {
      path[d - 1] = names[tree.fn[i]];
    }
    const s = tree.self[i];
    const sr = right ? right.self[i] : 0;
    if (s === 0 && sr === 0) {
      continue;
    }
    path.length = d;
    out.push(path.join(';') + ' ' + s + (right ? ' ' + sr : ''));
  }
  return out.length ? out.join('\n') + '\n' : '';
}

/** Heuristic for the panel: do the first lines read as folded stacks? */
export function isFoldedText(text: string): boolean {
  // 64 KiB of lines is plenty of evidence, but a very deep stack's first line can be longer than
  // that: then read on to its end (up to 16 MiB).
  const firstNl = text.indexOf('\n');
  const lineEnd = firstNl < 0 ? text.length : firstNl + 1;
  const want = lineEnd > 65536 ? Math.min(lineEnd, 16 * 1024 * 1024) : 65536;
  const head = text.length > want ? text.slice(0, want) : text;
  let checked = 0;
  let good = 0;
  let withStack = 0;
  let start = 0;
  while (start < head.length && checked < 20) {
    let nl = head.indexOf('\n', start);
    if (nl < 0) {
      // A cut-off last line of the head is not evidence either way.
      if (head.length < text.length) {
        break;
      }
      nl = head.length;
    }
    let a = start;
    while (a < nl && isSpace(head.charCodeAt(a))) {
      a++;
    }
    const b = trimEnd(head, a, nl);
    start = nl + 1;
    if (a === b || head.charCodeAt(a) === HASH) {
      continue;
    }
    checked++;
    const countAt = lastTokenStart(head, a, b);
    if (countAt > a && !Number.isNaN(parseCount(head, countAt, b))) {
      good++;
      withStack++;
    } else if (countAt === a && !Number.isNaN(parseCount(head, a, b))) {
      good++;
    }
  }
  return withStack > 0 && good >= checked * 0.8;
}
