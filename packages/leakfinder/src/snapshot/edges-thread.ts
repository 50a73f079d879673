/**
 * `EdgesThread`: parses a snapshot's `edges` section on a worker_threads worker while `readSnapshot` parses
 * the rest on the calling thread (on 2 cores the read takes about the time of the longer of the two).
 *
 * The protocol: started early (a worker takes ~40 ms to boot), given the header's layout, counts and the
 * offset of `nodes` once the calling thread has them (`begin`), the worker finds `edges` by a byte search
 * (`nodes` holds numbers only), reports its offset (`claim`), parses it into shared columns sized from the
 * header's `edge_count`, and reports the row count or the error with its byte offset (`result`). The calling
 * tokenizer skips the section only if the offset and the counts match what it parsed itself; anything else
 * falls back to parsing `edges` on the calling thread.
 */
import { Worker } from 'node:worker_threads';
import { LeakfinderError, type ErrorCode } from '../errors.js';
import type { EdgesOutcome, EdgesPlace } from './edges-section.js';
import type { SnapshotLayout } from './format.js';
import { sharedColumn } from './shared-column.js';
import type { EdgeClaim, SnapshotTokenizer } from './tokenizer.js';

/** The job posted to the worker. */
export interface EdgesJob {
  /** Absolute path to open; `name` is the one used in error messages. */
  readonly file: string;
  readonly name: string;
  readonly fileBytes: number;
  /** Offset after the `[` of `nodes`. */
  readonly nodesFrom: number;
  readonly layout: SnapshotLayout;
  readonly chunkBytes: number;
  readonly columns: Omit<EdgeClaim, keyof EdgesPlace>;
}

/** The worker's read size: as fast as 8 MiB for this section, and less memory beside the main thread's. */
const workerChunkBytes = 1024 * 1024;

/** What the worker posts back, in this order: `located` or `declined`, then `done`, or `error`/`crash` at any point. */
export type EdgesThreadMessage =
  | { readonly type: 'located'; readonly place: EdgesPlace }
  | { readonly type: 'declined' }
  | { readonly type: 'done'; readonly outcome: EdgesOutcome }
  | { readonly type: 'error'; readonly code: ErrorCode; readonly message: string }
  | { readonly type: 'crash'; readonly message: string };

/** How the worker's parse ended: its outcome, the error to report, or null when the worker was lost. */
export type EdgesResult = EdgesOutcome | LeakfinderError | null;

/** Waits for a promise unless the signal aborts first (then rejects with its reason). */
function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolvePromise, rejectPromise) => {
    const onAbort = (): void => rejectPromise(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolvePromise(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        rejectPromise(error as Error);
      },
    );
  });
}

/** One worker for one file; `stop` it when the read ends, whatever happened. */
export class EdgesThread {
  private readonly worker: Worker;
  private readonly file: string;
  private readonly name: string;
  private readonly fileBytes: number;
  private readonly chunkBytes: number;
  private job: EdgesJob | null = null;
  private stopped = false;
  private readonly place: Promise<EdgesPlace | null>;
  private settlePlace: (place: EdgesPlace | null) => void = () => undefined;
  private readonly outcome: Promise<EdgesResult>;
  private settleOutcome: (result: EdgesResult) => void = () => undefined;

  private constructor(worker: Worker, file: string, name: string, fileBytes: number, chunkBytes: number) {
    this.worker = worker;
    this.file = file;
    this.name = name;
    this.fileBytes = fileBytes;
    this.chunkBytes = chunkBytes;
    this.place = new Promise((settle) => (this.settlePlace = settle));
    this.outcome = new Promise((settle) => (this.settleOutcome = settle));
    // The worker never keeps the process alive: it is ref'd only while a caller awaits it.
    worker.unref();
    worker.on('message', (message: EdgesThreadMessage) => this.onMessage(message));
    const lost = (): void => {
      this.settlePlace(null);
      this.settleOutcome(null);
    };
    worker.on('error', lost);
    worker.on('exit', lost);
  }

