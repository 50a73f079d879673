import { RuleTester } from '../../test/rule-tester.js';
import rule from './no-listener-per-request.js';

new RuleTester().run('no-listener-per-request', rule, {
  valid: [
    // Removed on the response's close.
    `const news = new EventEmitter();
     app.get('/news', (req, res) => { const on = (i) => res.write(i); news.on('item', on); res.on('close', () => news.off('item', on)); });`,
    // Removed in finally.
    `const jobs = new EventEmitter();
     app.post('/jobs', async (request) => { const f = () => {}; jobs.on('progress', f); try { await work(); } finally { jobs.removeListener('progress', f); } });`,
    // Listeners on the request and response die with them.
    `http.createServer((req, res) => { req.on('data', () => {}); req.once('end', () => res.end()); res.on('finish', () => {}); });`,
    // A per-request emitter.
    `http.createServer((req, res) => { const e = new EventEmitter(); e.on('step', () => {}); res.end(); });`,
    // An AbortSignal removes it.
    `const ticker = new EventTarget();
     app.use(async (ctx) => { const ac = new AbortController(); ticker.addEventListener('tick', () => {}, { signal: ac.signal }); ac.abort(); });`,
    // Removed again when the response finishes.
    `http.createServer((req, res) => { const f = () => {}; req.socket.on('close', f); res.on('finish', () => req.socket.off('close', f)); });`,
    // Added once per socket: the condition checks the socket.
    `const tracked = new Set();
     http.createServer((req, res) => { if (!tracked.has(req.socket)) { tracked.add(req.socket); req.socket.on('close', () => tracked.delete(req.socket)); } res.end(); });`,
    // A WebSocket connection's own socket lives as long as the connection.
    `wss.on('connection', (socket) => { socket.on('message', (m) => socket.send(m)); });`,
    // Module-level listeners are added once.
    `process.on('SIGTERM', () => server.close()); app.get('/', (req, res) => res.end());`,
  ],
  invalid: [
    {
      code: `const prices = new EventEmitter();\napp.get('/prices', (req, res) => {\n  prices.on('price', (p) => res.write(p));\n});`,
      errors: [{ messageId: 'listenerPerRequest', data: { event: 'price', emitter: 'prices' }, line: 3 }],
    },
    {
      code: `http.createServer((req, res) => {\n  process.on('warning', (w) => res.write(w.message));\n  res.end();\n});`,
      errors: [{ messageId: 'listenerPerRequest', data: { event: 'warning', emitter: 'process' }, line: 2 }],
    },
    {
      // once() stays until the event fires.
      code: `const queue = new EventEmitter();\napp.use(async (ctx) => {\n  await new Promise((resolve) => { queue.once('flushed', resolve); });\n});`,
      errors: [{ messageId: 'listenerPerRequest', line: 3 }],
    },
    {
      // socket.io connection handler with a shared client.
      code: `const sub = new Redis();\nio.on('connection', (socket) => {\n  sub.on('message', (c, m) => socket.emit('m', m));\n});`,
      errors: [{ messageId: 'listenerPerRequest', line: 3 }],
    },
    {
      // The keep-alive socket serves many requests.
      code: `app.get('/slow', (req, res) => {\n  req.socket.on('close', () => {});\n  res.end();\n});`,
      errors: [{ messageId: 'listenerPerRequest', data: { event: 'close', emitter: 'req.socket' }, line: 2 }],
    },
    {
      // The koa application through ctx.app.
      code: `app.use(async (ctx, next) => {\n  ctx.app.on('error', () => {});\n  await next();\n});`,
      errors: [{ messageId: 'listenerPerRequest', line: 2 }],
    },
    {
      code: `@Controller('o')\nexport class Stream {\n  constructor(private readonly events: EventEmitter2) {}\n  @Get('s')\n  stream(@Res() res: any) {\n    this.events.on('order', () => res.write('x'));\n  }\n}`,
      errors: [{ messageId: 'listenerPerRequest', line: 6 }],
    },
  ],
});
