// leakfinder's snapshot engine (packages/leakfinder, built with `npm run build`): read the file into columns,
// then every analysis phase the engine offers (retainers, dominators + retained sizes, distances, class
// table), all inside the timed load phase. Each phase is timed on its own, with the peak RSS after it, so a
// regression can be pinned to a phase. Phases the engine does not have yet are listed as missing in the
// result (and in run.mjs's output) rather than silently skipped.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { maxRssBytes, runTool, topClasses, GENERATED_CLASSES } from './report.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', '..', 'packages', 'leakfinder', 'dist', 'src', 'snapshot');
if (!existsSync(join(dist, 'index.js'))) {
  console.error(`leakfinder engine not built: ${join(dist, 'index.js')} is missing; run \`npm run build\` at the repository root.`);
  process.exit(3);
}
const api = await import(pathToFileURL(join(dist, 'index.js')).href);

/** The public export if there is one, else the same name from the engine's own module file (work in progress). */
async function pick(name, moduleFile) {
  if (typeof api[name] === 'function') return { fn: api[name], from: 'index' };
  const path = join(dist, moduleFile);
  if (!existsSync(path)) return null;
  const mod = await import(pathToFileURL(path).href);
  return typeof mod[name] === 'function' ? { fn: mod[name], from: moduleFile } : null;
}

const readSnapshot = await pick('readSnapshot', 'read.js');
const buildRetainers = await pick('buildRetainers', 'retainers.js');
const computeDominators = await pick('computeDominators', 'dominators.js');
const computeDistances = (await pick('computeDistances', 'distances.js')) ?? (await pick('computeDistances', 'paths.js'));
const buildClassTable = (await pick('buildClassTable', 'class-table.js')) ?? (await pick('buildClassTable', 'classes.js'));
const shortestRetainerPath = (await pick('shortestRetainerPath', 'paths.js')) ?? (await pick('shortestRetainerPath', 'retainer-path.js'));

const phases = [];
const missing = [];
function timed(name, fn) {
  const t0 = performance.now();
  const value = fn();
  phases.push({ name, ms: Math.round(performance.now() - t0), maxRssBytes: maxRssBytes() });
  return value;
}

await runTool(
  'leakfinder',
  async (file) => {
    const t0 = performance.now();
    const graph = await readSnapshot.fn(file);
    phases.push({ name: 'read', ms: Math.round(performance.now() - t0), maxRssBytes: maxRssBytes() });
    const state = { graph, retainers: null, dominators: null, distances: null, classTable: null };
    if (buildRetainers) state.retainers = timed('retainers', () => buildRetainers.fn(graph));
    else missing.push('retainers');
    if (computeDominators && state.retainers) state.dominators = timed('dominators', () => computeDominators.fn(graph, state.retainers));
    else missing.push('dominators');
    if (computeDistances) state.distances = timed('distances', () => computeDistances.fn(graph, state.retainers, state.dominators));
    else missing.push('distances');
    if (buildClassTable && state.dominators) state.classTable = timed('classes', () => buildClassTable.fn(graph, state.dominators));
    else missing.push('classes');
    return state;
  },
  async ({ graph, dominators, classTable }) => {
    // Class counts for the cross-check. Named like DevTools' class table for JS objects (the constructor
    // name); other node types as "(type)". Computed here, outside the timed phase, when the engine has no
    // class table yet; a class's retained size is the sum over its objects not dominated by another object
    // of the same class (DevTools' definition), found in one walk down the dominator tree.
    const { nodeCount, nodeType, nodeName, nodeSelfBytes, strings } = graph;
    const typeNames = ['hidden', 'array', 'string', 'object', 'code', 'closure', 'regexp', 'number', 'native', 'synthetic', 'concatenated string', 'sliced string', 'symbol', 'bigint', 'object shape'];
    const classOf = new Int32Array(nodeCount);
    const classIds = new Map();
    const names = [];
    for (let n = 0; n < nodeCount; n++) {
      const t = nodeType[n];
      const name = t === 3 || t === 8 ? strings[nodeName[n]] : `(${typeNames[t] ?? t})`;
      let id = classIds.get(name);
      if (id === undefined) {
        id = names.length;
        classIds.set(name, id);
        names.push(name);
      }
      classOf[n] = id;
    }
    const count = new Float64Array(names.length);
    const self = new Float64Array(names.length);
    const retained = new Float64Array(names.length);
    for (let n = 0; n < nodeCount; n++) {
      count[classOf[n]]++;
      self[classOf[n]] += nodeSelfBytes[n];
    }
    let rootRetainedBytes = null;
    if (dominators) {
      const { dominator, retainedBytes } = dominators;
      rootRetainedBytes = retainedBytes[graph.root];
      // Children lists of the dominator tree (CSR), then an iterative DFS with per-class "open" counters.
      const firstChild = new Uint32Array(nodeCount + 1);
      for (let n = 0; n < nodeCount; n++) if (n !== graph.root) firstChild[dominator[n] + 1]++;
      for (let n = 0; n < nodeCount; n++) firstChild[n + 1] += firstChild[n];
      const children = new Uint32Array(nodeCount);
      const cursor = firstChild.slice(0, nodeCount);
      for (let n = 0; n < nodeCount; n++) if (n !== graph.root) children[cursor[dominator[n]]++] = n;
      const open = new Int32Array(names.length);
      const stack = new Uint32Array(nodeCount);
      const next = new Uint32Array(nodeCount);
      let top = 0;
      stack[0] = graph.root;
      next[0] = firstChild[graph.root];
      if (open[classOf[graph.root]]++ === 0) retained[classOf[graph.root]] += retainedBytes[graph.root];
      while (top >= 0) {
        const node = stack[top];
        if (next[top] >= firstChild[node + 1]) {
          open[classOf[node]]--;
          top--;
          continue;
        }
        const child = children[next[top]++];
        if (open[classOf[child]]++ === 0) retained[classOf[child]] += retainedBytes[child];
        top++;
        stack[top] = child;
        next[top] = firstChild[child];
      }
    }
    const classes = {};
    for (let i = 0; i < names.length; i++) classes[names[i]] = { count: count[i], selfBytes: self[i], retainedBytes: dominators ? retained[i] : null };
    return {
      nodeCount,
      edgeCount: graph.edgeCount,
      rootRetainedBytes,
      classes: topClasses(classes, 15, GENERATED_CLASSES),
      extra: {
        phases,
        missing,
        sources: Object.fromEntries(
          Object.entries({ readSnapshot, buildRetainers, computeDominators, computeDistances, buildClassTable, shortestRetainerPath }).map(([k, v]) => [k, v?.from ?? null]),
        ),
        engineClassTableRows: classTable ? (Array.isArray(classTable) ? classTable.length : (classTable.rows?.length ?? null)) : null,
      },
    };
  },
);
