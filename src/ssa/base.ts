// The driver of code generation (rustc's `codegen_crate`): each codegen unit becomes a
// module of the backend, lowered item by item through the backend interfaces, plus the
// runtime module; the modules are then compiled to objects in parallel. Lowering errors
// become diagnostics at the construct that could not be lowered.

import { availableParallelism } from 'node:os';
import type { CheckedCrate } from '../mir/check.js';
import { staticAllocation, staticName } from '../mir/resolve.js';
import type { ConstItem, Const } from '../mir/ast.js';
import { type Diagnostic, DiagnosticSink, NO_SPAN, SourceFile, type Span } from '../diagnostics.js';
import type { CodegenUnit, Instance, MonoItem, MonoQueries } from '../mono/types.js';
import { MonoError } from '../mono/types.js';
import { LayoutError, type LayoutCx } from './layout/layout-cx.js';
import { codegenFunction } from './mir/function.js';
import { codegenDropGlue } from './mir/drop-glue.js';
import { allocBytes, type ConstReloc, constBytes, resolveTarget } from './mir/constant.js';
import { CodegenError, type UnitCx } from './mir/function-cx.js';
import { codegenRuntime, PANIC_SYMBOL, RUNTIME_UNIT_SUFFIX } from './runtime.js';
import type { Backend, BackendTypes, CodegenCx, ModuleOptions, ObjectFile, SerializedModule } from './traits/index.js';
import { runCoordinator, type UnitWork } from './back/write.js';

export interface CrateInput {
  crate: CheckedCrate;
  crateName: string;
  units: CodegenUnit[];
  mono: MonoQueries;
  layouts: LayoutCx;
}

export interface CodegenOutput {
  /** One object per unit, in unit order, then the runtime's. */
  objects: ObjectFile[];
  diagnostics: Diagnostic[];
  /** Failures of the backend's tools. */
  errors: string[];
}

/** Every unit lowered and compiled, nothing reused: the coordinator without a cache. */
export async function codegenCrate<B extends BackendTypes, M extends CodegenCx<B>>(backend: Backend<B, M>, input: CrateInput, options: ModuleOptions & { jobs?: number }): Promise<CodegenOutput> {
  const sink = new DiagnosticSink();
  const works: UnitWork[] = [...input.units, undefined].map((unit) => ({
    name: unit ? unit.name : runtimeUnitName(input),
    sizeEstimate: unit ? unit.sizeEstimate : 1,
    reuse: 'No',
    lower: () => lowerUnit(backend, input, unit, options, sink),
  }));
  const result = await runCoordinator(backend, works, { lto: 'off', jobs: options.jobs ?? availableParallelism(), module: options, fatName: '' });
  return { objects: result.objects, diagnostics: sink.list, errors: result.errors };
}

/** A unit (the runtime module when `unit` is undefined) lowered and serialized; undefined when an item could not be lowered. */
export function lowerUnit<B extends BackendTypes, M extends CodegenCx<B>>(backend: Backend<B, M>, input: CrateInput, unit: CodegenUnit | undefined, options: ModuleOptions, sink: DiagnosticSink): SerializedModule | undefined {
  const m = unit ? compileCodegenUnit(backend, input, unit, options, sink) : runtimeModule(backend, input, options);
  return m && backend.serialize(m);
}

export function runtimeUnitName(input: CrateInput): string {
  return `${input.crateName}.${RUNTIME_UNIT_SUFFIX}`;
}

/** Lowers one unit into a fresh module; undefined when an item could not be lowered. */
export function compileCodegenUnit<B extends BackendTypes, M extends CodegenCx<B>>(backend: Backend<B, M>, input: CrateInput, unit: CodegenUnit, options: ModuleOptions, sink: DiagnosticSink): M | undefined {
  const cx = backend.newModule(unit.name, options);
  const ucx = unitCx(cx, input);
  for (const it of unit.items) ucx.linkage.set(symbolOf(it.item), it.linkage);
  if (input.mono.panicHandler) ucx.linkage.set(input.mono.panicHandler.symbol, 'external');
  let ok = true;
  for (const it of unit.items) {
    try {
      codegenItem(ucx, it.item);
    } catch (e) {
      ok = false;
      report(sink, e, itemFile(it.item), itemSpan(it.item));
    }
  }
  return ok ? cx : undefined;
}

function unitCx<B extends BackendTypes>(cx: CodegenCx<B>, input: CrateInput): UnitCx<B> {
  return { cx, layouts: input.layouts, mono: input.mono, index: input.crate.index, crateName: input.crateName, fns: new Map(), data: new Map(), allocs: new Map(), allocKeys: new Map(), panicSymbol: PANIC_SYMBOL, linkage: new Map() };
}

