/**
 * `analyze(paths)` and `diff(before, after)`: offline analysis of snapshot files into an AnalysisReport.
 * Files are analysed one after the other and only their class tables are kept, so memory stays that of
 * one snapshot (plus the last one's graph, for retainer paths).
 */
import { usageError } from '../errors.js';
import type { AnalysisReport, ClassEntry, GrowthEntry, NewObjectGroup } from '../snapshot/analysis-report.js';
import { analyzeGraph, type AnalyzedGraph } from '../snapshot/analyze-graph.js';
import { NoClass, type ClassRow } from '../snapshot/classes.js';
import { indexAllocationTraces, rankAllocationStacks } from '../snapshot/allocation-traces.js';
import { renderPath } from '../snapshot/paths.js';
import { readSnapshot, statSnapshotFile, type SnapshotProgress } from '../snapshot/read.js';
import { fileFacts, indexGroups, type FileFacts } from '../snapshot/summary.js';
import { tool } from '../version.js';
import { resolveCreationSites } from '../sources/creation-sites.js';
import { SourceMapResolver } from '../sources/source-maps.js';

/** Options of analyze() and diff(). */
export interface AnalyzeOptions {
  /** Rows in `classes` (default 20). */
  readonly top?: number;
  /** Print data-like property names in paths as they are (default: `<key>`). */
  readonly showValues?: boolean;
  readonly signal?: AbortSignal;
  /** Progress per file: which file (0-based) of how many, and the engine's phase. */
  readonly onProgress?: (progress: { file: string; fileIndex: number; fileCount: number; step: SnapshotProgress }) => void;
}

interface ResolvedAnalyzeOptions {
  readonly top: number;
  readonly showValues: boolean;
  readonly signal: AbortSignal | undefined;
  readonly onProgress: AnalyzeOptions['onProgress'];
}

const knownOptions = new Set(['top', 'showValues', 'signal', 'onProgress']);

function resolveOptions(options: AnalyzeOptions, entry: string): ResolvedAnalyzeOptions {
  for (const key of Object.keys(options)) {
    if (!knownOptions.has(key)) throw usageError(`${entry}(): unknown option \`${key}\`.`);
  }
  const top = options.top ?? 20;
  if (!Number.isInteger(top) || top < 1) throw usageError(`${entry}(): \`top\` must be an integer ≥ 1, got ${String(top)}.`);
  return { top, showValues: options.showValues ?? false, signal: options.signal, onProgress: options.onProgress };
}

// V8 plumbing whose growth says nothing a user can act on; user classes, strings and closures stay.
function isInternalClass(name: string): boolean {
  return (
    name === '(compiled code)' ||
    name === '(system)' ||
    name === '(object shape)' ||
    name === '(array)' ||
    name === '(number)' ||
    name.startsWith('system / ') ||
    name.startsWith('(GC roots)') ||
    name === ''
  );
}

async function load(path: string, index: number, count: number, options: ResolvedAnalyzeOptions): Promise<{ facts: FileFacts; analyzed: AnalyzedGraph }> {
  const fileBytes = await statSnapshotFile(path);
  const onProgress = options.onProgress;
  const step = onProgress === undefined ? undefined : (progress: SnapshotProgress): void => onProgress({ file: path, fileIndex: index, fileCount: count, step: progress });
  const graph = await readSnapshot(path, { signal: options.signal, onProgress: step });
  const analyzed = await analyzeGraph(graph, { signal: options.signal, onProgress: step });
  return { facts: fileFacts(path, fileBytes, graph), analyzed };
}

function pathOf(analyzed: AnalyzedGraph, row: ClassRow, showValues: boolean): string[] {
  return renderPath(analyzed.graph, analyzed.retainerTree, row.sampleNode, { showValues });
}

/**
 * One file: the top classes by retained size, each with one retainer path. Several files (in the order
 * taken): also the classes whose count or retained bytes grew at every step, ranked by growth.
 * @example
 * const report = await analyze(['a.heapsnapshot', 'b.heapsnapshot', 'c.heapsnapshot']);
 * report.growth[0]; // { className: 'Foo', counts: [1000, 2000, 3000], … }
 */
