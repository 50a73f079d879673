import { RuleTester } from '../../test/rule-tester.js';
import rule from './no-module-state-per-request.js';

new RuleTester().run('no-module-state-per-request', rule, {
  valid: [
    // A collection created inside the handler dies with the request.
    `app.get('/', (req, res) => { const seen = []; seen.push(req.url); res.end(); });`,
    // Bounded: size check and eviction of the oldest entry.
    `const cache = new Map();
     app.get('/t/:id', (req, res) => {
       if (cache.size >= 500) cache.delete(cache.keys().next().value);
       cache.set(req.params.id, Date.now());
       res.end();
     });`,
    // Cleared on an interval.
    `const hits = new Map();
     setInterval(() => hits.clear(), 60000).unref();
     fastify.addHook('onRequest', async (request) => { hits.set(request.ip, (hits.get(request.ip) ?? 0) + 1); });`,
    // Ring buffer: shift keeps it at 100.
    `const recent = [];
     http.createServer((req, res) => { recent.push(1); if (recent.length > 100) recent.shift(); res.end(); });`,
    // Written only at startup, read per request.
    `const routes = [];
     function route(path, fn) { routes.push({ path, fn }); }
     route('/', () => 'home');
     http.createServer((req, res) => { res.end(String(routes.find((r) => r.path === req.url))); });`,
    // Fixed keys: literal keys and bounded request fields.
    `const stats = { requests: 0 }; const byMethod = {}; const last = new Map();
     app.use((req, res, next) => { stats.requests++; byMethod[req.method] = 1; last.set('url', req.url); next(); });`,
    // A request-scoped NestJS provider is created per request.
    `@Injectable({ scope: Scope.REQUEST })
     class Timings { private readonly marks: number[] = []; mark() { this.marks.push(1); } }`,
    // A class instantiated per request: its fields die with the instance.
    `class Ctx { constructor() { this.marks = []; } mark(m) { this.marks.push(m); } }
     app.use((req, res, next) => { const c = new Ctx(); c.mark('start'); next(); });`,
    // Angular's @Injectable is a browser service, not a server singleton.
    `import { Injectable } from '@angular/core';
     @Injectable({ providedIn: 'root' }) export class CacheService { private cache = new Map(); set(k: string, v: unknown) { this.cache.set(k, v); } }`,
    // WeakMap keyed by the request is released with it.
    `const meta = new WeakMap(); http.createServer((req, res) => { meta.set(req, {}); res.end(); });`,
    // app.locals reset per interval.
    `app.locals.feed = [];
     setInterval(() => { app.locals.feed = []; }, 1000).unref();
     app.post('/f', (req, res) => { req.app.locals.feed.push(req.body); res.end(); });`,
  ],
  invalid: [
    {
      code: `const visits = [];\napp.get('/', (req, res) => {\n  visits.push({ ip: req.ip });\n  res.end();\n});`,
      errors: [{ messageId: 'growsPerRequest', data: { name: 'visits' }, line: 3 }],
    },
    {
      code: `const seen = new Set();\nhttp.createServer((req, res) => {\n  seen.add(req.headers['user-agent']);\n  res.end();\n});`,
      errors: [{ messageId: 'growsPerRequest', line: 3 }],
    },
    {
      // koa middleware with a computed key on a plain object.
      code: `const lastSeen = {};\napp.use(async (ctx, next) => {\n  lastSeen[ctx.request.url] = Date.now();\n  await next();\n});`,
      errors: [{ messageId: 'growsPerRequest', line: 3 }],
    },
    {
      // Through a same-file helper the handler calls.
      code: `const users = {};\nfunction remember(user) {\n  users[user.id] = user;\n}\napp.post('/login', (req, res) => { remember(req.body); res.end(); });`,
      errors: [{ messageId: 'growsPerRequest', line: 3 }],
    },
    {
      // Field of a NestJS singleton service.
      code: `@Injectable()\nexport class Audit {\n  private readonly entries: string[] = [];\n  record(path: string) {\n    this.entries.push(path);\n  }\n}`,
      errors: [{ messageId: 'growsPerRequest', data: { name: 'this.entries' }, line: 5 }],
    },
    {
      // The same service imported from NestJS is a singleton.
      code: `import { Injectable } from '@nestjs/common';\n@Injectable()\nexport class CacheService {\n  private cache = new Map();\n  set(k: string, v: unknown) { this.cache.set(k, v); }\n}`,
      errors: [{ messageId: 'growsPerRequest', data: { name: 'this.cache' }, line: 5 }],
    },
    {
      // A plain class with one module-level instance, whose method a handler calls.
      code: `class Store {\n  constructor() { this.items = []; }\n  add(x) {\n    this.items.push(x);\n  }\n  load(x) { this.items.push(x); }\n}\nconst store = new Store();\nstore.load('seed');\napp.post('/x', (req, res) => { store.add(req.body); res.end(); });`,
      errors: [{ messageId: 'growsPerRequest', data: { name: 'this.items' }, line: 4 }],
    },
    {
      // fastify route options.
      code: `const received = [];\napp.route({ method: 'POST', url: '/in', handler: async (request) => {\n  received.push(request.body);\n} });`,
      errors: [{ messageId: 'growsPerRequest', line: 3 }],
    },
    {
      // app.locals reached from the request.
      code: `app.locals.feedback = [];\napp.post('/f', (req, res) => {\n  req.app.locals.feedback.push(req.body);\n  res.end();\n});`,
      errors: [{ messageId: 'growsPerRequest', line: 3 }],
    },
  ],
});
