// A module-level sweep interval, started once per process and unref'd (no leak).
import http from 'node:http';

const sessions = new Map();

setInterval(() => {
  const now = Date.now();
  for (const [id, s] of sessions) if (s.expiresAt < now) sessions.delete(id);
}, 60_000).unref();

http.createServer((req, res) => {
  const id = String(req.headers['x-session'] ?? '');
  if (id) sessions.set(id, { expiresAt: Date.now() + 3_600_000 });
  res.end('ok');
}).listen(3000);