export async function analyze(paths: readonly string[], options: AnalyzeOptions = {}): Promise<AnalysisReport> {
  const resolved = resolveOptions(options, 'analyze');
  if (paths.length === 0) throw usageError('analyze: name at least one .heapsnapshot file.');
  const files: FileFacts[] = [];
  const series = new Map<string, { name: string; counts: number[]; retained: number[] }>();
  let last: AnalyzedGraph | null = null;
  for (let i = 0; i < paths.length; i++) {
    last = null; // let the previous graph go before reading the next one
    const { facts, analyzed } = await load(paths[i]!, i, paths.length, resolved);
    files.push(facts);
    for (const row of analyzed.classTable) {
      let entry = series.get(row.key);
      if (entry === undefined) {
        entry = { name: row.className, counts: new Array<number>(paths.length).fill(0), retained: new Array<number>(paths.length).fill(0) };
        series.set(row.key, entry);
      }
      entry.counts[i] = row.count;
      entry.retained[i] = row.retainedBytes;
    }
    last = analyzed;
  }
  const analyzed = last!;
  const multi = paths.length > 1;
  const rowByKey = new Map(analyzed.classTable.map((row) => [row.key, row]));
  const classes: ClassEntry[] = analyzed.classTable
    .filter((row) => analyzed.graph.nodeType[row.sampleNode] !== 9 /* synthetic roots are not classes */)
    .slice(0, resolved.top)
    .map((row) => {
      const entry = series.get(row.key)!;
      return {
        className: row.className,
        key: row.key,
        count: row.count,
        selfBytes: row.selfBytes,
        retainedBytes: row.retainedBytes,
        ...(multi ? { countDelta: row.count - entry.counts[0]!, retainedBytesDelta: row.retainedBytes - entry.retained[0]! } : {}),
        retainerPath: pathOf(analyzed, row, resolved.showValues),
      };
    });
  const growth: GrowthEntry[] = [];
  const creationWarnings: string[] = [];
  if (multi) {
    for (const [key, entry] of series) {
      if (isInternalClass(entry.name)) continue;
      const grows = (values: number[]): boolean => values.every((v, i) => i === 0 || v > values[i - 1]!);
      if (!grows(entry.counts) && !grows(entry.retained)) continue;
      const row = rowByKey.get(key);
      growth.push({
        className: entry.name,
        key,
        counts: entry.counts,
        retainedBytes: entry.retained,
        retainerPath: row === undefined ? [] : pathOf(analyzed, row, resolved.showValues),
        creationSite: null,
      });
    }
    creationWarnings.push(...fillCreationSites(analyzed, growth));
    const span = (values: number[]): number => values[values.length - 1]! - values[0]!;
    growth.sort((a, b) => span(b.retainedBytes) - span(a.retainedBytes) || span(b.counts) - span(a.counts) || a.key.localeCompare(b.key));
  }
  const warnings: string[] = [...creationWarnings];
  if (analyzed.dominators.unreachableCount > 0) {
    warnings.push(`${analyzed.dominators.unreachableCount} objects in ${paths[paths.length - 1]!} are not reachable from the GC roots (V8 collects them next); they are counted under the root.`);
  }
  return { schemaVersion: 1, tool: { ...tool }, command: 'analyze', files, classes, growth: growth.slice(0, Math.max(resolved.top, 50)), warnings };
}

/**
 * When the last snapshot has allocation traces: the creation site of each growing class in the user's code,
 * from its allocation stacks, narrowed to the allocating line and mapped through source maps found on disk
 * (#5, `resolveCreationSites`). Returns warnings (malformed traces, unusable source maps).
 */
