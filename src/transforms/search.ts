/**
 * Search by function name: which functions match, and how much of the profile (or of a focused
 * subtree) goes through a match. One pass over the function names decides the matches; nodes are
 * matched through their function index, so a million nodes cost one typed-array read each. A stack
 * is counted once: a matched node under a matched ancestor adds nothing.
 */
import { ProfileTree } from '../model/profile';
import { compilePattern, matchFunctions } from './treeOps';

export { PatternError } from './treeOps';

export interface SearchQuery {
  text: string;
  regex: boolean;
  caseSensitive: boolean;
}

export interface SearchResult {
  /** 1 per matching function. */
  matchFn: Uint8Array;
  matchedFunctions: number;
  /** Value (left side) of the stacks through a match, each stack once. */
  matchedTotal: number;
  /** The same for the comparison side of a diff tree. */
  matchedTotalRight?: number;
  /** matchedTotal / total of the searched subtree (0 when it is empty). */
  share: number;
}

/** Searches the subtree of `root` (default: the whole tree). Empty text matches nothing. Throws PatternError on an invalid regex. */
export function search(tree: ProfileTree, query: SearchQuery, root = 0): SearchResult {
  const right = tree.right?.total;
  if (!query.text || tree.size === 0) {
    return { matchFn: new Uint8Array(tree.functions.count), matchedFunctions: 0, matchedTotal: 0, share: 0 };
  }
  const matchFn = matchFunctions(tree.functions, compilePattern(query.text, query));
  let matchedFunctions = 0;
  for (let f = 0; f < matchFn.length; f++) {
    matchedFunctions += matchFn[f];
  }
  let matchedTotal = 0;
  let matchedTotalRight = 0;
  for (let i = root, end = tree.end[root]; i < end; ) {
    const f = tree.fn[i];
    if (f >= 0 && matchFn[f]) {
      matchedTotal += tree.total[i];
      if (right) {
        matchedTotalRight += right[i];
      }
      i = tree.end[i]; // the stacks below are already counted
    } else {
      i++;
    }
  }
  const rootTotal = tree.total[root];
  return {
    matchFn,
    matchedFunctions,
    matchedTotal,
    matchedTotalRight: right ? matchedTotalRight : undefined,
    share: rootTotal > 0 ? matchedTotal / rootTotal : 0,
  };
}
