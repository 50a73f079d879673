// node:http: a short-lived Agent per request that is destroyed when the upstream call ends (no leak).
const http = require('node:http');

http.createServer((req, res) => {
  const agent = new http.Agent({ keepAlive: false });
  const upstream = http.get({ host: '127.0.0.1', port: 4000, path: req.url, agent }, (up) => {
    up.pipe(res);
    up.on('end', () => agent.destroy());
  });
  upstream.on('error', () => { agent.destroy(); res.writeHead(502).end(); });
}).listen(3000);