function fillCreationSites(analyzed: AnalyzedGraph, growth: GrowthEntry[]): string[] {
  const { graph, classes } = analyzed;
  if (growth.length === 0 || graph.traces === null || graph.nodeTraceNodeId === null) return [];
  let index;
  try {
    index = indexAllocationTraces(graph.traces);
  } catch (error) {
    // malformed trace sections: no creation sites, the rest of the report stands
    return [`the allocation traces of the last snapshot are malformed (${(error as Error).message}); no creation sites.`];
  }
  const slotByClass = new Map<number, number>();
  growth.forEach((entry, slot) => {
    const id = classes.keys.indexOf(entry.key);
    if (id >= 0) slotByClass.set(id, slot);
  });
  const traceIds: number[][] = growth.map(() => []);
  for (let n = 0; n < graph.nodeCount; n++) {
    const slot = slotByClass.get(classes.classOf[n]!);
    if (slot !== undefined) traceIds[slot]!.push(graph.nodeTraceNodeId[n]!);
  }
  const resolver = new SourceMapResolver();
  const warnings: string[] = [];
  growth.forEach((entry, slot) => {
    const sites = resolveCreationSites(rankAllocationStacks(index, traceIds[slot]!).stacks, entry.className, resolver, 'tracking');
    warnings.push(...sites.warnings);
    const site = sites.creationSite;
    if (site !== null) {
      (entry as { creationSite: GrowthEntry['creationSite'] }).creationSite = {
        functionName: site.functionName,
        file: site.file,
        line: site.line,
        column: site.column,
      };
    }
  });
  return [...warnings, ...resolver.warnings];
}

/** V8 object ids with the class key of each, sorted by id, for matching objects across two snapshots. */
function idsByClass(analyzed: AnalyzedGraph): { ids: Uint32Array; classIds: Uint32Array } {
  const { graph, classes } = analyzed;
  const order: number[] = [];
  for (let n = 0; n < graph.nodeCount; n++) if (classes.classOf[n] !== NoClass) order.push(n);
  const ids = new Uint32Array(order.length);
  const classIds = new Uint32Array(order.length);
  order.sort((a, b) => graph.nodeObjectId[a]! - graph.nodeObjectId[b]!);
  order.forEach((n, i) => {
    ids[i] = graph.nodeObjectId[n]!;
    classIds[i] = classes.classOf[n]!;
  });
  return { ids, classIds };
}

