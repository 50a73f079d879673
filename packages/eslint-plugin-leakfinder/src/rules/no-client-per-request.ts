import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { calleeName, parentOf, propertyName, unwrap } from '../util/ast.js';
import { createRule } from '../util/create-rule.js';
import { getServerModel } from '../util/server-model.js';

export type Options = [{ constructors?: string[]; factories?: string[] }];
export type MessageIds = 'clientPerRequest';

// Classes whose instances own sockets, pools or timers (pg, mysql2, ioredis, mongodb, Prisma, Sequelize, Knex,
// http/https/undici agents, Kafka, AWS SDK v3 clients end in `Client`).
const defaultConstructors = ['Pool', 'Agent', 'Redis', 'Cluster', 'MongoClient', 'Sequelize', 'Kafka', 'Knex', 'Dispatcher'];
const defaultFactories = ['createPool', 'createClient', 'createCluster', 'createConnection', 'createPoolCluster', 'knex'];
const closeMethods = new Set(['end', 'close', 'quit', 'disconnect', 'destroy', '$disconnect', 'release', 'terminate', 'shutdown']);

/** A database pool, HTTP agent, Redis or other network client created inside a request handler and never closed. */
export default createRule<Options, MessageIds>({
  name: 'no-client-per-request',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow creating pools, agents and network clients per request',
      recommended: true,
    },
    messages: {
      clientPerRequest:
        '`{{name}}` is created on every request and never closed, so each one keeps its sockets, timers and buffers '
        + 'alive: create it once at startup and share it, or close it in `finally`.',
    },
    schema: [
      {
        type: 'object',
        properties: {
          constructors: { type: 'array', items: { type: 'string' }, description: 'More class names to report when `new`-ed per request.' },
          factories: { type: 'array', items: { type: 'string' }, description: 'More factory function names to report when called per request.' },
        },
        additionalProperties: false,
      },
    ],
  },
  defaultOptions: [{ constructors: [], factories: [] }],
  create(context, [options]) {
    const model = getServerModel(context);
    const sourceCode = context.sourceCode;
    const constructors = new Set([...defaultConstructors, ...(options.constructors ?? [])]);
    const factories = new Set([...defaultFactories, ...(options.factories ?? [])]);

    // True when the new client is closed in the same handler, or kept once in a module/instance variable (lazy init).
    const isManaged = (node: TSESTree.Node): boolean => {
      const parent = parentOf(node.parent?.type === AST_NODE_TYPES.AwaitExpression ? node.parent : node);
      let target: TSESTree.Node | undefined;
      if (parent?.type === AST_NODE_TYPES.VariableDeclarator) target = parent.id;
      else if (parent?.type === AST_NODE_TYPES.AssignmentExpression) target = parent.left;
      else if (parent?.type === AST_NODE_TYPES.ReturnStatement) return true; // a helper's caller decides
      if (target === undefined) return false;
      const t = unwrap(target);
      if (t.type === AST_NODE_TYPES.MemberExpression) return true; // this.pool = … / cache.pool = …: kept, not per request
      if (t.type !== AST_NODE_TYPES.Identifier) return false;
      const variable = model.resolve(t);
      if (variable !== undefined && model.isModuleLevel(variable)) return true; // `pool ??= new Pool()`
      if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.parent.kind === 'await using') return true;
      let closed = false;
      for (const reference of variable?.references ?? []) {
        const member = parentOf(reference.identifier);
        if (member?.type === AST_NODE_TYPES.MemberExpression && closeMethods.has(propertyName(member) ?? '')) closed = true;
      }
      return closed;
    };

    const check = (node: TSESTree.NewExpression | TSESTree.CallExpression): void => {
      if (!model.isPerRequest(node) || isManaged(node)) return;
      context.report({ node, messageId: 'clientPerRequest', data: { name: sourceCode.getText(node.callee) } });
    };

    return {
      NewExpression(node: TSESTree.NewExpression) {
        const name = calleeName(node);
        if (name === undefined) return;
        if (constructors.has(name) || (name.endsWith('Client') && name.length > 'Client'.length) || name === 'Client') check(node);
      },
      CallExpression(node: TSESTree.CallExpression) {
        const name = calleeName(node);
        if (name === undefined || !factories.has(name)) return;
        const callee = unwrap(node.callee);
        // net.createConnection / tls / http2.connect open one socket for one exchange; that is not a pool or client.
        if (callee.type === AST_NODE_TYPES.MemberExpression) {
          const receiver = unwrap(callee.object);
          if (receiver.type === AST_NODE_TYPES.Identifier && ['net', 'tls', 'http2', 'dgram'].includes(receiver.name)) return;
        }
        check(node);
      },
    };
  },
});
