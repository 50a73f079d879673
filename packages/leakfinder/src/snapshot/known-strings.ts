/**
 * The few V8 names the analysis passes compare node and edge names against, as string indexes. Looked up
 * once, so the passes compare integers, and so a second thread (which gets the columns but not the
 * strings) can run them.
 */

/** String indexes of the names the passes need; -1 when the snapshot does not have the name. */
export interface KnownStrings {
  /** `system / NativeContext`: its `sloppy_function_map` link is skipped by the retainer BFS. */
  readonly nativeContext: number;
  readonly sloppyFunctionMap: number;
  /** `(map descriptors)`: arrays whose value slots maps share. */
  readonly mapDescriptors: number;
  /** `system / ExternalStringData`: counted in the string that owns it (shallow sizes). */
  readonly externalStringData: number;
  /** `(Document DOM trees)`: a user root in browser snapshots. */
  readonly documentDomTrees: number;
}

const wanted: Record<keyof KnownStrings, string> = {
  nativeContext: 'system / NativeContext',
  sloppyFunctionMap: 'sloppy_function_map',
  mapDescriptors: '(map descriptors)',
  externalStringData: 'system / ExternalStringData',
  documentDomTrees: '(Document DOM trees)',
};

/** One pass over the strings (they are unique in a snapshot, so the first match is the only one). */
export function knownStrings(strings: readonly string[]): KnownStrings {
  const found: Record<string, number> = {};
  const byText = new Map<string, keyof KnownStrings>();
  for (const [key, text] of Object.entries(wanted) as [keyof KnownStrings, string][]) {
    found[key] = -1;
    byText.set(text, key);
  }
  // Only strings of a wanted length are looked up: most of a big snapshot's strings are user data.
  const lengths = new Set([...byText.keys()].map((text) => text.length));
  let missing = byText.size;
  for (let i = 0; i < strings.length && missing > 0; i++) {
    const text = strings[i]!;
    if (!lengths.has(text.length)) continue;
    const key = byText.get(text);
    if (key !== undefined && found[key] === -1) {
      found[key] = i;
      missing--;
    }
  }
  return found as unknown as KnownStrings;
}
