import { RuleTester } from '../../test/rule-tester.js';
import rule from './no-eager-session.js';

new RuleTester().run('no-eager-session', rule, {
  valid: [
    `import session from 'express-session';
     app.use(session({ store: redisStore, secret: 's', resave: false, saveUninitialized: false }));`,
    // Probe route without touching the session; session on a normal route.
    `import session from 'express-session';
     app.get('/health', (req, res) => res.send('ok'));
     app.use(session({ store, secret: 's', resave: false, saveUninitialized: false }));
     app.post('/login', (req, res) => { req.session.userId = req.body.id; res.end(); });`,
    // Options built elsewhere: cannot tell.
    `import session from 'express-session'; app.use(session(sessionOptions));`,
    // Tests may use the MemoryStore.
    {
      code: `import session from 'express-session'; const store = new session.MemoryStore();`,
      filename: 'test/session.test.ts',
    },
    {
      code: `import session from 'express-session'; app.use(session({ secret: 's', saveUninitialized: false }));`,
      options: [{ allowMemoryStore: true }],
    },
    // koa-session keeps sessions in the cookie.
    `import session from 'koa-session'; app.use(session(app));`,
  ],
  invalid: [
    {
      code: `const session = require('express-session');\napp.use(session({ secret: 's', resave: false }));`,
      errors: [{ messageId: 'saveUninitialized', line: 2 }, { messageId: 'memoryStore', line: 2 }],
    },
    {
      code: `import session from 'express-session';\napp.use(session({ store, secret: 's', saveUninitialized: true }));`,
      errors: [{ messageId: 'saveUninitialized', line: 2 }],
    },
    {
      code: `import session from 'express-session';\napp.use(session({\n  store: new session.MemoryStore(),\n  secret: 's',\n  saveUninitialized: false,\n}));`,
      errors: [{ messageId: 'memoryStore', line: 3 }],
    },
    {
      code: `import { MemoryStore } from 'express-session';\nconst store = new MemoryStore();`,
      errors: [{ messageId: 'memoryStore', line: 2 }],
    },
    {
      code: `app.get('/healthz', (req, res) => {\n  res.json({ user: req.session.userId });\n});`,
      errors: [{ messageId: 'sessionOnProbe', data: { name: 'req.session', route: '/healthz' }, line: 2 }],
    },
    {
      code: `app.get('/up', (req, res) => {\n  res.json({ user: req.session.userId });\n});`,
      options: [{ probePaths: ['/up'] }],
      errors: [{ messageId: 'sessionOnProbe', line: 2 }],
    },
  ],
});
