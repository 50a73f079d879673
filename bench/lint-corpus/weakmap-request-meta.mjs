// node:http: per-request metadata in a WeakMap keyed by the request; it goes when the request goes (no leak).
import { createServer } from 'node:http';

const meta = new WeakMap();

createServer((req, res) => {
  meta.set(req, { startedAt: Date.now() });
  res.on('finish', () => {
    console.log(req.url, Date.now() - meta.get(req).startedAt);
  });
  res.end('ok');
}).listen(3000);
