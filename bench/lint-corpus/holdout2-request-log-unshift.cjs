// node:http: a request log kept newest-first in a module array, never trimmed.
const http = require('node:http');

const requestLog = [];
const server = http.createServer();

server.on('request', (req, res) => {
  requestLog.unshift({ method: req.method, url: req.url, at: Date.now() }); // leak: no-module-state-per-request
  res.end('ok');
});

server.listen(3000);
