// Chrome DevTools' heap snapshot loader (heap-snapshot-toolkit): stream-parse + buildSnapshot, which computes
// retainers, distances, dominators and retained sizes (in one thread here: the toolkit runs DevTools'
// second worker on a MessageChannel in the same thread).
import { createReadStream } from 'node:fs';
import { parse, DevToolsAPI } from 'heap-snapshot-toolkit';
import { runTool, topClasses, GENERATED_CLASSES } from './report.mjs';

await runTool(
  'devtools',
  async (file) => parse(createReadStream(file, 'utf-8')),
  async (snapshot) => {
    const filter = new DevToolsAPI.HeapSnapshotModel.NodeFilter();
    const aggregates = snapshot.aggregatesWithFilter(filter);
    const classes = {};
    for (const agg of Object.values(aggregates)) {
      const prev = classes[agg.name];
      classes[agg.name] = {
        count: (prev?.count ?? 0) + agg.count,
        selfBytes: (prev?.selfBytes ?? 0) + agg.self,
        retainedBytes: (prev?.retainedBytes ?? 0) + agg.maxRet,
      };
    }
    return {
      nodeCount: snapshot.nodeCount,
      edgeCount: snapshot.containmentEdges.length / snapshot.edgeFieldsCount,
      rootRetainedBytes: snapshot.rootNode().retainedSize(),
      totalSizeBytes: snapshot.totalSize,
      classes: topClasses(classes, 15, GENERATED_CLASSES),
    };
  },
);
