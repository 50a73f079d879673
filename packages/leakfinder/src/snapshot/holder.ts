/**
 * Who holds a node, in the user's terms, read off its retainer path: a module-level variable, a closure
 * variable, an event listener, or else the nearest named property. Best effort: null when the path shows
 * nothing a user wrote (V8 or Node internals only).
 */
import { EdgeType, NodeType, edgeNameOf, findEdge, locationOf, nodeNameOf, type HeapGraph, type NodeId } from './graph.js';
import { edgeLabel, isPlumbing, nodeLabel, pathSteps, type RetainerTree } from './paths.js';

/** A holder as the JSON report shows it. `line` is 1-based; `file` as V8 reports it (path or URL). */
export interface Holder {
  readonly description: string;
  readonly file: string | null;
  readonly line: number | null;
}

/** The script (file path or URL) of a closure: closure → shared → script → name. '' when unknown. */
export function scriptOfClosure(graph: HeapGraph, closure: NodeId): string {
  const sharedEdge = findEdge(graph, closure, EdgeType.Internal, 'shared');
  if (sharedEdge < 0) return '';
  const shared = graph.edgeTarget[sharedEdge]!;
  let scriptEdge = findEdge(graph, shared, EdgeType.Internal, 'script_or_debug_info');
  if (scriptEdge < 0) scriptEdge = findEdge(graph, shared, EdgeType.Internal, 'script');
  if (scriptEdge < 0) return '';
  const script = graph.edgeTarget[scriptEdge]!;
  const nameEdge = findEdge(graph, script, EdgeType.Internal, 'name');
  if (nameEdge >= 0 && graph.nodeType[graph.edgeTarget[nameEdge]!] === NodeType.String) {
    return nodeNameOf(graph, graph.edgeTarget[nameEdge]!);
  }
  // A Script node is named after its URL in the V8 versions we know.
  return graph.nodeType[script] === NodeType.Code ? nodeNameOf(graph, script) : '';
}

/** A closure whose `context` is this scope (retainers of the Context node). */
function closureOfScope(graph: HeapGraph, scope: NodeId, retainedBy: (node: NodeId) => Iterable<[NodeId, number]>): NodeId | -1 {
  let fallback: NodeId | -1 = -1;
  for (const [from, edge] of retainedBy(scope)) {
    if (graph.nodeType[from] !== NodeType.Closure || edgeNameOf(graph, edge) !== 'context') continue;
    if (locationOf(graph, from) !== null) return from;
    fallback = from;
  }
  return fallback;
}

/** The name of the function that owns a scope (its ScopeInfo is that function's `name_or_scope_info`). */
function functionOfScope(graph: HeapGraph, scope: NodeId, retainedBy: (node: NodeId) => Iterable<[NodeId, number]>): string {
  const scopeInfoEdge = findEdge(graph, scope, EdgeType.Internal, 'scope_info');
  if (scopeInfoEdge < 0) return '';
  const scopeInfo = graph.edgeTarget[scopeInfoEdge]!;
  for (const [from, edge] of retainedBy(scopeInfo)) {
    if (edgeNameOf(graph, edge) === 'name_or_scope_info' && graph.nodeType[from] === NodeType.Code) {
      const name = nodeNameOf(graph, from);
      if (name !== '' && !name.startsWith('system / ')) return name;
    }
  }
  return '';
}

function isModuleScope(graph: HeapGraph, scope: NodeId): boolean {
  const previous = findEdge(graph, scope, EdgeType.Internal, 'previous');
  if (previous < 0) return true;
  return nodeNameOf(graph, graph.edgeTarget[previous]!) === 'system / NativeContext';
}

/** A function name the user wrote, not V8's `(shared function info)`, `system / …` or empty. */
function isUserName(name: string): boolean {
  return name !== '' && !name.startsWith('(') && !name.startsWith('system / ');
}

function baseName(file: string): string {
  const clean = file.replace(/^file:\/\//, '');
  return clean.slice(clean.lastIndexOf('/') + 1) || file;
}

/**
 * Describes the holder of `node` from its shortest retainer path. `retainedBy` lists (retainer, edge) pairs
 * of a node (from the reverse CSR).
 */
export function describeHolder(
  graph: HeapGraph,
  tree: RetainerTree,
  node: NodeId,
  retainedBy: (node: NodeId) => Iterable<[NodeId, number]>,
  showValues = false,
): Holder | null {
  const steps = pathSteps(tree, node);
  const located = (closure: NodeId | -1): { file: string | null; line: number | null } => {
    if (closure < 0) return { file: null, line: null };
    const where = locationOf(graph, closure);
    const file = scriptOfClosure(graph, closure);
    return { file: file === '' ? null : file, line: where === null ? null : where.line + 1 };
  };
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i]!;
    const type = graph.edgeType[step.edge]!;
    const from = i > 0 ? steps[i - 1]!.node : graph.root;
    // An event listener: <emitter> → `_events` → `<event name>` → listener (function or array of them).
    if (type === EdgeType.Property && i >= 1 && edgeNameOf(graph, steps[i - 1]!.edge) === '_events') {
      const emitter = i >= 2 ? steps[i - 2]!.node : graph.root;
      const event = edgeLabel(graph, step.edge, true); // event names are code, not data
      const emitterName = nodeLabel(graph, emitter);
      const what = emitterName === 'EventEmitter' || emitterName === 'Object' ? 'an EventEmitter' : `a ${emitterName}`;
      const closure = graph.nodeType[step.node] === NodeType.Closure ? step.node : -1;
      return { description: `listener \`'${event}'\` on ${what}`, ...located(closure) };
    }
    if (type === EdgeType.Context && nodeNameOf(graph, from) === 'system / Context') {
      const variable = edgeLabel(graph, step.edge, showValues);
      const closure = closureOfScope(graph, from, retainedBy);
      const where = located(closure);
      if (isModuleScope(graph, from)) {
        const module = where.file === null ? 'its module' : `module ${baseName(where.file)}`;
        return { description: `${nodeLabel(graph, step.node)} \`${variable}\` in ${module}`, file: where.file, line: null };
      }
      const owner = functionOfScope(graph, from, retainedBy);
      // An anonymous owner (an arrow handler) shows as V8's `(shared function info)`: name the closure that
      // captured the variable instead, which is also the function the location points at (#5).
      const capturer = closure < 0 ? '' : nodeNameOf(graph, closure);
      const fn = isUserName(owner) ? `of \`${owner}\`` : isUserName(capturer) ? `captured by \`${capturer}\`` : 'of a function';
      const at = where.file === null ? '' : ` (${baseName(where.file)}${where.line === null ? '' : `:${where.line}`})`;
      return { description: `closure variable \`${variable}\` ${fn}${at}`, ...where };
    }
  }
  // Otherwise the nearest named property on a visible object: "property `sessions` of MemoryStore".
  for (let i = steps.length - 1; i >= 1; i--) {
    const step = steps[i]!;
    const type = graph.edgeType[step.edge]!;
    if (type !== EdgeType.Property) continue;
    const holderNode = steps[i - 1]!.node;
    if (isPlumbing(graph, holderNode)) continue;
    const label = edgeLabel(graph, step.edge, showValues);
    const holderName = nodeLabel(graph, holderNode);
    return {
      description: `property \`${label}\` of ${holderName === 'global' ? 'the global object' : holderName}`,
      file: null,
      line: null,
    };
  }
  return null;
}
