import { GraphError, nonexistingField } from "./errors";

/** `fields=` parsing and projection, including nested braces and `.modifier(value)` suffixes. */

export type Selection = { name: string; modifiers: Record<string, string>; children?: Selection[] };

export function parseFields(input: string | undefined): Selection[] | undefined {
  if (input === undefined || input.trim() === "") return undefined;
  let pos = 0;
  const fail = () => new GraphError({ code: 2500, message: `Syntax error "Expected end of string instead of "${input.slice(pos, pos + 1)}"." at character ${pos}: ${input}` });

  function name(): string {
    const m = /^[A-Za-z0-9_]+/.exec(input!.slice(pos));
    if (!m) throw fail();
    pos += m[0].length;
    return m[0];
  }
  function list(): Selection[] {
    const out: Selection[] = [];
    for (;;) {
      while (input![pos] === " ") pos++;
      const sel: Selection = { name: name(), modifiers: {} };
      while (input![pos] === ".") {
        pos++;
        const mod = name();
        if (input![pos] !== "(") throw fail();
        const close = input!.indexOf(")", pos);
        if (close < 0) throw fail();
        sel.modifiers[mod] = input!.slice(pos + 1, close);
        pos = close + 1;
      }
      if (input![pos] === "{") {
        pos++;
        sel.children = list();
        if (input![pos] !== "}") throw fail();
        pos++;
      }
      out.push(sel);
      while (input![pos] === " ") pos++;
      if (input![pos] !== ",") return out;
      pos++;
    }
  }
  const result = list();
  if (pos !== input.length) throw fail();
  return result;
}

export type FieldKind = "scalar" | { object: string } | { list: string };
export type NodeType = { name: string; fields: Record<string, FieldKind>; defaults: string[] };

/** A value may be computed lazily (e.g. a Page token is only minted when asked for). */
export type NodeData = Record<string, unknown>;
export type Lazy = (modifiers: Record<string, string>, children: Selection[] | undefined) => unknown;

export function project(
  types: Record<string, NodeType>,
  typeName: string,
  data: NodeData,
  selection: Selection[] | undefined,
): Record<string, unknown> {
  const type = types[typeName];
  if (!type) throw new Error(`unknown node type ${typeName}`);
  const sel: Selection[] = selection ?? type.defaults.map((name) => ({ name, modifiers: {} }));
  const out: Record<string, unknown> = {};
  for (const s of sel) {
    const kind = type.fields[s.name];
    if (!kind) throw nonexistingField(s.name, type.name);
    let value = data[s.name];
    if (typeof value === "function") value = (value as Lazy)(s.modifiers, s.children);
    if (value === undefined) continue;
    if (kind === "scalar" || value === null) out[s.name] = value;
    else if ("object" in kind) out[s.name] = project(types, kind.object, value as NodeData, s.children);
    else out[s.name] = (value as NodeData[]).map((v) => project(types, kind.list, v, s.children));
  }
  // Graph always returns the id of a node it was asked about.
  if ("id" in type.fields && data.id !== undefined && out.id === undefined) out.id = data.id;
  return out;
}

/** Validate a selection without data (for edges where every row has the same type). */
export function validateSelection(types: Record<string, NodeType>, typeName: string, selection: Selection[] | undefined): void {
  const type = types[typeName];
  if (!type || !selection) return;
  for (const s of selection) {
    const kind = type.fields[s.name];
    if (!kind) throw nonexistingField(s.name, type.name);
    if (s.children && kind !== "scalar") validateSelection(types, "object" in kind ? kind.object : kind.list, s.children);
  }
}
