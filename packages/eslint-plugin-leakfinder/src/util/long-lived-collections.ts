import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { calleeName, enclosingFunction, type FunctionNode, isConstantKey, parentOf, propertyName, unwrap } from './ast.js';
import { getServerModel, type VisitorKeys, walk } from './server-model.js';

/** What kind of container a collection is; WeakMap/WeakSet are never collected here (they cannot leak keys). */
export type CollectionKind = 'map' | 'set' | 'array' | 'object';

/** One use of a long-lived collection, classified by what it does to the collection's size. */
export interface CollectionUse {
  /** `write` may add an entry, `remove` takes entries out or bounds the size, `read` looks one up. */
  readonly kind: 'write' | 'remove' | 'read';
  /** The whole operation: the `set(…)` call, the `x[k] = v` assignment, … (where a rule reports). */
  readonly node: TSESTree.Node;
  /** The key written or read (`set(k, v)`, `x[k]`, `add(v)`), if any. */
  readonly key?: TSESTree.Node;
  /** The values written (`push(a, b)` has two). */
  readonly values: readonly TSESTree.Node[];
  /** True when the write targets a fixed slot (`stats.set('last', …)`, `arr[i] = …` on an array). */
  readonly fixedSlot: boolean;
  /** The function the use is in, or null at module level. */
  readonly fn: FunctionNode | null;
}

/** A Map/Set/array/object that lives as long as the process: declared at module level or a field of a singleton class. */
export interface LongLivedCollection {
  /** How the code names it: `cache` or `this.cache`. */
  readonly name: string;
  readonly kind: CollectionKind;
  /** For class fields: the class; its constructor and lifecycle hooks run once, not per request. */
  readonly fieldOf?: TSESTree.ClassDeclaration | TSESTree.ClassExpression;
  /**
   * For fields of a plain class with one module-level instance: the methods called on that instance from
   * per-request code (a write in another method, e.g. one only called at startup, is not per request).
   */
  readonly perRequestMethods?: ReadonlySet<string>;
  readonly uses: readonly CollectionUse[];
}

const removingMethods = new Set(['delete', 'clear', 'shift', 'pop', 'splice']);
const addingMethods = new Set(['set', 'add', 'push', 'unshift']);
const readingMethods = new Set(['get', 'has']);
const relational = new Set(['<', '<=', '>', '>=']);
const onceMethods = new Set(['constructor', 'onModuleInit', 'onApplicationBootstrap', 'onModuleDestroy', 'onApplicationShutdown', 'beforeApplicationShutdown']);

const cache = new WeakMap<TSESTree.Program, LongLivedCollection[]>();

/** Every long-lived collection of the file with its classified uses; computed once per file. */
export function getLongLivedCollections(
  context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>,
): readonly LongLivedCollection[] {
  const ast = context.sourceCode.ast;
  let found = cache.get(ast);
  if (found === undefined) {
    found = findCollections(context);
    cache.set(ast, found);
  }
  return found;
}

/** The kind of collection an initialiser creates: `new Map()`, `[]`, `{}`, `Object.create(null)`, … */
export function collectionKindOf(init: TSESTree.Node | null): CollectionKind | undefined {
  if (init === null) return undefined;
  const n = unwrap(init);
  if (n.type === AST_NODE_TYPES.ArrayExpression) return 'array';
  if (n.type === AST_NODE_TYPES.ObjectExpression) return 'object';
  if (n.type === AST_NODE_TYPES.NewExpression && n.callee.type === AST_NODE_TYPES.Identifier) {
    switch (n.callee.name) {
      case 'Map': return 'map';
      case 'Set': return 'set';
      case 'Array': return 'array';
      case 'Object': return 'object';
      default: return undefined;
    }
  }
  if (n.type === AST_NODE_TYPES.CallExpression && calleeName(n) === 'create') {
    const callee = unwrap(n.callee);
    if (callee.type === AST_NODE_TYPES.MemberExpression && unwrap(callee.object).type === AST_NODE_TYPES.Identifier
      && (unwrap(callee.object) as TSESTree.Identifier).name === 'Object') return 'object';
  }
  return undefined;
}

