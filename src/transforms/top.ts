/**
 * pprof's `top` table: one row per function name, flat and cum exactly as `go tool pprof -top`
 * computes them at function granularity, from a call tree (what the panel shows, after its filters)
 * or straight from a profile's samples (the CLI: no tree to build).
 *
 * - A function's inlined and non-inlined frames are one row (pprof keys nodes by name); the row is
 *   marked `(inline)` when every call edge into it is inlined, `(partial-inline)` when some are.
 * - cum counts a stack once even if the function recurses.
 */
import { FrameKind, FunctionTable, ProfileTree } from '../model/profile';
import { SampleTable, SampleTreeOptions, sampleTypeIndex, sumByStack, UnknownSampleTypeError } from '../model/samples';

export const InlineMark = { None: 0, Inline: 1, Partial: 2 } as const;

export interface TopTable {
  count: number;
  /** Function id per row (a representative when the name exists with several FrameKinds). */
  fn: Int32Array;
  flat: Float64Array;
  cum: Float64Array;
  flatRight?: Float64Array;
  cumRight?: Float64Array;
  /** InlineMark per row. */
  inline: Uint8Array;
  /** The profile's total (the tree's root total), which the rows are shares of. */
  total: number;
  /** What `fn` indexes. */
  functions: FunctionTable;
}

/** Functions grouped by name: function id -> group, and a representative function per group. */
interface NameGroups {
  count: number;
  groupOf: Int32Array;
  groupFn: number[];
  /** 1 when the name has both inlined and not-inlined functions. */
  mixed: Uint8Array;
}

function groupByName(functions: FunctionTable): NameGroups {
  const groupOf = new Int32Array(functions.count);
  const groupByName = new Map<string, number>();
  const groupFn: number[] = [];
  const kinds: number[] = [];
  for (let f = 0; f < functions.count; f++) {
    const name = functions.name[f];
    const kind = functions.kind[f];
    let g = groupByName.get(name);
    if (g === undefined) {
      g = groupFn.length;
      groupByName.set(name, g);
      groupFn.push(f);
      kinds.push(1 << kind);
    } else {
      if (functions.kind[groupFn[g]] !== FrameKind.Normal && kind === FrameKind.Normal) {
        groupFn[g] = f;
      }
      kinds[g] |= 1 << kind;
    }
    groupOf[f] = g;
  }
  const inlined = 1 << FrameKind.Inlined;
  const mixed = new Uint8Array(groupFn.length);
  for (let g = 0; g < mixed.length; g++) {
    mixed[g] = kinds[g] & inlined && kinds[g] & ~inlined ? 1 : 0;
  }
  return { count: groupFn.length, groupOf, groupFn, mixed };
}

/**
 * Call edges (caller name -> callee name) for the inline marks. pprof marks an edge inlined only
 * when every call along it is. A name whose functions are all inlined, or all not, has every edge
 * of that one kind, so only mixed names need their edges told apart.
 */
class InlineEdges {
  /** Per group: an edge into it is inlined / is a call. */
  readonly inline: Uint8Array;
  readonly call: Uint8Array;
  private readonly groups: NameGroups;
  private readonly kind: Uint8Array;
  /** Edges into mixed groups, caller * groups + callee -> every call so far inlined. */
  private readonly mixedEdges = new Map<number, boolean>();

  constructor(groups: NameGroups, functions: FunctionTable) {
    this.groups = groups;
    this.kind = functions.kind;
    this.inline = new Uint8Array(groups.count);
    this.call = new Uint8Array(groups.count);
  }

  /** A call from group pg into function f of another group g. */
  add(pg: number, g: number, f: number): void {
    const inlined = this.kind[f] === FrameKind.Inlined;
    if (this.groups.mixed[g] === 0) {
      (inlined ? this.inline : this.call)[g] = 1;
      return;
    }
    const key = pg * this.groups.count + g;
    const prev = this.mixedEdges.get(key);
    this.mixedEdges.set(key, prev === undefined ? inlined : prev && inlined);
  }

  /** InlineMark per group. */
  marks(): Uint8Array {
    const { inline, call } = this;
    this.mixedEdges.forEach((inlined, key) => {
      (inlined ? inline : call)[key % this.groups.count] = 1;
    });
    const marks = new Uint8Array(this.groups.count);
    for (let g = 0; g < marks.length; g++) {
      marks[g] = inline[g] ? (call[g] ? InlineMark.Partial : InlineMark.Inline) : InlineMark.None;
    }
    return marks;
  }
}

/** The top table of a call tree; diff trees get the right-hand columns too. */
export function topTable(tree: ProfileTree): TopTable {
  const { functions, size, fn, self, total, end } = tree;
  const groups = groupByName(functions);
  const { groupOf } = groups;
  const nGroups = groups.count;
  const right = tree.right;
  const flat = new Float64Array(nGroups);
  const cum = new Float64Array(nGroups);
  const flatR = right ? new Float64Array(nGroups) : undefined;
  const cumR = right ? new Float64Array(nGroups) : undefined;
  const onPath = new Int32Array(nGroups);
  const path = new Int32Array(size);
  const edges = new InlineEdges(groups, functions);
  let depth = 0;

  for (let i = 1; i < size; i++) {
    while (depth > 0 && end[path[depth - 1]] <= i) {
      onPath[groupOf[fn[path[--depth]]]]--;
    }
    const g = groupOf[fn[i]];
    flat[g] += self[i];
    if (flatR && right) {
      flatR[g] += right.self[i];
    }
    // A node adds its total only when no ancestor has the same name.
    if (onPath[g] === 0) {
      cum[g] += total[i];
      if (cumR && right) {
        cumR[g] += right.total[i];
      }
    }
    if (depth > 0) {
      const pg = groupOf[fn[path[depth - 1]]];
      if (pg !== g) {
        edges.add(pg, g, fn[i]);
      }
    }
    onPath[g]++;
    path[depth++] = i;
  }
  return topRows(functions, groups, flat, cum, flatR, cumR, edges.marks(), size > 0 ? total[0] : 0);
}

