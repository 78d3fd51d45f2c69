/**
 * Search over function names: one pass over `functions.name` decides which functions match, and
 * nodes are matched through their function index, so a million nodes cost one typed-array read
 * each, and a million draws cost nothing extra.
 */
import { ProfileTree } from '../../model/profile';

export interface SearchOptions {
  regex: boolean;
  caseSensitive: boolean;
}

export interface SearchResult {
  /** 1 where function f matches. */
  fnMatch: Uint8Array;
  matchedFunctions: number;
  /** Value of the matched stacks, each stack counted once (a match under a match is not added again). */
  matchedTotal: number;
  /** Same for the comparison side of a diff. */
  matchedTotalRight?: number;
  /** Share of the focused subtree (0..1). */
  share: number;
}

/** A search pattern the user typed that is not a valid regular expression. */
export class SearchPatternError extends Error {
  constructor(
    readonly pattern: string,
    reason: string
  ) {
    super(`Invalid regular expression /${pattern}/: ${reason}`);
    this.name = 'SearchPatternError';
  }
}

/** A predicate for one query; throws SearchPatternError for a bad regex. */
export function compileMatcher(query: string, opts: SearchOptions): (name: string) => boolean {
  if (opts.regex) {
    let re: RegExp;
    try {
      re = new RegExp(query, opts.caseSensitive ? '' : 'i');
    } catch (e) {
      throw new SearchPatternError(query, e instanceof Error ? e.message : String(e));
    }
    return (name) => re.test(name);
  }
  if (opts.caseSensitive) {
    return (name) => name.includes(query);
  }
  const q = query.toLowerCase();
  return (name) => name.toLowerCase().includes(q);
}

/** Matches functions, then measures the matched share of the subtree of `root`. Empty query -> null. */
export function searchTree(tree: ProfileTree, query: string, opts: SearchOptions, root = 0): SearchResult | null {
  if (query === '') {
    return null;
  }
  const match = compileMatcher(query, opts);
  const names = tree.functions.name;
  const fnMatch = new Uint8Array(tree.functions.count);
  let matchedFunctions = 0;
  for (let f = 0; f < names.length; f++) {
    if (match(names[f])) {
      fnMatch[f] = 1;
      matchedFunctions++;
    }
  }
  const { fn, end, total } = tree;
  const rightTotal = tree.right?.total;
  let matchedTotal = 0;
  let matchedTotalRight = 0;
  for (let i = root, e = tree.end[root]; i < e; ) {
    const f = fn[i];
    if (f >= 0 && fnMatch[f] === 1) {
      matchedTotal += total[i];
      if (rightTotal) {
        matchedTotalRight += rightTotal[i];
      }
      i = end[i]; // the whole stack below is already counted
    } else {
      i++;
    }
  }
  const rootTotal = tree.size > 0 ? total[root] : 0;
  return {
    fnMatch,
    matchedFunctions,
    matchedTotal,
    matchedTotalRight: rightTotal ? matchedTotalRight : undefined,
    share: rootTotal > 0 ? matchedTotal / rootTotal : 0,
  };
}
