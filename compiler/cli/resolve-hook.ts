/**
 * Node module-resolution hook (registered by load-model.ts): a model's `import ... from "matprop"`
 * resolves to the copy of matprop that is running the CLI, wherever the model file lives, so the
 * model and the tool share one set of modules.
 */
interface ResolveContext {
  parentURL?: string;
}
type Resolved = { url: string; format?: string | null; shortCircuit?: boolean };
type NextResolve = (specifier: string, context: ResolveContext) => Promise<Resolved>;

let target: Record<string, string> = {};

export function initialize(data: { target: Record<string, string> }): void {
  target = data.target;
}

/**
 * Model sources are ES modules whatever their folder's package.json says: a model in a folder
 * without "type": "module" would otherwise be compiled to CommonJS and fail to import itself.
 */
function isUserTypeScript(url: string): boolean {
  return url.startsWith("file:") && /\.(ts|mts)$/.test(url) && !url.includes("/node_modules/");
}

export async function resolve(specifier: string, context: ResolveContext, next: NextResolve): Promise<Resolved> {
  const url = target[specifier];
  if (url) return { url, shortCircuit: true };
  const resolved = await next(specifier, context);
  return isUserTypeScript(resolved.url) ? { ...resolved, format: "module" } : resolved;
}
