/**
 * Search by function name: which functions and nodes match, and how much of the profile goes
 * through a match. A stack is counted once: a matched node under a matched ancestor adds nothing.
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
  /** 1 per matching node. */
  matchNode: Uint8Array;
  /** Value (left side) of the stacks through a match, each stack once. */
  matchedTotal: number;
  /** matchedTotal / root total (0 for an empty tree). */
  share: number;
}

/** Empty text matches nothing. Throws PatternError on an invalid regex. */
export function search(tree: ProfileTree, query: SearchQuery): SearchResult {
  const matchNode = new Uint8Array(tree.size);
  if (!query.text) {
    return { matchFn: new Uint8Array(tree.functions.count), matchNode, matchedTotal: 0, share: 0 };
  }
  const matchFn = matchFunctions(tree.functions, compilePattern(query.text, query));
  let matchedTotal = 0;
  for (let i = 1; i < tree.size;) {
    if (!matchFn[tree.fn[i]]) {
      i++;
      continue;
    }
    // Outermost match: count its total, then mark matches inside without counting them.
    matchedTotal += tree.total[i];
    const end = tree.end[i];
    for (let j = i; j < end; j++) {
      matchNode[j] = matchFn[tree.fn[j]];
    }
    i = end;
  }
  const rootTotal = tree.total[0];
  return { matchFn, matchNode, matchedTotal, share: rootTotal > 0 ? matchedTotal / rootTotal : 0 };
}
