/** @jest-environment node */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { FIXTURES } from '../../transforms/testFixtures';
import { BackgroundDecoder, DecodeWorker } from './decodeInBackground';
import { ProfileDecodeError } from './errors';
import { answerDecodeRequest, DecodeReply, DecodeRequest } from './workerProtocol';

const OPTS = { maxDecompressedBytes: 64 * 1024 * 1024, timeBudgetMs: 1000 };
const cpu = () => new Uint8Array(readFileSync(join(FIXTURES, 'go-checkout/incident.cpu.pb.gz')));

/**
 * A worker run in this thread: messages go through structured clone both ways, as postMessage
 * sends them, and replies arrive in a later task. `hang` keeps it from ever answering.
 */
class ClonedWorker implements DecodeWorker {
  onmessage: ((e: MessageEvent<DecodeReply>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  terminated = false;
  received: DecodeRequest[] = [];
  constructor(private readonly hang = false) {}

  postMessage(message: DecodeRequest): void {
    const request = structuredClone(message);
    this.received.push(request);
    if (this.hang) {
      return;
    }
    setTimeout(() => {
      const { reply, transfer } = answerDecodeRequest(request);
      if (!this.terminated) {
        this.onmessage?.({ data: structuredClone(reply, { transfer }) } as MessageEvent<DecodeReply>);
      }
    }, 0);
  }

  terminate(): void {
    this.terminated = true;
  }
}

/** Runs the replies' tasks (fake timers keep the decoder's idle timer from outliving the test). */
async function settled<T>(p: Promise<T>): Promise<T> {
  await jest.advanceTimersByTimeAsync(100);
  return p;
}

describe('BackgroundDecoder', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('decodes in the worker, one profile at a time, and leaves the caller its bytes', async () => {
    const workers: ClonedWorker[] = [];
    const decoder = new BackgroundDecoder(() => {
      workers.push(new ClonedWorker());
      return workers[workers.length - 1];
    });
    const bytes = cpu();
    const first = decoder.decode(bytes, OPTS);
    const second = decoder.decode(bytes, OPTS);
    expect(workers[0].received).toHaveLength(1);
    const [a, b] = await settled(Promise.all([first, second]));

    expect(workers).toHaveLength(1);
    expect(workers[0].received.map((r) => r.id)).toEqual([1, 2]);
    expect(a.samples.count).toBe(b.samples.count);
    expect(a.samples.count).toBeGreaterThan(100);
    expect(bytes.byteLength).toBeGreaterThan(0);
  });

  it('rejects a bad profile with the decoder’s typed error and goes on with the next one', async () => {
    const decoder = new BackgroundDecoder(() => new ClonedWorker());
    const bad = decoder.decode(new TextEncoder().encode('{"error":"rate limited"}'), OPTS).catch((e) => e);
    const good = decoder.decode(cpu(), OPTS);
    await expect(settled(bad)).resolves.toMatchObject({ name: 'ProfileDecodeError', code: 'not-a-profile' });
    await expect(settled(good)).resolves.toMatchObject({ samples: { count: expect.any(Number) } });
  });

  it('stops a decode that runs past its time budget and starts a fresh worker for the next', async () => {
    const workers: ClonedWorker[] = [];
    const decoder = new BackgroundDecoder(() => {
      workers.push(new ClonedWorker(workers.length === 0));
      return workers[workers.length - 1];
    });
    const slow = decoder.decode(cpu(), OPTS);
    const next = decoder.decode(cpu(), OPTS);
    const slowError = slow.catch((e) => e);

    jest.advanceTimersByTime(OPTS.timeBudgetMs);
    const error = await slowError;
    expect(error).toBeInstanceOf(ProfileDecodeError);
    expect(error).toMatchObject({ code: 'too-slow', message: 'decoding took longer than 1 s and was stopped' });
    expect(workers[0].terminated).toBe(true);

    await expect(settled(next)).resolves.toMatchObject({ timeNanos: expect.any(Number) });
    expect(workers).toHaveLength(2);
  });

  it('ignores a late event from a worker it already stopped', async () => {
    const workers: ClonedWorker[] = [];
    const decoder = new BackgroundDecoder(() => {
      workers.push(new ClonedWorker(workers.length === 0));
      return workers[workers.length - 1];
    });
    const slow = decoder.decode(cpu(), OPTS).catch((e) => e);
    jest.advanceTimersByTime(OPTS.timeBudgetMs);
    await slow;
    const next = decoder.decode(cpu(), OPTS);
    workers[0].onerror?.({} as ErrorEvent);
    await expect(settled(next)).resolves.toMatchObject({ timeNanos: expect.any(Number) });
    expect(workers[1].received).toHaveLength(1);
    expect(workers[1].terminated).toBe(false);
  });

  it('terminates an idle worker so its heap is given back', async () => {
    const worker = new ClonedWorker();
    const decoder = new BackgroundDecoder(() => worker);
    await settled(decoder.decode(cpu(), OPTS));
    expect(worker.terminated).toBe(false);
    jest.advanceTimersByTime(15_000);
    expect(worker.terminated).toBe(true);
  });

  it('decodes on the main thread when no worker can start', async () => {
    const decoder = new BackgroundDecoder(() => null);
    await expect(settled(decoder.decode(cpu(), OPTS))).resolves.toMatchObject({
      samples: { count: expect.any(Number) },
    });
  });

  it('falls back to the main thread when the worker script fails to load', async () => {
    let started = 0;
    const decoder = new BackgroundDecoder(() => {
      started++;
      const worker = new ClonedWorker(true);
      // What a 404 or a CSP refusal looks like: an error event and no reply.
      setTimeout(() => worker.onerror?.({} as ErrorEvent), 0);
      return worker;
    });
    for (let i = 0; i < 2; i++) {
      await expect(settled(decoder.decode(cpu(), OPTS))).resolves.toMatchObject({
        samples: { count: expect.any(Number) },
      });
    }
    expect(started).toBe(1);
  });
});
