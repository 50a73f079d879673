import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import { LeakfinderError } from '../errors.js';
import { loadScenario } from './load-scenario.js';
import { ScenarioDriver } from './scenario-driver.js';

const scenarios = resolve(dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/scenarios');

/** A small real server: /login sets a cookie, /me says whether it came back, /slow never answers. */
async function startServer(t: { after: (fn: () => unknown) => void }): Promise<{ baseUrl: string; cookiesSeen: string[]; tenantsSeen: string[] }> {
  const cookiesSeen: string[] = [];
  const tenantsSeen: string[] = [];
  const server: Server = createServer((req, res) => {
    cookiesSeen.push(req.headers.cookie ?? '');
    tenantsSeen.push(String(req.headers['x-tenant'] ?? ''));
    if (req.url === '/login') return void res.writeHead(200, { 'set-cookie': 'sid=abc; HttpOnly' }).end('ok');
    if (req.url === '/missing') return void res.writeHead(404).end();
    if (req.url === '/slow') return; // never answers
    res.end(req.headers.cookie === 'sid=abc' ? 'known' : 'stranger');
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (socket) => socket.on('message', (data) => socket.send(`echo ${String(data)}`)));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => {
    for (const client of wss.clients) client.terminate();
    wss.close();
    server.closeAllConnections();
    server.close();
  });
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, cookiesSeen, tenantsSeen };
}

