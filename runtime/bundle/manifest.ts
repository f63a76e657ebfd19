/**
 * The bundle manifest (format version 3) and its structural validation. A bundle is
 * shape-polymorphic: its inputs and outputs may have named dims (`"B"`), bound when it is called;
 * it carries the forward and training-step graphs as text IR (`graphs`, lowered per shape at run
 * time), and — when it was built for concrete dims — the programs lowered for those dims
 * (`programs`, for `dims`, valid on devices of the workgroup-memory `tiers`), so the common call
 * needs no lowering. `parseManifest` accepts
 * only what `matprop build` writes: every object has exactly its known fields, every number is an
 * integer in range, every buffer, kernel and tensor reference resolves, file names are plain names
 * inside the bundle (never `../x` or absolute), and the programs agree with the declared inputs,
 * params and outputs. Everything it rejects is a BundleError; it never allocates by a size it reads.
 */
import type { CheckSite } from "../../codegen/program.js";
import { BundleError, bundleFail } from "./errors.js";
import { array, bad, describe, int, MAX_ITEMS, object, oneOf, string, type Obj } from "./json-fields.js";

export const BUNDLE_FORMAT = "matprop-bundle";
export const BUNDLE_VERSION = 3;
/** Prefix of the training step's gradient outputs (`grad.W` is ∂loss/∂W), as the compiler names them. */
export const GRAD_PREFIX = "grad.";

export type Dtype = "f32" | "f64" | "i32" | "bool";
export type Triple = readonly [number, number, number];

/** Structures an input or param can declare beyond "general" (checked when a caller hands one over). */
const DECLARED_STRUCTURES = ["symmetric", "spd", "diagonal", "orthogonal", "projector"] as const;
export type DeclaredStructure = (typeof DECLARED_STRUCTURES)[number];

/** A dim: a size, or a name bound when the bundle is called. */
export type Dim = number | string;

export interface TensorSpec {
  readonly name: string;
  /** Named dims only for inputs and outputs; params have concrete shapes. */
  readonly shape: readonly Dim[];
  /** The declared dtype; on the GPU every tensor is f32 (i32 labels as exact small integers, bool as 0 and 1). */
  readonly dtype: Dtype;
  /** The declared structure, when not general: values handed to the bundle must have it (MP7016). */
  readonly structure?: DeclaredStructure;
}

export interface SlotSpec extends TensorSpec {
  readonly shape: readonly number[];
  readonly buffer: number;
  /** Where the tensor starts in the buffer, in elements (an output that is a view; absent: 0). */
  readonly offset?: number;
  /** The IR value id uploaded or read back (the program check follows values through buffers). */
  readonly value: number;
}

export interface KernelSpec {
  readonly name: string;
  /** `kernels/<name>.wgsl`, relative to the manifest. */
  readonly file: string;
  readonly workgroupSize: Triple;
  readonly workgroupBytes: number;
  readonly bindings: readonly { readonly name: string; readonly access: "read" | "read_write"; readonly elements: number }[];
  /** The outputs each dispatch must cover (codegen/kernel.ts Coverage). */
  readonly covers: readonly { readonly binding: number; readonly shape: readonly number[]; readonly tile: readonly number[] }[];
}

export interface StepSpec {
  /** Index into `kernels`. */
  readonly kernel: number;
  readonly dispatch: Triple;
  /** Buffer ids in the kernel's binding order. */
  readonly buffers: readonly number[];
  /** The IR value id each binding reads or writes (negative: a kernel temporary). */
  readonly values: readonly number[];
  readonly nodes: readonly { readonly id: number; readonly op: string; readonly loc?: string }[];
  /** The failures the kernel reports through its status words, one per word (absent: none). */
  readonly checks?: readonly CheckSite[];
}

export interface ProgramSpec {
  readonly buffers: readonly { readonly id: number; readonly bytes: number }[];
  readonly inputs: readonly SlotSpec[];
  readonly outputs: readonly SlotSpec[];
  /** Values that are views of another value's elements (codegen/program.ts ValueView; absent: none). */
  readonly views?: readonly { readonly value: number; readonly of: number; readonly offset: number }[];
  readonly steps: readonly StepSpec[];
}

