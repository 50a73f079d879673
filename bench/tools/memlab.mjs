// memlab 2.x full heap load: getFullHeapFromFile = parse + node-id index + dominators + retained sizes +
// path-finder preparation (distances). This is what memlab's analyses start from.
import { createRequire } from 'node:module';
import { runTool, topClasses, GENERATED_CLASSES } from './report.mjs';

const require = createRequire(import.meta.url);
const memlab = require('memlab');

await runTool(
  'memlab',
  async (file) => memlab.getFullHeapFromFile(file),
  async (heap) => {
    const classes = {};
    let edgeCount = 0;
    heap.nodes.forEach((node) => {
      edgeCount += node.edge_count;
      // Same naming as DevTools' class table for JS objects: the constructor name; others by "(type)".
      const name = node.type === 'object' || node.type === 'native' ? node.name : `(${node.type})`;
      const c = (classes[name] ??= { count: 0, selfBytes: 0, retainedBytes: 0 });
      c.count++;
      c.selfBytes += node.self_size;
    });
    const root = heap.nodes.get(0);
    return {
      nodeCount: heap.nodes.length,
      edgeCount,
      rootRetainedBytes: root.retainedSize,
      classes: topClasses(classes, 15, GENERATED_CLASSES),
    };
  },
);
