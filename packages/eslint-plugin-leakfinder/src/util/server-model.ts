import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import {
  calleeName,
  decoratorNames,
  type FunctionNode,
  isFunction,
  propertyName,
  unwrap,
} from './ast.js';

type Variable = TSESLint.Scope.Variable;
type ClassNode = TSESTree.ClassDeclaration | TSESTree.ClassExpression;

/**
 * What one file says about request handling, computed once per file and shared by every rule:
 * which functions run per request, which variables hold a request/response/context object, and which
 * values come from request data.
 */
export interface ServerModel {
  /** True when the node is inside a handler, a function nested in one, or a same-file helper a handler calls. */
  isPerRequest(node: TSESTree.Node): boolean;
  /** The route path a handler was registered for (`app.get('/health', fn)` → `/health`), if literal. */
  routeOf(fn: FunctionNode): string | undefined;
  /** Every function recognised as a request handler (not the helpers it calls). */
  readonly handlers: ReadonlySet<FunctionNode>;
  /** `req`, `res`, `ctx`, `reply`, … itself (or `ctx.req`, `reply.raw`, …): an object that lives as long as one request. */
  isRequestObject(node: TSESTree.Node): boolean;
  /** The value is, contains or closes over a request object (`{ ctx }`, `[req]`, `() => res.end()`). */
  holdsRequestObject(node: TSESTree.Node): boolean;
  /** The value is computed from request data (`req.params.id`, a variable set from it, a tainted helper parameter). */
  isRequestDerived(node: TSESTree.Node): boolean;
  /** The variable an identifier declares or refers to, if the scope manager knows it. */
  resolve(identifier: TSESTree.Identifier): Variable | undefined;
  /** True for variables declared at the top level of the file (module scope, or a CommonJS wrapper). */
  isModuleLevel(variable: Variable): boolean;
  /** An object that outlives a request: `process`, a module-level binding or a member of one, `this.x` of a singleton. */
  isLongLived(node: TSESTree.Node): boolean;
  /** True for an expression reached through the application object of a request: `req.app.locals.x`, `ctx.app`. */
  isAppScoped(node: TSESTree.Node): boolean;
  /** True for classes NestJS creates once per application (`@Injectable()`/`@Controller()` without request scope). */
  isSingletonClass(cls: ClassNode): boolean;
  /** The module-level variable holding the one instance of a class (`const store = new Store()`), if that is all. */
  moduleInstanceOf(cls: ClassNode): Variable | undefined;
  /** The class whose method (or field initialiser) contains the node, if any. */
  enclosingClass(node: TSESTree.Node): ClassNode | undefined;
  /** Every class in the file. */
  readonly classes: readonly ClassNode[];
}

const httpMethods = new Set(['get', 'post', 'put', 'delete', 'del', 'patch', 'options', 'head', 'all']);
// fastify hooks that run once per request; onReady/onClose/onRoute/onRegister run once per process.
const perRequestHooks = new Set([
  'onRequest', 'preParsing', 'preValidation', 'preHandler', 'preSerialization', 'onSend', 'onResponse',
  'onError', 'onTimeout', 'onRequestAbort',
]);
const routeOptionHandlers = new Set([...perRequestHooks, 'handler', 'errorHandler']);
// Events whose listener runs once per request or connection (node:http, http2, net, ws, socket.io).
const perRequestEvents = new Set(['request', 'upgrade', 'connection', 'stream', 'checkContinue', 'checkExpectation']);
const nestRouteDecorators = new Set([
  'Get', 'Post', 'Put', 'Delete', 'Patch', 'All', 'Head', 'Options', 'Sse', 'Search',
  'MessagePattern', 'EventPattern', 'SubscribeMessage',
]);
const nestRequestObjectDecorators = new Set(['Req', 'Request', 'Res', 'Response', 'Next', 'ConnectedSocket']);
const nestRequestDataDecorators = new Set(['Param', 'Query', 'Body', 'Headers', 'Ip', 'HostParam', 'Session', 'MessageBody', 'Payload']);
const routerishReceiver = /(?:^|[^a-z])(?:app|router|routes?|server|api|fastify|instance|r)$/i;
const notRequestParam = /^_?(?:next|done|cb|callback|err|error|e)$/;
const requestParamName = /^_?(?:req|request|res|response|reply|ctx|context|h)$/;
// Members of a request object that are themselves per-request objects (koa, fastify, node:http).
const requestObjectMembers = new Set(['req', 'res', 'request', 'response', 'raw', 'socket', 'connection']);

