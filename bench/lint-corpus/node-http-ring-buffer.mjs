// node:http: the last 100 request timings in a ring buffer (bounded by shift: no leak).
import http from 'node:http';

const recentMs = [];

http
  .createServer((req, res) => {
    const started = performance.now();
    res.on('finish', () => {
      recentMs.push(performance.now() - started);
      if (recentMs.length > 100) recentMs.shift();
    });
    res.end('ok');
  })
  .listen(3000);
