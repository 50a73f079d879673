// Body of the `edges` thread (see edges-thread.ts): waits for one job, finds `edges`, says where, parses it
// into the shared columns and reports how it ended.
import { open } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { LeakfinderError } from '../errors.js';
import { locateEdges, parseEdgesSection } from './edges-section.js';
import type { EdgesJob, EdgesThreadMessage } from './edges-thread.js';

const post = (message: EdgesThreadMessage): void => parentPort!.postMessage(message);

parentPort!.once('message', (job: EdgesJob) => {
  void run(job);
});

async function run(job: EdgesJob): Promise<void> {
  try {
    const handle = await open(job.file, 'r');
    try {
      const place = await locateEdges(handle, job.nodesFrom, job.chunkBytes);
      if (place === null) {
        post({ type: 'declined' });
        return;
      }
      post({ type: 'located', place });
      const claim = { ...job.columns, ...place };
      const outcome = await parseEdgesSection(handle, { name: job.name, fileBytes: job.fileBytes, layout: job.layout, claim, chunkBytes: job.chunkBytes });
      post({ type: 'done', outcome });
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (LeakfinderError.is(error)) post({ type: 'error', code: error.code, message: error.message });
    else post({ type: 'crash', message: error instanceof Error ? error.message : String(error) });
  }
}
