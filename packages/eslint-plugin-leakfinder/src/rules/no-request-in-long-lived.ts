import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { unwrap } from '../util/ast.js';
import { createRule } from '../util/create-rule.js';
import { getLongLivedCollections, hasRemoval } from '../util/long-lived-collections.js';
import { getServerModel } from '../util/server-model.js';

export type Options = [];
export type MessageIds = 'storedInModule' | 'storedInCollection' | 'storedInSingleton';

/** `req`, `res`, `ctx`, `reply` stored where it outlives the request: module scope, a singleton's field, a cache. */
export default createRule<Options, MessageIds>({
  name: 'no-request-in-long-lived',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow storing request, response or context objects where they outlive the request',
      recommended: true,
    },
    messages: {
      storedInModule:
        'A request object stored in module-level `{{name}}` keeps the whole request (headers, body, socket) alive '
        + 'after it ends: store only the fields you need, or pass the request along instead of keeping it.',
      storedInCollection:
        'A request object added to `{{name}}`, which is never emptied, keeps every such request (headers, body, socket) '
        + 'alive forever: remove it when the request closes (`res.on(\'close\', …)`) or store only the fields you need.',
      storedInSingleton:
        '`this.{{name}}` belongs to a singleton shared by all requests, so it keeps a finished request alive and mixes '
        + 'up concurrent ones: pass the request as an argument or use a request-scoped provider.',
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const model = getServerModel(context);
    return {
      AssignmentExpression(node: TSESTree.AssignmentExpression) {
        if (!model.holdsRequestObject(node.right)) return;
        const left = unwrap(node.left);
        if (left.type === AST_NODE_TYPES.Identifier) {
          const variable = model.resolve(left);
          if (variable !== undefined && model.isModuleLevel(variable)) {
            context.report({ node, messageId: 'storedInModule', data: { name: left.name } });
          }
          return;
        }
        if (
          left.type === AST_NODE_TYPES.MemberExpression &&
          !left.computed &&
          left.property.type === AST_NODE_TYPES.Identifier &&
          unwrap(left.object).type === AST_NODE_TYPES.ThisExpression
        ) {
          const cls = model.enclosingClass(node);
          if (cls !== undefined && model.isSingletonClass(cls)) {
            context.report({ node, messageId: 'storedInSingleton', data: { name: left.property.name } });
          }
        }
      },
      'Program:exit'() {
        for (const collection of getLongLivedCollections(context)) {
          if (hasRemoval(collection)) continue;
          for (const use of collection.uses) {
            if (use.kind !== 'write') continue;
            const stored = [...use.values, ...(use.key === undefined ? [] : [use.key])];
            if (!stored.some((v) => model.holdsRequestObject(v))) continue;
            context.report({ node: use.node, messageId: 'storedInCollection', data: { name: collection.name } });
          }
        }
      },
    };
  },
});