/**
 * The top table of a profile's samples, row for row what topTable(buildSampleTree(samples, opts))
 * gives, without building the tree: each distinct stack adds its value to its leaf's flat and once
 * to the cum of every name on it.
 */
export function topTableOfSamples(samples: SampleTable, opts: SampleTreeOptions = {}): TopTable {
  const t = sampleTypeIndex(samples, opts.sampleType);
  if (t < 0) {
    throw new UnknownSampleTypeError(opts.sampleType ?? '', samples.sampleTypes);
  }
  const stackValue = new Float64Array(samples.stackCount);
  const used = new Uint8Array(samples.stackCount);
  sumByStack(samples, t, opts.mask, stackValue, used);
  const functions = samples.functions.table();
  const groups = groupByName(functions);
  const flat = new Float64Array(groups.count);
  const cum = new Float64Array(groups.count);
  const edges = new InlineEdges(groups, functions);
  const total = sumStacks(samples, used, stackValue, groups.groupOf, flat, cum, edges);
  return topRows(functions, groups, flat, cum, undefined, undefined, edges.marks(), total);
}

/** flat, cum and call edges of the used stacks; returns their total. */
function sumStacks(
  samples: SampleTable,
  used: Uint8Array,
  stackValue: Float64Array,
  groupOf: Int32Array,
  flat: Float64Array,
  cum: Float64Array,
  edges: InlineEdges
): number {
  const { stackCount, stackOffsets, stackLocations, frameOffsets, frames } = samples;
  // seen[g] === k + 1: name g is already counted in stack k's cum.
  const seen = new Int32Array(flat.length);
  let total = 0;
  for (let k = 0; k < stackCount; k++) {
    if (used[k] === 0) {
      continue;
    }
    const v = stackValue[k];
    total += v;
    let pg = -1;
    // Locations are leaf first, their frames root first.
    for (let i = stackOffsets[k + 1] - 1; i >= stackOffsets[k]; i--) {
      const l = stackLocations[i];
      for (let j = frameOffsets[l]; j < frameOffsets[l + 1]; j++) {
        const f = frames[j];
        const g = groupOf[f];
        if (seen[g] !== k + 1) {
          seen[g] = k + 1;
          cum[g] += v;
        }
        if (pg >= 0 && pg !== g) {
          edges.add(pg, g, f);
        }
        pg = g;
      }
    }
    if (pg >= 0) {
      flat[pg] += v;
    }
  }
  return total;
}

/** The rows with a non-zero value, sorted as pprof prints them: flat descending, then name. */
function topRows(
  functions: FunctionTable,
  groups: NameGroups,
  flat: Float64Array,
  cum: Float64Array,
  flatR: Float64Array | undefined,
  cumR: Float64Array | undefined,
  marks: Uint8Array,
  total: number
): TopTable {
  const { groupFn } = groups;
  const rows: number[] = [];
  for (let g = 0; g < groups.count; g++) {
    if (flat[g] !== 0 || cum[g] !== 0 || (flatR && cumR && (flatR[g] !== 0 || cumR[g] !== 0))) {
      rows.push(g);
    }
  }
  const names = functions.name;
  rows.sort((a, b) => {
    const fa = Math.abs(flat[a]);
    const fb = Math.abs(flat[b]);
    if (fa !== fb) {
      return fb - fa;
    }
    const na = names[groupFn[a]];
    const nb = names[groupFn[b]];
    if (na !== nb) {
      return na < nb ? -1 : 1;
    }
    return Math.abs(cum[b]) - Math.abs(cum[a]);
  });

  const count = rows.length;
  const out: TopTable = {
    count,
    fn: new Int32Array(count),
    flat: new Float64Array(count),
    cum: new Float64Array(count),
    inline: new Uint8Array(count),
    total,
    functions,
  };
  if (flatR && cumR) {
    out.flatRight = new Float64Array(count);
    out.cumRight = new Float64Array(count);
  }
  for (let r = 0; r < count; r++) {
    const g = rows[r];
    out.fn[r] = groupFn[g];
    out.flat[r] = flat[g];
    out.cum[r] = cum[g];
    out.inline[r] = marks[g];
    if (out.flatRight && out.cumRight && flatR && cumR) {
      out.flatRight[r] = flatR[g];
      out.cumRight[r] = cumR[g];
    }
  }
  return out;
}

/** Row name as `go tool pprof -top` prints it, e.g. `runtime.nextFreeFast (inline)`. */
export function topRowName(top: TopTable, row: number): string {
  const name = top.functions.name[top.fn[row]];
  const mark = top.inline[row];
  return mark === InlineMark.Inline ? `${name} (inline)` : mark === InlineMark.Partial ? `${name} (partial-inline)` : name;
}

/** The CLI's text form: `flat<TAB>cum<TAB>name` per row in base units, then `total<TAB>N`. */
export function formatTop(top: TopTable): string {
  const lines: string[] = [];
  for (let r = 0; r < top.count; r++) {
    lines.push(`${top.flat[r]}\t${top.cum[r]}\t${topRowName(top, r)}`);
  }
  lines.push(`total\t${top.total}`);
  return lines.join('\n') + '\n';
}
