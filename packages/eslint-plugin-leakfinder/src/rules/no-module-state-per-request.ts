import { createRule } from '../util/create-rule.js';
import { getLongLivedCollections, hasRemoval, isMemoWrite, isPerRequestWrite } from '../util/long-lived-collections.js';
import { getServerModel } from '../util/server-model.js';

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
    return {
      'Program:exit'() {
        const model = getServerModel(context);
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
