import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { calleeName, unwrap } from '../util/ast.js';
import { createRule } from '../util/create-rule.js';
import { getLongLivedCollections, hasRemoval, isMemoWrite, isPerRequestWrite } from '../util/long-lived-collections.js';
import { getServerModel } from '../util/server-model.js';

export type Options = [{ memoizers?: string[] }];
export type MessageIds = 'unboundedCache' | 'unboundedMemoize';

// Memoizers whose default cache never evicts (lodash, memoizee without `max`, fast-memoize, moize without maxSize, mem).
const defaultMemoizers = ['memoize', 'memoizee', 'moize', 'mem', 'memoizeWith', 'fastMemoize'];
const boundingOptions = new Set(['max', 'maxSize', 'maxAge', 'maxKeys', 'size', 'ttl', 'cache', 'cacheKey', 'lru', 'isLru']);

/** A memo cache keyed by request data (a URL parameter, a query string, a user id) with no bound. */
export default createRule<Options, MessageIds>({
  name: 'no-unbounded-memoize',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow memo caches keyed by request data without a size or age bound',
      recommended: true,
    },
    messages: {
      unboundedCache:
        '`{{name}}` caches one entry per distinct request value and never evicts, so every new id, slug or query '
        + 'adds memory for good: use an LRU with a `max` (lru-cache) or evict on size/age.',
      unboundedMemoize:
        '`{{name}}` memoizes on request data and its cache has no bound, so each distinct argument stays cached '
        + 'forever: pass a `max`/`maxAge` option or use an LRU-backed memoizer.',
    },
    schema: [
      {
        type: 'object',
        properties: {
          memoizers: {
            type: 'array',
            items: { type: 'string' },
            description: 'More names of memoize functions whose cache is unbounded unless given a bounding option.',
          },
        },
        additionalProperties: false,
      },
    ],
  },
  defaultOptions: [{ memoizers: [] }],
  create(context, [options]) {
    const model = getServerModel(context);
    const memoizers = new Set([...defaultMemoizers, ...(options.memoizers ?? [])]);
    return {
      'Program:exit'() {
        for (const collection of getLongLivedCollections(context)) {
          if (hasRemoval(collection)) continue;
          // A collection that also gets plain per-request writes is no-module-state-per-request's: one report, not two.
          const plainWrites = collection.uses.some((u) => u.kind === 'write' && !u.fixedSlot && isPerRequestWrite(context, collection, u)
            && !u.values.some((v) => model.holdsRequestObject(v)) && !isMemoWrite(context.sourceCode, collection, u));
          if (plainWrites) continue;
          for (const use of collection.uses) {
            if (use.kind !== 'write' || use.fixedSlot || use.key === undefined) continue;
            if (!isPerRequestWrite(context, collection, use) || !isMemoWrite(context.sourceCode, collection, use)) continue;
            if (!model.isRequestDerived(use.key)) continue;
            context.report({ node: use.node, messageId: 'unboundedCache', data: { name: collection.name } });
          }
        }
      },
      VariableDeclarator(node: TSESTree.VariableDeclarator) {
        if (node.id.type !== AST_NODE_TYPES.Identifier || node.init === null) return;
        const init = unwrap(node.init);
        if (init.type !== AST_NODE_TYPES.CallExpression) return;
        const name = calleeName(init);
        if (name === undefined || !memoizers.has(name)) return;
        const memoOptions = init.arguments[1] === undefined ? undefined : unwrap(init.arguments[1]);
        if (memoOptions?.type === AST_NODE_TYPES.ObjectExpression && memoOptions.properties.some(
          (p) => p.type === AST_NODE_TYPES.SpreadElement || (p.type === AST_NODE_TYPES.Property && p.key.type === AST_NODE_TYPES.Identifier && boundingOptions.has(p.key.name)),
        )) return;
        if (memoOptions !== undefined && memoOptions.type !== AST_NODE_TYPES.ObjectExpression) return; // a resolver or options built elsewhere
        const variable = model.resolve(node.id);
        // Reported only when some per-request call passes request data: a memo over config or constants is fine.
        const calledWithRequestData = (variable?.references ?? []).some((reference) => {
          const call = reference.identifier.parent;
          return call?.type === AST_NODE_TYPES.CallExpression && call.callee === reference.identifier
            && model.isPerRequest(call) && call.arguments.some((a) => model.isRequestDerived(a));
        });
        if (calledWithRequestData) context.report({ node: init, messageId: 'unboundedMemoize', data: { name: node.id.name } });
      },
    };
  },
});
