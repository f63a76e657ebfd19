/**
 * Checks a kernel program on its own, before it runs: the compiler runs it at the end of every
 * lowering, a bundle when it loads. It walks the steps in dispatch order tracking which value each
 * buffer holds, and refuses a program in which
 *
 * - a step reads a buffer that does not hold the value it expects (read before any write, or
 *   overwritten since by another value that shares the buffer),
 * - a step binds one buffer twice with either binding writable (reading and writing the same
 *   buffer: no kernel is in-place safe, and WebGPU forbids the aliasing too),
 * - a binding's access mode or name disagrees with the kernel's `@group(0)` WGSL declarations,
 * - a value is written twice, or an input is overwritten,
 * - a dispatch has fewer workgroups than the output it must cover,
 * - a buffer is smaller than a value it holds, or one value is bound with two element counts,
 * - an output buffer does not hold the output's value at the end,
 * - a kernel's status binding (status.ts: `@group(1) @binding(0)`, read_write `mp_status`, the only
 *   binding outside group 0) disagrees with its step's check sites: declared without sites, sites
 *   without it, or sites that are not words 0, 1, 2, … (or not the kernel's own checks).
 * - a view (`Program.views`) is written, lies outside the value it views, or is read where the
 *   buffer does not hold the viewed value (a buffer holding value u holds every view of u: it is
 *   read through a binding only at offset 0, as bindings start at the buffer's start).
 *
 * Plain data in, a ProgramCheckError naming the step, its kernel and its IR nodes out: the runtime
 * ships it inside bundles, so it imports nothing from the compiler.
 */
import { workgroupsNeeded, type KernelSource } from "./kernel.js";
import type { Program, Step, ValueView } from "./program.js";

export class ProgramCheckError extends Error {
  constructor(
    /** The step at fault, or null for a problem of the program as a whole (an output, a slot). */
    readonly step: number | null,
    message: string,
  ) {
    super(message);
    this.name = "ProgramCheckError";
  }
}

const DECLARATION = /@(group|binding)\s*\(\s*(\d+)\s*\)\s*@(group|binding)\s*\(\s*(\d+)\s*\)\s*var\s*<\s*([a-z_]+)\s*(?:,\s*([a-z_]+)\s*)?>\s*([A-Za-z_][A-Za-z0-9_]*)/g;

/** The `@group(0)` declarations of a WGSL module, by binding index (storage access, name), or a reason they are malformed. */
export function groupZeroDeclarations(wgsl: string): Map<number, { access: string; name: string }> | string {
  const out = new Map<number, { access: string; name: string }>();
  for (const m of wgsl.matchAll(DECLARATION)) {
    const [group, binding] = m[1] === "group" ? [Number(m[2]), Number(m[4])] : [Number(m[4]), Number(m[2])];
    if (m[1] === m[3]) return `a declaration repeats @${m[1]}`;
    if (group !== 0) continue;
    if (out.has(binding)) return `@binding(${binding}) is declared twice`;
    if (m[5] !== "storage") return `@binding(${binding}) is var<${m[5]}>, not a storage buffer`;
    out.set(binding, { access: m[6] ?? "read", name: m[7] });
  }
  return out;
}

/** What is wrong with the status binding of a kernel whose step has `words` check sites, or undefined. */
function statusProblem(k: KernelSource, words: number): string | undefined {
  const outside = [...k.wgsl.matchAll(DECLARATION)]
    .map((m) => (m[1] === "group" ? { group: Number(m[2]), binding: Number(m[4]) } : { group: Number(m[4]), binding: Number(m[2]) }))
    .filter((d) => d.group !== 0);
  if (!words) return outside.length ? `its WGSL declares @group(${outside[0].group}) @binding(${outside[0].binding}), but its step has no check sites for a status buffer` : undefined;
  if (!/@group\(1\)\s*@binding\(0\)\s*var\s*<\s*storage\s*,\s*read_write\s*>\s*mp_status\s*:/.test(k.wgsl) || outside.length !== 1) {
    return `its step has ${words} check sites, but its WGSL does not declare the status buffer alone at @group(1) @binding(0) (read_write mp_status)`;
  }
  if (k.checks && k.checks.length !== words) return `it reports ${k.checks.length} status words, its step has ${words} check sites`;
  return undefined;
}

function describeStep(i: number, s: Step): string {
  const nodes = s.nodes.map((n) => `${n.op}${n.loc ? ` at ${n.loc}` : ""}`).join(", ");
  return `step ${i} (kernel '${s.kernel.name}'${nodes ? `: ${nodes}` : ""})`;
}

