/**
 * pprof's name filters, with `go tool pprof` semantics (profile.FilterSamplesByName):
 * - focus: keep stacks that go through a frame matching the regex;
 * - ignore: drop stacks that go through a matching frame (wins over focus);
 * - hide: remove matching frames from stacks (their callees move up to the caller);
 * - show: keep only matching frames in stacks.
 * focus/ignore look at the stack before hide/show change it; a stack left with no frame at all by
 * hide/show is dropped, as pprof drops a sample with no locations (and so is the root's own
 * value, an empty stack, whenever a filter is set). Regexes are unanchored and
 * match function names (JavaScript RegExp syntax, which for pprof-style patterns matches Go's).
 */
import { FrameKind, ProfileTree } from '../model/profile';
import { FunctionInterner, TreeBuilder } from '../model/treeBuilder';
import { compactTree, compilePattern, forEachStack, internAll, matchFunctions } from './treeOps';

export { PatternError } from './treeOps';

export interface PprofFilters {
  focus?: string;
  ignore?: string;
  hide?: string;
  show?: string;
}

/** Per-function masks (1 = matches); null = filter not set. */
export interface FunctionFilters {
  focus?: Uint8Array | null;
  ignore?: Uint8Array | null;
  hide?: Uint8Array | null;
  show?: Uint8Array | null;
}

function mask(tree: ProfileTree, pattern: string | undefined): Uint8Array | null {
  if (!pattern) {
    return null;
  }
  return matchFunctions(tree.functions, compilePattern(pattern, { regex: true, caseSensitive: true }));
}

/** Applies pprof regex filters; empty strings mean "not set". Throws PatternError on a bad regex. */
export function applyFilters(tree: ProfileTree, filters: PprofFilters): ProfileTree {
  return filterByFunctions(tree, {
    focus: mask(tree, filters.focus),
    ignore: mask(tree, filters.ignore),
    hide: mask(tree, filters.hide),
    show: mask(tree, filters.show),
  });
}

export function filterByFunctions(tree: ProfileTree, filters: FunctionFilters): ProfileTree {
  const { focus, ignore, hide, show } = filters;
  let out = tree;
  if (focus || ignore) {
    out = focusIgnore(out, focus ?? null, ignore ?? null);
  }
  if (hide || show) {
    out = hideShow(out, hide ?? null, show ?? null);
  }
  return out;
}

/** Keeps the self value of node i only if the path root..i is focused and not ignored. Columnar, O(n). */
function focusIgnore(tree: ProfileTree, focus: Uint8Array | null, ignore: Uint8Array | null): ProfileTree {
  const n = tree.size;
  // Bit 1: a focused frame on the path; bit 2: an ignored one.
  const state = new Uint8Array(n);
  const self = new Float64Array(n);
  const selfR = tree.right ? new Float64Array(n) : undefined;
  for (let i = 0; i < n; i++) {
    let s = i === 0 ? (focus ? 0 : 1) : state[tree.parent[i]];
    const f = tree.fn[i];
    if (f >= 0) {
      if (focus && focus[f]) {
        s |= 1;
      }
      if (ignore && ignore[f]) {
        s |= 2;
      }
    }
    state[i] = s;
    // An empty stack (root self) has no frame to focus on; pprof drops it under any filter.
    if (s === 1 && i > 0) {
      self[i] = tree.self[i];
      if (selfR && tree.right) {
        selfR[i] = tree.right.self[i];
      }
    }
  }
  return compactTree(tree, self, selfR);
}

/**
 * Rebuilds stacks without hidden frames (hide), or with only shown frames (show). pprof removes
 * lines from a location: an inlined frame whose callers in the same location are all removed
 * becomes the location's last line, so it is no longer shown as inlined. Here a location is an
 * Inlined run below its non-inlined frame, so such a frame is re-interned as Normal.
 */
function hideShow(tree: ProfileTree, hide: Uint8Array | null, show: Uint8Array | null): ProfileTree {
  const functions = new FunctionInterner();
  const map = internAll(functions, tree.functions);
  const asNormal = new Int32Array(tree.functions.count).fill(-1);
  const builder = new TreeBuilder(functions, { diff: !!tree.right });
  const right = tree.right?.self;
  const kind = tree.functions.kind;
  let stack = new Int32Array(64);
  forEachStack(tree, (node, path, depth) => {
    if (depth > stack.length) {
      stack = new Int32Array(depth * 2);
    }
    let k = 0;
    // Whether a frame of the current location (its non-inlined frame and inlined ones so far) is kept.
    let locationKept = false;
    for (let d = 0; d < depth; d++) {
      const f = path[d];
      const inlined = kind[f] === FrameKind.Inlined;
      if ((hide && hide[f]) || (show && !show[f])) {
        locationKept = inlined && locationKept;
        continue;
      }
      if (inlined && !locationKept) {
        if (asNormal[f] < 0) {
          asNormal[f] = functions.intern(tree.functions.name[f], FrameKind.Normal);
        }
        stack[k++] = asNormal[f];
      } else {
        stack[k++] = map[f];
      }
      locationKept = true;
    }
    if (k > 0) {
      builder.addStack(stack, 0, k, tree.self[node], right ? right[node] : 0);
    }
  });
  const out = builder.build(tree.sampleType, tree.unit);
  if (tree.truncation) {
    out.truncation = { ...tree.truncation };
  }
  return out;
}
