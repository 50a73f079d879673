import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { GraphSpec } from '../../test/helpers/graph-builder.js';
import { LeakfinderError } from '../errors.js';
import { explainGroups, summarizeSnapshotFile } from './worker.js';

const dir = mkdtempSync(join(tmpdir(), 'lf-worker-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'a.heapsnapshot');
writeFileSync(file, new GraphSpec('(root) -> App; App -> Store:20; Store -element-> Item#1:30, Item#2:30, Item#3:30; App -> Item#9:30').toSnapshotText());

test('summarizeSnapshotFile: groups split one class by who holds it, with stable keys', async () => {
  const progress: string[] = [];
  const summary = await summarizeSnapshotFile(file, { onProgress: (p) => progress.push(p.phase) });
  assert.equal(summary.file.nodeCount, 7);
  assert.equal(summary.file.heapBytes, 10 + 20 + 4 * 30);
  const items = summary.groups.filter((g) => g.className === 'Item');
  assert.deepEqual(
    items.map((g) => [g.signature, g.count, g.selfBytes, g.retainedBytes]).sort(),
    [['App `app`', 1, 30, 30], ['Store `store` in App `app`', 3, 90, 90]].sort(),
  );
  const again = await summarizeSnapshotFile(file);
  assert.deepEqual(again.groups.map((g) => g.key), summary.groups.map((g) => g.key));
});

test('explainGroups: a path and a holder per key; unknown keys come back empty', async () => {
  const summary = await summarizeSnapshotFile(file);
  const key = summary.groups.find((g) => g.className === 'Item' && g.count === 3)!.key;
  const [explained, unknown] = await explainGroups(file, [key, 'NoSuchClass via nothing']);
  assert.deepEqual(explained!.retainerPath, ['(GC roots)', 'App `app`', 'Store `store`', 'Item `[0]`']);
  assert.deepEqual(explained!.creationStacks, []);
  assert.deepEqual(unknown, { key: 'NoSuchClass via nothing', retainerPath: [], holder: null, creationStacks: [] });
});

test('errors cross the worker boundary as LeakfinderError; aborting rejects with the reason', async () => {
  await assert.rejects(summarizeSnapshotFile(join(dir, 'missing.heapsnapshot')), (error: unknown) => LeakfinderError.is(error) && error.code === 'LF_FILE_NOT_FOUND');
  const controller = new AbortController();
  const reason = new Error('stop');
  const pending = summarizeSnapshotFile(file, { signal: controller.signal });
  controller.abort(reason);
  await assert.rejects(pending, (error: unknown) => error === reason);
});
