import { RuleTester } from '../../test/rule-tester.js';
import rule from './no-unbounded-metric-labels.js';

new RuleTester().run('no-unbounded-metric-labels', rule, {
  valid: [
    // Route template, method and status: a bounded set.
    `const c = new client.Counter({ name: 'r', help: 'r' });
     app.use((req, res, next) => { res.on('finish', () => c.inc({ method: req.method, route: req.route?.path ?? 'none', status: res.statusCode })); next(); });`,
    `const h = new Histogram({ name: 'd', help: 'd' });
     app.use(async (ctx, next) => { const end = h.startTimer(); await next(); end({ route: ctx._matchedRoute ?? 'none', status: String(ctx.status) }); });`,
    `const s = new Summary({ name: 's', help: 's' });
     app.addHook('onSend', async (request, reply, payload) => { s.observe({ route: request.routeOptions.url }, 1); return payload; });`,
    // Not request data.
    `const g = new Gauge({ name: 'g', help: 'g' }); app.get('/', (req, res) => { g.set({ worker: process.pid }, 1); res.end(); });`,
    // Headers set on the response are not metrics.
    `app.get('/', (req, res) => { res.set({ 'x-url': req.url }); res.end(); });`,
    // Outside a request.
    `const c = new Counter({ name: 'c', help: 'c' }); c.inc({ path: process.argv[2] });`,
    {
      code: `const c = new Counter({ name: 'c', help: 'c' });
             app.use((req, res, next) => { c.inc({ tier: req.user.tenantTier }); next(); });`,
      options: [{ boundedFields: ['tenantTier'] }],
    },
  ],
  invalid: [
    {
      code: `const c = new client.Counter({ name: 'r', help: 'r' });\napp.use((req, res, next) => {\n  c.labels(req.method, req.originalUrl).inc();\n  next();\n});`,
      errors: [{ messageId: 'unboundedLabel', data: { value: 'req.originalUrl' }, line: 3 }],
    },
    {
      code: `const h = new Histogram({ name: 'l', help: 'l' });\napp.addHook('onResponse', async (request, reply) => {\n  h.observe({ user: String(request.headers['x-user-id']) }, 1);\n});`,
      errors: [{ messageId: 'unboundedLabel', line: 3 }],
    },
    {
      // Through a variable and a template literal.
      code: `const c = new Counter({ name: 'c', help: 'c' });\nhttp.createServer((req, res) => {\n  const path = req.url.split('?')[0];\n  c.inc({ key: \`\${req.method} \${path}\` });\n  res.end();\n});`,
      errors: [{ messageId: 'unboundedLabel', line: 4 }],
    },
    {
      // The end function of startTimer.
      code: `const h = new Histogram({ name: 'd', help: 'd' });\napp.use(async (ctx, next) => {\n  const end = h.startTimer();\n  await next();\n  end({ path: ctx.path });\n});`,
      errors: [{ messageId: 'unboundedLabel', data: { value: 'ctx.path' }, line: 5 }],
    },
  ],
});