function findCollections(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>): LongLivedCollection[] {
  const model = getServerModel(context);
  const result: LongLivedCollection[] = [];
  const sourceCode = context.sourceCode;
  for (const scope of sourceCode.scopeManager?.scopes ?? []) {
    if (scope.block.type !== AST_NODE_TYPES.Program) continue;
    for (const variable of scope.variables) {
      const def = variable.defs[0];
      if (def?.node.type !== AST_NODE_TYPES.VariableDeclarator || def.node.id.type !== AST_NODE_TYPES.Identifier) continue;
      const kind = collectionKindOf(def.node.init);
      if (kind === undefined) continue;
      const uses: CollectionUse[] = [];
      for (const reference of variable.references) {
        if (reference.init === true) continue;
        const use = classify(reference.identifier as TSESTree.Identifier, kind);
        if (use !== undefined) uses.push(use);
      }
      result.push({ name: variable.name, kind, uses });
    }
  }
  // Fields of NestJS singletons: one instance per application, so a field is as long-lived as a module variable.
  const keys = sourceCode.visitorKeys as VisitorKeys;
  for (const node of model.classes) {
    const instance = model.isSingletonClass(node) ? undefined : model.moduleInstanceOf(node);
    if (!model.isSingletonClass(node) && instance === undefined) continue;
    let perRequestMethods: Set<string> | undefined;
    if (instance !== undefined) {
      perRequestMethods = new Set();
      for (const reference of instance.references) {
        const member = parentOf(reference.identifier);
        const call = member === undefined ? undefined : parentOf(member);
        const name = member === undefined ? undefined : propertyName(member);
        if (name !== undefined && call?.type === AST_NODE_TYPES.CallExpression && model.isPerRequest(call)) perRequestMethods.add(name);
      }
    }
    // Fields declared as class fields or assigned in the constructor (`this.items = []`).
    const fields: { name: string; init: TSESTree.Node | null; initAssignment?: TSESTree.Node }[] = [];
    for (const member of node.body.body) {
      if (member.type === AST_NODE_TYPES.PropertyDefinition && member.key.type === AST_NODE_TYPES.Identifier) {
        fields.push({ name: member.key.name, init: member.value });
      }
      if (member.type === AST_NODE_TYPES.MethodDefinition && member.kind === 'constructor') {
        for (const statement of member.value.body?.body ?? []) {
          if (statement.type !== AST_NODE_TYPES.ExpressionStatement || statement.expression.type !== AST_NODE_TYPES.AssignmentExpression) continue;
          const left = statement.expression.left;
          if (left.type === AST_NODE_TYPES.MemberExpression && left.object.type === AST_NODE_TYPES.ThisExpression && !left.computed
            && left.property.type === AST_NODE_TYPES.Identifier) {
            fields.push({ name: left.property.name, init: statement.expression.right, initAssignment: statement.expression });
          }
        }
      }
    }
    for (const field of fields) {
      const kind = collectionKindOf(field.init);
      if (kind === undefined) continue;
      const fieldName = field.name;
      const uses: CollectionUse[] = [];
      walk(node.body, (inner) => {
        if (inner.type !== AST_NODE_TYPES.MemberExpression || propertyName(inner) !== fieldName) return;
        if (unwrap(inner.object).type !== AST_NODE_TYPES.ThisExpression) return;
        const use = classify(inner, kind);
        // The constructor's `this.items = []` creates the collection; it does not empty it.
        if (use !== undefined && use.node !== field.initAssignment) uses.push(use);
      }, keys);
      result.push({ name: `this.${fieldName}`, kind, fieldOf: node, uses, ...(perRequestMethods === undefined ? {} : { perRequestMethods }) });
    }
  }
  return result;
}

function classify(ref: TSESTree.Node, kind: CollectionKind): CollectionUse | undefined {
  const fn = enclosingFunction(ref);
  const parent = parentOf(ref);
  if (parent === undefined) return undefined;
  // `cache = new Map()` / `list = list.filter(…)`: the whole collection is replaced, old entries can go.
  if (parent.type === AST_NODE_TYPES.AssignmentExpression && unwrap(parent.left) === ref) {
    return { kind: 'remove', node: parent, values: [], fixedSlot: false, fn };
  }
  if (parent.type !== AST_NODE_TYPES.MemberExpression || unwrap(parent.object) !== ref) return undefined;
  const member = parent;
  const outer = parentOf(member);
  const name = propertyName(member);
  if (!member.computed && name !== undefined) {
    if (outer?.type === AST_NODE_TYPES.CallExpression && unwrap(outer.callee) === member) {
      const args = outer.arguments;
      if (removingMethods.has(name)) return { kind: 'remove', node: outer, values: [], fixedSlot: false, fn };
      if (addingMethods.has(name) && (kind === 'map' || kind === 'set' || kind === 'array')) {
        if (name === 'set') {
          const key = args[0];
          return { kind: 'write', node: outer, key, values: args.slice(0, 2), fixedSlot: key !== undefined && (isConstantKey(key) || isBoundedRequestField(key)), fn };
        }
        if (name === 'add') {
          const key = args[0];
          return { kind: 'write', node: outer, key, values: args.slice(0, 1), fixedSlot: key !== undefined && isConstantKey(key), fn };
        }
        return { kind: 'write', node: outer, values: args, fixedSlot: false, fn };
      }
      if (readingMethods.has(name)) return { kind: 'read', node: outer, key: args[0], values: [], fixedSlot: false, fn };
      return undefined;
    }
    if (name === 'size' || name === 'length') {
      // `if (cache.size >= max) …` bounds the collection; `list.length = 0` empties it.
      if (outer?.type === AST_NODE_TYPES.BinaryExpression && relational.has(outer.operator)) {
        return { kind: 'remove', node: outer, values: [], fixedSlot: false, fn };
      }
      if (outer?.type === AST_NODE_TYPES.AssignmentExpression && unwrap(outer.left) === member) {
        return { kind: 'remove', node: outer, values: [], fixedSlot: false, fn };
      }
    }
    if (kind === 'object' && outer?.type === AST_NODE_TYPES.UnaryExpression && outer.operator === 'delete') {
      return { kind: 'remove', node: outer, values: [], fixedSlot: false, fn };
    }
    return undefined;
  }
  // Computed access `x[k]`.
  const key = member.property;
  if (outer?.type === AST_NODE_TYPES.UnaryExpression && outer.operator === 'delete') {
    return { kind: 'remove', node: outer, values: [], fixedSlot: false, fn };
  }
  const isAssigned = outer?.type === AST_NODE_TYPES.AssignmentExpression && unwrap(outer.left) === member;
  const isUpdated = outer?.type === AST_NODE_TYPES.UpdateExpression;
  if (isAssigned || isUpdated) {
    // An index write on an array replaces a slot (arrays grow by push); on an object a new key adds an entry.
    const fixedSlot = kind !== 'object' || isConstantKey(key) || isBoundedRequestField(key);
    const values = isAssigned ? [(outer as TSESTree.AssignmentExpression).right] : [];
    return { kind: 'write', node: outer!, key, values, fixedSlot, fn };
  }
  return { kind: 'read', node: member, key, values: [], fixedSlot: false, fn };
}

