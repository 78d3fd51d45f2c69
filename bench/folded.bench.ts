/**
 * Folded stacks: the real pprof-large.cpu profile written as folded text (20k lines but very deep
 * stacks: 8.9 MB, 425k tree nodes), read by our in-place scanner (parseFolded:
 * columnar tree) against the usual approach of flame graph libraries (d3-flame-graph style):
 * split into lines, split each on ';', insert into a tree of objects with a children array.
 * Medians of 3 runs after a warm-up.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parseFolded, toFolded } from '../src/sources/folded';
import { decodePprof } from '../src/sources/pprof';
import { buildTree } from '../src/transforms/labels';
import { median, reportBench, time } from './report';

const RUNS = 3;
const FIXTURES = join(__dirname, '../../shared/fixtures');

interface TrieNode {
  name: string;
  value: number;
  children: TrieNode[];
}

/** The peer: line/frame arrays and per-node objects with linear child lookup. */
function splitObjectTrie(text: string): TrieNode {
  const root: TrieNode = { name: 'root', value: 0, children: [] };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) {
      continue;
    }
    const sp = line.lastIndexOf(' ');
    const count = Number(line.slice(sp + 1));
    if (sp < 0 || !Number.isFinite(count)) {
      continue;
    }
    let node = root;
    node.value += count;
    for (const frame of line.slice(0, sp).split(';')) {
      let child = node.children.find((c) => c.name === frame);
      if (!child) {
        child = { name: frame, value: 0, children: [] };
        node.children.push(child);
      }
      child.value += count;
      node = child;
    }
  }
  return root;
}

const tree = buildTree(decodePprof(readFileSync(join(FIXTURES, 'public/pprof-large.cpu.pb.gz'))), {
  sampleType: 'cpu',
});
const text = toFolded(tree);
const lines = text.split('\n').length - 1;

let ourTotal = 0;
let peerTotal = 0;
time(() => (ourTotal = parseFolded(text).tree.total[0]));
time(() => (peerTotal = splitObjectTrie(text).value));
if (ourTotal !== peerTotal) {
  throw new Error(`totals differ: ours ${ourTotal}, peer ${peerTotal}`);
}
const ours: number[] = [];
const peer: number[] = [];
for (let r = 0; r < RUNS; r++) {
  ours.push(time(() => parseFolded(text)));
  peer.push(time(() => splitObjectTrie(text)));
}
reportBench(`folded-${Math.round(lines / 1000)}k-lines`, median(ours), 'split-object-trie', median(peer));
