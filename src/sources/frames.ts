/**
 * Recognises every frame in `data.series` by its shape, whatever its refId, so the panel works with
 * any mix of queries. What it cannot use is reported, with the shapes it expected.
 */
import type { DataFrame, Field, FieldType } from '@grafana/data';

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

// FieldType values, spelled out so the core does not load @grafana/data at run time.
const STRING = 'string' as FieldType;
const OTHER = 'other' as FieldType;
const TIME = 'time' as FieldType;

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
  const time = frame.fields.find((f) => f.type === TIME);
  const v = time?.values[row];
  return typeof v === 'number' ? v : undefined;
}

/** pprof profiles in any field of the frame, one per row (several timestamped profiles may arrive). */
function pprofInputs(frame: DataFrame): ProfileInput[] {
  const out: ProfileInput[] = [];
  for (const field of frame.fields as Field[]) {
    if (field.type !== STRING && field.type !== OTHER) {
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
  if (frame.fields.length !== 1 || frame.fields[0].type !== STRING) {
    return undefined;
  }
  const text = frame.fields[0].values.filter((v) => typeof v === 'string').join('\n');
  return isFoldedText(text) ? { kind: 'folded', text, refId: frame.refId } : undefined;
}

/** A frame as the shape checks below need it: fields an array of objects with an array of values. */
function isFrameLike(frame: unknown): frame is DataFrame {
  const fields = (frame as DataFrame | null | undefined)?.fields;
  return (
    Array.isArray(fields) &&
    fields.every((f: Field | null) => typeof f === 'object' && f !== null && Array.isArray(f.values))
  );
}

/** refId / name for a message: only when they are strings (a raw frame may carry anything). */
function textOf(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Never throws: whatever a data source sent, each frame is classified or reported as unusable. */
export function classifyFrames(series: DataFrame[]): ClassifiedFrames {
  const result: ClassifiedFrames = { profiles: [], gcFrames: [], unusable: [] };
  for (const frame of Array.isArray(series) ? series : []) {
    if (!isFrameLike(frame)) {
      if (frame !== null && frame !== undefined) {
        result.unusable.push({ reason: 'is not a data frame (no fields with values)' });
      }
      continue;
    }
    const refId = textOf(frame.refId);
    const name = textOf(frame.name);
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
      result.unusable.push({ refId, name, reason: describe(frame) });
    } catch (e) {
      result.unusable.push({
        refId,
        name,
        reason: `could not be read (${e instanceof Error ? e.message : 'unknown error'})`,
      });
    }
  }
  return result;
}

function describe(frame: DataFrame): string {
  const fields = frame.fields
    .slice(0, 6)
    .map((f) => `${textOf(f.name) ?? '?'} (${textOf(f.type) ?? '?'})`)
    .join(', ');
  return `has fields ${fields}${frame.fields.length > 6 ? ', …' : ''}, which is none of the shapes this panel reads`;
}
