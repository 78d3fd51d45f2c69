/**
 * `npm run bench`: runs every bench/*.bench.ts in its own process (so one benchmark's heap and JIT state
 * cannot skew the next) and passes their `BENCH ...` lines through.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const only = process.argv[2];
const dir = __dirname;
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only)))
  .sort();

let failed = 0;
for (const file of files) {
  process.stdout.write(`# ${file}\n`);
  const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(dir, file)], { stdio: 'inherit' });
  if (run.status !== 0) {
    failed++;
    process.stdout.write(`# ${file} failed with status ${run.status}\n`);
  }
}
process.exit(failed ? 1 : 0);
