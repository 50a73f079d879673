import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { collectGarbage, evaluateValue, readMemoryUsage, takeHeapSnapshot } from './heap.js';
import { InspectorSession } from './session.js';
import { connectWebSocket } from './websocket-transport.js';

/** A child Node process with an inspector on a free loopback port, and a session to it. */
async function inspectedChild(t: TestContext): Promise<InspectorSession> {
  const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', '-e', 'setInterval(() => {}, 1000);'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  t.after(() => child.kill('SIGKILL'));
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
      const match = /ws:\/\/\S+/.exec(text);
      if (match) resolve(match[0]);
    });
    child.once('exit', () => reject(new Error(`child exited: ${text}`)));
  });
  const session = new InspectorSession(await connectWebSocket(url));
  t.after(() => session.close());
  return session;
}

test('evaluateValue returns plain values and names the exception of a failing expression', async (t) => {
  const session = await inspectedChild(t);
  assert.equal(await evaluateValue<number>(session, '6 * 7'), 42);
  await assert.rejects(evaluateValue(session, 'null.x'), { code: 'LF_INSPECTOR_FAILED', message: /TypeError/ });
});

test('a protocol error names the method', async (t) => {
  const session = await inspectedChild(t);
  await assert.rejects(session.call('HeapProfiler.getObjectByHeapObjectId', { objectId: 'nope' }), {
    code: 'LF_INSPECTOR_FAILED',
    message: /calling HeapProfiler\.getObjectByHeapObjectId/,
  });
});

test('collectGarbage frees what became garbage and reports the used heap', async (t) => {
  const session = await inspectedChild(t);
  await evaluateValue(session, 'globalThis.keep = Array.from({ length: 200000 }, (_, i) => ({ i })); 0');
  const before = await collectGarbage(session);
  await evaluateValue(session, 'globalThis.keep = []; 0');
  const after = await collectGarbage(session);
  assert.ok(before.usedBytes - after.usedBytes > 4_000_000, `${before.usedBytes} → ${after.usedBytes}`);
  assert.ok(after.rounds >= 1 && after.rounds <= 5);
  const memory = await readMemoryUsage(session);
  assert.ok(memory.heapUsedBytes > 0 && memory.rssBytes > memory.heapUsedBytes);
});

test('takeHeapSnapshot streams a complete snapshot to a 0600 file and leaves no partial file', async (t) => {
  const session = await inspectedChild(t);
  const dir = mkdtempSync(join(tmpdir(), 'lf-heap-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'one.heapsnapshot');
  const written = await takeHeapSnapshot(session, path);
  assert.equal(written.fileBytes, statSync(path).size);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as { snapshot: { node_count: number } };
  assert.ok(parsed.snapshot.node_count > 1000);
  assert.deepEqual(readdirSync(dir), ['one.heapsnapshot']);
});

test('a call that outlives its timeout rejects with LF_TIMEOUT; an aborted call with the reason', async (t) => {
  const session = await inspectedChild(t);
  await assert.rejects(session.call('Runtime.evaluate', { expression: 'const e = Date.now() + 500; while (Date.now() < e);' }, { timeoutMs: 50 }), {
    code: 'LF_TIMEOUT',
  });
  const controller = new AbortController();
  const pending = session.call('Runtime.evaluate', { expression: 'const f = Date.now() + 300; while (Date.now() < f);' }, { signal: controller.signal });
  controller.abort(new Error('stop'));
  await assert.rejects(pending, /stop/);
});
