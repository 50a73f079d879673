/**
 * The V8 `.heapsnapshot` header (`snapshot.meta`) and the field layout read from it. V8's snake_case names stop
 * here: everything past this file talks in NodeId, EdgeType and NodeType.
 */
import { LeakfinderError } from '../errors.js';

/** Node kinds, canonical (V8 numbers them per file through `meta.node_types`; we remap once while parsing). */
export const NodeType = {
  Hidden: 0,
  Array: 1,
  String: 2,
  Object: 3,
  Code: 4,
  Closure: 5,
  RegExp: 6,
  Number: 7,
  Native: 8,
  Synthetic: 9,
  ConsString: 10,
  SlicedString: 11,
  Symbol: 12,
  BigInt: 13,
  ObjectShape: 14,
  /** A kind this version does not know (a newer V8); treated like `hidden`. */
  Other: 15,
} as const;
export type NodeType = (typeof NodeType)[keyof typeof NodeType];

const nodeTypeByV8Name: Record<string, NodeType> = {
  hidden: NodeType.Hidden,
  array: NodeType.Array,
  string: NodeType.String,
  object: NodeType.Object,
  code: NodeType.Code,
  closure: NodeType.Closure,
  regexp: NodeType.RegExp,
  number: NodeType.Number,
  native: NodeType.Native,
  synthetic: NodeType.Synthetic,
  'concatenated string': NodeType.ConsString,
  'sliced string': NodeType.SlicedString,
  symbol: NodeType.Symbol,
  bigint: NodeType.BigInt,
  'object shape': NodeType.ObjectShape,
};

/** Edge kinds, canonical. `Element` and `Hidden` edges carry an index; the others a string-table index. */
export const EdgeType = {
  Context: 0,
  Element: 1,
  Property: 2,
  Internal: 3,
  Hidden: 4,
  Shortcut: 5,
  Weak: 6,
  /** A kind this version does not know; treated as a strong internal edge. */
  Other: 7,
} as const;
export type EdgeType = (typeof EdgeType)[keyof typeof EdgeType];

const edgeTypeByV8Name: Record<string, EdgeType> = {
  context: EdgeType.Context,
  element: EdgeType.Element,
  property: EdgeType.Property,
  internal: EdgeType.Internal,
  hidden: EdgeType.Hidden,
  shortcut: EdgeType.Shortcut,
  weak: EdgeType.Weak,
};

/** `snapshot` as V8 writes it (only the members we read). */
export interface V8SnapshotHeader {
  meta?: {
    node_fields?: unknown;
    node_types?: unknown;
    edge_fields?: unknown;
    edge_types?: unknown;
    location_fields?: unknown;
    trace_function_info_fields?: unknown;
    trace_node_fields?: unknown;
  };
  node_count?: unknown;
  edge_count?: unknown;
  trace_function_count?: unknown;
  root_index?: unknown;
}

/** Where each field sits in a node or edge row, and how V8's type numbers map to ours. */
export interface SnapshotLayout {
  readonly nodeFieldCount: number;
  readonly nodeTypeOffset: number;
  readonly nodeNameOffset: number;
  readonly nodeIdOffset: number;
  readonly nodeSelfSizeOffset: number;
  readonly nodeEdgeCountOffset: number;
  /** -1 when the snapshot has no `trace_node_id` field. */
  readonly nodeTraceNodeIdOffset: number;
  readonly edgeFieldCount: number;
  readonly edgeTypeOffset: number;
  readonly edgeNameOffset: number;
  readonly edgeToNodeOffset: number;
  /** V8 node type number → NodeType. */
  readonly nodeTypeMap: Uint8Array;
  /** V8 edge type number → EdgeType. */
  readonly edgeTypeMap: Uint8Array;
  readonly locationFieldCount: number;
  /** Offsets of object_index, script_id, line, column in a `locations` row; -1 when absent. */
  readonly locationOffsets: readonly [number, number, number, number];
  readonly traceFunctionInfoFields: readonly string[];
  readonly traceNodeFields: readonly string[];
  /** From the header; a hint only (V8 writes them, but we size from what we actually read). */
  readonly nodeCountHint: number;
  readonly edgeCountHint: number;
  /** The root node's row offset divided by the node field count (0 in every V8 we know). */
  readonly rootNodeId: number;
}

