// node:http: a per-request EventEmitter with listeners; it dies with the request (no leak).
import { EventEmitter } from 'node:events';
import http from 'node:http';

http.createServer((req, res) => {
  const progress = new EventEmitter();
  progress.on('step', (n) => res.write(`step ${n}\n`));
  for (let i = 0; i < 3; i++) progress.emit('step', i);
  res.end();
}).listen(3000);
