import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findSessionInstallSites } from './session-install-site.js';

test('an ESM default import of express-session and its app.use call', () => {
  const text = [
    "import express from 'express';",
    "import session from 'express-session';",
    'const app = express();',
    "// app.use(session({ secret: 'old' }));",
    "app.use(session({ secret: 'x' }));",
  ].join('\n');
  assert.deepEqual(findSessionInstallSites(text), {
    importedPackages: ['express-session'],
    matches: [{ line: 5, column: 1, packageName: 'express-session', localName: 'session' }],
  });
});

test('a CommonJS require with another name, indented, on a router', () => {
  const text = "const expressSession = require('express-session');\nfunction setup(router) {\n  router.use(\n    expressSession({}),\n  );\n}\n";
  const found = findSessionInstallSites(text);
  assert.deepEqual(found.matches, [{ line: 3, column: 3, packageName: 'express-session', localName: 'expressSession' }]);
});

test('koa-session installed with app as the second argument', () => {
  const text = "import Koa from 'koa';\nimport session from 'koa-session';\nconst app = new Koa();\napp.use(session({ store }, app));\n";
  assert.deepEqual(findSessionInstallSites(text).matches, [{ line: 4, column: 1, packageName: 'koa-session', localName: 'session' }]);
});

test('fastify registers @fastify/session', () => {
  const text = "import fastifySession from '@fastify/session';\nawait fastify.register(fastifySession, { secret });\n";
  assert.deepEqual(findSessionInstallSites(text).matches, [
    { line: 2, column: 7, packageName: '@fastify/session', localName: 'fastifySession' },
  ]);
});

test('a middleware built first and used later points at the call that builds it', () => {
  const text = "const session = require('express-session');\nconst mw = session({ secret });\napp.use(mw);\n";
  assert.deepEqual(findSessionInstallSites(text).matches, [{ line: 2, column: 12, packageName: 'express-session', localName: 'session' }]);
});

test('an inline require inside app.use', () => {
  const text = "app.use(require('express-session')({ secret: 's' }));";
  const found = findSessionInstallSites(text);
  assert.deepEqual(found.importedPackages, ['express-session']);
  assert.deepEqual(found.matches, [{ line: 1, column: 1, packageName: 'express-session', localName: 'require' }]);
});

test('without an import in this file, a .use(…session…(…)) call matches by name only', () => {
  const text = "import { sessionMiddleware } from './session.js';\napp.use(sessionMiddleware({ ttl: 0 }));\n";
  assert.deepEqual(findSessionInstallSites(text), {
    importedPackages: [],
    matches: [{ line: 2, column: 1, packageName: null, localName: 'sessionMiddleware' }],
  });
});

test('a file with no session middleware, or only the cookie-only cookie-session, matches nothing server-side', () => {
  assert.deepEqual(findSessionInstallSites("app.get('/', (req, res) => res.send('session('));").matches, []);
  assert.deepEqual(findSessionInstallSites("import cookieSession from 'cookie-session';\napp.use(cookieSession({}));").importedPackages, []);
});
