/**
 * Messages between the panel and the pprof decode worker. A decoded SampleTable crosses the thread
 * boundary as its typed arrays (transferred, not copied) plus the function names and kinds the
 * receiving side interns again in the same order, so function ids stay valid.
 */
import { FrameKind } from '../../model/profile';
import { SampleTable } from '../../model/samples';
import { FunctionInterner } from '../../model/treeBuilder';
import { decodePprof } from './decode';
import { ProfileDecodeError, ProfileDecodeErrorCode } from './errors';

/** What the panel keeps of a decoded profile. */
export interface DecodedSamples {
  samples: SampleTable;
  /** Collection start, ns since the Unix epoch (0 = unknown). */
  timeNanos: number;
}

export interface DecodeRequest {
  id: number;
  bytes: Uint8Array;
  maxDecompressedBytes: number;
}

export type PackedSamples = Omit<SampleTable, 'functions'> & { functionNames: string[]; functionKinds: Uint8Array };

export type DecodeReply =
  | { id: number; ok: true; samples: PackedSamples; timeNanos: number }
  | { id: number; ok: false; code: ProfileDecodeErrorCode | null; message: string };

/** The table as a structured-clone message, and the buffers to transfer with it (each once). */
export function packSamples(samples: SampleTable): { packed: PackedSamples; transfer: ArrayBuffer[] } {
  const { functions, ...columns } = samples;
  const table = functions.table();
  const packed: PackedSamples = { ...columns, functionNames: table.name, functionKinds: table.kind };
  const buffers = new Set<ArrayBuffer>();
  for (const value of Object.values(packed)) {
    // The decoder allocates plain ArrayBuffers, never shared ones.
    if (ArrayBuffer.isView(value)) {
      buffers.add(value.buffer as ArrayBuffer);
    }
  }
  return { packed, transfer: [...buffers] };
}

export function unpackSamples(packed: PackedSamples): SampleTable {
  const { functionNames, functionKinds, ...columns } = packed;
  const functions = new FunctionInterner();
  for (let f = 0; f < functionNames.length; f++) {
    functions.intern(functionNames[f], functionKinds[f] as FrameKind);
  }
  return { ...columns, functions };
}

/** The request decoded where it is, worker or main thread. */
export function decodeRequest(req: DecodeRequest): DecodedSamples {
  const profile = decodePprof(req.bytes, { maxDecompressedBytes: req.maxDecompressedBytes });
  return { samples: profile.samples, timeNanos: profile.timeNanos };
}

/** The worker's whole job: one request in, one reply (with its transfer list) out. Never throws. */
export function answerDecodeRequest(req: DecodeRequest): { reply: DecodeReply; transfer: ArrayBuffer[] } {
  try {
    const { samples, timeNanos } = decodeRequest(req);
    const { packed, transfer } = packSamples(samples);
    return { reply: { id: req.id, ok: true, samples: packed, timeNanos }, transfer };
  } catch (e) {
    const code = e instanceof ProfileDecodeError ? e.code : null;
    return {
      reply: { id: req.id, ok: false, code, message: e instanceof Error ? e.message : String(e) },
      transfer: [],
    };
  }
}

/** The reply as the caller would have seen a decodePprof call: the samples, or the same error. */
export function settleReply(reply: DecodeReply): DecodedSamples {
  if (!reply.ok) {
    throw reply.code ? new ProfileDecodeError(reply.code, reply.message) : new Error(reply.message);
  }
  return { samples: unpackSamples(reply.samples), timeNanos: reply.timeNanos };
}
