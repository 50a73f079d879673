// node:http proxy: a new keep-alive Agent per request, so idle sockets pile up per agent.
import http from 'node:http';

http.createServer((req, res) => {
  const upstream = http.get(
    { host: '127.0.0.1', port: 4000, path: req.url, agent: new http.Agent({ keepAlive: true }) }, // leak: no-client-per-request
    (upstreamRes) => upstreamRes.pipe(res),
  );
  upstream.on('error', () => res.writeHead(502).end());
}).listen(3000);
