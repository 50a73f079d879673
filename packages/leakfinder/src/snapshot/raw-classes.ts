/**
 * The string-free half of the class index: every node gets a provisional class id from numbers alone (node
 * type, name index, code location), with one representative node per id. Naming the ids (which needs the
 * strings) is `indexClasses`' second half. Split so that a second thread, which has the columns but not
 * the strings, can do the per-node pass while this one computes dominators.
 */
import { NodeType, type HeapGraph } from './graph.js';

/** Marks nodes outside every class (zero-size V8 internals, as DevTools leaves them out). */
export const NoClass = 0xffffffff;

/** The columns rawClassIndex reads. */
export type RawClassColumns = Pick<HeapGraph, 'nodeCount' | 'nodeType' | 'nodeName' | 'locations'>;

/** Provisional class ids per node; ids are numbered in order of first appearance. */
export interface RawClassIndex {
  /** Provisional id per node, or NoClass. */
  readonly classOf: Uint32Array;
  /** Per id: the first node with it (its name and location name the class). */
  readonly representative: Uint32Array;
  /**
   * Per id: the row in `graph.locations` + 1 when the class is split by code location (its key carries
   * `@script:line:column`), 0 when it is not.
   */
  readonly locationRow: Uint32Array;
}

/**
 * One pass over the nodes. `selfBytes` are the shallow sizes: like DevTools, nodes of size 0 (other than
 * native ones) are not objects a user can act on and get NoClass. `scratch` (at least nodeCount long, any
 * contents) saves allocating 4 bytes per node.
 */
export function rawClassIndex(graph: RawClassColumns, selfBytes: Float64Array, scratch?: Uint32Array): RawClassIndex {
  const { nodeCount, nodeType, nodeName } = graph;
  const classOf = new Uint32Array(nodeCount);
  let representative = new Uint32Array(1024);
  let rowOfId = new Uint32Array(1024);
  let idCount = 0;
  const newId = (node: number, row: number): number => {
    if (idCount === representative.length) {
      const grownRep = new Uint32Array(idCount * 2);
      grownRep.set(representative);
      representative = grownRep;
      const grownRow = new Uint32Array(idCount * 2);
      grownRow.set(rowOfId);
      rowOfId = grownRow;
    }
    representative[idCount] = node;
    rowOfId[idCount] = row;
    return idCount++;
  };
  // Location row + 1 per node (0 = none); the last row of a node wins, as in `locationOf`. (V8 does not
  // write the rows in node order, so a cursor walking along with n would not do.)
  const loc = graph.locations;
  const locationRow = scratch !== undefined && scratch.length >= nodeCount ? scratch.subarray(0, nodeCount).fill(0) : new Uint32Array(nodeCount);
  for (let i = 0; i < loc.count; i++) locationRow[loc.nodeId[i]!] = i + 1;
  // Unlocated nodes: by (type, name index). Located ones: by a small-integer hash of (script, line, column,
  // name) whose hit is checked field by field; a colliding location falls back to an exact text key.
  // Building a `name@script:line:column` string for every closure cost more than the rest of the pass.
  const byName = new Map<number, number>();
  const byLocation = new Map<number, { id: number; nameKey: number; scriptId: number; line: number; column: number }>();
  const byExactLocation = new Map<string, number>();
  for (let n = 0; n < nodeCount; n++) {
    const type = nodeType[n]!;
    if (selfBytes[n] === 0 && type !== NodeType.Native) {
      classOf[n] = NoClass;
      continue;
    }
    const row = locationRow[n]!;
    if (row !== 0 && (type === NodeType.Object || type === NodeType.Closure)) {
      const scriptId = loc.scriptId[row - 1]!;
      const line = loc.line[row - 1]!;
      const column = loc.column[row - 1]!;
      // Closures are one class per location whatever their names; objects by constructor name too.
      const nameKey = type === NodeType.Closure ? -1 : nodeName[n]!;
      const hash =
        (Math.imul(scriptId, 0x9e3779b1) ^ Math.imul(line, 0x85ebca6b) ^ Math.imul(column, 0xc2b2ae35) ^ Math.imul(nameKey, 0x27d4eb2f)) & 0x3fffffff;
      const hit = byLocation.get(hash);
      if (hit !== undefined && hit.nameKey === nameKey && hit.scriptId === scriptId && hit.line === line && hit.column === column) {
        classOf[n] = hit.id;
        continue;
      }
      if (hit === undefined) {
        const id = newId(n, row);
        byLocation.set(hash, { id, nameKey, scriptId, line, column });
        classOf[n] = id;
        continue;
      }
      const exact = `${nameKey}@${scriptId}:${line}:${column}`;
      let id = byExactLocation.get(exact);
      if (id === undefined) {
        id = newId(n, row);
        byExactLocation.set(exact, id);
      }
      classOf[n] = id;
      continue;
    }
    // Objects, natives and synthetic nodes are named by their name string; every other type by its type.
    const nameKey = type === NodeType.Object || type === NodeType.Native || type === NodeType.Synthetic ? nodeName[n]! * 16 + type : -1 - type;
    let id = byName.get(nameKey);
    if (id === undefined) {
      id = newId(n, 0);
      byName.set(nameKey, id);
    }
    classOf[n] = id;
  }
  return { classOf, representative: representative.slice(0, idCount), locationRow: rowOfId.slice(0, idCount) };
}