export interface Manifest {
  readonly format: typeof BUNDLE_FORMAT;
  readonly version: typeof BUNDLE_VERSION;
  /** `sha256:<hex>` over the canonical manifest without this field, every kernel file and the params file. */
  readonly hash: string;
  readonly name: string;
  readonly inputs: readonly TensorSpec[];
  readonly params: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
  /** The scalar output the training step differentiates, or null when the bundle has no training step. */
  readonly loss: string | null;
  readonly paramsFile: string;
  /** The forward graph and the training step (forward + backward) as text IR files. */
  readonly graphs: { readonly forward: string; readonly train: string | null };
  readonly kernels: readonly KernelSpec[];
  /** The sizes of the named dims `programs` were lowered for (null: no programs). */
  readonly dims: Readonly<Record<string, number>> | null;
  /** The workgroup-memory tiers (bytes) on which `programs` is what the lowering gives. */
  readonly tiers: readonly number[];
  readonly programs: { readonly forward: ProgramSpec; readonly train: ProgramSpec | null } | null;
}

const MAX_MANIFEST_CHARS = 64 * 1024 * 1024;
const MAX_TENSOR_NAME = 256;
const MAX_RANK = 8;
/** Largest element count or byte size a manifest may state (device limits are checked later). */
const MAX_SIZE = 2 ** 48;
const KERNEL_FILE = /^kernels\/[A-Za-z0-9][A-Za-z0-9_-]{0,99}\.wgsl$/;
const PARAMS_FILE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}\.safetensors$/;
const GRAPH_FILE = /^graphs\/[A-Za-z0-9][A-Za-z0-9_-]{0,99}\.mpir$/;
const DIM_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const TIERS = [16384, 32768, 65536];
const HASH = /^sha256:[0-9a-f]{64}$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Why `s` cannot name an input, param or output (undefined when it can). The compiler checks the
 * same rule when a graph is built, so `run` and `build` accept the same models. `__proto__` would
 * set the prototype of the plain objects a bundle returns instead of adding a field.
 */
export function tensorNameProblem(s: string): string | undefined {
  if (s === "") return "is empty";
  if (s.length > MAX_TENSOR_NAME) return `is longer than ${MAX_TENSOR_NAME} characters`;
  if (CONTROL.test(s)) return "holds a control character";
  if (s === "__proto__") return "is reserved (it would replace the prototype of the objects that hold tensors by name)";
  return undefined;
}

function tensorName(v: unknown, at: string): string {
  const s = string(v, at, MAX_TENSOR_NAME);
  if (tensorNameProblem(s)) bad(at, `invalid tensor name ${describe(s)}`);
  return s;
}

