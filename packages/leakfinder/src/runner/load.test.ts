import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import { test } from 'node:test';
import { LoadDriver } from './load.js';

async function startServer(handler: (req: IncomingMessage) => { status: number; setCookie?: string[] }) {
  const seen: { url: string; cookie: string | undefined; method: string; body: string; socketPort: number }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', cookie: req.headers.cookie, method: req.method ?? '', body, socketPort: req.socket.remotePort ?? 0 });
      const { status, setCookie } = handler(req);
      if (setCookie) res.setHeader('set-cookie', setCookie);
      res.statusCode = status;
      res.end('x');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { baseUrl: `http://127.0.0.1:${port}`, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

test('paths are used round-robin and {n} becomes the request number across batches', async (t) => {
  const server = await startServer(() => ({ status: 200 }));
  t.after(server.close);
  const load = new LoadDriver({ baseUrl: server.baseUrl, paths: ['/a/{n}', '/b'], method: 'GET', headers: {}, concurrency: 1 });
  t.after(() => load.close());
  await load.run(3);
  await load.run(1);
  assert.deepEqual(server.seen.map((s) => s.url), ['/a/1', '/b', '/a/3', '/b']);
  assert.equal(load.sent, 4);
});

test('responses are counted by status class, and refused connections as failed', async (t) => {
  let n = 0;
  const server = await startServer(() => ({ status: [200, 302, 404, 500][n++ % 4]! }));
  t.after(server.close);
  const load = new LoadDriver({ baseUrl: server.baseUrl, paths: ['/'], method: 'GET', headers: {}, concurrency: 1 });
  t.after(() => load.close());
  assert.deepEqual(await load.run(8), { '2xx': 2, '3xx': 2, '4xx': 2, '5xx': 2, failed: 0 });
  const dead = new LoadDriver({ baseUrl: 'http://127.0.0.1:1', paths: ['/'], method: 'GET', headers: {}, concurrency: 2 });
  t.after(() => dead.close());
  assert.equal((await dead.run(3)).failed, 3);
  assert.match(dead.errors[0]!, /ECONNREFUSED/);
});

test('no cookies are sent by default; set-cookie names (never values) are reported per response', async (t) => {
  const server = await startServer(() => ({ status: 200, setCookie: ['sid=secret123; Path=/', 'csrf=tok; HttpOnly'] }));
  t.after(server.close);
  const load = new LoadDriver({ baseUrl: server.baseUrl, paths: ['/'], method: 'GET', headers: {}, concurrency: 1 });
  t.after(() => load.close());
  const names: string[][] = [];
  await load.run(2, { onResponse: (r) => names.push([...r.setCookieNames]) });
  assert.deepEqual(names, [['sid', 'csrf'], ['sid', 'csrf']]);
  assert.deepEqual(server.seen.map((s) => s.cookie), [undefined, undefined]);
});

test('a fixed Cookie header is sent with every request; keepCookies replays what the server set', async (t) => {
  const server = await startServer(() => ({ status: 200, setCookie: ['sid=abc; Path=/'] }));
  t.after(server.close);
  const fixed = new LoadDriver({ baseUrl: server.baseUrl, paths: ['/'], method: 'GET', headers: {}, concurrency: 1, cookie: 'sid=given' });
  t.after(() => fixed.close());
  await fixed.run(2);
  const jar = new LoadDriver({ baseUrl: server.baseUrl, paths: ['/'], method: 'GET', headers: {}, concurrency: 1, keepCookies: true });
  t.after(() => jar.close());
  await jar.run(2);
  assert.deepEqual(server.seen.map((s) => s.cookie), ['sid=given', 'sid=given', undefined, 'sid=abc']);
});

test('method, headers and body are sent; sockets are kept alive and reused', async (t) => {
  const server = await startServer((req) => ({ status: req.headers['x-test'] === 'yes' ? 201 : 400 }));
  t.after(server.close);
  const load = new LoadDriver({ baseUrl: server.baseUrl, paths: ['/p'], method: 'POST', headers: { 'x-test': 'yes' }, body: Buffer.from('{"a":1}'), concurrency: 2 });
  t.after(() => load.close());
  assert.equal((await load.run(20))['2xx'], 20);
  assert.ok(server.seen.every((s) => s.method === 'POST' && s.body === '{"a":1}'));
  assert.ok(new Set(server.seen.map((s) => s.socketPort)).size <= 2, 'at most `concurrency` sockets');
});

test('at most `concurrency` requests are in flight', async (t) => {
  let inFlight = 0;
  let peak = 0;
  const server = createServer((req, res) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    setTimeout(() => {
      inFlight--;
      res.end();
    }, 5);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const load = new LoadDriver({ baseUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}`, paths: ['/'], method: 'GET', headers: {}, concurrency: 3 });
  t.after(() => load.close());
  await load.run(30);
  assert.equal(peak, 3);
});
