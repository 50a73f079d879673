// A tiny language for heap graphs in tests, written out as real `.heapsnapshot` text so the parser and the
// analyses share fixtures:
//
//   buildGraph('(root) -> App; App -> Left, Right; Left -> Shared; Right -> Shared')
//
// Statements are separated by `;`. `A -> B, C` adds property edges named after the target (lower-cased);
// `A -weak-> B`, `A -shortcut-> B`, `A -element-> B`, `A -internal-> B`, `A -context-> B` pick the edge type.
// A node is `Name` or `Name:bytes` (self size; default 10). `(root)` is the synthetic root (node 0);
// other names in parentheses are synthetic too. `Name#2` is a second node with the same class name `Name`.
import { parseSnapshotBytes } from '../../src/snapshot/read.js';
import type { HeapGraph } from '../../src/snapshot/graph.js';

const nodeTypes = ['hidden', 'array', 'string', 'object', 'code', 'closure', 'regexp', 'number', 'native', 'synthetic', 'concatenated string', 'sliced string', 'symbol', 'bigint', 'object shape'];
const edgeTypes = ['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'];

interface BuiltNode {
  label: string; // unique label as written (Name or Name#2)
  name: string; // class name
  type: string;
  selfBytes: number;
  edges: { type: string; name: string | number; to: number }[];
}

/** A graph under construction; `toSnapshotText()` writes it in V8's format. */
export class GraphSpec {
  readonly nodes: BuiltNode[] = [];
  private readonly byLabel = new Map<string, number>();

  constructor(spec: string) {
    this.node('(root)');
    for (const statement of spec.split(';').map((s) => s.trim()).filter((s) => s !== '')) {
      const match = /^(.+?)\s+-(?:(\w+)-)?>\s+(.+)$/.exec(statement);
      if (match === null) {
        this.node(statement);
        continue;
      }
      const from = this.node(match[1]!.trim());
      const type = match[2] ?? 'property';
      if (!edgeTypes.includes(type)) throw new Error(`graph-builder: unknown edge type ${type}`);
      for (const targetText of match[3]!.split(',').map((s) => s.trim())) {
        const to = this.node(targetText);
        const target = this.nodes[to]!;
        const source = this.nodes[from]!;
        const name = type === 'element' ? source.edges.filter((e) => e.type === 'element').length : target.name.toLowerCase();
        source.edges.push({ type, name, to });
      }
    }
  }

  /** The NodeId of a node by its label (`App`, `Name#2`). */
  id(label: string): number {
    const id = this.byLabel.get(label);
    if (id === undefined) throw new Error(`graph-builder: no node ${label}`);
    return id;
  }

  private node(text: string): number {
    const [labelPart, sizePart] = text.split(':') as [string, string | undefined];
    const label = labelPart.trim();
    const existing = this.byLabel.get(label);
    if (existing !== undefined) {
      if (sizePart !== undefined) this.nodes[existing]!.selfBytes = Number(sizePart);
      return existing;
    }
    const name = label.replace(/#\d+$/, '');
    const synthetic = name.startsWith('(');
    this.nodes.push({
      label,
      name: name === '(root)' ? '' : name,
      type: synthetic ? 'synthetic' : 'object',
      selfBytes: sizePart !== undefined ? Number(sizePart) : synthetic ? 0 : 10,
      edges: [],
    });
    this.byLabel.set(label, this.nodes.length - 1);
    return this.nodes.length - 1;
  }

  /** V8 `.heapsnapshot` text for this graph (node_fields as Node 20 writes them, plus `extraFields`). */
  toSnapshotText(options: { extraNodeFields?: string[] } = {}): string {
    const extra = options.extraNodeFields ?? [];
    const nodeFields = ['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id', 'detachedness', ...extra];
    const strings: string[] = [];
    const stringIndex = new Map<string, number>();
    const intern = (s: string): number => {
      let i = stringIndex.get(s);
      if (i === undefined) {
        i = strings.length;
        strings.push(s);
        stringIndex.set(s, i);
      }
      return i;
    };
    intern('<dummy>');
    const nodes: number[] = [];
    const edges: number[] = [];
    this.nodes.forEach((node, i) => {
      nodes.push(nodeTypes.indexOf(node.type), intern(node.name), i * 2 + 1, node.selfBytes, node.edges.length, 0, 0, ...extra.map(() => 7));
      for (const edge of node.edges) {
        const name = typeof edge.name === 'number' ? edge.name : intern(edge.name);
        edges.push(edgeTypes.indexOf(edge.type), name, edge.to * nodeFields.length);
      }
    });
    const meta = {
      node_fields: nodeFields,
      node_types: [nodeTypes, 'string', 'number', 'number', 'number', 'number', 'number', ...extra.map(() => 'number')],
      edge_fields: ['type', 'name_or_index', 'to_node'],
      edge_types: [edgeTypes, 'string_or_number', 'node'],
      trace_function_info_fields: ['function_id', 'name', 'script_name', 'script_id', 'line', 'column'],
      trace_node_fields: ['id', 'function_info_index', 'count', 'size', 'children'],
      sample_fields: ['timestamp_us', 'last_assigned_id'],
      location_fields: ['object_index', 'script_id', 'line', 'column'],
    };
    const header = { meta, node_count: this.nodes.length, edge_count: edges.length / 3, trace_function_count: 0 };
    return (
      `{"snapshot":${JSON.stringify(header)},\n"nodes":[${nodes.join(',')}],\n"edges":[${edges.join(',')}],\n` +
      `"trace_function_infos":[],\n"trace_tree":[],\n"samples":[],\n"locations":[],\n"strings":[${strings.map((s) => JSON.stringify(s)).join(',\n')}]}`
    );
  }
}

/** Parses the spec and returns the graph (through real snapshot text) plus the spec for NodeId lookups. */
export function buildGraph(spec: string): HeapGraph & { spec: GraphSpec } {
  const built = new GraphSpec(spec);
  return Object.assign(parseSnapshotBytes(built.toSnapshotText(), 'graph-builder'), { spec: built });
}
