/**
 * `readSnapshot(path)`: streams a `.heapsnapshot` file through the tokenizer in fixed-size chunks. The only
 * I/O in `snapshot/`.
 */
import { open, stat, type FileHandle } from 'node:fs/promises';
import { resolve } from 'node:path';
import { LeakfinderError } from '../errors.js';
import { parseEdgesSection, type EdgesOutcome } from './edges-section.js';
import { EdgesThread } from './edges-thread.js';
import type { HeapGraph } from './graph.js';
import { readChunks } from './read-chunks.js';
import { SnapshotTokenizer } from './tokenizer.js';

/** Progress of a long step: `phase` names it, `done`/`total` in the phase's unit (bytes for `read`). */
export interface SnapshotProgress {
  readonly phase: 'read' | 'retainers' | 'dominators' | 'retained' | 'distances' | 'classes' | 'groups';
  readonly done: number;
  readonly total: number;
}

/** Options shared by the engine's entry points. */
export interface ReadSnapshotOptions {
  /** Aborting stops between chunks and rejects with `signal.reason`. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: SnapshotProgress) => void;
  /** Read size; 8 MiB by default (bigger gains nothing measurable, smaller costs syscalls). */
  readonly chunkBytes?: number;
  /**
   * Files of at least this size have their `edges` section parsed on a second thread beside the rest.
   * 64 MiB by default: a worker takes 50–250 ms of a core to start (more on a busy machine), which on
   * files of 80–100 MB measured about even with what it saves. 0 forces it (tests); Infinity turns it off.
   */
  readonly parallelEdgesMinBytes?: number;
  /**
   * Called when the read stops, if it reached `edges`: true when the section was handed to the second
   * thread (tests, benchmarks).
   */
  readonly onEdgesThread?: (usedSecondThread: boolean) => void;
}

const defaultParallelEdgesMinBytes = 64 * 1024 * 1024;

/** Size and kind checks with the error codes the CLI maps to one line. */
export async function statSnapshotFile(path: string): Promise<number> {
  const absolute = resolve(path);
  let info;
  try {
    info = await stat(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new LeakfinderError('LF_FILE_NOT_FOUND', `${path}: no such file; check the path of the heap snapshot.`, {
        cause: error,
        usage: true,
      });
    }
    throw new LeakfinderError('LF_FILE_UNREADABLE', `${path}: cannot read it (${code ?? 'error'}); check its permissions.`, {
      cause: error,
      usage: true,
    });
  }
  if (info.isDirectory()) {
    throw new LeakfinderError('LF_FILE_UNREADABLE', `${path}: is a directory, not a heap snapshot file; name a .heapsnapshot file.`, {
      usage: true,
    });
  }
  if (!info.isFile()) {
    throw new LeakfinderError('LF_FILE_UNREADABLE', `${path}: is not a regular file; name a .heapsnapshot file.`, { usage: true });
  }
  if (info.size === 0) {
    throw new LeakfinderError('LF_SNAPSHOT_MALFORMED', `${path}: the file is empty (0 bytes); take the snapshot again.`, {
      usage: true,
    });
  }
  return info.size;
}

/**
 * Reads a V8 heap snapshot into a HeapGraph. Memory: the columns (about 1.2× the file for typical
 * snapshots) plus one chunk; the file is never held whole. From `parallelEdgesMinBytes` (64 MiB) on, the
 * `edges` section is parsed by a worker_threads worker that lives only as long as the read (edges-thread.ts);
 * the graph and the errors are the same either way.
 * @example
 * const graph = await readSnapshot('/tmp/a.heapsnapshot');
 * graph.nodeCount; // 42083
 */
