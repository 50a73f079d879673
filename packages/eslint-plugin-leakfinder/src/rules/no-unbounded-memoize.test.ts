import { RuleTester } from '../../test/rule-tester.js';
import rule from './no-unbounded-memoize.js';

new RuleTester().run('no-unbounded-memoize', rule, {
  valid: [
    // Keys from a fixed set.
    `const SUPPORTED = ['en', 'de']; const bundles = new Map();
     app.get('/hello', (req, res) => {
       const asked = String(req.query.lang); const locale = SUPPORTED.includes(asked) ? asked : 'en';
       if (!bundles.has(locale)) bundles.set(locale, load(locale));
       res.send(bundles.get(locale));
     });`,
    // A helper only ever called with literals.
    `const templates = new Map();
     function template(name) { const c = templates.get(name); if (c !== undefined) return c; const t = read(name); templates.set(name, t); return t; }
     http.createServer((req, res) => { res.end(req.url === '/a' ? template('about') : template('home')); });`,
    // Bounded by a size check.
    `const cache = new Map();
     app.get('/p/:slug', (req, res) => {
       if (cache.has(req.params.slug)) return res.send(cache.get(req.params.slug));
       if (cache.size > 1000) cache.clear();
       cache.set(req.params.slug, render(req.params.slug));
     });`,
    // memoizee with max.
    `const priceOf = memoize((sku) => sku, { max: 1000 }); app.get('/p/:sku', (req, res) => res.json(priceOf(req.params.sku)));`,
    // Memoized over configuration, not request data.
    `const cfg = memoize((env) => load(env)); app.get('/c', (req, res) => res.json(cfg(process.env.NODE_ENV)));`,
    // A counter is not a memo (and is no-module-state-per-request's).
    `const hits = new Map(); app.use((req, res, next) => { hits.set(req.ip, (hits.get(req.ip) ?? 0) + 1); next(); });`,
    // Init-if-absent plus plain writes: reported once, by no-module-state-per-request.
    `const requests = {};
     app.use((req, res, next) => { const ip = req.ip; if (!requests[ip]) requests[ip] = []; requests[ip] = requests[ip].filter((t) => t > 0); next(); });`,
  ],
  invalid: [
    {
      code: `const rendered = new Map();\napp.get('/p/:slug', (req, res) => {\n  if (rendered.has(req.params.slug)) return res.send(rendered.get(req.params.slug));\n  rendered.set(req.params.slug, render(req.params.slug));\n});`,
      errors: [{ messageId: 'unboundedCache', data: { name: 'rendered' }, line: 4 }],
    },
    {
      code: `const memo = {};\napp.use(async (ctx) => {\n  const q = String(ctx.query.q);\n  if (memo[q] !== undefined) { ctx.body = memo[q]; return; }\n  memo[q] = await search(q);\n});`,
      errors: [{ messageId: 'unboundedCache', line: 5 }],
    },
    {
      code: `const users = new Map();\nexport class UserController {\n  async show(req, res) {\n    let user = users.get(req.params.id);\n    if (!user) { user = await load(req.params.id); users.set(req.params.id, user); }\n    res.json(user);\n  }\n}`,
      errors: [{ messageId: 'unboundedCache', line: 5 }],
    },
    {
      code: `const loadProfile = memoize(async (id) => db.find(id));\napp.get('/u/:id', async (request) => loadProfile(request.params.id));`,
      errors: [{ messageId: 'unboundedMemoize', data: { name: 'loadProfile' }, line: 1 }],
    },
    {
      code: `const f = cached((id) => id);\napp.get('/u/:id', (req, res) => res.json(f(req.params.id)));`,
      options: [{ memoizers: ['cached'] }],
      errors: [{ messageId: 'unboundedMemoize', line: 1 }],
    },
  ],
});
