/**
 * The DSL's static shape and structure rules are TypeScript types: a bad `matmul` fails as TS2345
 * against a parameter type like `Tensor<…> & { "error: matmul inner dims differ": [4, 3] }`. That
 * text is correct but unreadable, so `check` re-reads such an error: it takes the operand types
 * TypeScript inferred at the call (shape tuple, structure) and runs the IR op's own type rule on
 * them, which fails with the same code and message `run` gives ("matmul: inner dims differ:
 * [8, 4] @ [3, 5] (4 vs 3)"), at the same place (the op name of the call).
 */
import { Node, ts, type CallExpression, type Diagnostic, type Type } from "ts-morph";
import type { Attrs } from "../../ir/attrs.js";
import { MatpropError, type SourceLoc } from "../../ir/diagnostics.js";
import { getOp, hasOp } from "../../ir/registry.js";
import { STRUCTURES, tensorType, type Dim, type Structure, type TensorType } from "../../ir/types.js";
import { displayPath } from "../dsl/location.js";

/** The property a failed DSL check puts into the parameter type: `"error: <what>": <payload>`. */
const BRAND = /"error: ((?:[^"\\]|\\.)+)": ([^;}]+)/;

/** The DSL call whose argument `node` is (the node a TS2345 points at), if any. */
function enclosingCall(node: Node | undefined): CallExpression | undefined {
  for (let cur = node; cur; cur = cur.getParent()) {
    const parent = cur.getParent();
    if (parent && Node.isCallExpression(parent) && parent.getArguments().includes(cur)) return parent;
  }
  return undefined;
}

/** The called function's name node: `matmul` in `ops.matmul(a, b)` or in `matmul(a, b)`. */
function calleeName(call: CallExpression): Node {
  const callee = call.getExpression();
  return Node.isPropertyAccessExpression(callee) ? callee.getNameNode() : callee;
}

function locOf(node: Node): SourceLoc {
  const sf = node.getSourceFile();
  const { line, column } = sf.getLineAndColumnAtPos(node.getStart());
  return { file: displayPath(sf.getFilePath()), line, col: column };
}

/** A literal number or string type's value. */
function literal(t: Type): number | string | undefined {
  const v = t.getLiteralValue();
  return typeof v === "number" || typeof v === "string" ? v : undefined;
}

/**
 * The IR type of a DSL operand as TypeScript knows it: a plain number is a scalar; a `Tensor`
 * needs a tuple shape of literal dims. Undefined when TypeScript knows less than that.
 */
function operandType(arg: Node): TensorType | undefined {
  const t = arg.getType();
  if (t.isNumber() || t.isNumberLiteral()) return tensorType("f32", []);
  const shape = t.getProperty("shape")?.getTypeAtLocation(arg);
  if (!shape?.isTuple()) return undefined;
  const dims = shape.getTupleElements().map(literal);
  if (dims.some((d) => d === undefined)) return undefined;
  const st = literal(t.getProperty("structure")?.getTypeAtLocation(arg) ?? t);
  const structure = typeof st === "string" && (STRUCTURES as readonly string[]).includes(st) ? (st as Structure) : "general";
  return tensorType("f32", dims as Dim[], structure);
}

/** Attributes the type rule reads besides the operands, for the DSL calls that take some. */
function staticAttrs(op: string, args: readonly Node[]): Attrs {
  const lit = (n: Node | undefined) => (n ? literal(n.getType()) : undefined);
  if (op === "topEigenProjector") return { k: (lit(args[1]) as number | undefined) ?? 1 };
  if (op === "cov") {
    const eps = args[1]?.getType().getProperty("eps")?.getTypeAtLocation(args[1]);
    return { eps: (eps && (literal(eps) as number | undefined)) ?? 0 };
  }
  return {};
}

/** The DSL function called, by its declared name (`mm` in `import { matmul as mm }` is matmul). */
function calleeOp(call: CallExpression): string {
  const decl = call.getProject().getTypeChecker().getResolvedSignature(call)?.getDeclaration();
  return decl && Node.isFunctionDeclaration(decl) ? (decl.getName() ?? calleeName(call).getText()) : calleeName(call).getText();
}

/** The IR rule's diagnostic for a failed static check at `call`, if the rule rejects it too. */
function ruleError(call: CallExpression): MatpropError | undefined {
  const name = calleeName(call);
  const op = calleeOp(call);
  if (!hasOp(op)) return undefined;
  const def = getOp(op);
  // A variadic op's operands come in an array literal: left to the graph builder.
  if (def.arity === "variadic") return undefined;
  const operands = call.getArguments().slice(0, def.arity);
  const types = operands.map(operandType);
  if (types.some((t) => t === undefined)) return undefined;
  try {
    def.infer(types as TensorType[], staticAttrs(op, call.getArguments()));
  } catch (e) {
    if (e instanceof MatpropError) return new MatpropError(e.code, e.message, locOf(name));
    throw e;
  }
  return undefined;
}

/**
 * A TypeScript diagnostic as a matprop one: a failed DSL check becomes the IR rule's error (or,
 * where the operand types are not all known, the check's own words); anything else stays
 * `MP1002: TSxxxx: …` at its position.
 */
export function toDiagnostic(d: Diagnostic, tsconfig: string | undefined): MatpropError {
  const text = ts.flattenDiagnosticMessageText(d.compilerObject.messageText, " ");
  const file = d.getSourceFile();
  // Not about a file: about the options, so about the tsconfig they came from.
  if (!file) return new MatpropError("MP1002", `${tsconfig ? `${displayPath(tsconfig)}: ` : ""}TS${d.getCode()}: ${text}`);
  const start = d.getStart() ?? 0;
  const brand = BRAND.exec(text);
  const call = brand ? enclosingCall(file.getDescendantAtPos(start)) : undefined;
  if (brand && call) {
    const err = ruleError(call);
    if (err) return err;
    const op = calleeOp(call);
    const what = brand[1].replace(/\\"/g, '"');
    return new MatpropError("MP1002", `${op}: ${what.startsWith(`${op} `) ? what.slice(op.length + 1) : what} (got ${brand[2].trim()})`, locOf(calleeName(call)));
  }
  const { line, column } = file.getLineAndColumnAtPos(start);
  return new MatpropError("MP1002", `TS${d.getCode()}: ${text}`, { file: displayPath(file.getFilePath()), line, col: column });
}