function findSorted(ids: Uint32Array, id: number): number {
  let lo = 0;
  let hi = ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const value = ids[mid]!;
    if (value === id) return mid;
    if (value < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * Per class: count and byte deltas between two snapshots; when both come from one process (V8 object ids
 * overlap), also how many objects are new and gone, and the new objects grouped with one path per group.
 * @example
 * const report = await diff('before.heapsnapshot', 'after.heapsnapshot');
 * report.classes[0]; // { className: 'Foo', countDelta: 1000, addedCount: 1000, removedCount: 0, … }
 */
export async function diff(before: string, after: string, options: AnalyzeOptions = {}): Promise<AnalysisReport> {
  const resolved = resolveOptions(options, 'diff');
  // Only the before file's ids and class rows are kept: its graph is garbage before `after` is read.
  const a = await (async () => {
    const loaded = await load(before, 0, 2, resolved);
    return {
      facts: loaded.facts,
      rows: new Map(loaded.analyzed.classTable.map((row) => [row.key, row])),
      ids: idsByClass(loaded.analyzed),
      keys: loaded.analyzed.classes.keys,
    };
  })();
  const beforeRows = a.rows;
  const beforeIds = a.ids;
  const beforeKeys = a.keys;
  const b = await load(after, 1, 2, resolved);
  const analyzed = b.analyzed;
  const { graph, classes } = analyzed;
  const warnings: string[] = [];
  // Match objects by V8 id. Ids are only meaningful within one process: require a real overlap.
  const found = new Uint8Array(beforeIds.ids.length);
  const addedByKey = new Map<string, number>();
  const addedNodes: number[] = [];
  let matched = 0;
  for (let n = 0; n < graph.nodeCount; n++) {
    const classId = classes.classOf[n]!;
    if (classId === NoClass) continue;
    const at = findSorted(beforeIds.ids, graph.nodeObjectId[n]!);
    if (at >= 0) {
      found[at] = 1;
      matched++;
    } else {
      const key = classes.keys[classId]!;
      addedByKey.set(key, (addedByKey.get(key) ?? 0) + 1);
      addedNodes.push(n);
    }
  }
  const sameProcess = matched > 0.05 * Math.min(beforeIds.ids.length, graph.nodeCount);
  const removedByKey = new Map<string, number>();
  if (sameProcess) {
    for (let i = 0; i < found.length; i++) {
      if (found[i] === 1) continue;
      const key = beforeKeys[beforeIds.classIds[i]!]!;
      removedByKey.set(key, (removedByKey.get(key) ?? 0) + 1);
    }
  } else {
    warnings.push('the two snapshots share almost no object ids (different processes?): classes are compared by counts only.');
  }
  const afterRows = new Map(analyzed.classTable.map((row) => [row.key, row]));
  const allKeys = new Set([...beforeRows.keys(), ...afterRows.keys()]);
  const entries: (ClassEntry & { sortBytes: number })[] = [];
  for (const key of allKeys) {
    const was = beforeRows.get(key);
    const now = afterRows.get(key);
    const countDelta = (now?.count ?? 0) - (was?.count ?? 0);
    const retainedBytesDelta = (now?.retainedBytes ?? 0) - (was?.retainedBytes ?? 0);
    const added = addedByKey.get(key) ?? 0;
    const removed = removedByKey.get(key) ?? 0;
    if (countDelta === 0 && retainedBytesDelta === 0 && added === 0 && removed === 0) continue;
    const name = now?.className ?? was!.className;
    if (graph.nodeType[now?.sampleNode ?? 0] === 9 && now !== undefined) continue; // synthetic roots
    entries.push({
      className: name,
      key,
      count: now?.count ?? 0,
      selfBytes: now?.selfBytes ?? 0,
      retainedBytes: now?.retainedBytes ?? 0,
      countDelta,
      retainedBytesDelta,
      selfBytesDelta: (now?.selfBytes ?? 0) - (was?.selfBytes ?? 0),
      ...(sameProcess ? { addedCount: added, removedCount: removed } : {}),
      retainerPath: now === undefined ? [] : pathOf(analyzed, now, resolved.showValues),
      sortBytes: Math.abs(retainedBytesDelta),
    });
  }
  entries.sort((x, y) => y.sortBytes - x.sortBytes || Math.abs(y.countDelta!) - Math.abs(x.countDelta!) || x.key.localeCompare(y.key));
  const classesOut: ClassEntry[] = entries.slice(0, resolved.top).map(({ sortBytes: _unused, ...entry }) => entry);

  let newObjects: NewObjectGroup[] | undefined;
  if (sameProcess) {
    const groups = indexGroups(analyzed);
    const byGroup = new Map<number, { count: number; selfBytes: number; sample: number }>();
    for (const n of addedNodes) {
      const id = groups.groupOf[n]!;
      const entry = byGroup.get(id) ?? { count: 0, selfBytes: 0, sample: n };
      entry.count++;
      entry.selfBytes += analyzed.selfBytes[n]!;
      if (analyzed.dominators.retainedBytes[n]! > analyzed.dominators.retainedBytes[entry.sample]!) entry.sample = n;
      byGroup.set(id, entry);
    }
    newObjects = [...byGroup.entries()]
      .filter(([id]) => !isInternalClass(groups.names[id]!))
      .sort((x, y) => y[1].selfBytes - x[1].selfBytes || y[1].count - x[1].count)
      .slice(0, resolved.top)
      .map(([id, entry]) => ({
        className: groups.names[id]!,
        group: groups.signatures[id] === '' ? groups.names[id]! : `${groups.names[id]!} via ${groups.signatures[id]!}`,
        count: entry.count,
        selfBytes: entry.selfBytes,
        retainerPath: renderPath(graph, analyzed.retainerTree, entry.sample, { showValues: resolved.showValues }),
      }));
  }
  return {
    schemaVersion: 1,
    tool: { ...tool },
    command: 'diff',
    files: [a.facts, b.facts],
    classes: classesOut,
    growth: [],
    ...(newObjects === undefined ? {} : { newObjects }),
    matchedByObjectId: sameProcess,
    warnings,
  };
}
