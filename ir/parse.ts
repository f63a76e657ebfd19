/**
 * The text IR parser (grammar in print.ts). Each statement is rebuilt through Graph.add, so the
 * op's type rule runs again; the written types must equal the inferred ones (MP3003), so a parsed
 * graph is verified by construction. Errors carry the line and column of the IR text.
 */
import type { AttrValue } from "./attrs.js";
import { fail, MatpropError, type SourceLoc } from "./diagnostics.js";
import { Graph, type Node, type Value } from "./graph.js";
import { getOp, hasOp } from "./registry.js";
import { printType } from "./print.js";
import { STRUCTURES, VALUE_DTYPES, type DType, type Dim, type Structure, type TensorType } from "./types.js";

type TokKind = "value" | "ident" | "string" | "number" | "punct" | "nl" | "eof";
interface Token {
  kind: TokKind;
  text: string;
  line: number;
  col: number;
}

const TOKEN = /(%\d+)|([A-Za-z_][A-Za-z0-9_]*)|("(?:[^"\\]|\\.)*")|(-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)|([=,:{}[\]@])|(\n)|([ \t\r]+)|(#[^\n]*)/y;

function tokenize(text: string, file: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let lineStart = 0;
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    const col = at - lineStart + 1;
    if (!m) fail("MP3001", `unexpected character ${JSON.stringify(text[at])}`, { file, line, col });
    const kinds: (TokKind | null)[] = ["value", "ident", "string", "number", "punct", "nl", null, null];
    const group = m.slice(1).findIndex((g) => g !== undefined);
    const kind = kinds[group];
    if (kind) tokens.push({ kind, text: m[0], line, col });
    if (kind === "nl") {
      line++;
      lineStart = TOKEN.lastIndex;
    }
  }
  tokens.push({ kind: "eof", text: "", line, col: text.length - lineStart + 1 });
  return tokens;
}

class Parser {
  private i = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly file: string,
  ) {}

  peek(): Token {
    return this.tokens[this.i];
  }
  loc(t = this.peek()): SourceLoc {
    return { file: this.file, line: t.line, col: t.col };
  }
  error(message: string, t = this.peek()): never {
    return fail("MP3001", message, this.loc(t));
  }
  next(): Token {
    return this.tokens[this.i++];
  }
  is(kind: TokKind, text?: string): boolean {
    const t = this.peek();
    return t.kind === kind && (text === undefined || t.text === text);
  }
  expect(kind: TokKind, text?: string): Token {
    if (!this.is(kind, text)) this.error(`expected ${text ? `'${text}'` : kind}, found ${this.describe()}`);
    return this.next();
  }
  accept(kind: TokKind, text?: string): boolean {
    if (!this.is(kind, text)) return false;
    this.i++;
    return true;
  }
  describe(t = this.peek()): string {
    return t.kind === "eof" ? "end of input" : t.kind === "nl" ? "end of line" : `'${t.text}'`;
  }
  skipNewlines(): void {
    while (this.accept("nl"));
  }
  string(): string {
    return JSON.parse(this.expect("string").text) as string;
  }
  int(): number {
    const t = this.expect("number");
    const n = Number(t.text);
    if (!Number.isInteger(n)) this.error(`expected an integer, found '${t.text}'`, t);
    return n;
  }

  attr(): AttrValue {
    const t = this.peek();
    if (t.kind === "number") return Number(this.next().text);
    if (t.kind === "string") return this.string();
    if (this.accept("ident", "true")) return true;
    if (this.accept("ident", "false")) return false;
    if (this.accept("ident", "null")) return null;
    if (this.accept("punct", "[")) {
      const items: AttrValue[] = [];
      if (!this.accept("punct", "]")) {
        do items.push(this.attr());
        while (this.accept("punct", ","));
        this.expect("punct", "]");
      }
      return items;
    }
    return this.error(`expected an attribute value, found ${this.describe()}`);
  }

  type(): TensorType {
    const d = this.expect("ident");
    if (!VALUE_DTYPES.includes(d.text as DType)) this.error(`unknown dtype '${d.text}'`, d);
    this.expect("punct", "[");
    const shape: Dim[] = [];
    if (!this.accept("punct", "]")) {
      do shape.push(this.is("ident") ? this.next().text : this.int());
      while (this.accept("punct", ","));
      this.expect("punct", "]");
    }
    let structure: Structure = "general";
    if (this.is("ident") && STRUCTURES.includes(this.peek().text as Structure)) structure = this.next().text as Structure;
    return { dtype: d.text as DType, shape, structure };
  }
}

