import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { calleeName, parentOf, unwrap } from './ast.js';
import { type VisitorKeys, walk } from './server-model.js';

/** True for `setInterval(…)`, `global.setInterval(…)` and `timers.setInterval(…)`. */
export function isSetIntervalCall(node: TSESTree.CallExpression): boolean {
  return calleeName(node) === 'setInterval' && node.arguments.length > 0;
}

/**
 * How an interval's handle is kept: `discarded` (nothing can stop it), `cleared` (some `clearInterval`/`clearTimeout`
 * in the file is given the same variable or property), `kept` (stored but never cleared) or `passed` (handed to
 * other code, which may clear it).
 */
export function intervalHandleFate(
  sourceCode: Readonly<TSESLint.SourceCode>,
  call: TSESTree.CallExpression,
): 'discarded' | 'cleared' | 'kept' | 'passed' {
  let node: TSESTree.Node = call;
  let parent = parentOf(node);
  // `setInterval(…).unref()` keeps the process from waiting on it but does not stop it.
  while (parent?.type === AST_NODE_TYPES.MemberExpression && parent.parent?.type === AST_NODE_TYPES.CallExpression) {
    node = parent.parent;
    parent = parentOf(node);
  }
  if (parent === undefined || parent.type === AST_NODE_TYPES.ExpressionStatement || parent.type === AST_NODE_TYPES.UnaryExpression) {
    return 'discarded';
  }
  let target: TSESTree.Node | undefined;
  if (parent.type === AST_NODE_TYPES.VariableDeclarator) target = parent.id;
  else if (parent.type === AST_NODE_TYPES.AssignmentExpression) target = parent.left;
  if (target === undefined) return 'passed';
  const handleText = sourceCode.getText(unwrap(target));
  let cleared = false;
  walk(sourceCode.ast, (inner, skip) => {
    if (cleared) return skip();
    if (inner.type !== AST_NODE_TYPES.CallExpression) return undefined;
    const name = calleeName(inner);
    const arg = inner.arguments[0];
    if ((name === 'clearInterval' || name === 'clearTimeout') && arg !== undefined && sourceCode.getText(unwrap(arg)) === handleText) {
      cleared = true;
    }
    // `handle.close()` / `handle[Symbol.dispose]()` also stop a Node timer.
    const callee = unwrap(inner.callee);
    if (name === 'close' && callee.type === AST_NODE_TYPES.MemberExpression && sourceCode.getText(unwrap(callee.object)) === handleText) {
      cleared = true;
    }
    return undefined;
  }, sourceCode.visitorKeys as VisitorKeys);
  return cleared ? 'cleared' : 'kept';
}
