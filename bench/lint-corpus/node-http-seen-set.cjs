// node:http: a Set of user agents, filled per request and never pruned.
const http = require('node:http');

const userAgents = new Set();

const server = http.createServer((req, res) => {
  userAgents.add(req.headers['user-agent'] ?? 'unknown'); // leak: no-module-state-per-request
  res.end(`distinct agents: ${userAgents.size}\n`);
});

server.listen(process.env.PORT ?? 3000, '127.0.0.1');
