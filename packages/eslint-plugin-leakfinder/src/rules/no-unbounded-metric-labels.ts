import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { calleeName, propertyName, unwrap } from '../util/ast.js';
import { createRule } from '../util/create-rule.js';
import { getServerModel } from '../util/server-model.js';

export type Options = [{ boundedFields?: string[] }];
export type MessageIds = 'unboundedLabel';

// prom-client methods that take label values: positional (`labels`) or as an object (the others).
const labelObjectMethods = new Set(['inc', 'dec', 'set', 'observe', 'startTimer', 'labels', 'remove']);
// Request fields with a small set of values: the route *template*, the method, the status, the protocol.
const defaultBoundedFields = ['method', 'statusCode', 'status', 'route', '_matchedRoute', 'routerPath', 'routeOptions',
  'routePath', 'routeConfig', 'protocol', 'httpVersion', 'secure', 'xhr'];

/** Metric labels (prom-client and look-alikes) whose values come from unbounded request data. */
export default createRule<Options, MessageIds>({
  name: 'no-unbounded-metric-labels',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow metric labels whose values come from unbounded request data (URL, ids, headers)',
      recommended: true,
    },
    messages: {
      unboundedLabel:
        'The metric label value `{{value}}` comes from request data, and the metrics registry keeps one time series per '
        + 'distinct label set for the life of the process, so every new URL, id or user adds memory: label with the '
        + 'route template (`req.route.path`), the method and the status code instead.',
    },
    schema: [
      {
        type: 'object',
        properties: {
          boundedFields: {
            type: 'array',
            items: { type: 'string' },
            description: 'More request field names whose values form a small fixed set (e.g. `tenantTier`).',
          },
        },
        additionalProperties: false,
      },
    ],
  },
  defaultOptions: [{ boundedFields: [] }],
  create(context, [options]) {
    const model = getServerModel(context);
    const sourceCode = context.sourceCode;
    const bounded = new Set([...defaultBoundedFields, ...(options.boundedFields ?? [])]);

    // The first label value that is request data from an unbounded field, if any.
    const unboundedValue = (value: TSESTree.Node): TSESTree.Node | undefined => {
      const v = unwrap(value);
      switch (v.type) {
        case AST_NODE_TYPES.Literal:
          return undefined;
        case AST_NODE_TYPES.LogicalExpression:
          return unboundedValue(v.left) ?? unboundedValue(v.right);
        case AST_NODE_TYPES.ConditionalExpression:
          return unboundedValue(v.consequent) ?? unboundedValue(v.alternate);
        case AST_NODE_TYPES.TemplateLiteral:
          for (const e of v.expressions) {
            const found = unboundedValue(e);
            if (found !== undefined) return found;
          }
          return undefined;
        case AST_NODE_TYPES.CallExpression:
          // String(x), x.toString(), x.toLowerCase(): same cardinality as x.
          if (v.callee.type === AST_NODE_TYPES.Identifier && v.arguments[0] !== undefined) return unboundedValue(v.arguments[0]);
          if (v.callee.type === AST_NODE_TYPES.MemberExpression) return unboundedValue(v.callee.object);
          return undefined;
        case AST_NODE_TYPES.MemberExpression:
          for (let m: TSESTree.Node = v; m.type === AST_NODE_TYPES.MemberExpression; m = unwrap(m.object)) {
            if (bounded.has(propertyName(m) ?? '')) return undefined;
          }
          return model.isRequestDerived(v) ? v : undefined;
        default:
          return model.isRequestDerived(v) ? v : undefined;
      }
    };

    const check = (node: TSESTree.CallExpression, values: readonly TSESTree.Node[]): void => {
      for (const value of values) {
        const found = unboundedValue(value);
        if (found === undefined) continue;
        context.report({ node, messageId: 'unboundedLabel', data: { value: sourceCode.getText(found) } });
        return;
      }
    };
    const objectValues = (arg: TSESTree.Node | undefined): TSESTree.Node[] => {
      const a = arg === undefined ? undefined : unwrap(arg);
      if (a?.type !== AST_NODE_TYPES.ObjectExpression) return [];
      return a.properties.filter((p): p is TSESTree.Property => p.type === AST_NODE_TYPES.Property).map((p) => p.value);
    };

    return {
      CallExpression(node: TSESTree.CallExpression) {
        const callee = unwrap(node.callee);
        if (callee.type === AST_NODE_TYPES.Identifier) {
          // `const end = histogram.startTimer(); … end({ route: … })`
          if (!model.isPerRequest(node)) return;
          const def = model.resolve(callee)?.defs[0];
          const init = def?.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.init !== null ? unwrap(def.node.init) : undefined;
          if (init?.type !== AST_NODE_TYPES.CallExpression || calleeName(init) !== 'startTimer') return;
          check(node, objectValues(node.arguments[0]));
          return;
        }
        if (callee.type !== AST_NODE_TYPES.MemberExpression) return;
        const name = propertyName(callee);
        if (name === undefined || !labelObjectMethods.has(name)) return;
        if (!model.isPerRequest(node) || model.isRequestObject(callee.object) || !model.isLongLived(callee.object)) return;
        const first = node.arguments[0];
        if (name === 'labels' && first !== undefined && unwrap(first).type !== AST_NODE_TYPES.ObjectExpression) {
          check(node, node.arguments);
        } else {
          check(node, objectValues(first));
        }
      },
    };
  },
});
