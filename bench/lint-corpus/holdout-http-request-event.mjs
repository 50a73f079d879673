// node:http: server.on('request') with a per-request timeout that is cleared on finish (no leak).
import http from 'node:http';

const server = http.createServer();
server.on('request', (req, res) => {
  const timer = setTimeout(() => res.destroy(), 10_000);
  res.on('finish', () => clearTimeout(timer));
  res.end('hello');
});
server.listen(3000);
