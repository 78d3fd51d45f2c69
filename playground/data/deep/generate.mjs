// Writes deep-5000.folded: one 5,000-frame recursive stack (a parser descending into nested
// input) plus a few shallow stacks beside it, for the browser test of deep profiles.
//   node playground/data/deep/generate.mjs
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DEPTH = 5000;
const frames = ['runtime.goexit', 'main.main', 'main.parse'];
while (frames.length < DEPTH - 1) {
  frames.push(frames.length % 2 ? 'main.(*parser).value' : 'main.(*parser).object');
}
frames.push('main.(*parser).leaf');
// Short lines first: readers sniff the head of a file to recognise folded stacks.
const lines = [
  'runtime.goexit;main.main;crypto/sha256.block 100',
  `${frames.slice(0, 2500).join(';')};runtime.mallocgc 200`,
  `${frames.join(';')} 700`,
];
writeFileSync(join(dirname(fileURLToPath(import.meta.url)), 'deep-5000.folded'), lines.join('\n') + '\n');