  /** Starts the worker (it boots while the calling thread reads the header and `nodes`); null if it cannot. */
  static start(file: string, name: string, fileBytes: number, chunkBytes: number): EdgesThread | null {
    try {
      // Small heap limits and reads: the worker holds only a chunk and a few numbers (the columns are shared
      // memory), and what it maps stays in the process's peak RSS after it ends.
      const worker = new Worker(new URL('./edges-worker.js', import.meta.url), {
        resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 64 },
      });
      return new EdgesThread(worker, file, name, fileBytes, Math.min(chunkBytes, workerChunkBytes));
    } catch {
      return null;
    }
  }

  private onMessage(message: EdgesThreadMessage): void {
    switch (message.type) {
      case 'located':
        this.settlePlace(message.place);
        break;
      case 'declined':
        this.settlePlace(null);
        this.settleOutcome(null);
        break;
      case 'done':
        this.settleOutcome(message.outcome);
        break;
      case 'error':
        this.settlePlace(null);
        this.settleOutcome(new LeakfinderError(message.code, message.message));
        break;
      default:
        this.settlePlace(null);
        this.settleOutcome(null);
    }
  }

  /**
   * Posts the job once the tokenizer has the header and the start of `nodes` (it pauses there); gives up
   * (and stops the worker) when the header's counts are missing or implausible. Sets the tokenizer to pause
   * before `edges`.
   */
  begin(tokenizer: SnapshotTokenizer): void {
    const layout = tokenizer.snapshotLayout;
    if (this.job !== null || layout === null || tokenizer.nodesListOffset < 0) return;
    const nodeCount = layout.nodeCountHint;
    const edgeCount = layout.edgeCountHint;
    // A row is at least one digit and one separator per field: larger counts are not this file's.
    const plausible = (count: number, fields: number): boolean => Number.isInteger(count) && count > 0 && count * fields * 2 <= this.fileBytes + 1;
    if (!plausible(nodeCount, layout.nodeFieldCount) || !plausible(edgeCount, layout.edgeFieldCount)) {
      this.stop();
      return;
    }
    const columns = {
      nodeCount,
      edgeCount,
      edgeType: sharedColumn(Uint8Array, edgeCount),
      edgeName: sharedColumn(Uint32Array, edgeCount),
      edgeTarget: sharedColumn(Uint32Array, edgeCount),
    };
    this.job = {
      file: this.file,
      name: this.name,
      fileBytes: this.fileBytes,
      nodesFrom: tokenizer.nodesListOffset + 1,
      layout,
      chunkBytes: this.chunkBytes,
      columns,
    };
    this.worker.postMessage(this.job);
    tokenizer.pauseBeforeEdges = true;
  }

  /** Waits for the worker to find `edges`: the claim to offer the tokenizer, or null to parse it here. */
  async claim(signal?: AbortSignal): Promise<EdgeClaim | null> {
    if (this.job === null || this.stopped) return null;
    const place = await this.awaitWorker(this.place, signal);
    return place === null ? null : { ...this.job.columns, ...place };
  }

  /** Waits for the worker's parse to end. */
  result(signal?: AbortSignal): Promise<EdgesResult> {
    return this.awaitWorker(this.outcome, signal);
  }

  /** The job as posted (for parsing `edges` on the calling thread when the worker was lost). */
  get postedJob(): EdgesJob | null {
    return this.job;
  }

  private async awaitWorker<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    if (!this.stopped) this.worker.ref();
    try {
      return await unlessAborted(promise, signal);
    } finally {
      if (!this.stopped) this.worker.unref();
    }
  }

  /** Terminates the worker (idempotent); pending waits settle as lost. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.settlePlace(null);
    this.settleOutcome(null);
    this.worker.terminate().catch(() => undefined);
  }
}