/** Problems of a kernel on its own (declarations and coverage against its bindings), or undefined. */
function kernelProblem(k: KernelSource): string | undefined {
  const declared = groupZeroDeclarations(k.wgsl);
  if (typeof declared === "string") return `its WGSL is malformed: ${declared}`;
  if (declared.size !== k.bindings.length) return `its WGSL declares ${declared.size} @group(0) bindings, the kernel lists ${k.bindings.length}`;
  for (const [j, b] of k.bindings.entries()) {
    const d = declared.get(j);
    if (!d) return `its WGSL does not declare @binding(${j}) ('${b.name}')`;
    if (d.name !== b.name) return `@binding(${j}) is '${d.name}' in its WGSL but '${b.name}' in the kernel's bindings`;
    if (d.access !== b.access) return `binding '${b.name}' is declared ${d.access} in its WGSL but ${b.access} in the kernel's bindings`;
    if (!Number.isInteger(b.elements) || b.elements < 1) return `binding '${b.name}' has ${b.elements} elements`;
  }
  for (const c of k.covers) {
    const b = k.bindings[c.binding];
    if (!b) return `it covers binding ${c.binding}, which it does not have`;
    if (b.access !== "read_write") return `it covers binding '${b.name}', which it only reads`;
    if (c.tile.length !== c.shape.length || c.tile.some((t) => !Number.isInteger(t) || t < 1)) return `its coverage of '${b.name}' has tile [${c.tile.join(", ")}] for shape [${c.shape.join(", ")}]`;
    const n = c.shape.reduce((p, d) => p * d, 1);
    if (n !== b.elements) return `its coverage of '${b.name}' spans [${c.shape.join(", ")}] = ${n} elements, the binding has ${b.elements}`;
  }
  return undefined;
}

/** Each view resolved to the value whose buffer holds it (a chain of views followed to its end) and its offset there. */
function resolveViews(views: readonly ValueView[]): Map<number, { root: number; offset: number }> {
  const direct = new Map<number, ValueView>();
  for (const v of views) {
    if (direct.has(v.value)) throw new ProgramCheckError(null, `%${v.value} is declared a view twice`);
    if (!Number.isInteger(v.offset) || v.offset < 0) throw new ProgramCheckError(null, `view %${v.value} of %${v.of} has offset ${v.offset}`);
    direct.set(v.value, v);
  }
  const out = new Map<number, { root: number; offset: number }>();
  for (const v of views) {
    let root = v.of;
    let offset = v.offset;
    const seen = new Set([v.value]);
    for (let next = direct.get(root); next; next = direct.get(root)) {
      if (seen.has(root)) throw new ProgramCheckError(null, `view %${v.value} is a view of itself through %${[...seen].join(", %")}`);
      seen.add(root);
      offset += next.offset;
      root = next.of;
    }
    if (root === v.value) throw new ProgramCheckError(null, `view %${v.value} is a view of itself`);
    out.set(v.value, { root, offset });
  }
  return out;
}

