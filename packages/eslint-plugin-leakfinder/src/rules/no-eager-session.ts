import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { calleeName, enclosingFunction, propertyName, unwrap } from '../util/ast.js';
import { createRule } from '../util/create-rule.js';
import { getServerModel } from '../util/server-model.js';

export type Options = [{ probePaths?: string[]; allowMemoryStore?: boolean }];
export type MessageIds = 'saveUninitialized' | 'memoryStore' | 'sessionOnProbe';

const defaultProbePattern =
  /^\/?(?:_?health(?:z|check)?|ready(?:z)?|readiness|live(?:z)?|liveness|ping|status|metrics|robots\.txt|favicon\.ico|_ah\/health)\/?$/i;
const testFile = /(?:^|[\\/])(?:__tests__|tests?|spec)[\\/]|\.(?:test|spec)\.[cm]?[jt]sx?$/;

/**
 * The seed's last DON'T: sessions created for clients that never send the cookie back (probes, bots, `ab`).
 * Checks express-session options, the in-process MemoryStore, and `req.session` on probe routes.
 */
export default createRule<Options, MessageIds>({
  name: 'no-eager-session',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow session setups that create and keep a session for every cookie-less request',
      recommended: true,
    },
    messages: {
      saveUninitialized:
        'express-session saves a new session for every request without a cookie (health checks, bots, load '
        + 'balancers) unless `saveUninitialized` is `false`: set `saveUninitialized: false`.',
      memoryStore:
        'express-session\'s MemoryStore keeps every session in this process and never prunes expired ones, so it '
        + 'grows with each new client: pass an external `store` (Redis, a database) or a pruning store.',
      sessionOnProbe:
        'Reading `{{name}}` on `{{route}}`, a route hit by probes and bots that send no cookie, loads or creates a '
        + 'session on every hit: do not touch the session on this route, or mount it before the session middleware.',
    },
    schema: [
      {
        type: 'object',
        properties: {
          probePaths: {
            type: 'array',
            items: { type: 'string' },
            description: 'More route paths (exact, e.g. `/up`) on which reading the session is reported.',
          },
          allowMemoryStore: {
            type: 'boolean',
            description: 'Do not report the MemoryStore (for example in a single-user tool).',
          },
        },
        additionalProperties: false,
      },
    ],
  },
  defaultOptions: [{ probePaths: [], allowMemoryStore: false }],
  create(context, [options]) {
    const model = getServerModel(context);
    const extraProbes = new Set(options.probePaths ?? []);
    const isProbe = (route: string): boolean => defaultProbePattern.test(route) || extraProbes.has(route);
    const memoryStoreAllowed = options.allowMemoryStore === true || testFile.test(context.filename);
    // Local names bound to express-session: `import session from 'express-session'`, `const s = require('express-session')`.
    const sessionNames = new Set<string>();
    const memoryStoreNames = new Set<string>();
    const reportedHandlers = new Set<TSESTree.Node>();

    const noteBinding = (id: TSESTree.Node, source: string | undefined): void => {
      if (source !== 'express-session') return;
      if (id.type === AST_NODE_TYPES.Identifier) sessionNames.add(id.name);
      if (id.type === AST_NODE_TYPES.ObjectPattern) {
        for (const p of id.properties) {
          if (p.type === AST_NODE_TYPES.Property && p.value.type === AST_NODE_TYPES.Identifier && propertyKey(p) === 'MemoryStore') {
            memoryStoreNames.add(p.value.name);
          }
        }
      }
    };

    const isSessionFactory = (call: TSESTree.CallExpression): boolean => {
      const callee = unwrap(call.callee);
      if (callee.type !== AST_NODE_TYPES.Identifier) return false;
      if (sessionNames.has(callee.name)) return true;
      // Without a visible import (re-exported helper), recognise the shape: session({ secret, … }).
      const options = call.arguments[0];
      return (callee.name === 'session' || callee.name === 'expressSession') && options?.type === AST_NODE_TYPES.ObjectExpression
        && options.properties.some((p) => p.type === AST_NODE_TYPES.Property && propertyKey(p) === 'secret');
    };

    return {
      ImportDeclaration(node: TSESTree.ImportDeclaration) {
        if (node.source.value !== 'express-session') return;
        for (const s of node.specifiers) {
          if (s.type === AST_NODE_TYPES.ImportSpecifier && importedName(s) === 'MemoryStore') memoryStoreNames.add(s.local.name);
          else sessionNames.add(s.local.name);
        }
      },
      VariableDeclarator(node: TSESTree.VariableDeclarator) {
        const init = node.init === null ? undefined : unwrap(node.init);
        if (init?.type === AST_NODE_TYPES.CallExpression && calleeName(init) === 'require') {
          const arg = init.arguments[0];
          noteBinding(node.id, arg?.type === AST_NODE_TYPES.Literal && typeof arg.value === 'string' ? arg.value : undefined);
        }
      },
      CallExpression(node: TSESTree.CallExpression) {
        if (!isSessionFactory(node)) return;
        const options = node.arguments[0] === undefined ? undefined : unwrap(node.arguments[0]);
        if (options !== undefined && options.type !== AST_NODE_TYPES.ObjectExpression) return; // built elsewhere: cannot tell
        const props = options?.properties ?? [];
        const find = (key: string) => props.find((p): p is TSESTree.Property => p.type === AST_NODE_TYPES.Property && propertyKey(p) === key);
        const spreads = props.some((p) => p.type === AST_NODE_TYPES.SpreadElement);
        const saveUninitialized = find('saveUninitialized');
        const isFalse = saveUninitialized?.value.type === AST_NODE_TYPES.Literal && saveUninitialized.value.value === false;
        if (!isFalse && !(spreads && saveUninitialized === undefined)) context.report({ node, messageId: 'saveUninitialized' });
        if (find('store') === undefined && !spreads && !memoryStoreAllowed) context.report({ node, messageId: 'memoryStore' });
      },
      NewExpression(node: TSESTree.NewExpression) {
        if (memoryStoreAllowed) return;
        const callee = unwrap(node.callee);
        const isMemoryStore =
          (callee.type === AST_NODE_TYPES.Identifier && memoryStoreNames.has(callee.name)) ||
          (callee.type === AST_NODE_TYPES.MemberExpression && propertyName(callee) === 'MemoryStore' &&
            unwrap(callee.object).type === AST_NODE_TYPES.Identifier &&
            (sessionNames.has((unwrap(callee.object) as TSESTree.Identifier).name) || (unwrap(callee.object) as TSESTree.Identifier).name === 'session'));
        if (isMemoryStore) context.report({ node, messageId: 'memoryStore' });
      },
      MemberExpression(node: TSESTree.MemberExpression) {
        if (propertyName(node) !== 'session' || !model.isRequestObject(node.object)) return;
        for (let fn = enclosingFunction(node); fn !== null; fn = enclosingFunction(fn)) {
          if (!model.handlers.has(fn)) continue;
          const route = model.routeOf(fn);
          if (route === undefined || !isProbe(route) || reportedHandlers.has(fn)) return;
          reportedHandlers.add(fn);
          context.report({ node, messageId: 'sessionOnProbe', data: { name: context.sourceCode.getText(node), route } });
          return;
        }
      },
    };
  },
});

function propertyKey(p: TSESTree.Property): string | undefined {
  if (p.key.type === AST_NODE_TYPES.Identifier && !p.computed) return p.key.name;
  if (p.key.type === AST_NODE_TYPES.Literal && typeof p.key.value === 'string') return p.key.value;
  return undefined;
}

function importedName(s: TSESTree.ImportSpecifier): string {
  return s.imported.type === AST_NODE_TYPES.Identifier ? s.imported.name : String(s.imported.value);
}


