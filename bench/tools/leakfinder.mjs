// leakfinder's snapshot engine (packages/leakfinder, built with `npm run build`), the full analysis as the
// commands run it: `readSnapshot` (stream into columns), then `analyzeGraph` (DevTools shallow sizes,
// retainers, dominators + retained sizes, dominator tree, class index + class table, shortest-retainer-path
// tree), then one rendered retainer path for each of the five biggest classes ("paths on demand"). All of
// that is the timed load phase. Phase boundaries come from the engine's own progress events, each with the
// peak RSS so far, so a regression can be pinned to a phase.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { maxRssBytes, runTool, topClasses, GENERATED_CLASSES } from './report.mjs';

const here = dirname(fileURLToPath(import.meta.url));
// LEAKFINDER_DIST=/path/to/dist/src/snapshot/index.js measures another build (A/B of an engine change).
const dist = process.env.LEAKFINDER_DIST ?? join(here, '..', '..', 'packages', 'leakfinder', 'dist', 'src', 'snapshot', 'index.js');
if (!existsSync(dist)) {
  console.error(`leakfinder engine not built: ${dist} is missing; run \`npm run build\` at the repository root.`);
  process.exit(3);
}
const engine = await import(pathToFileURL(dist).href);

const phases = [];
let current = null;
function enterPhase(name) {
  const now = performance.now();
  // Page faults are counted per phase because first touches of fresh pages cost real time here (≈5 µs
  // each in this VM, a quarter of all CPU on the 1.7 GB file): a phase that re-allocates shows up.
  const { minorPageFault, systemCPUTime } = process.resourceUsage();
  if (current !== null) {
    phases.push({
      name: current.name,
      ms: Math.round(now - current.start),
      maxRssBytes: maxRssBytes(),
      minorFaults: minorPageFault - current.faults,
      sysMs: Math.round((systemCPUTime - current.sysUs) / 1000),
    });
  }
  current = name === null ? null : { name, start: now, faults: minorPageFault, sysUs: systemCPUTime };
}
const onProgress = (p) => {
  if (current?.name !== p.phase) enterPhase(p.phase);
};

await runTool(
  'leakfinder',
  async (file) => {
    enterPhase('read');
    const graph = await engine.readSnapshot(file, { onProgress });
    const analyzed = await engine.analyzeGraph(graph, { onProgress });
    enterPhase('paths');
    const top = [...analyzed.classTable].sort((a, b) => b.retainedBytes - a.retainedBytes).slice(0, 5);
    const paths = top.map((row) => engine.renderPath(graph, analyzed.retainerTree, row.sampleNode));
    enterPhase(null);
    return { analyzed, paths };
  },
  async ({ analyzed, paths }) => {
    const { graph, dominators, classTable } = analyzed;
    // The engine's rows are split by code location (class key); the cross-check compares by class name.
    const classes = {};
    for (const row of classTable) {
      const c = (classes[row.className] ??= { count: 0, selfBytes: 0, retainedBytes: 0 });
      c.count += row.count;
      c.selfBytes += row.selfBytes;
      c.retainedBytes += row.retainedBytes;
    }
    return {
      nodeCount: graph.nodeCount,
      edgeCount: graph.edgeCount,
      rootRetainedBytes: dominators.retainedBytes[graph.root],
      classes: topClasses(classes, 15, GENERATED_CLASSES),
      extra: { phases, secondThread: analyzed.usedSecondThread, classRows: classTable.length, pathLengths: paths.map((p) => p.length), unreachable: dominators.unreachableCount },
    };
  },
);
