/**
 * Web Worker entry: decodes pprof bytes off the main thread, so a large profile never freezes the
 * dashboard. Bundled by webpack as its own chunk (see decodeInBackground.ts).
 */
import { answerDecodeRequest, DecodeRequest } from './workerProtocol';

/** The part of DedicatedWorkerGlobalScope used here (the project's lib is "dom", not "webworker"). */
interface WorkerScope {
  onmessage: ((e: MessageEvent<DecodeRequest>) => void) | null;
  postMessage(message: unknown, transfer: Transferable[]): void;
}

const scope = self as unknown as WorkerScope;
scope.onmessage = (e) => {
  const { reply, transfer } = answerDecodeRequest(e.data);
  scope.postMessage(reply, transfer);
};
