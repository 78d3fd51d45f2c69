/**
 * Real fixture trees for the transform tests and benchmarks (../shared/fixtures beside the clone).
 * Node-only: reads files.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { nodeName, ProfileTree } from '../model/profile';
import { decodePprof } from '../sources/pprof';
import { buildTree } from './labels';

export const FIXTURES = resolve(__dirname, '../../../shared/fixtures');

/** `go-checkout/incident.cpu` + `cpu` -> the call tree of that sample type. */
export function fixtureTree(profile: string, sampleType: string): ProfileTree {
  return buildTree(decodePprof(readFileSync(join(FIXTURES, `${profile}.pb.gz`))), { sampleType });
}

/** `name self/total [| right]` per node in pre-order, indented by depth: readable in a failure. */
export function dumpTree(t: ProfileTree): string[] {
  const out: string[] = [];
  for (let i = 0; i < t.size; i++) {
    const r = t.right ? ` | ${t.right.self[i]}/${t.right.total[i]}` : '';
    out.push(`${'  '.repeat(t.depth[i])}${nodeName(t, i)} ${t.self[i]}/${t.total[i]}${r}`);
  }
  return out;
}