function triple(v: unknown, at: string, min: number, max: number): Triple {
  const a = array(v, at, 3);
  if (a.length !== 3) bad(at, `expected 3 integers, got ${a.length}`);
  return [int(a[0], `${at}[0]`, min, max), int(a[1], `${at}[1]`, min, max), int(a[2], `${at}[2]`, min, max)];
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

/** `shape` with its named dims replaced by their sizes in `dims` (undefined where one is missing). */
export function bindShape(shape: readonly Dim[], dims: Readonly<Record<string, number>>): number[] | undefined {
  const out: number[] = [];
  for (const d of shape) {
    const n = typeof d === "number" ? d : Object.prototype.hasOwnProperty.call(dims, d) ? dims[d] : undefined;
    if (n === undefined) return undefined;
    out.push(n);
  }
  return out;
}

function shapeOf(v: unknown, at: string): number[] {
  const a = array(v, at, MAX_RANK);
  const shape = a.map((d, i) => int(d, `${at}[${i}]`, 1, 2 ** 31 - 1));
  if (elementCount(shape) > MAX_SIZE) bad(at, `[${shape.join(", ")}] has more than 2^48 elements`);
  return shape;
}

/** A declared shape: sizes and dim names. */
function dimsOf(v: unknown, at: string): Dim[] {
  return array(v, at, MAX_RANK).map((d, i) => (typeof d === "string" ? (DIM_NAME.test(d) ? d : bad(`${at}[${i}]`, `${describe(d)} is not a dim name`)) : int(d, `${at}[${i}]`, 1, 2 ** 31 - 1)));
}

function tensor(v: unknown, at: string, named = false): TensorSpec {
  const o = object(v, at, ["name", "shape", "dtype"], ["structure"]);
  const t = { name: tensorName(o.name, `${at}.name`), shape: named ? dimsOf(o.shape, `${at}.shape`) : shapeOf(o.shape, `${at}.shape`), dtype: oneOf(o.dtype, `${at}.dtype`, ["f32", "f64", "i32", "bool"]) };
  if (o.structure === undefined) return t;
  const structure = oneOf(o.structure, `${at}.structure`, DECLARED_STRUCTURES);
  const [rows, cols] = t.shape.slice(-2);
  // A named dim can be square only with itself ("N" × "N"); sizes must agree.
  if (t.shape.length < 2 || rows !== cols) bad(`${at}.structure`, `'${t.name}' [${t.shape.join(", ")}] is not a batch of square matrices, so it cannot be ${structure}`);
  return { ...t, structure };
}

function tensors(v: unknown, at: string, named = false): TensorSpec[] {
  const list = array(v, at, 10_000).map((t, i) => tensor(t, `${at}[${i}]`, named));
  const seen = new Set<string>();
  for (const t of list) {
    if (seen.has(t.name)) bad(at, `duplicate tensor name '${t.name}'`);
    seen.add(t.name);
  }
  return list;
}

function kernel(v: unknown, at: string): KernelSpec {
  const o = object(v, at, ["name", "file", "workgroupSize", "workgroupBytes", "bindings", "covers"]);
  const file = string(o.file, `${at}.file`, 200);
  if (!KERNEL_FILE.test(file)) bad(`${at}.file`, `${describe(file)} is not a file name of the form kernels/<name>.wgsl`);
  const bindings = array(o.bindings, `${at}.bindings`, 64).map((b, i) => {
    const ob = object(b, `${at}.bindings[${i}]`, ["name", "access", "elements"]);
    return {
      name: string(ob.name, `${at}.bindings[${i}].name`, 128),
      access: oneOf(ob.access, `${at}.bindings[${i}].access`, ["read", "read_write"]),
      elements: int(ob.elements, `${at}.bindings[${i}].elements`, 1, MAX_SIZE),
    };
  });
  const covers = array(o.covers, `${at}.covers`, 64).map((c, i) => {
    const oc = object(c, `${at}.covers[${i}]`, ["binding", "shape", "tile"]);
    return { binding: int(oc.binding, `${at}.covers[${i}].binding`, 0, 63), shape: shapeOf(oc.shape, `${at}.covers[${i}].shape`), tile: shapeOf(oc.tile, `${at}.covers[${i}].tile`) };
  });
  return {
    name: string(o.name, `${at}.name`, 256),
    file,
    workgroupSize: triple(o.workgroupSize, `${at}.workgroupSize`, 1, 1024),
    workgroupBytes: int(o.workgroupBytes, `${at}.workgroupBytes`, 0, 2 ** 31),
    bindings,
    covers,
  };
}

/** An IR value id (negative ids are kernel temporaries). */
const valueId = (v: unknown, at: string) => int(v, at, -(2 ** 31), 2 ** 31);

function sameTensor(a: TensorSpec, b: TensorSpec): boolean {
  return a.name === b.name && a.dtype === b.dtype && a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
}

function program(v: unknown, at: string, kernels: readonly KernelSpec[]): ProgramSpec {
  const o = object(v, at, ["buffers", "inputs", "outputs", "steps"], ["views"]);
  const buffers = array(o.buffers, `${at}.buffers`).map((b, i) => {
    const ob = object(b, `${at}.buffers[${i}]`, ["id", "bytes"]);
    const id = int(ob.id, `${at}.buffers[${i}].id`, 0, MAX_ITEMS);
    if (id !== i) bad(`${at}.buffers[${i}].id`, `buffer ids must be 0, 1, 2, … in order; got ${id}`);
    const bytes = int(ob.bytes, `${at}.buffers[${i}].bytes`, 4, MAX_SIZE);
    if (bytes % 4 !== 0) bad(`${at}.buffers[${i}].bytes`, `${bytes} is not a multiple of 4`);
    return { id, bytes };
  });
  const bufferId = (x: unknown, where: string) => int(x, where, 0, buffers.length - 1);
  const slots = (list: unknown, where: string): SlotSpec[] =>
    array(list, where, 10_000).map((s, i) => {
      const os = object(s, `${where}[${i}]`, ["name", "buffer", "value", "shape", "dtype"], ["offset"]);
      const t = tensor({ name: os.name, shape: os.shape, dtype: os.dtype }, `${where}[${i}]`);
      const shape = t.shape as number[];
      const buffer = bufferId(os.buffer, `${where}[${i}].buffer`);
      const offset = os.offset === undefined ? 0 : int(os.offset, `${where}[${i}].offset`, 0, MAX_SIZE);
      if (buffers[buffer].bytes < Math.max(4, (offset + elementCount(shape)) * 4)) bad(`${where}[${i}]`, `tensor '${t.name}' [${shape.join(", ")}]${offset ? ` at offset ${offset}` : ""} does not fit buffer ${buffer} (${buffers[buffer].bytes} bytes)`);
      const slot = { ...t, shape, buffer, value: valueId(os.value, `${where}[${i}].value`) };
      return os.offset === undefined ? slot : { ...slot, offset };
    });
  const inputs = slots(o.inputs, `${at}.inputs`);
  const outputs = slots(o.outputs, `${at}.outputs`);
  const steps = array(o.steps, `${at}.steps`).map((s, i): StepSpec => {
    const w = `${at}.steps[${i}]`;
    const os = object(s, w, ["kernel", "dispatch", "buffers", "values", "nodes"], ["checks"]);
    const k = kernels[int(os.kernel, `${w}.kernel`, 0, kernels.length - 1)];
    const bound = array(os.buffers, `${w}.buffers`, 64).map((b, j) => bufferId(b, `${w}.buffers[${j}]`));
    if (bound.length !== k.bindings.length) bad(`${w}.buffers`, `kernel '${k.name}' has ${k.bindings.length} bindings, the step binds ${bound.length} buffers`);
    bound.forEach((b, j) => {
      if (k.bindings[j].access === "read_write" && bound.indexOf(b) !== bound.lastIndexOf(b)) bad(`${w}.buffers`, `buffer ${b} is bound twice, once writable`);
    });
    const values = array(os.values, `${w}.values`, 64).map((x, j) => valueId(x, `${w}.values[${j}]`));
    if (values.length !== bound.length) bad(`${w}.values`, `names ${values.length} values for ${bound.length} buffers`);
    const nodes = array(os.nodes, `${w}.nodes`, 10_000).map((n, j) => {
      const on = object(n, `${w}.nodes[${j}]`, ["id", "op"], ["loc"]);
      const node = { id: int(on.id, `${w}.nodes[${j}].id`, 0, 2 ** 31), op: string(on.op, `${w}.nodes[${j}].op`, 128) };
      return on.loc === undefined ? node : { ...node, loc: string(on.loc, `${w}.nodes[${j}].loc`) };
    });
    const step = { kernel: kernels.indexOf(k), dispatch: triple(os.dispatch, `${w}.dispatch`, 1, 2 ** 32 - 1), buffers: bound, values, nodes };
    return os.checks === undefined ? step : { ...step, checks: checks(os.checks, `${w}.checks`) };
  });
  const views =
    o.views === undefined
      ? undefined
      : array(o.views, `${at}.views`, 10_000).map((x, i) => {
          const ov = object(x, `${at}.views[${i}]`, ["value", "of", "offset"]);
          return { value: valueId(ov.value, `${at}.views[${i}].value`), of: valueId(ov.of, `${at}.views[${i}].of`), offset: int(ov.offset, `${at}.views[${i}].offset`, 0, MAX_SIZE) };
        });
  return views === undefined ? { buffers, inputs, outputs, steps } : { buffers, inputs, outputs, views, steps };
}

/** A step's check sites: word i is entry i. */
function checks(v: unknown, at: string): CheckSite[] {
  return array(v, at, 4096).map((c, i) => {
    const w = `${at}[${i}]`;
    const o = object(c, w, ["word", "code", "message", "node", "order", "op"], ["loc"]);
    if (int(o.word, `${w}.word`, 0, 4095) !== i) bad(`${w}.word`, `check words must be 0, 1, 2, … in order; got ${describe(o.word)}`);
    const code = string(o.code, `${w}.code`, 16);
    if (!/^MP\d{4}$/.test(code)) bad(`${w}.code`, `${describe(code)} is not a diagnostic code`);
    const site = { word: i, code, message: string(o.message, `${w}.message`, 4096), node: int(o.node, `${w}.node`, 0, 2 ** 31), order: int(o.order, `${w}.order`, 0, 2 ** 31), op: string(o.op, `${w}.op`, 128) };
    return o.loc === undefined ? site : { ...site, loc: string(o.loc, `${w}.loc`) };
  });
}

/** The program's input slots must be exactly the bundle's inputs and params (at `dims`); `outputs` its outputs. */
function checkSlots(at: string, got: readonly SlotSpec[], want: readonly TensorSpec[], dims: Readonly<Record<string, number>>): void {
  const byName = new Map(got.map((s) => [s.name, s]));
  if (byName.size !== got.length) bad(at, "names a tensor twice");
  if (got.length !== want.length) bad(at, `has ${got.length} tensors; the manifest declares ${want.length}`);
  for (const t of want) {
    const s = byName.get(t.name);
    if (!s) bad(at, `lacks '${t.name}'`);
    const shape = bindShape(t.shape, dims) ?? bad("dims", `does not size every named dim of '${t.name}' [${t.shape.join(", ")}]`);
    if (!sameTensor(s!, { ...t, shape })) bad(at, `'${t.name}' is ${s!.dtype}[${s!.shape.join(", ")}]; the manifest declares ${t.dtype}[${t.shape.join(", ")}] with dims ${JSON.stringify(dims)}`);
  }
}

function graphFile(v: unknown, at: string): string {
  const file = string(v, at, 200);
  if (!GRAPH_FILE.test(file)) bad(at, `${describe(file)} is not a file name of the form graphs/<name>.mpir`);
  return file;
}

function validate(raw: Obj): Manifest {
  const o = object(raw, "", ["format", "version", "hash", "name", "inputs", "params", "outputs", "loss", "paramsFile", "graphs", "kernels", "dims", "tiers", "programs"]);
  const hash = string(o.hash, "hash", 100);
  if (!HASH.test(hash)) bad("hash", `expected sha256:<64 hex digits>, got ${describe(hash)}`);
  const name = string(o.name, "name", 256);
  const inputs = tensors(o.inputs, "inputs", true);
  const params = tensors(o.params, "params");
  const outputs = tensors(o.outputs, "outputs", true);
  const sources = [...inputs, ...params];
  if (new Set(sources.map((t) => t.name)).size !== sources.length) bad("params", "a param has the name of an input");
  const paramsFile = string(o.paramsFile, "paramsFile", 200);
  if (!PARAMS_FILE.test(paramsFile)) bad("paramsFile", `${describe(paramsFile)} is not a file name of the form <name>.safetensors`);
  const loss = o.loss === null ? null : tensorName(o.loss, "loss");
  if (loss !== null) {
    const l = outputs.find((t) => t.name === loss);
    if (!l || l.shape.length !== 0) bad("loss", `'${loss}' is not a scalar output`);
  }
  const og = object(o.graphs, "graphs", ["forward", "train"]);
  const graphs = { forward: graphFile(og.forward, "graphs.forward"), train: og.train === null ? null : graphFile(og.train, "graphs.train") };
  if ((graphs.train === null) !== (loss === null)) bad("graphs.train", loss === null ? "a training step needs a loss (the manifest's loss is null)" : "missing: the bundle has a loss");
  if (graphs.train === graphs.forward) bad("graphs", "the forward graph and the training step share a file");
  const kernels = array(o.kernels, "kernels", 10_000).map((k, i) => kernel(k, `kernels[${i}]`));
  if (new Set(kernels.map((k) => k.file)).size !== kernels.length) bad("kernels", "two kernels share a file");
  const tiers = array(o.tiers, "tiers", TIERS.length).map((t, i) => (TIERS.includes(t as number) ? (t as number) : bad(`tiers[${i}]`, `expected one of ${TIERS.join(", ")}, got ${describe(t)}`)));
  if (o.programs === null) {
    if (o.dims !== null || tiers.length) bad("dims", "dims and tiers describe programs; the manifest has none");
    return { format: BUNDLE_FORMAT, version: BUNDLE_VERSION, hash, name, inputs, params, outputs, loss, paramsFile, graphs, kernels, dims: null, tiers, programs: null };
  }
  const od = object(o.dims, "dims", [], Object.keys(typeof o.dims === "object" && o.dims !== null ? o.dims : {}));
  const dims: Record<string, number> = {};
  for (const [k, v] of Object.entries(od)) {
    if (!DIM_NAME.test(k)) bad("dims", `${describe(k)} is not a dim name`);
    dims[k] = int(v, `dims.${k}`, 1, 2 ** 31 - 1);
  }
  if (!tiers.length) bad("tiers", "programs need at least one tier");
  const progs = object(o.programs, "programs", ["forward", "train"]);
  const forward = program(progs.forward, "programs.forward", kernels);
  checkSlots("programs.forward.inputs", forward.inputs, sources, dims);
  checkSlots("programs.forward.outputs", forward.outputs, outputs, dims);
  let train: ProgramSpec | null = null;
  if (loss === null) {
    if (progs.train !== null) bad("programs.train", "a training step needs a loss (the manifest's loss is null)");
  } else {
    train = program(progs.train, "programs.train", kernels);
    checkSlots("programs.train.inputs", train.inputs, sources, dims);
    const grads = train.outputs.filter((s) => s.name.startsWith(GRAD_PREFIX));
    checkSlots("programs.train.outputs", train.outputs.filter((s) => !s.name.startsWith(GRAD_PREFIX)), outputs, dims);
    for (const g of grads) {
      const src = sources.find((t) => t.name === g.name.slice(GRAD_PREFIX.length));
      const shape = src && bindShape(src.shape, dims);
      if (!src || !shape || src.dtype === "i32" || !sameTensor(g, { name: g.name, shape, dtype: g.dtype })) bad("programs.train.outputs", `'${g.name}' is not the gradient of an input or param of the same shape`);
    }
    if (new Set(grads.map((g) => g.name)).size !== grads.length) bad("programs.train.outputs", "names a gradient twice");
  }
  return { format: BUNDLE_FORMAT, version: BUNDLE_VERSION, hash, name, inputs, params, outputs, loss, paramsFile, graphs, kernels, dims, tiers, programs: { forward, train } };
}

/** Parses and validates manifest.json's text; throws BundleError MP7001 (malformed) or MP7002 (version). */
export function parseManifest(text: unknown): Manifest {
  if (typeof text !== "string") bundleFail("MP7001", "manifest is not text");
  if (text.length > MAX_MANIFEST_CHARS) bundleFail("MP7001", `manifest is larger than ${MAX_MANIFEST_CHARS} characters`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    bundleFail("MP7001", `manifest is not valid JSON: ${e instanceof Error ? e.message.slice(0, 200) : "parse error"}`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) bundleFail("MP7001", `manifest must be a JSON object, got ${describe(raw)}`);
  const o = raw as Obj;
  if (o.format !== BUNDLE_FORMAT) bundleFail("MP7001", `not a matprop bundle manifest (format is ${describe(o.format)}, expected "${BUNDLE_FORMAT}")`);
  if (o.version !== BUNDLE_VERSION) {
    bundleFail("MP7002", `bundle format version ${describe(o.version)} is not supported by this runtime (it reads version ${BUNDLE_VERSION}); rebuild the bundle with a matching matprop`);
  }
  try {
    return validate(o);
  } catch (e) {
    if (e instanceof BundleError) throw e;
    // A stack overflow or similar on adversarial input is still a malformed manifest, never a crash.
    bundleFail("MP7001", `manifest could not be validated: ${e instanceof Error ? e.message.slice(0, 200) : String(e)}`);
  }
}
