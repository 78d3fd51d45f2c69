/** @jest-environment node */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parsePprofTop } from './oracle';

const ROOT = resolve(__dirname, '../../..');
const FIXTURES = resolve(ROOT, '../shared/fixtures');

describe('npm run profile:top (the CLI process)', () => {
  it('prints pprof -top rows and the total for a fixture', () => {
    const file = resolve(FIXTURES, 'go-checkout/incident.heap.pb.gz');
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'cli/profile-top.ts', file, '--sample-index', 'alloc_space'],
      {
        cwd: ROOT,
        encoding: 'utf8',
      }
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const oracle = parsePprofTop(
      readFileSync(resolve(FIXTURES, 'go-checkout/pprof-top/incident.heap.alloc_space.txt'), 'utf8')
    );
    const expected = oracle.rows.map((r) => `${r.flat}\t${r.cum}\t${r.name}`).join('\n') + `\ntotal\t${oracle.total}\n`;
    expect(run.stdout).toBe(expected);
  }, 60_000);

  it('the bundled launcher (scripts/profile-top.cjs) prints the same', () => {
    const file = resolve(FIXTURES, 'go-checkout/incident.cpu.pb.gz');
    const args = [file, '--sample-index', 'cpu'];
    const bundled = spawnSync(process.execPath, ['scripts/profile-top.cjs', ...args], { cwd: ROOT, encoding: 'utf8' });
    const tsx = spawnSync(process.execPath, ['--import', 'tsx', 'cli/profile-top.ts', ...args], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(bundled.stderr).toBe('');
    expect(bundled.status).toBe(0);
    expect(bundled.stdout).toBe(tsx.stdout);
    const oracle = parsePprofTop(readFileSync(resolve(FIXTURES, 'go-checkout/pprof-top/incident.cpu.cpu.txt'), 'utf8'));
    expect(bundled.stdout).toBe(
      oracle.rows.map((r) => `${r.flat}\t${r.cum}\t${r.name}`).join('\n') + `\ntotal\t${oracle.total}\n`
    );
  }, 60_000);

  it('fails with a typed message and status 1 on a non-profile', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'cli/profile-top.ts', resolve(ROOT, 'package.json')], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/not-a-profile/);
  }, 60_000);
});