export async function readSnapshot(path: string, options: ReadSnapshotOptions = {}): Promise<HeapGraph> {
  const { signal } = options;
  signal?.throwIfAborted();
  const fileBytes = await statSnapshotFile(path);
  const chunkBytes = options.chunkBytes ?? 8 * 1024 * 1024;
  const absolute = resolve(path);
  const handle = await openSnapshot(path, absolute);
  const tokenizer = new SnapshotTokenizer(path, fileBytes);
  const parallel = fileBytes >= (options.parallelEdgesMinBytes ?? defaultParallelEdgesMinBytes);
  const edges = parallel ? EdgesThread.start(absolute, path, fileBytes, chunkBytes) : null;
  tokenizer.pauseAtNodes = edges !== null;
  try {
    try {
      await readAll(handle, tokenizer, edges, options, chunkBytes);
    } catch (error) {
      // An error past `edges` while the worker parsed it: a bad byte inside `edges` comes first in the file,
      // so that one is reported, as a serial read would.
      if (edges !== null && tokenizer.edgesClaimed && LeakfinderError.is(error)) {
        const result = await edges.result(signal);
        if (result instanceof LeakfinderError) throw result;
      }
      throw error;
    } finally {
      if (tokenizer.edgesClaimed || tokenizer.edgesClaimRefused) options.onEdgesThread?.(tokenizer.edgesClaimed);
      await handle.close();
    }
    if (edges !== null && tokenizer.edgesClaimed) await checkParallelEdges(edges, tokenizer, path, signal);
    return tokenizer.finish();
  } finally {
    edges?.stop();
  }
}

/** Pushes the file through the tokenizer, handing `edges` to the worker when it can take it. */
async function readAll(handle: FileHandle, tokenizer: SnapshotTokenizer, edges: EdgesThread | null, options: ReadSnapshotOptions, chunkBytes: number): Promise<void> {
  const { signal, onProgress } = options;
  let position = 0;
  reading: for (;;) {
    for await (const chunk of readChunks(handle, chunkBytes, position)) {
      signal?.throwIfAborted();
      let used = tokenizer.push(chunk);
      for (let at = tokenizer.waitingAt; at !== null; at = tokenizer.waitingAt) {
        if (at === 'nodes') {
          // The header is parsed: the worker can look for `edges` while this thread parses `nodes`.
          edges!.begin(tokenizer);
          tokenizer.resume();
        } else {
          // Paused after the `edges` key: learn whether the worker has the section before going on.
          tokenizer.offerEdges(await edges!.claim(signal));
        }
        used += tokenizer.push(chunk.subarray(used));
      }
      if (tokenizer.edgesClaimRefused) edges?.stop(); // parsed here after all: free the second core
      onProgress?.({ phase: 'read', done: tokenizer.offset, total: tokenizer.totalBytes });
      if (tokenizer.resumeAt >= 0) {
        // The worker parses `edges` and found its end: read on from there.
        position = tokenizer.resumeAt;
        tokenizer.skipTo(position);
        continue reading;
      }
    }
    return;
  }
}

async function openSnapshot(path: string, absolute: string): Promise<FileHandle> {
  try {
    return await open(absolute, 'r');
  } catch (error) {
    throw new LeakfinderError('LF_FILE_UNREADABLE', `${path}: cannot open it (${(error as NodeJS.ErrnoException).code ?? 'error'}); check its permissions.`, {
      cause: error,
      usage: true,
    });
  }
}

/**
 * Waits for the worker that parsed `edges` and checks it ended where this thread found the section's end.
 * A lost worker (crashed, out of memory) is replaced by parsing the section here.
 */
async function checkParallelEdges(edges: EdgesThread, tokenizer: SnapshotTokenizer, path: string, signal: AbortSignal | undefined): Promise<void> {
  let result: EdgesOutcome | LeakfinderError | null = await edges.result(signal);
  if (result === null) {
    const job = edges.postedJob!;
    const handle = await openSnapshot(path, job.file);
    try {
      const claim = tokenizer.acceptedClaim!;
      result = await parseEdgesSection(handle, { name: path, fileBytes: job.fileBytes, layout: job.layout, claim, chunkBytes: job.chunkBytes });
    } finally {
      await handle.close();
    }
  }
  if (result instanceof LeakfinderError) throw result;
  // Cut short inside `edges`: both threads ran out of bytes, and `finish` reports it.
  if (!result.complete && tokenizer.edgesEnd < 0) return;
  if (!result.complete || result.endOffset !== tokenizer.edgesEnd || result.edgeCount !== tokenizer.edgeRows) {
    throw new LeakfinderError(
      'LF_SNAPSHOT_MALFORMED',
      `${path}: the \`edges\` section ended at byte ${result.endOffset} on one read and ${tokenizer.edgesEnd} on another (did the file change while it was read?); read it again.`,
    );
  }
}

/** Parses snapshot bytes already in memory (tests, small snapshots received over the inspector). */
export function parseSnapshotBytes(bytes: Buffer | string, name = '<memory>'): HeapGraph {
  const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  const tokenizer = new SnapshotTokenizer(name, buffer.length);
  tokenizer.push(buffer);
  return tokenizer.finish();
}
