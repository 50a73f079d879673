import type { TSESTree } from '@typescript-eslint/utils';
import { createRule } from '../util/create-rule.js';
import { intervalHandleFate, isSetIntervalCall } from '../util/interval-handle.js';
import { getServerModel } from '../util/server-model.js';

export type Options = [];
export type MessageIds = 'intervalPerRequest';

/** `setInterval` started by a request or connection handler and never cleared. */
export default createRule<Options, MessageIds>({
  name: 'no-interval-per-request',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow intervals started per request or connection that are never cleared',
      recommended: true,
    },
    messages: {
      intervalPerRequest:
        'This interval starts on every request or connection and is never cleared, so it runs forever and keeps its '
        + 'closure (often `req`/`res` or the socket) alive: keep the handle and `clearInterval` it when the request or '
        + 'connection closes.',
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const model = getServerModel(context);
    return {
      CallExpression(node: TSESTree.CallExpression) {
        if (!isSetIntervalCall(node) || !model.isPerRequest(node)) return;
        const fate = intervalHandleFate(context.sourceCode, node);
        if (fate === 'discarded' || fate === 'kept') context.report({ node, messageId: 'intervalPerRequest' });
      },
    };
  },
});
