// node:http: one keep-alive Agent for the process, shared by all upstream calls (no leak).
const http = require('node:http');

const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });

http.createServer((req, res) => {
  http.get({ host: '127.0.0.1', port: 4000, path: req.url, agent }, (up) => up.pipe(res))
    .on('error', () => res.writeHead(502).end());
}).listen(3000);