function scenarioFile(t: { after: (fn: () => unknown) => void }, source: string, name = 'flow.mjs'): string {
  const dir = mkdtempSync(join(tmpdir(), 'lf-scenario-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, name);
  writeFileSync(file, source);
  return file;
}

test('fetch is bound to the server, cookie-less unless withCookies(); only the iterations\' requests are counted', async (t) => {
  const { baseUrl, cookiesSeen } = await startServer(t);
  const file = scenarioFile(
    t,
    `export async function setup({ fetch }) {
       const client = fetch.withCookies();
       await (await client('/login')).text();
       return { client };
     }
     export default async function ({ fetch, state, n }) {
       const plain = await (await fetch('/me')).text();
       const withJar = await (await state.client('/me?n=' + n)).text();
       if (plain !== 'stranger' || withJar !== 'known') throw new Error(plain + ' ' + withJar);
       await (await fetch('/missing')).arrayBuffer();
     }`,
  );
  const driver = await ScenarioDriver.start({ baseUrl, scenario: await loadScenario(file), concurrency: 4, iterationTimeoutMs: 5_000 });
  await driver.run(10);
  await driver.close();
  assert.deepEqual(driver.byStatus, { '2xx': 10, '3xx': 0, '4xx': 0, '5xx': 0, failed: 0 }, driver.errors.join('; '));
  assert.equal(driver.sent, 10);
  const summary = driver.summary();
  assert.equal(summary.httpRequests, 30, 'setup\'s login is not counted');
  assert.deepEqual(summary.httpByStatus, { '2xx': 20, '3xx': 0, '4xx': 10, '5xx': 0, failed: 0 });
  assert.equal(cookiesSeen.filter((c) => c === 'sid=abc').length, 10);
});

test('--header and --cookies apply to the plain fetch: headers unless the call sets them, one jar for the run', async (t) => {
  const { baseUrl, cookiesSeen, tenantsSeen } = await startServer(t);
  const file = scenarioFile(t, `export default async function ({ fetch, n }) { await (await fetch(n === 1 ? '/login' : '/me', n === 3 ? { headers: { 'x-tenant': 'b' } } : {})).text(); }`);
  const driver = await ScenarioDriver.start({ baseUrl, scenario: await loadScenario(file), concurrency: 1, iterationTimeoutMs: 5_000, keepCookies: true, headers: { 'x-tenant': 'a' } });
  await driver.run(3);
  assert.deepEqual(cookiesSeen, ['', 'sid=abc', 'sid=abc']);
  assert.deepEqual(tenantsSeen, ['a', 'a', 'b']);
  assert.equal(driver.byStatus['2xx'], 3, driver.errors.join('; '));
});

test('a failing iteration is counted as failed, with its message and the line in the scenario file', async (t) => {
  const { baseUrl } = await startServer(t);
  const file = scenarioFile(
    t,
    `export default async function ({ n }) {
       if (n % 2 === 0) {
         throw new TypeError('even iteration ' + n);
       }
     }`,
  );
  const driver = await ScenarioDriver.start({ baseUrl, scenario: await loadScenario(file), concurrency: 1, iterationTimeoutMs: 5_000 });
  await driver.run(6);
  assert.equal(driver.byStatus['2xx'], 3);
  assert.equal(driver.byStatus.failed, 3);
  assert.deepEqual(driver.summary().firstError, { message: 'TypeError: even iteration 2 (flow.mjs:3)', file, line: 3 });
  assert.equal(driver.errors[0], 'TypeError: even iteration 2 (flow.mjs:3)');
});

test('an iteration that never settles times out, aborts its fetch, and a hopeless scenario stops early', async (t) => {
  const { baseUrl } = await startServer(t);
  const file = scenarioFile(t, `export default async function ({ fetch }) { await fetch('/slow'); }`);
  const driver = await ScenarioDriver.start({ baseUrl, scenario: await loadScenario(file), concurrency: 8, iterationTimeoutMs: 200 });
  const started = performance.now();
  await driver.run(1_000);
  const elapsedMs = performance.now() - started;
  assert.ok(driver.sent < 100, `stopped after ${driver.sent} iterations`);
  assert.ok(elapsedMs < 5_000, `took ${elapsedMs} ms`);
  assert.equal(driver.byStatus['2xx'], 0);
  // undici rethrows the abort reason with a fresh stack, so the line is where the iteration was waiting.
  assert.match(driver.errors[0]!, /^iteration \d+ did not settle within 0\.2 s \(`--iteration-timeout`\) \(flow\.mjs:1\)$/);
  assert.equal(driver.summary().httpByStatus.failed, driver.summary().httpRequests, 'the timed-out fetches were aborted');
});

test('websockets: the given WebSocket (ws) connects relative to the server', async (t) => {
  const { baseUrl } = await startServer(t);
  const driver = await ScenarioDriver.start({ baseUrl, scenario: await loadScenario(join(scenarios, 'ws-echo.mjs')), concurrency: 2, iterationTimeoutMs: 5_000 });
  await driver.run(6);
  await driver.close();
  assert.equal(driver.byStatus['2xx'], 6, driver.errors.join('; '));
});

test('setup that throws, a missing default export and a missing file are one LF_SCENARIO_FAILED / usage line each', async (t) => {
  const { baseUrl } = await startServer(t);
  await assert.rejects(
    async () => ScenarioDriver.start({ baseUrl, scenario: await loadScenario(join(scenarios, 'setup-throws.mjs')), concurrency: 1, iterationTimeoutMs: 5_000 }),
    (error: unknown) => {
      assert.ok(LeakfinderError.is(error));
      assert.equal(error.code, 'LF_SCENARIO_FAILED');
      assert.equal(error.isUsageError, true);
      assert.match(error.message, /^the scenario's setup failed: TypeError: Cannot read properties of undefined \(reading 'trim'\) \(setup-throws\.mjs:4\)$/);
      return true;
    },
  );
  await assert.rejects(loadScenario(join(scenarios, 'no-default.mjs')), /has no default export function: write `export default async function iteration/);
  await assert.rejects(loadScenario('nope.mjs', { cwd: scenarios }), (error: unknown) => LeakfinderError.is(error) && error.code === 'LF_FILE_NOT_FOUND');
  const broken = scenarioFile(t, 'export default async function () {\n  const x = ;\n}\n');
  await assert.rejects(loadScenario(broken), /^LeakfinderError: could not load scenario .*flow\.mjs: SyntaxError: Unexpected token ';' \(flow\.mjs:2\)$/m);
});

test('a TypeScript scenario loads through tsx when tsx is installed; without it, one line says what to do', async (t) => {
  const ts = await loadScenario(join(scenarios, 'login-then-post.ts'), { cwd: resolve(scenarios, '../../..') });
  assert.equal(typeof ts.iteration, 'function');
  assert.equal(typeof ts.setup, 'function');
  // A project without tsx (a temp folder outside the repository): one line naming the file and the fix.
  const file = scenarioFile(t, 'export default async function (): Promise<void> {}\n', 'flow.ts');
  await assert.rejects(loadScenario(file, { cwd: dirname(file) }), (error: unknown) => {
    assert.ok(LeakfinderError.is(error));
    assert.equal(error.code, 'LF_SCENARIO_FAILED');
    assert.equal(error.message, `scenario ${file} is TypeScript, which needs tsx in the project to load: \`npm install -D tsx\`, or write the scenario as .mjs.`);
    return true;
  });
});
