import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';

/** Any function node: the unit the rules reason about ("runs once per request"). */
export type FunctionNode =
  | TSESTree.ArrowFunctionExpression
  | TSESTree.FunctionDeclaration
  | TSESTree.FunctionExpression;

/** True for arrow functions, function declarations and function expressions. */
export function isFunction(node: TSESTree.Node | null | undefined): node is FunctionNode {
  return (
    node?.type === AST_NODE_TYPES.ArrowFunctionExpression ||
    node?.type === AST_NODE_TYPES.FunctionDeclaration ||
    node?.type === AST_NODE_TYPES.FunctionExpression
  );
}

/** Strips TypeScript-only wrappers (`x!`, `x as T`, `x satisfies T`, `<T>x`) and optional chains. */
export function unwrap(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  for (;;) {
    switch (current.type) {
      case AST_NODE_TYPES.TSNonNullExpression:
      case AST_NODE_TYPES.TSAsExpression:
      case AST_NODE_TYPES.TSSatisfiesExpression:
      case AST_NODE_TYPES.TSTypeAssertion:
        current = current.expression;
        break;
      case AST_NODE_TYPES.ChainExpression:
        current = current.expression;
        break;
      default:
        return current;
    }
  }
}

/** The property name of `a.b` or `a['b']`, or undefined when it is computed from a variable. */
export function propertyName(node: TSESTree.Node): string | undefined {
  if (node.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  if (!node.computed && node.property.type === AST_NODE_TYPES.Identifier) return node.property.name;
  if (node.computed && node.property.type === AST_NODE_TYPES.Literal && typeof node.property.value === 'string') {
    return node.property.value;
  }
  return undefined;
}

/** The name a call is made by: `f()` → `f`, `a.b.f()` → `f`, `new a.F()` → `F`. */
export function calleeName(node: TSESTree.CallExpression | TSESTree.NewExpression): string | undefined {
  const callee = unwrap(node.callee);
  if (callee.type === AST_NODE_TYPES.Identifier) return callee.name;
  return propertyName(callee);
}

/** The parent, skipping TypeScript wrappers and optional chains (so `a!.b` reads like `a.b`). */
export function parentOf(node: TSESTree.Node): TSESTree.Node | undefined {
  let parent = node.parent;
  while (
    parent != null &&
    (parent.type === AST_NODE_TYPES.TSNonNullExpression ||
      parent.type === AST_NODE_TYPES.TSAsExpression ||
      parent.type === AST_NODE_TYPES.TSSatisfiesExpression ||
      parent.type === AST_NODE_TYPES.ChainExpression)
  ) {
    parent = parent.parent;
  }
  return parent;
}

/** True for a string, number or template literal without expressions: a key that names a fixed slot. */
export function isConstantKey(node: TSESTree.Node): boolean {
  const n = unwrap(node);
  if (n.type === AST_NODE_TYPES.Literal) return n.value === null || typeof n.value !== 'object';
  return n.type === AST_NODE_TYPES.TemplateLiteral && n.expressions.length === 0;
}

/** The decorator names on a class, method or parameter: `@Injectable()` → `Injectable`. */
export function decoratorNames(node: { decorators?: TSESTree.Decorator[] }): string[] {
  const names: string[] = [];
  for (const decorator of node.decorators ?? []) {
    let expression: TSESTree.Node = decorator.expression;
    if (expression.type === AST_NODE_TYPES.CallExpression) expression = expression.callee;
    if (expression.type === AST_NODE_TYPES.Identifier) names.push(expression.name);
    else if (expression.type === AST_NODE_TYPES.MemberExpression) {
      const name = propertyName(expression);
      if (name !== undefined) names.push(name);
    }
  }
  return names;
}

/** The nearest enclosing function of a node, or null at module level. */
export function enclosingFunction(node: TSESTree.Node): FunctionNode | null {
  for (let current = node.parent; current != null; current = current.parent) {
    if (isFunction(current)) return current;
  }
  return null;
}
