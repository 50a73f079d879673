import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { evaluateValue } from '../inspector/heap.js';
import { launchServer } from './launch.js';

const fixtures = resolve(dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/servers');

/** Alive and not a zombie (in a container without an init that reaps, killed orphans stay zombies). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true; // no /proc (macOS): trust kill(0)
  }
}

test('under `npm start` the inspector of the serving process is chosen, not npm\'s; stop() kills the tree', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lf-npm-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const server = join(fixtures, 'healthy-koa.mjs');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true, scripts: { start: `node ${server}` } }));
  const lines: string[] = [];
  const launched = await launchServer({ command: ['npm', 'start'], cwd: dir, startupTimeoutMs: 30_000, onOutput: (_s, line) => lines.push(line) });
  t.after(() => launched.stop());
  assert.equal(await evaluateValue<string>(launched.session, 'process.argv[1]'), server);
  assert.equal(await evaluateValue<number>(launched.session, 'process.pid'), launched.servingPid);
  assert.equal(await evaluateValue<string>(launched.session, 'process.env.PORT'), String(launched.port));
  const response = await fetch(`${launched.baseUrl}/`);
  assert.equal(await response.text(), 'hello');
  assert.ok(!lines.some((l) => l.startsWith('Debugger listening')), 'the inspector banner is not passed through');
  await launched.stop();
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(isAlive(launched.servingPid), false);
});

test('the user\'s NODE_OPTIONS are kept beside the inspector flag', async (t) => {
  const launched = await launchServer({
    command: [process.execPath, join(fixtures, 'healthy-express.mjs')],
    env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=300' },
    startupTimeoutMs: 30_000,
  });
  t.after(() => launched.stop());
  const limitMb = await evaluateValue<number>(launched.session, "Math.round(process.getBuiltinModule('v8').getHeapStatistics().heap_size_limit / 1048576)");
  const options = await evaluateValue<string>(launched.session, 'process.env.NODE_OPTIONS');
  assert.match(options, /^--max-old-space-size=300 --inspect=127\.0\.0\.1:0$/);
  assert.ok(limitMb < 400, `heap limit ${limitMb} MB: the user's --max-old-space-size=300 was dropped`);
});

test('`{port}` in the server command becomes the free port, for servers that take it as a flag', async (t) => {
  const launched = await launchServer({
    command: [process.execPath, join(fixtures, 'port-flag-express.mjs'), '--port', '{port}'],
    env: { ...process.env, PORT: '' },
    startupTimeoutMs: 30_000,
  });
  t.after(() => launched.stop());
  const argv = await evaluateValue<string[]>(launched.session, 'process.argv.slice(2)');
  assert.deepEqual(argv, ['--port', String(launched.port)]);
  const response = await fetch(`${launched.baseUrl}/`);
  assert.equal(await response.text(), `hello on ${launched.port}`);
});