/** The runtime module of the crate (see runtime.ts), lowered into a fresh module. */
export function runtimeModule<B extends BackendTypes, M extends CodegenCx<B>>(backend: Backend<B, M>, input: CrateInput, options: ModuleOptions): M {
  const cx = backend.newModule(runtimeUnitName(input), options);
  codegenRuntime(unitCx(cx, input), input.mono.panicHandler);
  return cx;
}

function symbolOf(m: MonoItem): string {
  return m.kind === 'fn' ? m.instance.symbol : m.symbol;
}

function itemFile(m: MonoItem): SourceFile | undefined {
  if (m.kind === 'static') return m.item.file;
  const d = m.instance.def;
  return d.kind === 'item' || d.kind === 'constBody' ? d.item.file : undefined;
}

/** Where an error without a location of its own is reported: the item's name. */
function itemSpan(m: MonoItem): Span {
  if (m.kind === 'static') return m.item.item.nameSpan;
  const d = m.instance.def;
  return d.kind === 'item' || d.kind === 'constBody' ? d.item.item.nameSpan : NO_SPAN;
}

function codegenItem<B extends BackendTypes>(ucx: UnitCx<B>, item: MonoItem): void {
  if (item.kind === 'static') {
    codegenStatic(ucx, item);
    return;
  }
  const inst: Instance = item.instance;
  const def = inst.def;
  switch (def.kind) {
    case 'item':
      codegenFunction(ucx, inst, def.item.item.body, def.item.file);
      return;
    case 'constBody':
      if (!def.item.item.body) throw new CodegenError(`the constant \`${inst.key}\` has no body`);
      codegenFunction(ucx, inst, def.item.item.body, def.item.file);
      return;
    case 'dropGlue':
      codegenDropGlue(ucx, inst);
      return;
  }
}

/** A static's data: its dumped allocation (`static: NAME`), or the constant its body returns. */
function codegenStatic<B extends BackendTypes>(ucx: UnitCx<B>, item: Extract<MonoItem, { kind: 'static' }>): void {
  const { item: st, file } = item.item;
  const name = staticName(st);
  const found = staticAllocation(ucx.index, file, st)?.id;
  const g = ucx.cx.declareData(item.symbol, item.exported ? 'external' : (ucx.linkage.get(item.symbol) ?? 'external'));
  if (found !== undefined) {
    const data = allocBytes(ucx, file, found);
    defineWith(ucx, g, data.bytes, data.relocs, data.align, st.mutable);
    return;
  }
  const value = staticValue(st.body);
  if (!value) throw new CodegenError(`the initializer of static \`${name}\` is not a constant codegend can evaluate yet`, st.nameSpan);
  const layout = ucx.layouts.layoutOf(st.ty);
  const data = constBytes(ucx, undefined, value, layout);
  defineWith(ucx, g, data.bytes, data.relocs, layout.align, st.mutable);
}

function defineWith<B extends BackendTypes>(ucx: UnitCx<B>, g: B['Global'], bytes: Uint8Array, relocs: ConstReloc[], align: number, mutable: boolean): void {
  const targets = relocs.map((r) => ({ offset: r.offset, addend: r.addend, target: resolveTarget(ucx, r.target) }));
  ucx.cx.defineData(g, { bytes, relocs: targets, align, mutable });
}

/** `_0 = const C; return;` bodies: the value of simple static initializers. */
function staticValue(body: ConstItem['body']): Const | undefined {
  if (!body || body.blocks.length !== 1) return undefined;
  const b = body.blocks[0]!;
  const assigns = b.statements.filter((s) => s.kind === 'assign');
  if (assigns.length !== 1 || b.terminator.kind !== 'return') return undefined;
  const s = assigns[0]!;
  if (s.kind !== 'assign' || s.place.local !== 0 || s.place.projection.length > 0) return undefined;
  if (s.rvalue.kind !== 'use' || s.rvalue.operand.kind !== 'const') return undefined;
  return s.rvalue.operand.value;
}

const GENERATED = new SourceFile('<generated>', '');

function report(sink: DiagnosticSink, e: unknown, file: SourceFile | undefined, fallback: Span): void {
  if (e instanceof CodegenError || e instanceof LayoutError || e instanceof MonoError) {
    const span = e instanceof CodegenError && e.span ? e.span : fallback;
    sink.error(file ?? GENERATED, span, e.message);
    return;
  }
  throw e;
}
