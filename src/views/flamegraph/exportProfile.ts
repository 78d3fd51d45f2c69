/**
 * Toolbar exports of the profile as shown: the tree the view was given (already filtered by the
 * panel), cut to the focused node with its callers kept, as pprof (gzipped protobuf, readable by
 * `go tool pprof`) or as folded stacks. Pure: the view turns the result into a download.
 */
import { ProfileTree } from '../../model/profile';
import { encodePprof } from '../../sources/pprof/encode';
import { toFolded } from '../../sources/folded';
import { focusNode } from '../../transforms/focus';

export type ProfileExportFormat = 'pprof' | 'folded';

export interface ProfileExport {
  data: Uint8Array | string;
  fileName: string;
  mimeType: string;
}

/** What is shown: the whole tree, or the focused subtree below its chain of callers. */
export function shownTree(tree: ProfileTree, focus: number): ProfileTree {
  return focus > 0 && focus < tree.size ? focusNode(tree, focus) : tree;
}

export function exportProfile(
  tree: ProfileTree,
  focus: number,
  format: ProfileExportFormat,
  baseName: string
): ProfileExport {
  const shown = shownTree(tree, focus);
  const base = `${baseName}.${shown.sampleType || 'profile'}`;
  if (format === 'pprof') {
    return { data: encodePprof(shown), fileName: `${base}.pb.gz`, mimeType: 'application/gzip' };
  }
  return { data: toFolded(shown), fileName: `${base}.folded`, mimeType: 'text/plain' };
}
