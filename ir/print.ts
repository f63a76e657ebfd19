/**
 * The text IR printer. Grammar (documented in the README; `parse.ts` reads exactly this):
 *
 *   graph    := 'graph' STRING '{' NL (stmt NL)* 'return' output (',' output)* NL '}' NL
 *   stmt     := VALUE (',' VALUE)* '=' OPNAME (VALUE (',' VALUE)*)? attrs? ':' type (',' type)* loc? grad?
 *   attrs    := '{' IDENT '=' attr (',' IDENT '=' attr)* '}'
 *   attr     := NUMBER | STRING | 'true' | 'false' | 'null' | '[' (attr (',' attr)*)? ']'
 *   type     := DTYPE '[' (dim (',' dim)*)? ']' STRUCTURE?        dim := INT | IDENT
 *   loc      := '@' STRING ':' INT ':' INT
 *   grad     := 'grad' VALUE        (a backward node: the forward node, by its first value, it differentiates)
 *   output   := (IDENT | STRING) '=' VALUE                         VALUE := '%' INT
 *
 * The parser also accepts blank lines and `#` comments (to the end of a line) wherever a line may end.
 *
 * Values are numbered in definition order, so printing is canonical: print(parse(print(g))) is
 * print(g) character for character.
 */
import type { AttrValue } from "./attrs.js";
import type { Graph, Node, Value } from "./graph.js";
import { getOp } from "./registry.js";
import { formatDim, type TensorType } from "./types.js";

export function printAttr(v: AttrValue): string {
  if (Array.isArray(v)) return `[${v.map(printAttr).join(", ")}]`;
  return JSON.stringify(v);
}

export function printType(t: TensorType): string {
  return `${t.dtype}[${t.shape.map(formatDim).join(",")}]${t.structure === "general" ? "" : " " + t.structure}`;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

function printName(name: string): string {
  return IDENT.test(name) ? name : JSON.stringify(name);
}

export function printNode(node: Node, name: (v: Value) => string): string {
  const hidden = new Set<string>(getOp(node.op).typeAttrs ?? []);
  const attrs = Object.entries(node.attrs).filter(([k]) => !hidden.has(k));
  let s = `${node.outputs.map(name).join(", ")} = ${node.op}`;
  if (node.inputs.length) s += ` ${node.inputs.map(name).join(", ")}`;
  if (attrs.length) s += ` {${attrs.map(([k, v]) => `${k}=${printAttr(v)}`).join(", ")}}`;
  s += ` : ${node.outputs.map((v) => printType(v.type)).join(", ")}`;
  if (node.loc) s += ` @${JSON.stringify(node.loc.file)}:${node.loc.line}:${node.loc.col}`;
  if (node.gradOf) s += ` grad ${name(node.gradOf.outputs[0])}`;
  return s;
}

export function print(g: Graph): string {
  const names = new Map<Value, string>();
  const name = (v: Value) => {
    let n = names.get(v);
    if (n === undefined) names.set(v, (n = `%${names.size}`));
    return n;
  };
  const lines = [`graph ${JSON.stringify(g.name)} {`];
  for (const node of g.nodes) {
    node.outputs.forEach(name);
    lines.push("  " + printNode(node, name));
  }
  lines.push(`  return ${g.outputs.map((o) => `${printName(o.name)}=${name(o.value)}`).join(", ")}`);
  lines.push("}");
  return lines.join("\n") + "\n";
}
