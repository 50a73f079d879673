/**
 * The two steps of parsing `edges` apart from the rest of the file (see edges-thread.ts): find where the
 * section opens without parsing `nodes`, then parse only it. Both run on the `edges` thread; the second also
 * on the calling thread when that thread was lost after it had taken the section.
 */
import type { FileHandle } from 'node:fs/promises';
import type { SnapshotLayout } from './format.js';
import { readChunks } from './read-chunks.js';
import { SnapshotTokenizer, type EdgeClaim } from './tokenizer.js';

/** How a parse of `edges` ended (errors are thrown, as LeakfinderError with the byte offset). */
export interface EdgesOutcome {
  /** False when the file ended before the section's `]` (the whole-file parse reports that). */
  readonly complete: boolean;
  readonly edgeCount: number;
  /** Offset after the `]` that closes the section; -1 when not complete. */
  readonly endOffset: number;
}

const CloseBracket = 0x5d;
// What V8 writes between the `]` that closes `nodes` and the `[` that opens `edges`.
const edgesKey = /^[ \t\r\n]*,[ \t\r\n]*"edges"[ \t\r\n]*:[ \t\r\n]*\[/;

/** Where `edges` lies: the offsets of its `[` and of the first `]` after it (-1 when the file ends first). */
export interface EdgesPlace {
  readonly listOffset: number;
  readonly closeOffset: number;
}

/** Offset of the first `]` at or after `from`, or -1. A byte search (memchr) over chunks. */
async function findCloseBracket(handle: FileHandle, from: number, chunkBytes: number): Promise<number> {
  let position = from;
  for await (const chunk of readChunks(handle, chunkBytes, from)) {
    const at = chunk.indexOf(CloseBracket);
    if (at >= 0) return position + at;
    position += chunk.length;
  }
  return -1;
}

/**
 * Where `edges` lies when it directly follows `nodes`, else null. `nodesFrom` is the offset after the `[` of
 * `nodes`. Both sections hold numbers only, so the first `]` closes each (a file where that is not so fails
 * the parse before `edges`, or at the bad byte inside `edges`, which that parse reports).
 */
export async function locateEdges(handle: FileHandle, nodesFrom: number, chunkBytes: number): Promise<EdgesPlace | null> {
  const nodesClose = await findCloseBracket(handle, nodesFrom, chunkBytes);
  if (nodesClose < 0) return null;
  const window = Buffer.alloc(4096);
  const { bytesRead } = await handle.read(window, 0, window.length, nodesClose + 1);
  const match = edgesKey.exec(window.toString('latin1', 0, bytesRead));
  if (match === null) return null;
  const listOffset = nodesClose + match[0].length;
  return { listOffset, closeOffset: await findCloseBracket(handle, listOffset + 1, chunkBytes) };
}

/** What `parseEdgesSection` needs: the file's display name and size, its layout and the columns to fill. */
export interface EdgesParse {
  readonly name: string;
  readonly fileBytes: number;
  readonly layout: SnapshotLayout;
  readonly claim: EdgeClaim;
  readonly chunkBytes: number;
}

/** Parses `edges` from the byte after its `[` into the claim's columns, with the whole-file checks. */
export async function parseEdgesSection(handle: FileHandle, job: EdgesParse): Promise<EdgesOutcome> {
  const tokenizer = SnapshotTokenizer.forEdges(job.name, job.fileBytes, job.layout, job.claim);
  for await (const chunk of readChunks(handle, job.chunkBytes, job.claim.listOffset + 1)) {
    tokenizer.push(chunk);
    if (tokenizer.edgesFinished) break;
  }
  const complete = tokenizer.edgesFinished;
  return { complete, edgeCount: tokenizer.edgeRows, endOffset: complete ? tokenizer.edgesEnd : -1 };
}
