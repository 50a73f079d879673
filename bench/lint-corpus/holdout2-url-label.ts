// node:http + prom-client: request duration labelled with the path part of the URL.
import http from 'node:http';
import { Histogram } from 'prom-client';

const duration = new Histogram({ name: 'duration_seconds', help: 'duration', labelNames: ['path'] });

http.createServer((req, res) => {
  const end = duration.startTimer();
  res.on('finish', () => end({ path: new URL(req.url ?? '/', 'http://x').pathname })); // leak: no-unbounded-metric-labels
  res.end('ok');
}).listen(3000);
