/**
 * Small trees for the view tests, from folded-stack lines (`a;b;c 5`, or `a;b 5 7` for a diff),
 * through the real folded importer.
 */
import { ProfileTree } from '../../model/profile';
import { foldedToTree } from '../../sources/folded';

export function treeFromFolded(lines: string[], unit = 'nanoseconds'): ProfileTree {
  return foldedToTree(lines.join('\n'), { sampleType: 'cpu', unit });
}
