import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { isConstantKey, parentOf, propertyName, unwrap } from '../util/ast.js';
import { createRule } from '../util/create-rule.js';
import {
  getLongLivedCollections,
  hasRemoval,
  isBoundedRequestField,
  isMemoWrite,
  isPerRequestWrite,
} from '../util/long-lived-collections.js';
import { getServerModel, type VisitorKeys, walk } from '../util/server-model.js';

const addingMethods = new Set(['push', 'unshift', 'add', 'set']);
const removingMethods = new Set(['delete', 'clear', 'shift', 'pop', 'splice']);

export type Options = [];
export type MessageIds = 'growsPerRequest';

/** A module-level (or singleton-field) Map/Set/array/object that gets a new entry per request and never loses one. */
export default createRule<Options, MessageIds>({
  name: 'no-module-state-per-request',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow adding entries per request to a module-level collection that nothing ever removes',
      recommended: true,
    },
    messages: {
      growsPerRequest:
        '`{{name}}` lives as long as the process and gets a new entry on every request but nothing ever removes one, '
        + 'so it grows until the process runs out of memory: bound it (size check and eviction, or an LRU), delete '
        + 'entries when done, or keep the data on the request.',
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const model = getServerModel(context);
    const sourceCode = context.sourceCode;
    // Writes to collections reached through the application (`req.app.locals.list.push(…)`): as long-lived as module state.
    const appWrites: { node: TSESTree.CallExpression; receiver: string }[] = [];
    return {
      CallExpression(node: TSESTree.CallExpression) {
        const callee = unwrap(node.callee);
        if (callee.type !== AST_NODE_TYPES.MemberExpression || !addingMethods.has(propertyName(callee) ?? '')) return;
        if (!model.isAppScoped(callee.object) || !model.isPerRequest(node)) return;
        const key = node.arguments[0];
        const name = propertyName(callee);
        if ((name === 'set' || name === 'add') && key !== undefined && (isConstantKey(key) || isBoundedRequestField(key))) return;
        if (node.arguments.some((a) => model.holdsRequestObject(a))) return;
        appWrites.push({ node, receiver: sourceCode.getText(unwrap(callee.object)) });
      },
      'Program:exit'() {
        for (const write of appWrites) {
          if (hasRemovalOtherThanInit(sourceCode.ast, write.receiver, sourceCode)) continue;
          context.report({ node: write.node, messageId: 'growsPerRequest', data: { name: write.receiver } });
        }
        for (const collection of getLongLivedCollections(context)) {
          if (hasRemoval(collection)) continue;
          for (const use of collection.uses) {
            if (use.kind !== 'write' || use.fixedSlot) continue;
            if (!isPerRequestWrite(context, collection, use)) continue;
            // Stored request objects and read-through caches have their own rules with sharper advice.
            if (use.values.some((v) => model.holdsRequestObject(v))) continue;
            if (isMemoWrite(context.sourceCode, collection, use)) continue;
            context.report({ node: use.node, messageId: 'growsPerRequest', data: { name: collection.name } });
          }
        }
      },
    };
  },
});

// True when the app-scoped collection `receiver` (`req.app.locals.feedback`, also written `app.locals.feedback`) is
// emptied somewhere: a removing call on it, or an assignment to it inside a function (startup code runs at module level).
function hasRemovalOtherThanInit(
  ast: TSESTree.Program,
  receiver: string,
  sourceCode: Readonly<{ getText(node: TSESTree.Node): string; visitorKeys: unknown }>,
): boolean {
  let found = false;
  walk(ast, (node) => {
    if (found) return;
    const strip = (text: string): string => text.replace(/^\w+\.(?:app|server)\./, '').replace(/^(?:app|server|fastify)\./, '');
    if (node.type === AST_NODE_TYPES.CallExpression) {
      const callee = unwrap(node.callee);
      if (callee.type === AST_NODE_TYPES.MemberExpression && removingMethods.has(propertyName(callee) ?? '')
        && strip(sourceCode.getText(unwrap(callee.object))) === strip(receiver)) found = true;
    } else if (node.type === AST_NODE_TYPES.AssignmentExpression && strip(sourceCode.getText(unwrap(node.left))) === strip(receiver)) {
      let inFunction = false;
      for (let p = parentOf(node); p != null; p = p.parent) {
        if (p.type === AST_NODE_TYPES.ArrowFunctionExpression || p.type === AST_NODE_TYPES.FunctionExpression || p.type === AST_NODE_TYPES.FunctionDeclaration) inFunction = true;
      }
      if (inFunction) found = true;
    }
  }, sourceCode.visitorKeys as VisitorKeys);
  return found;
}
