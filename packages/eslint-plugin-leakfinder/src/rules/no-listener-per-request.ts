import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { isFunction, propertyName, unwrap } from '../util/ast.js';
import { createRule } from '../util/create-rule.js';
import { getServerModel, type VisitorKeys, walk } from '../util/server-model.js';

export type Options = [];
export type MessageIds = 'listenerPerRequest';

const addMethods = new Set(['on', 'addListener', 'once', 'prependListener', 'prependOnceListener', 'addEventListener']);
const removeMethods = new Set(['off', 'removeListener', 'removeAllListeners', 'removeEventListener']);

/** A listener added to a long-lived emitter (module-level, `process`, a shared client) inside a handler and never removed. */
export default createRule<Options, MessageIds>({
  name: 'no-listener-per-request',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow adding listeners to long-lived emitters per request without removing them',
      recommended: true,
    },
    messages: {
      listenerPerRequest:
        'Each request adds a `{{event}}` listener to `{{emitter}}`, which outlives the request, so listeners and '
        + 'everything their closures hold pile up: remove it with `off`/`removeListener` when the request ends '
        + '(in `finally` or on `res.on(\'close\')`), or pass an AbortSignal.',
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const model = getServerModel(context);
    const sourceCode = context.sourceCode;
    // Removals anywhere in the file, as "receiver|event" (event `*` for removeAllListeners() without a name).
    let removals: Set<string> | undefined;
    const removalsInFile = (): Set<string> => {
      if (removals !== undefined) return removals;
      removals = new Set();
      walk(sourceCode.ast, (node) => {
        if (node.type !== AST_NODE_TYPES.CallExpression) return;
        const callee = unwrap(node.callee);
        const name = propertyName(callee);
        if (name === undefined || !removeMethods.has(name) || callee.type !== AST_NODE_TYPES.MemberExpression) return;
        const event = node.arguments[0];
        removals!.add(`${sourceCode.getText(unwrap(callee.object))}|${event === undefined ? '*' : sourceCode.getText(event)}`);
      }, sourceCode.visitorKeys as VisitorKeys);
      return removals;
    };
    // `req.socket` / `res.connection`: with HTTP keep-alive one socket serves many requests, so it outlives each.
    const isKeepAliveSocket = (node: TSESTree.Node): boolean => {
      const n = unwrap(node);
      if (n.type !== AST_NODE_TYPES.MemberExpression) return false;
      const name = propertyName(n);
      return (name === 'socket' || name === 'connection') && model.isRequestObject(n.object);
    };
    // `if (!tracked.has(req.socket)) { …; req.socket.on('close', …) }`, `if (!bus.listenerCount('x')) bus.on('x', …)`:
    // a condition on the emitter itself usually means "add once", not once per request.
    const isGuardedBy = (node: TSESTree.Node, emitter: string): boolean => {
      for (let current = node.parent; current != null && !(isFunction(current) && model.handlers.has(current)); current = current.parent) {
        if ((current.type === AST_NODE_TYPES.IfStatement || current.type === AST_NODE_TYPES.ConditionalExpression)
          && sourceCode.getText(current.test).includes(emitter)) return true;
      }
      return false;
    };
    return {
      CallExpression(node: TSESTree.CallExpression) {
        const callee = unwrap(node.callee);
        if (callee.type !== AST_NODE_TYPES.MemberExpression) return;
        const name = propertyName(callee);
        if (name === undefined || !addMethods.has(name)) return;
        const [event, listener, options] = node.arguments;
        if (event === undefined || listener === undefined) return;
        if (!model.isPerRequest(node) || !(model.isLongLived(callee.object) || isKeepAliveSocket(callee.object))) return;
        // `addEventListener(type, fn, { signal })`: the listener goes when the signal aborts.
        if (options?.type === AST_NODE_TYPES.ObjectExpression && options.properties.some(
          (p) => p.type === AST_NODE_TYPES.Property && p.key.type === AST_NODE_TYPES.Identifier && p.key.name === 'signal',
        )) return;
        const emitter = sourceCode.getText(unwrap(callee.object));
        if (isGuardedBy(node, emitter)) return;
        const found = removalsInFile();
        if (found.has(`${emitter}|${sourceCode.getText(event)}`) || found.has(`${emitter}|*`)) return;
        context.report({ node, messageId: 'listenerPerRequest', data: { event: sourceCode.getText(event).replace(/^['"`]|['"`]$/g, ''), emitter } });
      },
    };
  },
});
