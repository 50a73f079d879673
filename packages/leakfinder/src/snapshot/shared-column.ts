/**
 * Graph columns live in SharedArrayBuffers so that a second thread can read them while this one works
 * (the edges section is parsed on one; `analyzeGraph` runs shallow sizes, the class pass and the
 * retainer-path BFS on one beside the dominators). Allocation costs
 * the same as a plain ArrayBuffer: zeroed pages, mapped lazily, outside V8's heap.
 */

type ColumnConstructor<T> = new (buffer: SharedArrayBuffer, byteOffset: number, length: number) => T;

/** A zeroed typed array of `length` elements on a SharedArrayBuffer. */
export function sharedColumn<T extends Uint8Array | Uint32Array | Int32Array | Float64Array>(
  type: ColumnConstructor<T> & { readonly BYTES_PER_ELEMENT: number },
  length: number,
): T {
  return new type(new SharedArrayBuffer(length * type.BYTES_PER_ELEMENT), 0, length);
}

/** True when every element of the array is in shared memory (a view on a SharedArrayBuffer). */
export function isShared(array: ArrayBufferView): boolean {
  return array.buffer instanceof SharedArrayBuffer;
}
