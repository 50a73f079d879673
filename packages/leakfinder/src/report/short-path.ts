/**
 * Retainer paths as a terminal shows them. A path from the GC roots to a leaked object often runs through
 * ten or more hops of Node's own plumbing (timer lists, the module loader, the HTTP server's listeners)
 * before it reaches the user's code; the hops that say who holds the object are the last ones. The
 * terminal keeps the first two and the last seven and counts the rest; the JSON report keeps every hop.
 */

/** Hops kept at each end (the root and its first hop; the holder side). */
export const keepHeadHops = 2;
export const keepTailHops = 7;

/** The path to print: unchanged when short, else its two ends around `… N more …`. */
export function shortenPath(path: readonly string[]): string[] {
  // Eliding a single hop would save nothing: the marker takes its place.
  if (path.length <= keepHeadHops + keepTailHops + 1) return [...path];
  const hidden = path.length - keepHeadHops - keepTailHops;
  return [...path.slice(0, keepHeadHops), `… ${hidden} more …`, ...path.slice(-keepTailHops)];
}
