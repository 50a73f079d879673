import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { createRule } from '../util/create-rule.js';
import { intervalHandleFate, isSetIntervalCall } from '../util/interval-handle.js';
import { getServerModel } from '../util/server-model.js';

export type Options = [{ factoryPattern?: string }];
export type MessageIds = 'intervalNeverCleared';

const defaultFactoryPattern = '^(?:create|make|build|new|start)[A-Z]';

/**
 * `setInterval` in code that can run many times (a class's constructor or methods, a factory function) whose handle
 * nothing can clear. Intervals at the top level of a module run once per process and are left alone.
 */
export default createRule<Options, MessageIds>({
  name: 'require-interval-cleanup',
  meta: {
    type: 'problem',
    docs: {
      description: 'Require intervals started in constructors, methods and factories to be clearable',
      recommended: true,
    },
    messages: {
      intervalNeverCleared:
        'This interval starts each time this {{where}} runs and its handle is never cleared, so every instance stays '
        + 'alive and keeps running for the life of the process: store the handle and `clearInterval` it in a '
        + '`close()`/`dispose()` method.',
    },
    schema: [
      {
        type: 'object',
        properties: {
          factoryPattern: {
            type: 'string',
            description: 'Regular expression for the names of functions treated as factories (run many times).',
          },
        },
        additionalProperties: false,
      },
    ],
  },
  defaultOptions: [{ factoryPattern: defaultFactoryPattern }],
  create(context, [options]) {
    const model = getServerModel(context);
    const factory = new RegExp(options.factoryPattern ?? defaultFactoryPattern);
    const whereOf = (node: TSESTree.Node): string | undefined => {
      for (let current = node.parent; current != null; current = current.parent) {
        if (current.type === AST_NODE_TYPES.MethodDefinition) return current.kind === 'constructor' ? 'constructor' : 'method';
        if (current.type === AST_NODE_TYPES.PropertyDefinition) return 'method';
        if (current.type === AST_NODE_TYPES.FunctionDeclaration && current.id !== null && factory.test(current.id.name)) return 'factory';
        if (
          (current.type === AST_NODE_TYPES.ArrowFunctionExpression || current.type === AST_NODE_TYPES.FunctionExpression) &&
          current.parent.type === AST_NODE_TYPES.VariableDeclarator &&
          current.parent.id.type === AST_NODE_TYPES.Identifier &&
          factory.test(current.parent.id.name)
        ) return 'factory';
      }
      return undefined;
    };
    return {
      CallExpression(node: TSESTree.CallExpression) {
        // Per-request intervals are no-interval-per-request's; report each interval once.
        if (!isSetIntervalCall(node) || model.isPerRequest(node)) return;
        const where = whereOf(node);
        if (where === undefined) return;
        const fate = intervalHandleFate(context.sourceCode, node);
        if (fate === 'discarded' || fate === 'kept') context.report({ node, messageId: 'intervalNeverCleared', data: { where } });
      },
    };
  },
});
