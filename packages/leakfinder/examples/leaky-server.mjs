// The server `leakfinder demo` checks: a small order API with one classic leak.
// Every request records a `RequestLog` in `recentRequests`, a module-level Map keyed by a request id that
// nothing ever deletes. Health checks and lookups are fine; the Map grows by one entry per request.
import { createServer } from 'node:http';

class RequestLog {
  constructor(id, method, url) {
    this.id = id;
    this.method = method;
    this.url = url;
    this.startedAt = Date.now();
    this.headers = {};
  }
}

const recentRequests = new Map(); // meant as a debugging aid, never trimmed: the leak
let nextId = 0;

const orders = new Map([
  ['1', { id: '1', item: 'coffee', quantity: 2 }],
  ['2', { id: '2', item: 'tea', quantity: 1 }],
]);

const server = createServer((req, res) => {
  const id = `req-${++nextId}`;
  recentRequests.set(id, new RequestLog(id, req.method, req.url));
  const match = /^\/orders\/(\w+)$/.exec(req.url ?? '');
  const order = match ? orders.get(match[1]) : undefined;
  res.setHeader('content-type', 'application/json');
  if (req.url === '/' || req.url === '/health') {
    res.end(JSON.stringify({ ok: true }));
  } else if (order) {
    res.end(JSON.stringify(order));
  } else {
    res.statusCode = 404;
    res.end(JSON.stringify({ error: 'not found' }));
  }
});

server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`leaky example server listening on http://127.0.0.1:${server.address().port}`);
});
