/**
 * `readChunks`: a file's bytes from an offset, in chunks, with the next read already running on the thread
 * pool while the caller parses the current chunk. Used by `readSnapshot` and by the `edges` thread.
 */
import type { FileHandle } from 'node:fs/promises';

/**
 * Yields views of two buffers in turn: a yielded chunk stays valid until the next one is asked for. Ending
 * the loop early (break, throw) waits for the read in flight, so the handle can be closed right after.
 */
export async function* readChunks(handle: FileHandle, chunkBytes: number, position = 0): AsyncGenerator<Buffer, void, undefined> {
  const buffers = [Buffer.allocUnsafe(chunkBytes), Buffer.allocUnsafe(chunkBytes)];
  let current = 0;
  let pending = handle.read(buffers[0]!, 0, chunkBytes, position);
  try {
    for (;;) {
      const { bytesRead } = await pending;
      if (bytesRead === 0) return;
      position += bytesRead;
      const chunk = buffers[current]!;
      current ^= 1;
      pending = handle.read(buffers[current]!, 0, chunkBytes, position);
      yield chunk.subarray(0, bytesRead);
    }
  } finally {
    // A read may still be in flight when the caller stopped; let it settle before the handle closes.
    await pending.catch(() => undefined);
  }
}