function stringList(value: unknown): string[] | null {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : null;
}

/**
 * Reads the field layout from `snapshot.meta`. Extra fields of newer V8 versions are fine (they are skipped);
 * a missing field we need throws LF_SNAPSHOT_UNSUPPORTED naming it.
 */
export function resolveLayout(header: V8SnapshotHeader, file: string): SnapshotLayout {
  const meta = header.meta;
  if (typeof meta !== 'object' || meta === null) {
    throw new LeakfinderError(
      'LF_SNAPSHOT_MALFORMED',
      `${file}: not a V8 heap snapshot (the \`snapshot\` section has no \`meta\`); take the snapshot again with v8.writeHeapSnapshot or DevTools.`,
    );
  }
  const unsupported = (what: string): LeakfinderError =>
    new LeakfinderError(
      'LF_SNAPSHOT_UNSUPPORTED',
      `${file}: heap snapshot layout not supported: ${what}; please report it with the Node/V8 version that wrote the file.`,
    );
  const nodeFields = stringList(meta.node_fields);
  const edgeFields = stringList(meta.edge_fields);
  if (nodeFields === null) throw unsupported('`meta.node_fields` is missing');
  if (edgeFields === null) throw unsupported('`meta.edge_fields` is missing');
  const need = (fields: string[], name: string, where: string): number => {
    const index = fields.indexOf(name);
    if (index < 0) throw unsupported(`\`meta.${where}\` has no \`${name}\` field`);
    return index;
  };
  const nodeTypeOffset = need(nodeFields, 'type', 'node_fields');
  const edgeTypeOffset = need(edgeFields, 'type', 'edge_fields');
  const nodeTypes = Array.isArray(meta.node_types) ? stringList(meta.node_types[nodeTypeOffset]) : null;
  const edgeTypes = Array.isArray(meta.edge_types) ? stringList(meta.edge_types[edgeTypeOffset]) : null;
  if (nodeTypes === null) throw unsupported('`meta.node_types` does not list the node type names');
  if (edgeTypes === null) throw unsupported('`meta.edge_types` does not list the edge type names');
  const nodeTypeMap = new Uint8Array(256).fill(NodeType.Other);
  nodeTypes.forEach((name, i) => {
    if (i < 256) nodeTypeMap[i] = nodeTypeByV8Name[name] ?? NodeType.Other;
  });
  const edgeTypeMap = new Uint8Array(256).fill(EdgeType.Other);
  edgeTypes.forEach((name, i) => {
    if (i < 256) edgeTypeMap[i] = edgeTypeByV8Name[name] ?? EdgeType.Other;
  });
  if (!edgeTypes.includes('weak')) throw unsupported('`meta.edge_types` has no `weak` edge type');
  const locationFields = stringList(meta.location_fields) ?? [];
  const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0);
  const rootIndex = num(header.root_index);
  return {
    nodeFieldCount: nodeFields.length,
    nodeTypeOffset,
    nodeNameOffset: need(nodeFields, 'name', 'node_fields'),
    nodeIdOffset: need(nodeFields, 'id', 'node_fields'),
    nodeSelfSizeOffset: need(nodeFields, 'self_size', 'node_fields'),
    nodeEdgeCountOffset: need(nodeFields, 'edge_count', 'node_fields'),
    nodeTraceNodeIdOffset: nodeFields.indexOf('trace_node_id'),
    edgeFieldCount: edgeFields.length,
    edgeTypeOffset,
    edgeNameOffset: need(edgeFields, 'name_or_index', 'edge_fields'),
    edgeToNodeOffset: need(edgeFields, 'to_node', 'edge_fields'),
    nodeTypeMap,
    edgeTypeMap,
    locationFieldCount: locationFields.length,
    locationOffsets: [
      locationFields.indexOf('object_index'),
      locationFields.indexOf('script_id'),
      locationFields.indexOf('line'),
      locationFields.indexOf('column'),
    ],
    traceFunctionInfoFields: stringList(meta.trace_function_info_fields) ?? [],
    traceNodeFields: stringList(meta.trace_node_fields) ?? [],
    nodeCountHint: num(header.node_count),
    edgeCountHint: num(header.edge_count),
    rootNodeId: rootIndex / nodeFields.length,
  };
}
