/**
 * Type-checking a model file with the TypeScript compiler (through ts-morph): the static shape and
 * structure rules of the DSL are TypeScript types, so this is where a matmul with mismatched inner
 * dims or a `logm` of a general matrix is caught. Reports `file:line:col error MP1002: TSxxxx: ...`.
 */
import { Project, ts } from "ts-morph";
import { MatpropError } from "../../ir/diagnostics.js";
import { displayPath } from "../dsl/location.js";
import { ENTRY_DTS, RUNTIME_DTS } from "./package-root.js";

export function typecheckModel(abs: string): MatpropError[] {
  const project = new Project({
    compilerOptions: {
      strict: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      skipLibCheck: true,
      noEmit: true,
      allowImportingTsExtensions: true,
      // `matprop` resolves to the copy running this check, wherever the model lives.
      paths: { matprop: [ENTRY_DTS], "matprop/runtime": [RUNTIME_DTS] },
      types: [],
    },
  });
  const source = project.addSourceFileAtPath(abs);
  project.resolveSourceFileDependencies();
  const diags = project.getPreEmitDiagnostics().filter((d) => d.getCategory() === ts.DiagnosticCategory.Error);
  return diags.map((d) => {
    const file = d.getSourceFile() ?? source;
    const start = d.getStart() ?? 0;
    const { line, column } = file.getLineAndColumnAtPos(start);
    const text = ts.flattenDiagnosticMessageText(d.compilerObject.messageText, " ");
    return new MatpropError("MP1002", `TS${d.getCode()}: ${text}`, { file: displayPath(file.getFilePath()), line, col: column });
  });
}
