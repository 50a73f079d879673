// Holder wording for a variable captured by a closure whose owner is anonymous (#5), on a real snapshot.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeHeapSnapshot } from 'node:v8';
import { explainInThisThread, summarizeInThisThread } from './summary.js';

const fixtureUrl = new URL('../../../test/fixtures/traces/captured-by-listener.mjs', import.meta.url).href;

test('a variable of an anonymous arrow is described by the closure that captured it, with its line', async (t) => {
  const fixture = (await import(fixtureUrl)) as { subscribe: (times: number) => void; bus: { removeAllListeners(): void } };
  fixture.subscribe(3);
  t.after(() => fixture.bus.removeAllListeners());
  const dir = mkdtempSync(join(tmpdir(), 'lf-holder-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = writeHeapSnapshot(join(dir, 'captured.heapsnapshot'));
  const summary = await summarizeInThisThread(path);
  const group = summary.groups.find((g) => g.className === 'CapturedThing');
  assert.ok(group, 'the CapturedThing group exists');
  const [explained] = await explainInThisThread(path, [group.key]);
  assert.match(explained!.holder!.description, /^closure variable `captured` captured by `onTick` \(captured-by-listener\.mjs:10\)$/);
  assert.equal(explained!.holder!.line, 10);
});
