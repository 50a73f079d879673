/**
 * `readSnapshot(path)`: streams a `.heapsnapshot` file through the tokenizer in fixed-size chunks. The only
 * I/O in `snapshot/`.
 */
import { open, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { LeakfinderError } from '../errors.js';
import type { HeapGraph } from './graph.js';
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
}

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
 * snapshots) plus one chunk; the file is never held whole.
 * @example
 * const graph = await readSnapshot('/tmp/a.heapsnapshot');
 * graph.nodeCount; // 42083
 */
export async function readSnapshot(path: string, options: ReadSnapshotOptions = {}): Promise<HeapGraph> {
  const { signal, onProgress } = options;
  signal?.throwIfAborted();
  const fileBytes = await statSnapshotFile(path);
  const chunkBytes = options.chunkBytes ?? 8 * 1024 * 1024;
  let handle;
  try {
    handle = await open(resolve(path), 'r');
  } catch (error) {
    throw new LeakfinderError('LF_FILE_UNREADABLE', `${path}: cannot open it (${(error as NodeJS.ErrnoException).code ?? 'error'}); check its permissions.`, {
      cause: error,
      usage: true,
    });
  }
  const tokenizer = new SnapshotTokenizer(path, fileBytes);
  let pending: Promise<{ bytesRead: number }> | null = null;
  try {
    // Two buffers: the next read runs on the thread pool while this thread parses the current chunk.
    const buffers = [Buffer.allocUnsafe(chunkBytes), Buffer.allocUnsafe(chunkBytes)];
    let current = 0;
    pending = handle.read(buffers[0]!, 0, chunkBytes, null);
    for (;;) {
      const { bytesRead } = await pending;
      signal?.throwIfAborted();
      if (bytesRead === 0) break;
      const chunk = buffers[current]!;
      current ^= 1;
      pending = handle.read(buffers[current]!, 0, chunkBytes, null);
      tokenizer.push(chunk.subarray(0, bytesRead));
      onProgress?.({ phase: 'read', done: tokenizer.offset, total: fileBytes });
    }
  } finally {
    // A read may still be in flight when parsing failed; let it settle before closing.
    await pending?.catch(() => undefined);
    await handle.close();
  }
  return tokenizer.finish();
}

/** Parses snapshot bytes already in memory (tests, small snapshots received over the inspector). */
export function parseSnapshotBytes(bytes: Buffer | string, name = '<memory>'): HeapGraph {
  const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  const tokenizer = new SnapshotTokenizer(name, buffer.length);
  tokenizer.push(buffer);
  return tokenizer.finish();
}
