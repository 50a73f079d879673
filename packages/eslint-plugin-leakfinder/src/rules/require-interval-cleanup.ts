import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { enclosingFunction } from '../util/ast.js';
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
    // Where the interval runs, and the name that code is called by (a class or a factory function).
    const whereOf = (node: TSESTree.Node): { where: string; owner: TSESTree.Identifier | null; ownerNode: TSESTree.Node } | undefined => {
      for (let current = node.parent; current != null; current = current.parent) {
        if (current.type === AST_NODE_TYPES.MethodDefinition || current.type === AST_NODE_TYPES.PropertyDefinition) {
          const cls = current.parent.parent;
          const owner = (cls.type === AST_NODE_TYPES.ClassDeclaration || cls.type === AST_NODE_TYPES.ClassExpression) ? cls.id : null;
          const where = current.type === AST_NODE_TYPES.MethodDefinition && current.kind === 'constructor' ? 'constructor' : 'method';
          return { where, owner, ownerNode: cls };
        }
        if (current.type === AST_NODE_TYPES.FunctionDeclaration && current.id !== null && factory.test(current.id.name)) {
          return { where: 'factory', owner: current.id, ownerNode: current };
        }
        if (
          (current.type === AST_NODE_TYPES.ArrowFunctionExpression || current.type === AST_NODE_TYPES.FunctionExpression) &&
          current.parent.type === AST_NODE_TYPES.VariableDeclarator &&
          current.parent.id.type === AST_NODE_TYPES.Identifier &&
          factory.test(current.parent.id.name)
        ) return { where: 'factory', owner: current.parent.id, ownerNode: current.parent };
      }
      return undefined;
    };
    // A class or factory that is not exported and is only called from the module's top level runs once per
    // process (`app.use(createRateLimiter(100))`), so its interval is a singleton, not a leak.
    const runsOnce = (owner: TSESTree.Identifier | null, ownerNode: TSESTree.Node): boolean => {
      if (owner === null) return false;
      for (let p: TSESTree.Node | undefined = ownerNode; p != null; p = p.parent) {
        if (p.type === AST_NODE_TYPES.ExportNamedDeclaration || p.type === AST_NODE_TYPES.ExportDefaultDeclaration) return false;
      }
      const text = context.sourceCode.text;
      const name = owner.name.replace(/[$]/g, '\\$&');
      if (new RegExp(`(?:module\\.)?exports(?:\\.\\w+)?\\s*=[^;]*\\b${name}\\b|exports\\.${name}\\b|export\\s*\\{[^}]*\\b${name}\\b`).test(text)) return false;
      const variable = model.resolve(owner);
      const references = (variable?.references ?? []).filter((r) => r.identifier !== owner);
      if (references.length === 0) return false;
      return references.every((r) => {
        const parent = r.identifier.parent;
        const isCall = (parent?.type === AST_NODE_TYPES.CallExpression || parent?.type === AST_NODE_TYPES.NewExpression) && parent.callee === r.identifier;
        return isCall && enclosingFunction(r.identifier as TSESTree.Node) === null;
      });
    };
    return {
      CallExpression(node: TSESTree.CallExpression) {
        // Per-request intervals are no-interval-per-request's; report each interval once.
        if (!isSetIntervalCall(node) || model.isPerRequest(node)) return;
        const found = whereOf(node);
        if (found === undefined || runsOnce(found.owner, found.ownerNode)) return;
        const fate = intervalHandleFate(context.sourceCode, node);
        if (fate === 'discarded' || fate === 'kept') {
          context.report({ node, messageId: 'intervalNeverCleared', data: { where: found.where } });
        }
      },
    };
  },
});
