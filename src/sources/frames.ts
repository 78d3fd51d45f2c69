/**
 * Recognises every frame in `data.series` by its shape, whatever its refId, so the panel works with
 * any mix of queries. What it cannot use is reported, with the shapes it expected.
 */
import { DataFrame, Field, FieldType } from '@grafana/data';

import { isFoldedText } from './folded';
import { isGcLogFrame, isGoMetricsFrame } from './gcFrames';
import { isNestedSetFrame } from './nestedSet';

export type ProfileInput =
  | { kind: 'nested-set'; frame: DataFrame }
  | { kind: 'pprof'; bytes: Uint8Array; refId?: string; timeMs?: number }
  | { kind: 'folded'; text: string; refId?: string };

export interface UnusableFrame {
  refId?: string;
  name?: string;
  reason: string;
}

export interface ClassifiedFrames {
  profiles: ProfileInput[];
  gcFrames: DataFrame[];
  unusable: UnusableFrame[];
}

export const EXPECTED_SHAPES =
  'a Pyroscope profile (nested-set frame: level, value, self, label), pprof bytes (binary or base64 in a field), ' +
  'folded stacks text ("a;b;c 12" per line), gctrace log lines (Loki, or a text field), or Go runtime metrics (Prometheus).';

/** Base64 of a gzip stream starts with `H4sI`; of a raw profile.proto with field 1 (sample_type), `Cg`. */
const PPROF_BASE64 = /^(H4sI|Cg)[A-Za-z0-9+/]/;

function base64ToBytes(text: string): Uint8Array | undefined {
  try {
    const bin = atob(text.replace(/\s+/g, ''));
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) {
      out[i] = bin.charCodeAt(i);
    }
    return out;
  } catch {
    return undefined;
  }
}

function bytesOf(value: unknown): Uint8Array | undefined {
  if (value instanceof Uint8Array) {
    return value;
  }
  if (value instanceof ArrayBuffer) {
    return new Uint8Array(value);
  }
  if (typeof value === 'string' && PPROF_BASE64.test(value.slice(0, 8))) {
    return base64ToBytes(value);
  }
  return undefined;
}

function timeOf(frame: DataFrame, row: number): number | undefined {
  const time = frame.fields.find((f) => f.type === FieldType.time);
  const v = time?.values[row];
  return typeof v === 'number' ? v : undefined;
}

/** pprof profiles in any field of the frame, one per row (several timestamped profiles may arrive). */
function pprofInputs(frame: DataFrame): ProfileInput[] {
  const out: ProfileInput[] = [];
  for (const field of frame.fields as Field[]) {
    if (field.type !== FieldType.string && field.type !== FieldType.other) {
      continue;
    }
    for (let row = 0; row < field.values.length; row++) {
      const bytes = bytesOf(field.values[row]);
      if (bytes) {
        out.push({ kind: 'pprof', bytes, refId: frame.refId, timeMs: timeOf(frame, row) });
      }
    }
  }
  return out;
}

function foldedInput(frame: DataFrame): ProfileInput | undefined {
  if (frame.fields.length !== 1 || frame.fields[0].type !== FieldType.string) {
    return undefined;
  }
  const text = frame.fields[0].values.join('\n');
  return isFoldedText(text) ? { kind: 'folded', text, refId: frame.refId } : undefined;
}

export function classifyFrames(series: DataFrame[]): ClassifiedFrames {
  const result: ClassifiedFrames = { profiles: [], gcFrames: [], unusable: [] };
  for (const frame of series) {
    try {
      if (isNestedSetFrame(frame)) {
        result.profiles.push({ kind: 'nested-set', frame });
        continue;
      }
      if (isGcLogFrame(frame) || isGoMetricsFrame(frame)) {
        result.gcFrames.push(frame);
        continue;
      }
      const pprof = pprofInputs(frame);
      if (pprof.length) {
        result.profiles.push(...pprof);
        continue;
      }
      const folded = foldedInput(frame);
      if (folded) {
        result.profiles.push(folded);
        continue;
      }
      if (frame.fields.length === 0 || frame.length === 0) {
        continue; // an empty result is not a wrong shape
      }
      result.unusable.push({ refId: frame.refId, name: frame.name, reason: describe(frame) });
    } catch (e) {
      result.unusable.push({ refId: frame.refId, name: frame.name, reason: `could not be read (${String(e)})` });
    }
  }
  return result;
}

function describe(frame: DataFrame): string {
  const fields = frame.fields
    .slice(0, 6)
    .map((f) => `${f.name} (${f.type})`)
    .join(', ');
  return `has fields ${fields}${frame.fields.length > 6 ? ', …' : ''}, which is none of the shapes this panel reads`;
}
