/**
 * pprof's `top` table from any call tree: one row per function name, flat and cum exactly as
 * `go tool pprof -top` computes them at function granularity.
 *
 * - A function's inlined and non-inlined frames are one row (pprof keys nodes by name); the row is
 *   marked `(inline)` when every call edge into it is inlined, `(partial-inline)` when some are.
 * - cum counts a stack once even if the function recurses: a node adds its total only when no
 *   ancestor has the same name.
 */
import { FrameKind, ProfileTree } from '../model/profile';

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
}

export function topTable(tree: ProfileTree): TopTable {
  const { functions, size, fn, self, total, end } = tree;
  // Function id -> row group by name.
  const groupOf = new Int32Array(functions.count);
  const groupByName = new Map<string, number>();
  const groupFn: number[] = [];
  for (let f = 0; f < functions.count; f++) {
    const name = functions.name[f];
    let g = groupByName.get(name);
    if (g === undefined) {
      g = groupFn.length;
      groupByName.set(name, g);
      groupFn.push(f);
    } else if (functions.kind[groupFn[g]] !== FrameKind.Normal && functions.kind[f] === FrameKind.Normal) {
      groupFn[g] = f;
    }
    groupOf[f] = g;
  }
  const nGroups = groupFn.length;
  const right = tree.right;
  const flat = new Float64Array(nGroups);
  const cum = new Float64Array(nGroups);
  const flatR = right ? new Float64Array(nGroups) : undefined;
  const cumR = right ? new Float64Array(nGroups) : undefined;
  const onPath = new Int32Array(nGroups);
  const path = new Int32Array(size);
  let depth = 0;
  // Call edges (caller group -> callee group): true while every occurrence is inlined.
  const edgeInline = new Map<number, boolean>();

  for (let i = 1; i < size; i++) {
    while (depth > 0 && end[path[depth - 1]] <= i) {
      onPath[groupOf[fn[path[--depth]]]]--;
    }
    const g = groupOf[fn[i]];
    flat[g] += self[i];
    if (flatR && right) {
      flatR[g] += right.self[i];
    }
    if (onPath[g] === 0) {
      cum[g] += total[i];
      if (cumR && right) {
        cumR[g] += right.total[i];
      }
    }
    if (depth > 0) {
      const pg = groupOf[fn[path[depth - 1]]];
      if (pg !== g) {
        const key = pg * nGroups + g;
        const inl = functions.kind[fn[i]] === FrameKind.Inlined;
        const prev = edgeInline.get(key);
        edgeInline.set(key, prev === undefined ? inl : prev && inl);
      }
    }
    onPath[g]++;
    path[depth++] = i;
  }

  const hasInline = new Uint8Array(nGroups);
  const hasCall = new Uint8Array(nGroups);
  edgeInline.forEach((inl, key) => {
    const g = key % nGroups;
    if (inl) {
      hasInline[g] = 1;
    } else {
      hasCall[g] = 1;
    }
  });

  const rows: number[] = [];
  for (let g = 0; g < nGroups; g++) {
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
    out.inline[r] = hasInline[g] ? (hasCall[g] ? InlineMark.Partial : InlineMark.Inline) : InlineMark.None;
    if (out.flatRight && out.cumRight && flatR && cumR) {
      out.flatRight[r] = flatR[g];
      out.cumRight[r] = cumR[g];
    }
  }
  return out;
}

/** Row name as `go tool pprof -top` prints it, e.g. `runtime.nextFreeFast (inline)`. */
export function topRowName(tree: ProfileTree, top: TopTable, row: number): string {
  const name = tree.functions.name[top.fn[row]];
  const mark = top.inline[row];
  return mark === InlineMark.Inline ? `${name} (inline)` : mark === InlineMark.Partial ? `${name} (partial-inline)` : name;
}

/** The CLI's text form: `flat<TAB>cum<TAB>name` per row in base units, then `total<TAB>N`. */
export function formatTop(tree: ProfileTree, top: TopTable = topTable(tree)): string {
  const lines: string[] = [];
  for (let r = 0; r < top.count; r++) {
    lines.push(`${top.flat[r]}\t${top.cum[r]}\t${topRowName(tree, top, r)}`);
  }
  lines.push(`total\t${tree.size > 0 ? tree.total[0] : 0}`);
  return lines.join('\n') + '\n';
}
