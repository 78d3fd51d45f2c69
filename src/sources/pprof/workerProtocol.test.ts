/** @jest-environment node */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { buildSampleTree } from '../../model/samples';
import { dumpTree, FIXTURES } from '../../transforms/testFixtures';
import { decodePprof } from './decode';
import { ProfileDecodeError } from './errors';
import { answerDecodeRequest, DecodeReply, settleReply } from './workerProtocol';

const LIMIT = 64 * 1024 * 1024;

/** What postMessage does to a reply: a structured clone that moves the transferred buffers. */
function acrossThreads(bytes: Uint8Array) {
  const { reply, transfer } = answerDecodeRequest({ id: 1, bytes, maxDecompressedBytes: LIMIT });
  return settleReply(structuredClone(reply, { transfer }) as DecodeReply);
}

const profiles = ['go-checkout', 'public'].flatMap((dir) =>
  readdirSync(join(FIXTURES, dir))
    .filter((f) => f.endsWith('.pb.gz'))
    .map((f) => join(dir, f))
);

describe('pprof worker protocol', () => {
  it.each(profiles)('%s arrives whole: every sample type builds the same tree as a direct decode', (file) => {
    const bytes = new Uint8Array(readFileSync(join(FIXTURES, file)));
    const direct = decodePprof(bytes);
    const received = acrossThreads(bytes);

    expect(received.timeNanos).toBe(direct.timeNanos);
    expect(received.samples.functions.table()).toEqual(direct.samples.functions.table());
    for (let t = 0; t < direct.samples.sampleTypes.length; t++) {
      expect(dumpTree(buildSampleTree(received.samples, { sampleType: t }))).toEqual(
        dumpTree(buildSampleTree(direct.samples, { sampleType: t }))
      );
    }
  });

  it('keeps label columns and strings, so service filters work on the received table', () => {
    const bytes = new Uint8Array(readFileSync(join(FIXTURES, 'public/parca-api-labels.cpu.pb.gz')));
    const direct = decodePprof(bytes).samples;
    const received = acrossThreads(bytes).samples;
    const plain = (v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Int32Array) : v);
    const columns = Object.keys(direct).filter((k) => k !== 'functions') as Array<keyof typeof direct>;
    expect(direct.labelKey.length).toBeGreaterThan(0);
    for (const column of columns) {
      expect([column, plain(received[column])]).toEqual([column, plain(direct[column])]);
    }
  });

  it('transfers the buffers instead of copying them, and leaves the request bytes alone', () => {
    const bytes = new Uint8Array(readFileSync(join(FIXTURES, 'go-checkout/incident.cpu.pb.gz')));
    const { reply, transfer } = answerDecodeRequest({ id: 7, bytes, maxDecompressedBytes: LIMIT });
    expect(transfer.length).toBeGreaterThan(5);
    expect(new Set(transfer).size).toBe(transfer.length);
    structuredClone(reply, { transfer });
    expect(transfer.every((b) => b.byteLength === 0)).toBe(true);
    expect(bytes.byteLength).toBeGreaterThan(0);
  });

  it.each([
    ['empty', new Uint8Array(0)],
    ['not-a-profile', new TextEncoder().encode('<html>502 Bad Gateway</html>')],
    ['truncated', new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0])],
    ['too-large', new Uint8Array(LIMIT + 1).fill(0x0a)],
  ])('a %s profile comes back as the same typed error decodePprof throws', (code, bytes) => {
    const { reply } = answerDecodeRequest({ id: 2, bytes, maxDecompressedBytes: LIMIT });
    expect(reply).toMatchObject({ id: 2, ok: false, code });
    let error: unknown;
    try {
      settleReply(structuredClone(reply));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProfileDecodeError);
    expect((error as ProfileDecodeError).code).toBe(code);
    expect((error as Error).message).toBe(reply.ok ? '' : reply.message);
  });
});
