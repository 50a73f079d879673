// Shared by the per-tool scripts: each tool runs in its own process, times only its load phase, then
// collects facts for the cross-check (outside the timed phase) and writes one JSON object to the result
// file named on its command line. The parent (run.mjs) adds whole-process wall time and peak RSS.
import { renameSync, writeFileSync } from 'node:fs';

/** Peak RSS of this process so far, in bytes. */
export function maxRssBytes() {
  return process.resourceUsage().maxRSS * 1024;
}

/**
 * Runs `load` (timed), then `facts` (untimed) and writes the result file atomically.
 * `facts(loaded)` returns { nodeCount, edgeCount, rootRetainedBytes, classes: { [name]: { count, selfBytes, retainedBytes } } }.
 */
export async function runTool(tool, load, facts) {
  const [file, resultPath] = process.argv.slice(2);
  const t0 = performance.now();
  const loaded = await load(file);
  const loadMs = performance.now() - t0;
  const maxRssAfterLoadBytes = maxRssBytes();
  const t1 = performance.now();
  const f = await facts(loaded);
  const factsMs = performance.now() - t1;
  const result = { tool, ok: true, loadMs: Math.round(loadMs), maxRssAfterLoadBytes, factsMs: Math.round(factsMs), maxRssBytes: maxRssBytes(), ...f };
  writeFileSync(`${resultPath}.partial`, JSON.stringify(result));
  renameSync(`${resultPath}.partial`, resultPath);
}

/** Keeps the `limit` classes with the most objects, plus any name in `always`. */
export function topClasses(classes, limit, always = []) {
  const names = Object.keys(classes).sort((a, b) => classes[b].count - classes[a].count).slice(0, limit);
  for (const n of always) if (classes[n] && !names.includes(n)) names.push(n);
  const out = {};
  for (const n of names) out[n] = classes[n];
  return out;
}

/** Class names the generator creates; always carried into the comparison. */
export const GENERATED_CLASSES = ['User', 'Session', 'Order', 'LineItem', 'CacheEntry', 'AuditRecord', 'Tenant', 'Product', 'Role', 'LruCache', 'EventBus'];