export function parse(text: string, file = "<ir>"): Graph {
  const p = new Parser(tokenize(text, file), file);
  p.skipNewlines();
  p.expect("ident", "graph");
  const g = new Graph(p.string());
  p.expect("punct", "{");
  p.expect("nl");
  const values = new Map<string, Value>();
  const use = (): Value => {
    const t = p.expect("value");
    // An SSA violation, as verify() reports it (MP3003), at the use's line:col.
    return values.get(t.text) ?? fail("MP3003", `${t.text} is used before it is defined`, p.loc(t));
  };
  for (p.skipNewlines(); !p.is("ident", "return"); p.skipNewlines()) {
    const start = p.peek();
    const results = [p.expect("value")];
    while (p.accept("punct", ",")) results.push(p.expect("value"));
    p.expect("punct", "=");
    const opTok = p.expect("ident");
    if (!hasOp(opTok.text)) fail("MP3002", `unknown op '${opTok.text}'`, p.loc(opTok));
    const inputs: Value[] = [];
    if (p.is("value")) {
      inputs.push(use());
      while (p.accept("punct", ",")) inputs.push(use());
    }
    const attrs: Record<string, AttrValue> = {};
    if (p.accept("punct", "{")) {
      do {
        const key = p.expect("ident").text;
        p.expect("punct", "=");
        attrs[key] = p.attr();
      } while (p.accept("punct", ","));
      p.expect("punct", "}");
    }
    p.expect("punct", ":");
    const types = [p.type()];
    while (p.accept("punct", ",")) types.push(p.type());
    let loc: SourceLoc | undefined;
    if (p.accept("punct", "@")) {
      const file = p.string();
      p.expect("punct", ":");
      const line = p.int();
      p.expect("punct", ":");
      loc = { file, line, col: p.int() };
    }
    let gradOf: Node | undefined;
    if (p.accept("ident", "grad")) gradOf = use().node;
    p.expect("nl");
    // Attributes the printer shows as the type are restored from it (see OpDef.typeAttrs).
    for (const key of getOp(opTok.text).typeAttrs ?? []) attrs[key] = types[0][key] as AttrValue;
    const irLoc = p.loc(start);
    let node;
    try {
      node = g.add(opTok.text, inputs, attrs, loc, gradOf);
    } catch (e) {
      if (e instanceof MatpropError) fail(e.code, e.message, irLoc);
      throw e;
    }
    if (node.outputs.length !== results.length) fail("MP3003", `${opTok.text} defines ${node.outputs.length} values, not ${results.length}`, irLoc);
    node.outputs.forEach((v, k) => {
      const written = printType(types[k] ?? v.type);
      if (types.length !== node.outputs.length || written !== printType(v.type)) {
        fail("MP3003", `${results[k].text} is written as ${written} but ${opTok.text} gives ${printType(v.type)}`, irLoc);
      }
      if (values.has(results[k].text)) fail("MP3001", `${results[k].text} is defined twice`, p.loc(results[k]));
      values.set(results[k].text, v);
    });
  }
  p.expect("ident", "return");
  do {
    const name = p.is("string") ? p.string() : p.expect("ident").text;
    p.expect("punct", "=");
    g.setOutput(name, use());
  } while (p.accept("punct", ","));
  p.skipNewlines();
  p.expect("punct", "}");
  p.skipNewlines();
  p.expect("eof");
  return g;
}
