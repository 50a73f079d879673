// node:http: a module-level route table, written only at startup and read per request (no leak).
import { createServer } from 'node:http';

const routes = [];

function route(method, path, handle) {
  routes.push({ method, path, handle });
}

route('GET', '/', (res) => res.end('home'));
route('GET', '/about', (res) => res.end('about'));

createServer((req, res) => {
  const match = routes.find((r) => r.method === req.method && r.path === req.url);
  if (match === undefined) {
    res.statusCode = 404;
    res.end();
    return;
  }
  match.handle(res);
}).listen(3000);