/** Throws ProgramCheckError at the first problem; returns nothing when the program is sound. */
export function checkProgram(p: Program): void {
  const views = resolveViews(p.views ?? []);
  /** The value a buffer must hold for `v` to be read from it, and where in it `v` starts. */
  const heldAs = (v: number) => views.get(v) ?? { root: v, offset: 0 };
  const describeHeld = (h: { value: number; step: number | null } | undefined) => (h ? `%${h.value} (${h.step === null ? "an input" : `written by ${describeStep(h.step, p.steps[h.step])}`})` : "nothing");
  const bytes = new Map(p.buffers.map((b) => [b.id, b.bytes]));
  const elementsOf = new Map<number, number>();
  const holds = new Map<number, { value: number; step: number | null }>();
  const written = new Set<number>();
  const inputs = new Set(p.inputs.map((s) => s.value));
  const sized = (value: number, elements: number, buffer: number, where: string, step: number | null = null) => {
    const known = elementsOf.get(value);
    if (known !== undefined && known !== elements) throw new ProgramCheckError(step, `${where} binds %${value} with ${elements} elements, elsewhere it has ${known}`);
    elementsOf.set(value, elements);
    const b = bytes.get(buffer);
    if (b === undefined) throw new ProgramCheckError(step, `${where} binds buffer ${buffer}, which does not exist`);
    if (b < elements * 4) throw new ProgramCheckError(step, `${where} puts %${value} (${elements} elements, ${elements * 4} bytes) in buffer ${buffer}, which has only ${b} bytes`);
  };
  for (const s of p.inputs) {
    if (views.has(s.value) || (s.offset ?? 0) !== 0) throw new ProgramCheckError(null, `input '${s.name}' (%${s.value}) is uploaded as a view; inputs are uploaded whole at offset 0`);
    sized(s.value, s.shape.reduce((a, d) => a * d, 1), s.buffer, `input '${s.name}'`);
    holds.set(s.buffer, { value: s.value, step: null });
    written.add(s.value);
  }
  // Values some step reads or the program returns: a write of one of them must be covered.
  const needed = new Set<number>(p.outputs.map((s) => heldAs(s.value).root));
  for (const s of p.steps) s.values.forEach((v, j) => s.kernel.bindings[j]?.access === "read" && needed.add(heldAs(v).root));
  const checkedKernels = new Map<KernelSource, string | undefined>();

  p.steps.forEach((s, i) => {
    const at = () => describeStep(i, s);
    const fault = (msg: string): never => {
      throw new ProgramCheckError(i, `${at()} ${msg}`);
    };
    const k = s.kernel;
    if (!checkedKernels.has(k)) checkedKernels.set(k, kernelProblem(k));
    const problem = checkedKernels.get(k);
    if (problem) fault(`is malformed: ${problem}`);
    if (s.buffers.length !== k.bindings.length || s.values.length !== k.bindings.length) fault(`binds ${s.buffers.length} buffers and ${s.values.length} values to ${k.bindings.length} bindings`);
    const sites = s.checks ?? [];
    const status = statusProblem(k, sites.length);
    if (status) fault(`is malformed: ${status}`);
    sites.forEach((c, w) => c.word !== w && fault(`has check site ${w} for status word ${c.word}`));
    s.buffers.forEach((b, j) => {
      const other = s.buffers.indexOf(b);
      if (other !== j && (k.bindings[j].access === "read_write" || k.bindings[other].access === "read_write")) {
        fault(`binds buffer ${b} to both '${k.bindings[other].name}' and '${k.bindings[j].name}' with one of them writable: no kernel may read and write the same buffer`);
      }
      sized(s.values[j], k.bindings[j].elements, b, at(), i);
    });
    const groups = k.dispatch.reduce((a, d) => a * d, 1);
    if (k.dispatch.some((d) => !Number.isInteger(d) || d < 1)) fault(`dispatches [${k.dispatch.join(", ")}] workgroups`);
    for (const c of k.covers) {
      const need = workgroupsNeeded(c);
      if (groups < need) fault(`dispatches ${groups} workgroups ([${k.dispatch.join(", ")}]) but its output '${k.bindings[c.binding].name}' (%${s.values[c.binding]}) needs ${need}`);
    }
    s.values.forEach((v, j) => {
      if (k.bindings[j].access !== "read") return;
      const h = holds.get(s.buffers[j]);
      const { root, offset } = heldAs(v);
      if (h?.value === root) {
        if (offset !== 0) fault(`reads %${v}, a view at offset ${offset} of %${root}, through '${k.bindings[j].name}': a binding starts at its buffer's start`);
        if (root !== v) viewFits(v, root, offset, () => fault(`reads %${v} through '${k.bindings[j].name}', a view of %${root} that lies outside it`));
        return;
      }
      const what = root === v ? `%${v}` : `%${v} (a view of %${root})`;
      const now = !h ? "which nothing has written yet" : `which holds ${describeHeld(h)}`;
      fault(`reads ${what} through '${k.bindings[j].name}' from buffer ${s.buffers[j]}, ${now}`);
    });
    s.values.forEach((v, j) => {
      if (k.bindings[j].access !== "read_write") return;
      if (views.has(v)) fault(`writes %${v} through '${k.bindings[j].name}', but %${v} is a view of %${views.get(v)!.root}: views are never written`);
      if (inputs.has(v)) fault(`writes %${v}, an input, through '${k.bindings[j].name}'`);
      if (written.has(v)) fault(`writes %${v} through '${k.bindings[j].name}', but an earlier step already wrote it`);
      if (needed.has(v) && !k.covers.some((c) => c.binding === j)) fault(`writes %${v} through '${k.bindings[j].name}' without declaring that its dispatch covers it`);
      written.add(v);
      holds.set(s.buffers[j], { value: v, step: i });
    });
  });

  for (const s of p.outputs) {
    const { root, offset } = heldAs(s.value);
    const elements = s.shape.reduce((a, d) => a * d, 1);
    if ((s.offset ?? 0) !== offset) throw new ProgramCheckError(null, `output '${s.name}' (%${s.value}) is read back from offset ${s.offset ?? 0} of buffer ${s.buffer}, but it starts at offset ${offset}${root === s.value ? "" : ` of %${root}`}`);
    if (root === s.value) sized(s.value, elements, s.buffer, `output '${s.name}'`);
    else {
      elementsOf.set(s.value, elements);
      viewFits(s.value, root, offset, () => {
        throw new ProgramCheckError(null, `output '${s.name}' (%${s.value}, ${elements} elements at offset ${offset}) lies outside %${root}, the value it views`);
      });
    }
    const h = holds.get(s.buffer);
    if (h?.value !== root) {
      throw new ProgramCheckError(null, `output '${s.name}' (%${s.value}${root === s.value ? "" : `, a view of %${root}`}) is read back from buffer ${s.buffer}, which at the end holds ${describeHeld(h)}`);
    }
  }

  /** A view must lie inside the value it views (whose element count is known once it is bound). */
  function viewFits(v: number, root: number, offset: number, refuse: () => void): void {
    const n = elementsOf.get(v);
    const of = elementsOf.get(root);
    if (n === undefined || of === undefined || offset + n > of) refuse();
  }
}
