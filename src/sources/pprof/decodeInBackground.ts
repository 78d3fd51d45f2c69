/**
 * Decodes pprof profiles in a Web Worker so the dashboard stays responsive while a large profile is
 * read, with a time budget per profile: a decode that runs past it is stopped (the worker is
 * terminated) and reported. Where no worker can start (no Worker in the environment, plugin assets
 * on another origin, a CSP without worker-src) it decodes on the main thread instead, one profile per
 * task so the page can paint in between.
 */
import { ProfileDecodeError } from './errors';
import { DecodedSamples, DecodeReply, DecodeRequest, decodeRequest, settleReply } from './workerProtocol';

export interface BackgroundDecodeOptions {
  maxDecompressedBytes: number;
  /** A decode still running after this long is stopped with a 'too-slow' error. */
  timeBudgetMs: number;
}

/** The part of a Worker the decoder uses. */
export interface DecodeWorker {
  onmessage: ((e: MessageEvent<DecodeReply>) => void) | null;
  onerror: ((e: ErrorEvent) => void) | null;
  postMessage(message: DecodeRequest): void;
  terminate(): void;
}

interface Job {
  request: DecodeRequest;
  timeBudgetMs: number;
  resolve: (decoded: DecodedSamples) => void;
  reject: (e: Error) => void;
}

/** A worker left idle this long is terminated, giving its heap back. */
const IDLE_MS = 15_000;

function startDecodeWorker(): DecodeWorker | null {
  if (typeof Worker === 'undefined') {
    return null;
  }
  try {
    // This exact form is what webpack recognises to bundle the worker as its own chunk; the entry
    // options make that chunk a plain script (see webpack.config.ts).
    return new Worker(
      /* webpackEntryOptions: { library: { type: 'var', name: '__goperfPprofDecodeWorker' }, chunkLoading: false } */
      new URL('./decode.worker.ts', import.meta.url),
      { name: 'pprof-decode' }
    );
  } catch {
    // Browsers refuse workers from another origin (plugin assets on a CDN).
    return null;
  }
}

export class BackgroundDecoder {
  private readonly startWorker: () => DecodeWorker | null;
  /** undefined: none running (start one when needed); null: workers cannot start here. */
  private worker: DecodeWorker | null | undefined;
  private readonly queue: Job[] = [];
  /** The job in progress and its timer: the time budget in the worker, the deferred decode here. */
  private running: { job: Job; timer: ReturnType<typeof setTimeout> } | null = null;
  private idle: ReturnType<typeof setTimeout> | undefined;
  private nextId = 1;

  constructor(startWorker: () => DecodeWorker | null = startDecodeWorker) {
    this.startWorker = startWorker;
  }

  /** Decodes a copy of `bytes`: the caller's buffer stays as it is. */
  decode(bytes: Uint8Array, opts: BackgroundDecodeOptions): Promise<DecodedSamples> {
    return new Promise((resolve, reject) => {
      const request = { id: this.nextId++, bytes, maxDecompressedBytes: opts.maxDecompressedBytes };
      this.queue.push({ request, timeBudgetMs: opts.timeBudgetMs, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    if (this.running || this.queue.length === 0) {
      return;
    }
    clearTimeout(this.idle);
    const job = this.queue.shift()!;
    const worker = this.ensureWorker();
    if (!worker) {
      this.running = { job, timer: setTimeout(() => this.decodeHere(job), 0) };
      return;
    }
    const budget = setTimeout(() => {
      this.stopWorker();
      const seconds = job.timeBudgetMs / 1000;
      this.finish(job, () => {
        throw new ProfileDecodeError('too-slow', `decoding took longer than ${seconds} s and was stopped`);
      });
    }, job.timeBudgetMs);
    this.running = { job, timer: budget };
    worker.postMessage(job.request);
  }

  private ensureWorker(): DecodeWorker | null {
    if (this.worker !== undefined) {
      return this.worker;
    }
    const worker = this.startWorker();
    if (worker) {
      // A worker already stopped (budget, idle) may still deliver an event: only the current one counts.
      worker.onmessage = (e) => {
        const job = this.running?.job;
        if (this.worker === worker && job && e.data.id === job.request.id) {
          this.finish(job, () => settleReply(e.data));
        }
      };
      // The script did not load or the worker died: decode here from now on, starting with its job.
      worker.onerror = () => {
        if (this.worker !== worker) {
          return;
        }
        const job = this.running?.job;
        this.stopWorker();
        this.worker = null;
        if (job) {
          clearTimeout(this.running!.timer);
          this.running = null;
          this.queue.unshift(job);
        }
        this.pump();
      };
    }
    this.worker = worker;
    return worker;
  }

  private decodeHere(job: Job): void {
    this.finish(job, () => decodeRequest(job.request));
  }

  private finish(job: Job, settle: () => DecodedSamples): void {
    clearTimeout(this.running?.timer);
    this.running = null;
    try {
      job.resolve(settle());
    } catch (e) {
      job.reject(e instanceof Error ? e : new Error(String(e)));
    }
    if (this.queue.length > 0) {
      this.pump();
    } else if (this.worker) {
      this.idle = setTimeout(() => this.stopWorker(), IDLE_MS);
    }
  }

  private stopWorker(): void {
    if (this.worker) {
      this.worker.terminate();
      this.worker = undefined;
    }
  }
}

/** One decoder for the page: every panel's profiles share its worker, one profile at a time. */
export const backgroundDecoder = new BackgroundDecoder();
