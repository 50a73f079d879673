import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { probeSessions } from './session-probe.js';

// dist/src/runner/ → packages/leakfinder/test/fixtures/servers/
const serversDir = fileURLToPath(new URL('../../../test/fixtures/servers/', import.meta.url));

/** Starts a fixture server on a free loopback port and resolves with its base URL; killed after the test. */
async function startFixture(t: TestContext, name: string): Promise<string> {
  const child: ChildProcess = spawn(process.execPath, [serversDir + name], {
    env: { ...process.env, PORT: '0', NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => child.kill());
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start: ${output}`)), 10_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${match[1]}`);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`${name} exited with ${code}: ${output}`)));
  });
}

async function startInline(t: TestContext, handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test('express-session defaults: every cookie-less response sets a new connect.sid, the replayed one none', async (t) => {
  const baseUrl = await startFixture(t, 'session-express-default.mjs');
  const boundaries: number[][] = [];
  const result = await probeSessions({
    baseUrl,
    paths: ['/'],
    requestsPerPhase: 40,
    onBoundary: async (index, requestsSoFar) => {
      boundaries.push([index, requestsSoFar]);
    },
  });
  assert.equal(result.ran, true);
  assert.deepEqual(boundaries, [[0, 0], [1, 40], [2, 80], [3, 120]]);
  assert.deepEqual(result.phases.map((p) => p.phase), ['cookie-less', 'replay', 'cookie-less']);
  assert.deepEqual(result.phases[2]?.cookies['connect.sid'], { setCount: 40, freshCount: 40, deletedCount: 0 });
  assert.deepEqual(result.replayedCookieNames, ['connect.sid']);
  assert.deepEqual(result.phases[0]?.cookies['connect.sid'], { setCount: 40, freshCount: 40, deletedCount: 0 });
  assert.equal(result.phases[0]?.byStatus['2xx'], 40);
  assert.equal(result.phases[1]?.cookies['connect.sid'], undefined);
  assert.equal(result.phases[1]?.responsesWithSetCookie, 0);
  assert.equal(result.phases[1]?.byStatus['2xx'], 40);
});

test('koa-session: two cookies per response (value and signature); replaying re-sets the same values', async (t) => {
  const baseUrl = await startFixture(t, 'session-koa-external-store.mjs');
  const result = await probeSessions({ baseUrl, paths: ['/'], requestsPerPhase: 30 });
  assert.deepEqual(result.replayedCookieNames, ['koa.sess', 'koa.sess.sig']);
  assert.equal(result.phases[0]?.cookies['koa.sess']?.freshCount, 30);
  assert.equal(result.phases[0]?.cookies['koa.sess.sig']?.freshCount, 30);
  // The route writes to the session on every request, so koa-session saves and re-sets the cookie, but
  // with the same session key: set on every response, fresh on none.
  assert.equal(result.phases[1]?.cookies['koa.sess']?.setCount, 30);
  assert.equal(result.phases[1]?.cookies['koa.sess']?.freshCount, 0);
});

test('a shared anonymous session: a cookie on every cookie-less response, fresh only once', async (t) => {
  const baseUrl = await startFixture(t, 'session-single-cookie.mjs');
  const result = await probeSessions({ baseUrl, paths: ['/'], requestsPerPhase: 30 });
  // The sniff requests saw the one value first, so the measured phase sees it again and again.
  assert.deepEqual(result.phases[0]?.cookies['sid'], { setCount: 30, freshCount: 0, deletedCount: 0 });
  assert.equal(result.phases[1]?.responsesWithSetCookie, 0);
});

test('CSRF and locale cookies: the token is fresh in both phases, the locale never', async (t) => {
  const baseUrl = await startFixture(t, 'session-csrf-cookie.mjs');
  const result = await probeSessions({ baseUrl, paths: ['/'], requestsPerPhase: 30 });
  assert.equal(result.phases[0]?.cookies['XSRF-TOKEN']?.freshCount, 30);
  assert.equal(result.phases[1]?.cookies['XSRF-TOKEN']?.freshCount, 30);
  assert.equal(result.phases[0]?.cookies['locale']?.freshCount, 0);
  assert.ok(result.notes.includes('cookie `locale` is Secure but the server was probed over http: replayed anyway'));
});

test('saveUninitialized:false sets no cookie, so no phase runs and no boundary is called', async (t) => {
  const baseUrl = await startFixture(t, 'session-express-uninitialized-false.mjs');
  let called = false;
  const result = await probeSessions({
    baseUrl,
    paths: ['/'],
    requestsPerPhase: 30,
    onBoundary: async () => {
      called = true;
    },
  });
  assert.equal(result.ran, false);
  assert.equal(called, false);
  assert.equal(result.sniff.requests, 3);
  assert.equal(result.sniff.byStatus['2xx'], 3);
});

test('redirects and errors are counted with their cookies; redirect targets are kept without queries', async (t) => {
  const baseUrl = await startFixture(t, 'session-redirect.mjs');
  const result = await probeSessions({ baseUrl, paths: ['/', '/broken'], requestsPerPhase: 20 });
  assert.equal(result.phases[0]?.byStatus['3xx'], 10);
  assert.equal(result.phases[0]?.byStatus['5xx'], 10);
  assert.deepEqual(result.phases[0]?.redirectPaths, ['/login']);
  assert.equal(result.phases[0]?.cookies['connect.sid']?.freshCount, 20);
  // The replayed cookie came from the first measured response, a `/broken` one (request 4: the sniff took
  // 1-3), whose session never saw `/`: so one redirect, then 200s; `/broken` still 500; no new session.
  assert.equal(result.phases[1]?.byStatus['3xx'], 1);
  assert.equal(result.phases[1]?.byStatus['2xx'], 9);
  assert.equal(result.phases[1]?.byStatus['5xx'], 10);
  assert.equal(result.phases[1]?.cookies['connect.sid'], undefined);
});

test('several Set-Cookie headers, a duplicate name, a nameless pair and a deletion are all handled', async (t) => {
  let n = 0;
  const baseUrl = await startInline(t, (req, res) => {
    n++;
    const hasCookie = (req.headers.cookie ?? '').includes('sid=');
    const headers = hasCookie
      ? ['old=; Max-Age=0']
      : [`sid=first${n}`, `sid=second${n}; Path=/`, 'flag', 'old=; Expires=Thu, 01 Jan 1970 00:00:00 GMT'];
    res.setHeader('set-cookie', headers);
    res.end('ok');
  });
  const result = await probeSessions({ baseUrl, paths: ['/'], requestsPerPhase: 10 });
  assert.deepEqual(result.phases[0]?.cookies['sid'], { setCount: 10, freshCount: 10, deletedCount: 0 });
  assert.deepEqual(result.phases[0]?.cookies['old'], { setCount: 0, freshCount: 0, deletedCount: 10 });
  assert.deepEqual(result.replayedCookieNames, ['sid', '']);
  assert.deepEqual(result.phases[1]?.cookies['old'], { setCount: 0, freshCount: 0, deletedCount: 10 });
  assert.ok(result.notes.includes('one response set cookie `sid` more than once: the last one counts'));
  assert.ok(result.notes.includes("Set-Cookie (no name): no '=' in the name-value pair"));
});

test('a server that drops connections: every request counts as failed, with the reason', async (t) => {
  const baseUrl = await startInline(t, (req) => {
    req.socket.destroy();
  });
  const result = await probeSessions({ baseUrl, paths: ['/'], requestsPerPhase: 5 });
  assert.equal(result.ran, false);
  assert.equal(result.sniff.byStatus.failed, 3);
  assert.deepEqual(result.sniff.failureReasons, ['ECONNRESET']);
});

test('an aborted probe rejects with the signal reason', async (t) => {
  const baseUrl = await startInline(t, (_req, res) => {
    res.setHeader('set-cookie', `sid=${Math.random()}`);
    res.end('ok');
  });
  const controller = new AbortController();
  await assert.rejects(
    probeSessions({
      baseUrl,
      paths: ['/'],
      requestsPerPhase: 5,
      signal: controller.signal,
      onBoundary: async () => controller.abort(new Error('stop')),
    }),
    { message: 'stop' },
  );
});

test('a server that stops answering mid-probe: the probe gives up after 5 failures in a row and says why', async (t) => {
  let n = 0;
  const baseUrl = await startInline(t, (req, res) => {
    n++;
    if (n > 10) {
      req.socket.destroy(); // dies after the sniff and a few measured requests
      return;
    }
    res.setHeader('set-cookie', `sid=${n}`);
    res.end('ok');
  });
  const boundaries: number[] = [];
  const result = await probeSessions({ baseUrl, paths: ['/'], requestsPerPhase: 40, onBoundary: async (i) => void boundaries.push(i) });
  assert.equal(result.stoppedEarly, '5 requests in a row got no response in the cookie-less phase (ECONNRESET)');
  assert.deepEqual(boundaries, [0]);
  assert.equal(result.phases.length, 1);
  assert.equal(result.phases[0]?.requests, 12); // 7 answered after the 3 sniff requests, then 5 failures
});