/** True when the collection has a delete/clear/shift/splice, a size check, or is replaced somewhere in the file. */
export function hasRemoval(collection: LongLivedCollection): boolean {
  return collection.uses.some((u) => u.kind === 'remove');
}

/**
 * True when a write happens on every request: inside per-request code or, for fields of a singleton class,
 * in any method other than the constructor and lifecycle hooks (services are called from handlers).
 */
export function isPerRequestWrite(
  context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>,
  collection: LongLivedCollection,
  use: CollectionUse,
): boolean {
  if (getServerModel(context).isPerRequest(use.node)) return true;
  if (collection.fieldOf === undefined || use.fn === null) return false;
  const method = use.fn.parent;
  if (collection.perRequestMethods !== undefined) {
    return method?.type === AST_NODE_TYPES.MethodDefinition && method.key.type === AST_NODE_TYPES.Identifier
      && collection.perRequestMethods.has(method.key.name);
  }
  if (method?.type !== AST_NODE_TYPES.MethodDefinition) return true;
  return !(method.key.type === AST_NODE_TYPES.Identifier && onceMethods.has(method.key.name));
}

/**
 * True when the write is the "store" half of a read-through cache: the same function looks the same key up
 * (`has(k)`, `get(k)`, `x[k]`), and the stored value is not computed from the collection itself (a counter is not a memo).
 */
export function isMemoWrite(
  sourceCode: Readonly<TSESLint.SourceCode>,
  collection: LongLivedCollection,
  write: CollectionUse,
): boolean {
  if (write.key === undefined || write.kind !== 'write') return false;
  const keyText = sourceCode.getText(write.key);
  const looksUp = collection.uses.some(
    (u) => u.kind === 'read' && u.fn === write.fn && u.key !== undefined && sourceCode.getText(u.key) === keyText,
  );
  if (!looksUp) return false;
  const pattern = new RegExp(`(?:^|[^\\w$.])${collection.name.replace(/[.$]/g, '\\$&')}\\s*(?:[.[?]|$)`);
  for (const value of write.values.slice(-1)) {
    if (pattern.test(expandedText(sourceCode, value, collection))) return false;
  }
  return true;
}

// A request field with a small fixed set of values (HTTP method, status code, protocol): a key from it is bounded.
const boundedRequestFields = new Set(['method', 'statusCode', 'status', 'protocol', 'httpVersion', 'secure', 'xhr', 'httpVersionMajor']);

/** True for keys like `req.method` or `res.statusCode`, which take only a handful of values. */
export function isBoundedRequestField(key: TSESTree.Node): boolean {
  const k = unwrap(key);
  return k.type === AST_NODE_TYPES.MemberExpression && boundedRequestFields.has(propertyName(k) ?? '');
}

// The text of an expression with its identifiers' initialisers appended (one level), so
// `const n = (hits.get(ip) ?? 0) + 1; hits.set(ip, n)` shows that `n` is computed from `hits`.
function expandedText(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.Node, collection: LongLivedCollection): string {
  let text = sourceCode.getText(node);
  const n = unwrap(node);
  if (n.type === AST_NODE_TYPES.Identifier) {
    const scope = sourceCode.getScope(n);
    for (let s: typeof scope | null = scope; s !== null; s = s.upper) {
      const variable = s.set.get(n.name);
      if (variable === undefined) continue;
      const def = variable.defs[0];
      if (def?.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.init !== null) {
        // `let user = cache.get(id); if (!user) { user = load(id); cache.set(id, user) }`: a variable that starts as
        // the looked-up entry is the cached value itself, not a value computed from the collection.
        const init = unwrap(def.node.init);
        const isPlainLookup = collection.uses.some((u) => u.kind === 'read' && (u.node === init || unwrap(u.node) === init));
        if (!isPlainLookup) text += ` ${sourceCode.getText(def.node.init)}`;
      }
      break;
    }
  }
  return text;
}
