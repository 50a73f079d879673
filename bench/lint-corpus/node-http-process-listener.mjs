// node:http: a handler adds a process-level listener per request.
import { createServer } from 'node:http';

createServer((req, res) => {
  process.on('warning', (warning) => { // leak: no-listener-per-request
    res.write(`warning: ${warning.message}\n`);
  });
  res.end('ok');
}).listen(3000);
