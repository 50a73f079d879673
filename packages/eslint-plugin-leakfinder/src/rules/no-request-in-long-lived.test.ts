import { RuleTester } from '../../test/rule-tester.js';
import rule from './no-request-in-long-lived.js';

new RuleTester().run('no-request-in-long-lived', rule, {
  valid: [
    // Removed when the client disconnects.
    `const clients = new Set();
     app.get('/events', (req, res) => { clients.add(res); req.on('close', () => clients.delete(res)); });`,
    // Data attached to the request itself.
    `app.addHook('onRequest', async (request) => { request.startedAt = Date.now(); });`,
    // AsyncLocalStorage: the store lives for the request only.
    `const als = new AsyncLocalStorage();
     app.use((req, res, next) => { als.run({ req }, next); });`,
    // Only fields of the request are kept.
    `let lastUrl = '';
     app.use((req, res, next) => { lastUrl = req.url; next(); });`,
    // Constructor of an ordinary per-request class.
    `class RequestContext { constructor(req) { this.req = req; } }
     app.use((req, res, next) => { req.ctx = new RequestContext(req); next(); });`,
    // Deleted in another route and on close.
    `const pending = {};
     app.get('/poll/:id', (req, res) => { pending[req.params.id] = res; req.on('close', () => { delete pending[req.params.id]; }); });`,
  ],
  invalid: [
    {
      code: `let lastRequest = null;\napp.use((req, res, next) => {\n  lastRequest = req;\n  next();\n});`,
      errors: [{ messageId: 'storedInModule', data: { name: 'lastRequest' }, line: 3 }],
    },
    {
      code: `const waiting = new Map();\napp.get('/wait/:id', (request, reply) => {\n  waiting.set(request.params.id, reply);\n});`,
      errors: [{ messageId: 'storedInCollection', data: { name: 'waiting' }, line: 3 }],
    },
    {
      // Inside an object literal.
      code: `const contexts = new Map();\napp.use(async (ctx) => {\n  contexts.set(ctx.cookies.get('sid'), { ctx, at: Date.now() });\n});`,
      errors: [{ messageId: 'storedInCollection', line: 3 }],
    },
    {
      // A closure that uses `res` keeps `res`.
      code: `const callbacks = [];\napp.get('/later', (req, res) => {\n  callbacks.push(() => res.end('done'));\n});`,
      errors: [{ messageId: 'storedInCollection', line: 3 }],
    },
    {
      code: `@Controller('p')\nexport class ProfileController {\n  private current?: unknown;\n  @Get()\n  show(@Req() req: unknown) {\n    this.current = req;\n  }\n}`,
      errors: [{ messageId: 'storedInSingleton', data: { name: 'current' }, line: 6 }],
    },
  ],
});