const cache = new WeakMap<TSESTree.Program, ServerModel>();

/** The {@link ServerModel} of the file being linted, computed on first use and cached for the other rules. */
export function getServerModel(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>): ServerModel {
  const ast = context.sourceCode.ast;
  let model = cache.get(ast);
  if (model === undefined) {
    model = buildServerModel(context.sourceCode);
    cache.set(ast, model);
  }
  return model;
}

function isPathLike(node: TSESTree.Node | undefined): boolean {
  if (node === undefined) return false;
  const n = unwrap(node);
  return (
    (n.type === AST_NODE_TYPES.Literal && (typeof n.value === 'string' || n.value instanceof RegExp || 'regex' in n)) ||
    n.type === AST_NODE_TYPES.TemplateLiteral ||
    n.type === AST_NODE_TYPES.ArrayExpression
  );
}

function literalString(node: TSESTree.Node | undefined): string | undefined {
  if (node === undefined) return undefined;
  const n = unwrap(node);
  if (n.type === AST_NODE_TYPES.Literal && typeof n.value === 'string') return n.value;
  if (n.type === AST_NODE_TYPES.TemplateLiteral && n.expressions.length === 0) return n.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

function buildServerModel(sourceCode: Readonly<TSESLint.SourceCode>): ServerModel {
  const keys = sourceCode.visitorKeys as VisitorKeys;
  const variableOf = new Map<TSESTree.Identifier, Variable>();
  for (const scope of sourceCode.scopeManager?.scopes ?? []) {
    for (const variable of scope.variables) {
      // First scope wins: a class declaration also binds its name inside the class scope, and the outer binding
      // is the one its `new` calls refer to.
      for (const def of variable.defs) if (!variableOf.has(def.name as TSESTree.Identifier)) variableOf.set(def.name as TSESTree.Identifier, variable);
    }
    for (const reference of scope.references) {
      if (reference.resolved !== null) variableOf.set(reference.identifier as TSESTree.Identifier, reference.resolved);
    }
  }
  const resolve = (identifier: TSESTree.Identifier): Variable | undefined => variableOf.get(identifier);
  const isModuleLevel = (variable: Variable): boolean => variable.scope.block.type === AST_NODE_TYPES.Program;

  const handlers = new Set<FunctionNode>();
  const routes = new Map<FunctionNode, string>();
  const requestVars = new Set<Variable>();
  const requestDataVars = new Set<Variable>();
  const calls: TSESTree.CallExpression[] = [];
  const functions: FunctionNode[] = [];
  const classes: ClassNode[] = [];

  // The function a handler argument stands for: a literal function, or a same-file function named by an identifier.
  const functionFor = (node: TSESTree.Node): FunctionNode | undefined => {
    const n = unwrap(node);
    if (isFunction(n)) return n;
    if (n.type !== AST_NODE_TYPES.Identifier) return undefined;
    const def = resolve(n)?.defs[0];
    if (def === undefined) return undefined;
    if (def.node.type === AST_NODE_TYPES.FunctionDeclaration) return def.node;
    if (def.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.init !== null) {
      const init = unwrap(def.node.init);
      if (isFunction(init)) return init;
    }
    return undefined;
  };

  const addParams = (fn: FunctionNode, allParamsAreRequest: boolean): void => {
    for (const param of fn.params) {
      const target = param.type === AST_NODE_TYPES.AssignmentPattern ? param.left : param;
      if (target.type === AST_NODE_TYPES.Identifier) {
        const variable = resolve(target);
        if (variable === undefined || notRequestParam.test(target.name)) continue;
        if (allParamsAreRequest || requestParamName.test(target.name)) requestVars.add(variable);
        else requestDataVars.add(variable);
      } else if (target.type === AST_NODE_TYPES.ObjectPattern || target.type === AST_NODE_TYPES.ArrayPattern) {
        // `({ body }, res) => …`: the destructured names are request data, not the request itself.
        for (const variable of declaredIn(target)) requestDataVars.add(variable);
      }
    }
  };
  const declaredIn = (pattern: TSESTree.Node): Variable[] => {
    const found: Variable[] = [];
    walk(pattern, (node) => {
      if (node.type === AST_NODE_TYPES.Identifier) {
        const variable = resolve(node);
        if (variable?.defs.some((d) => d.name === node) === true) found.push(variable);
      }
    }, keys);
    return found;
  };

  const markHandler = (node: TSESTree.Node, route: string | undefined, allParamsAreRequest: boolean): void => {
    const fn = functionFor(node);
    if (fn === undefined || handlers.has(fn)) return;
    handlers.add(fn);
    if (route !== undefined) routes.set(fn, route);
    addParams(fn, allParamsAreRequest);
  };

  const onCall = (call: TSESTree.CallExpression): void => {
    calls.push(call);
    const callee = unwrap(call.callee);
    const name = calleeName(call);
    if (name === undefined) return;
    const args = call.arguments;
    if (callee.type === AST_NODE_TYPES.Identifier) {
      if (name === 'createServer' || name === 'createSecureServer') for (const a of args) markHandler(a, undefined, true);
      return;
    }
    if (callee.type !== AST_NODE_TYPES.MemberExpression) return;
    const receiver = unwrap(callee.object);
    const receiverText = receiver.type === AST_NODE_TYPES.Identifier ? receiver.name : propertyName(receiver) ?? '';
    if (name === 'createServer' || name === 'createSecureServer') {
      for (const a of args) markHandler(a, undefined, true);
    } else if (httpMethods.has(name)) {
      const chainedRoute = receiver.type === AST_NODE_TYPES.CallExpression && calleeName(receiver) === 'route';
      const first = args[0];
      const identifierPath = first?.type === AST_NODE_TYPES.Identifier && routerishReceiver.test(receiverText);
      if (!chainedRoute && !isPathLike(first) && !identifierPath) return;
      const route = chainedRoute && receiver.type === AST_NODE_TYPES.CallExpression
        ? literalString(receiver.arguments[0])
        : literalString(first);
      for (const a of args.slice(chainedRoute ? 0 : 1)) {
        const n = unwrap(a);
        if (n.type === AST_NODE_TYPES.ObjectExpression) markRouteOptions(n, route);
        else if (n.type === AST_NODE_TYPES.ArrayExpression) {
          for (const e of n.elements) if (e !== null) markHandler(e, route, false);
        } else markHandler(a, route, false);
      }
    } else if (name === 'use' || name === 'param') {
      const route = literalString(args[0]);
      for (const a of args) markHandler(a, route, false);
    } else if (name === 'addHook') {
      const hook = literalString(args[0]);
      if (hook !== undefined && perRequestHooks.has(hook)) for (const a of args.slice(1)) markHandler(a, undefined, false);
    } else if (name === 'route') {
      for (const a of args) {
        const n = unwrap(a);
        if (n.type === AST_NODE_TYPES.ObjectExpression) markRouteOptions(n, undefined);
      }
    } else if (name === 'on' || name === 'addListener' || name === 'once' || name === 'prependListener') {
      const event = literalString(args[0]);
      const isProcess = receiver.type === AST_NODE_TYPES.Identifier && receiver.name === 'process';
      if (event !== undefined && perRequestEvents.has(event) && !isProcess) {
        for (const a of args.slice(1)) markHandler(a, undefined, true);
      }
    }
  };
  const markRouteOptions = (options: TSESTree.ObjectExpression, route: string | undefined): void => {
    let url = route;
    for (const p of options.properties) {
      if (p.type === AST_NODE_TYPES.Property && p.key.type === AST_NODE_TYPES.Identifier && (p.key.name === 'url' || p.key.name === 'path')) {
        url = literalString(p.value) ?? url;
      }
    }
    for (const p of options.properties) {
      if (p.type !== AST_NODE_TYPES.Property || p.key.type !== AST_NODE_TYPES.Identifier) continue;
      if (!routeOptionHandlers.has(p.key.name)) continue;
      const value = unwrap(p.value);
      if (value.type === AST_NODE_TYPES.ArrayExpression) {
        for (const e of value.elements) if (e !== null) markHandler(e, url, false);
      } else if (p.method || isFunction(value) || value.type === AST_NODE_TYPES.Identifier) {
        markHandler(value, url, false);
      }
    }
  };

  const onMethod = (method: TSESTree.MethodDefinition): void => {
    const names = decoratorNames(method);
    const fn = method.value;
    if (fn.type !== AST_NODE_TYPES.FunctionExpression) return;
    // A NestJS gateway's handleConnection/handleDisconnect run once per WebSocket client.
    const cls = method.parent.parent;
    const isGatewayHook = method.key.type === AST_NODE_TYPES.Identifier
      && (method.key.name === 'handleConnection' || method.key.name === 'handleDisconnect')
      && decoratorNames(cls as { decorators?: TSESTree.Decorator[] }).includes('WebSocketGateway');
    if (isGatewayHook) {
      handlers.add(fn);
      addParams(fn, true);
      return;
    }
    if (!names.some((n) => nestRouteDecorators.has(n))) return;
    handlers.add(fn);
    for (const param of fn.params) {
      const target = param.type === AST_NODE_TYPES.TSParameterProperty ? param.parameter : param;
      const id = target.type === AST_NODE_TYPES.AssignmentPattern ? target.left : target;
      if (id.type !== AST_NODE_TYPES.Identifier) continue;
      const variable = resolve(id);
      if (variable === undefined) continue;
      const paramDecorators = decoratorNames(param as { decorators?: TSESTree.Decorator[] });
      if (paramDecorators.some((n) => nestRequestObjectDecorators.has(n))) requestVars.add(variable);
      else if (paramDecorators.some((n) => nestRequestDataDecorators.has(n))) requestDataVars.add(variable);
    }
  };

  walk(sourceCode.ast, (node) => {
    if (node.type === AST_NODE_TYPES.CallExpression) onCall(node);
    else if (isFunction(node)) functions.push(node);
    else if (node.type === AST_NODE_TYPES.MethodDefinition) onMethod(node);
    else if (node.type === AST_NODE_TYPES.ClassDeclaration || node.type === AST_NODE_TYPES.ClassExpression) classes.push(node);
  }, keys);

  // Functions not registered anywhere in this file but shaped like handlers: `export function list(req, res)`,
  // koa `(ctx, next)`, express error middleware `(err, req, res, next)`.
  for (const fn of functions) {
    if (handlers.has(fn)) continue;
    const names = fn.params.map((p) => (p.type === AST_NODE_TYPES.Identifier ? p.name : ''));
    const [first = '', second = ''] = names;
    const looksLikeHandler =
      /^_?(?:req|request)$/.test(first) ||
      (first === 'ctx' && /^_?next$/.test(second)) ||
      (/^_?err(?:or)?$/.test(first) && /^_?(?:req|request)$/.test(second));
    if (!looksLikeHandler) continue;
    handlers.add(fn);
    addParams(fn, false);
  }

  const perRequest = new Set<FunctionNode>(handlers);
  const isPerRequest = (node: TSESTree.Node): boolean => {
    for (let current: TSESTree.Node | undefined = node; current != null; current = current.parent) {
      if (isFunction(current) && perRequest.has(current)) return true;
    }
    return false;
  };

  const classOf = (node: TSESTree.Node): ClassNode | undefined => {
    for (let current = node.parent; current != null; current = current.parent) {
      if (current.type === AST_NODE_TYPES.ClassDeclaration || current.type === AST_NODE_TYPES.ClassExpression) return current;
    }
    return undefined;
  };
  // The same-file function a call goes to: `helper(…)` or `this.helper(…)` inside a class.
  const calleeFunction = (call: TSESTree.CallExpression): FunctionNode | undefined => {
    const callee = unwrap(call.callee);
    if (callee.type === AST_NODE_TYPES.Identifier) return functionFor(callee);
    if (callee.type === AST_NODE_TYPES.MemberExpression && unwrap(callee.object).type === AST_NODE_TYPES.ThisExpression) {
      const name = propertyName(callee);
      const cls = classOf(call);
      if (name === undefined || cls === undefined) return undefined;
      for (const member of cls.body.body) {
        if (member.type === AST_NODE_TYPES.MethodDefinition && member.key.type === AST_NODE_TYPES.Identifier && member.key.name === name && member.value.type === AST_NODE_TYPES.FunctionExpression) return member.value;
        if (member.type === AST_NODE_TYPES.PropertyDefinition && member.key.type === AST_NODE_TYPES.Identifier && member.key.name === name && member.value !== null && isFunction(member.value)) {
          return member.value;
        }
      }
    }
    return undefined;
  };

  // Helpers called from per-request code run per request too; follow calls until nothing changes.
  const resolvedCalls = calls
    .map((call) => ({ call, target: calleeFunction(call) }))
    .filter((c): c is { call: TSESTree.CallExpression; target: FunctionNode } => c.target !== undefined);
  for (let changed = true; changed; ) {
    changed = false;
    for (const { call, target } of resolvedCalls) {
      if (!perRequest.has(target) && isPerRequest(call)) {
        perRequest.add(target);
        changed = true;
      }
    }
  }

  const isRequestObject = (node: TSESTree.Node): boolean => {
    const n = unwrap(node);
    if (n.type === AST_NODE_TYPES.Identifier) {
      const variable = resolve(n);
      return variable !== undefined && requestVars.has(variable);
    }
    if (n.type === AST_NODE_TYPES.MemberExpression) {
      const name = propertyName(n);
      return name !== undefined && requestObjectMembers.has(name) && isRequestObject(n.object);
    }
    return false;
  };

  const holdsRequestObject = (node: TSESTree.Node): boolean => {
    const n = unwrap(node);
    if (isRequestObject(n)) return true;
    if (n.type === AST_NODE_TYPES.ObjectExpression) {
      return n.properties.some((p) => p.type === AST_NODE_TYPES.Property ? holdsRequestObject(p.value) : holdsRequestObject(p.argument));
    }
    if (n.type === AST_NODE_TYPES.ArrayExpression) return n.elements.some((e) => e !== null && holdsRequestObject(e));
    if (isFunction(n)) {
      // A closure keeps every variable it uses alive, so a stored callback that uses `res` retains `res`.
      let found = false;
      walk(n.body, (inner) => {
        if (!found && inner.type === AST_NODE_TYPES.Identifier && isRequestObject(inner)) found = true;
      }, keys);
      return found;
    }
    return false;
  };

  const derivedVisiting = new Set<Variable>();
  const isRequestDerived = (node: TSESTree.Node): boolean => {
    let found = false;
    walk(node, (inner, skip) => {
      if (found) return skip();
      if (inner.type === AST_NODE_TYPES.ConditionalExpression) {
        // `allowed.includes(x) ? x : 'en'` picks from a fixed set: only the fallback branch can carry request data.
        const guarded = guardedIdentifier(inner.test);
        const consequent = unwrap(inner.consequent);
        if (guarded !== undefined && consequent.type === AST_NODE_TYPES.Identifier && consequent.name === guarded) {
          if (isRequestDerived(inner.alternate)) found = true;
          return skip();
        }
      }
      if (inner.type === AST_NODE_TYPES.MemberExpression && !inner.computed) {
        if (isRequestDerived(inner.object)) found = true;
        return skip();
      }
      if (inner.type === AST_NODE_TYPES.Property && !inner.computed) {
        if (isRequestDerived(inner.value)) found = true;
        return skip();
      }
      if (inner.type !== AST_NODE_TYPES.Identifier) return undefined;
      const variable = resolve(inner);
      if (variable === undefined) return undefined;
      if (requestVars.has(variable) || requestDataVars.has(variable)) {
        found = true;
        return undefined;
      }
      if (derivedVisiting.has(variable)) return undefined;
      const def = variable.defs[0];
      if (def?.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.init !== null && !isModuleLevel(variable)) {
        derivedVisiting.add(variable);
        try {
          if (isRequestDerived(def.node.init)) found = true;
        } finally {
          derivedVisiting.delete(variable);
        }
      }
      return undefined;
    }, keys);
    return found;
  };

  // A parameter of a per-request helper is request data when some per-request call passes request data to it.
  for (let round = 0; round < 3; round++) {
    let changed = false;
    for (const { call, target } of resolvedCalls) {
      if (!isPerRequest(call)) continue;
      call.arguments.forEach((arg, index) => {
        const param = target.params[index];
        if (param?.type !== AST_NODE_TYPES.Identifier) return;
        const variable = resolve(param);
        if (variable === undefined || requestDataVars.has(variable) || requestVars.has(variable)) return;
        if (isRequestObject(arg)) {
          requestVars.add(variable);
          changed = true;
        } else if (isRequestDerived(arg)) {
          requestDataVars.add(variable);
          changed = true;
        }
      });
    }
    if (!changed) break;
  }

  // Where each imported name comes from: `@Injectable` from '@angular/core' is a browser service, not a server singleton.
  const importSource = new Map<string, string>();
  for (const statement of sourceCode.ast.body) {
    if (statement.type !== AST_NODE_TYPES.ImportDeclaration) continue;
    for (const specifier of statement.specifiers) importSource.set(specifier.local.name, statement.source.value);
  }
  const singletonCache = new Map<ClassNode, boolean>();
  const isSingletonClass = (cls: ClassNode): boolean => {
    let result = singletonCache.get(cls);
    if (result === undefined) {
      result = false;
      for (const decorator of cls.decorators ?? []) {
        let expression: TSESTree.Node = decorator.expression;
        const args = expression.type === AST_NODE_TYPES.CallExpression ? expression.arguments : [];
        if (expression.type === AST_NODE_TYPES.CallExpression) expression = expression.callee;
        const name = expression.type === AST_NODE_TYPES.Identifier ? expression.name : undefined;
        if (name !== 'Injectable' && name !== 'Controller' && name !== 'Resolver' && name !== 'WebSocketGateway') continue;
        const source = importSource.get(name);
        if (source !== undefined && !source.startsWith('@nestjs/')) continue;
        // `{ scope: Scope.REQUEST }` or `Scope.TRANSIENT`: NestJS makes a new instance per request or per consumer.
        const scoped = args.some((a) => sourceCode.getText(a).match(/scope\s*:\s*Scope\.(?:REQUEST|TRANSIENT)/) !== null);
        result = !scoped;
      }
      singletonCache.set(cls, result);
    }
    return result;
  };

  // `req.app` (express), `ctx.app` (koa), `request.server` (fastify, hapi): the application, reached from a request.
  const isAppReference = (node: TSESTree.MemberExpression): boolean => {
    const name = propertyName(node);
    return (name === 'app' || name === 'server') && isRequestObject(node.object);
  };

  // `const store = new Store()` at module level, the only `new Store` in the file: one instance per process.
  const instanceCache = new Map<ClassNode, Variable | null>();
  const moduleInstanceOf = (cls: ClassNode): Variable | undefined => {
    let cached = instanceCache.get(cls);
    if (cached === undefined) {
      cached = null;
      const classVariable = cls.id === null ? undefined : resolve(cls.id);
      const creations = (classVariable?.references ?? [])
        .map((r) => r.identifier.parent)
        .filter((p): p is TSESTree.NewExpression => p?.type === AST_NODE_TYPES.NewExpression);
      const only = creations.length === 1 ? creations[0]! : undefined;
      const declarator = only?.parent;
      if (declarator?.type === AST_NODE_TYPES.VariableDeclarator && declarator.id.type === AST_NODE_TYPES.Identifier) {
        const instance = resolve(declarator.id);
        if (instance !== undefined && isModuleLevel(instance)) cached = instance;
      }
      instanceCache.set(cls, cached);
    }
    return cached ?? undefined;
  };

  const isLongLived = (node: TSESTree.Node): boolean => {
    let n = unwrap(node);
    while (n.type === AST_NODE_TYPES.MemberExpression) {
      if (isAppReference(n)) return true;
      n = unwrap(n.object);
    }
    if (n.type === AST_NODE_TYPES.ThisExpression) {
      const cls = classOf(n);
      return cls !== undefined && isSingletonClass(cls);
    }
    if (n.type !== AST_NODE_TYPES.Identifier) return false;
    const variable = resolve(n);
    if (variable === undefined) return n.name === 'process' || n.name === 'globalThis' || n.name === 'global';
    if (variable.defs.length === 0) return n.name === 'process' || n.name === 'globalThis' || n.name === 'global';
    return isModuleLevel(variable);
  };

  return {
    isPerRequest,
    routeOf: (fn) => routes.get(fn),
    handlers,
    isRequestObject,
    holdsRequestObject,
    isRequestDerived,
    resolve,
    isModuleLevel,
    isLongLived,
    isAppScoped: (node) => {
      for (let n = unwrap(node); n.type === AST_NODE_TYPES.MemberExpression; n = unwrap(n.object)) {
        if (isAppReference(n)) return true;
      }
      return false;
    },
    isSingletonClass,
    moduleInstanceOf,
    enclosingClass: classOf,
    classes,
  };
}

// `list.includes(x)`, `set.has(x)`, `x in table`: returns `x` when the test checks it against a fixed collection.
function guardedIdentifier(test: TSESTree.Node): string | undefined {
  const t = unwrap(test);
  if (t.type === AST_NODE_TYPES.CallExpression) {
    const name = calleeName(t);
    const arg = t.arguments[0];
    if ((name === 'includes' || name === 'has') && arg?.type === AST_NODE_TYPES.Identifier) return arg.name;
  }
  if (t.type === AST_NODE_TYPES.BinaryExpression && t.operator === 'in' && t.left.type === AST_NODE_TYPES.Identifier) {
    return t.left.name;
  }
  return undefined;
}

// Type annotations and decorators hold no runtime behaviour the rules look at; skipping them also saves time.
const skipKeys = new Set(['parent', 'loc', 'range', 'tokens', 'comments', 'typeAnnotation', 'returnType', 'typeParameters', 'typeArguments', 'decorators']);

/** The child keys to follow per node type (ESLint's `sourceCode.visitorKeys`, or ours for nodes it does not list). */
export type VisitorKeys = Readonly<Record<string, readonly string[] | undefined>>;

const filteredKeys = new WeakMap<VisitorKeys, Map<string, readonly string[]>>();

function childKeys(node: TSESTree.Node, keys: VisitorKeys | undefined): readonly string[] {
  let byType = keys === undefined ? undefined : filteredKeys.get(keys);
  if (keys !== undefined && byType === undefined) {
    byType = new Map();
    filteredKeys.set(keys, byType);
  }
  const cached = byType?.get(node.type);
  if (cached !== undefined) return cached;
  const listed = keys?.[node.type];
  const result = (listed ?? Object.keys(node)).filter((k) => !skipKeys.has(k));
  if (listed !== undefined) byType?.set(node.type, result);
  return result;
}

/**
 * Visits every node under `root` depth-first with an explicit stack (deep ASTs must not overflow), following
 * `keys` (pass `sourceCode.visitorKeys`: a fixed key list per type is much faster than `Object.keys`).
 * The visitor may call `skip()` to leave a node's children out.
 */
export function walk(
  root: TSESTree.Node,
  visit: (node: TSESTree.Node, skip: () => undefined) => void,
  keys?: VisitorKeys,
): void {
  const stack: TSESTree.Node[] = [root];
  let skipped = false;
  const skip = (): undefined => {
    skipped = true;
    return undefined;
  };
  const children: TSESTree.Node[] = [];
  while (stack.length > 0) {
    const node = stack.pop()!;
    skipped = false;
    visit(node, skip);
    if (skipped) continue;
    children.length = 0;
    for (const key of childKeys(node, keys)) {
      const value = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(value)) {
        for (const item of value) if (isNode(item)) children.push(item);
      } else if (isNode(value)) children.push(value);
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
}

function isNode(value: unknown): value is TSESTree.Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

