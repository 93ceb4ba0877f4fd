// Constants: a MIR constant becomes bytes plus pointer relocations in the layout of its
// type (the form allocation dumps already have), and from those an operand — immediates
// for scalars and pairs, a reference to read-only data otherwise. Allocations, string
// literals and statics become data symbols of the unit, named by their contents so
// that equal data is emitted once and names never depend on numbering in the dump.

import { createHash } from 'node:crypto';
import type { AllocItem, Const, ConstField, Path, Ty } from '../../mir/ast.js';
import { substPath } from '../../mir/subst.js';
import { instTy } from '../../mir/body-types.js';
import { identSegments, pathKey, showTy } from '../../mir/ty.js';
import { printPath } from '../../mir/printer.js';
import type { SourceFile } from '../../diagnostics.js';
import type { Layout, Scalar } from '../layout/layout.js';
import { isZst } from '../layout/layout.js';
import { scalarRegType } from '../layout/layout-cx.js';
import type { BackendTypes, DataReloc } from '../traits/index.js';
import { I64 } from '../traits/index.js';
import { fnRef } from './declare.js';
import { vtableGlobal } from './vtable.js';
import { isEnum, tagValue } from './discriminant.js';
import { CodegenError, type FunctionCx, type UnitCx } from './function-cx.js';
import { pairBOffset, type OperandRef, zstOperand } from './operand.js';
import { fieldOffset } from './place.js';
import type { Instance } from '../../mono/types.js';

/** Where a pointer inside constant data points. */
export type RelocTarget =
  | { kind: 'alloc'; file: SourceFile; id: number }
  | { kind: 'bytes'; bytes: Uint8Array; align: number }
  | { kind: 'fn'; instance: Instance }
  | { kind: 'static'; symbol: string };

export interface ConstReloc {
  offset: number;
  target: RelocTarget;
  addend: number;
}

export interface ConstBytes {
  bytes: Uint8Array;
  relocs: ConstReloc[];
}

/** The operand of a MIR constant of type `ty`. */
export function codegenConst<B extends BackendTypes>(fx: FunctionCx<B>, c: Const, ty: Ty): OperandRef<B> {
  const layout = fx.ucx.layouts.layoutOf(ty);
  if (isZst(layout)) return zstOperand(layout);
  const { bx } = fx;
  // Scalars without relocations need no detour through bytes.
  if (layout.repr.kind === 'scalar') {
    const s = layout.repr.scalar;
    switch (c.kind) {
      case 'int':
        return { layout, val: { kind: 'immediate', v: intImmediate(fx, s, c.value) } };
      case 'bool':
        return { layout, val: { kind: 'immediate', v: bx.constInt({ kind: 'int', bits: 8 }, c.value ? 1n : 0n) } };
      case 'char':
        return { layout, val: { kind: 'immediate', v: bx.constInt({ kind: 'int', bits: 32 }, BigInt(c.value)) } };
      case 'float':
        return { layout, val: { kind: 'immediate', v: bx.constFloat(c.ty === 'f32' ? 32 : 64, c.value) } };
      default:
        break;
    }
  }
  if (c.kind === 'path') {
    // A const generic parameter (`const N`) has its value in the substitution.
    const seg = c.path.segments.length === 1 ? c.path.segments[0] : undefined;
    const param = seg?.kind === 'ident' && !seg.args ? fx.types.subst.consts.get(seg.name) : undefined;
    if (param !== undefined && layout.repr.kind === 'scalar') return { layout, val: { kind: 'immediate', v: intImmediate(fx, layout.repr.scalar, param) } };
    const builtin = builtinConst(fx, c.path);
    if (builtin !== undefined) return { layout, val: { kind: 'immediate', v: fx.bx.constInt({ kind: 'int', bits: layout.size === 1 ? 8 : 64 }, builtin) } };
    const inst = fx.ucx.mono.constInstance(fx.instance, c.path);
    if (inst) return callConstInstance(fx, inst, layout);
    const item = fx.ucx.mono.constItem(fx.instance, c.path);
    if (item?.item.value) return codegenConst(fx, item.item.value, ty);
  }
  if (c.kind === 'uninit') {
    if (layout.repr.kind === 'memory') return { layout, val: { kind: 'ref', ptr: bx.alloca(Math.max(1, layout.size), layout.align) } };
  }
  const data = constBytes(fx.ucx, fx, c, layout);
  return operandFromBytes(fx, data, layout);
}

/** The constants core's `SizedTypeProperties` provides for every type: `IS_ZST`, `SIZE`, `ALIGN`. */
function builtinConst<B extends BackendTypes>(fx: FunctionCx<B>, path: Path): bigint | undefined {
  const segs = path.segments;
  const first = segs[0];
  const last = segs[segs.length - 1];
  if (segs.length !== 2 || first?.kind !== 'qualified' || last?.kind !== 'ident' || !first.trait) return undefined;
  const trait = identSegments(first.trait);
  if (trait?.[trait.length - 1] !== 'SizedTypeProperties') return undefined;
  const layout = fx.ucx.layouts.layoutOf(instTy(first.self, fx.types.subst));
  switch (last.name) {
    case 'IS_ZST':
      return layout.size === 0 ? 1n : 0n;
    case 'SIZE':
      return BigInt(layout.size);
    case 'ALIGN':
      return BigInt(layout.align);
    case 'MAX_SLICE_LEN':
      return layout.size === 0 ? (1n << 64n) - 1n : ((1n << 63n) - 1n) / BigInt(layout.size);
    default:
      return undefined;
  }
}

function intImmediate<B extends BackendTypes>(fx: FunctionCx<B>, s: Scalar, value: bigint): B['Value'] {
  const reg = scalarRegType(s);
  if (reg.kind === 'int') return fx.bx.constInt(reg, value);
  if (reg.kind === 'ptr') return value === 0n ? fx.bx.constNull() : fx.bx.intToPtr(fx.bx.constInt(I64, value));
  return fx.bx.constFloatBits(reg.bits, value);
}

function callConstInstance<B extends BackendTypes>(fx: FunctionCx<B>, inst: Instance, layout: Layout): OperandRef<B> {
  // The const's body is compiled as a function returning the value (see codegenCrate).
  const declared = fnRef(fx.ucx, inst);
  const abi = declared.abi;
  if (abi.ret.mode.kind === 'indirect') {
    const slot = fx.bx.alloca(Math.max(1, layout.size), layout.align);
    fx.bx.call(declared.sig, declared.fn, [slot]);
    return { layout, val: { kind: 'ref', ptr: slot } };
  }
  const results = fx.bx.call(declared.sig, declared.fn, []);
  if (results.length === 1) return { layout, val: { kind: 'immediate', v: results[0] } };
  if (results.length === 2) return { layout, val: { kind: 'pair', a: results[0], b: results[1] } };
  return zstOperand(layout);
}

/** Reads the scalars of constant bytes into an operand, or points at them as data. */
function operandFromBytes<B extends BackendTypes>(fx: FunctionCx<B>, data: ConstBytes, layout: Layout): OperandRef<B> {
  switch (layout.repr.kind) {
    case 'scalar':
      return { layout, val: { kind: 'immediate', v: scalarAt(fx, data, 0, layout.repr.scalar) } };
    case 'scalarPair': {
      const { a, b } = layout.repr;
      return { layout, val: { kind: 'pair', a: scalarAt(fx, data, 0, a), b: scalarAt(fx, data, pairBOffset(a, b), b) } };
    }
    default: {
      const g = dataGlobal(fx.ucx, data.bytes, data.relocs, layout.align);
      return { layout, val: { kind: 'ref', ptr: fx.bx.dataAddress(g, 0) } };
    }
  }
}

function scalarAt<B extends BackendTypes>(fx: FunctionCx<B>, data: ConstBytes, offset: number, s: Scalar): B['Value'] {
  const reg = scalarRegType(s);
  const reloc = data.relocs.find((r) => r.offset === offset);
  if (reg.kind === 'ptr' && reloc) return relocValue(fx, reloc);
  const size = reg.kind === 'ptr' ? 8 : reg.bits / 8;
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(data.bytes[offset + i] ?? 0);
  if (reg.kind === 'int') return fx.bx.constInt(reg, v);
  if (reg.kind === 'float') return fx.bx.constFloatBits(reg.bits, v);
  return v === 0n ? fx.bx.constNull() : fx.bx.intToPtr(fx.bx.constInt(I64, v));
}

function relocValue<B extends BackendTypes>(fx: FunctionCx<B>, r: ConstReloc): B['Value'] {
  const t = resolveTarget(fx.ucx, r.target);
  if (t.kind === 'fn') {
    const p = fx.bx.fnAddress(t.fn);
    return r.addend === 0 ? p : fx.bx.ptrAdd(p, fx.bx.constInt(I64, BigInt(r.addend)));
  }
  return fx.bx.dataAddress(t.global, r.addend);
}

export function resolveTarget<B extends BackendTypes>(ucx: UnitCx<B>, t: RelocTarget): DataReloc<B>['target'] {
  switch (t.kind) {
    case 'fn':
      return { kind: 'fn', fn: fnRef(ucx, t.instance).fn };
    case 'static':
      return { kind: 'data', global: ucx.cx.declareData(t.symbol, 'external') };
    case 'bytes':
      return { kind: 'data', global: dataGlobal(ucx, t.bytes, [], t.align) };
    case 'alloc': {
      const a = findAlloc(ucx, t.file, t.id);
      if (a.alloc.kind === 'fn') return { kind: 'fn', fn: fnRef(ucx, ucx.mono.allocFn(a.alloc.text)).fn };
      if (a.alloc.kind === 'vtable') return { kind: 'data', global: vtableGlobal(ucx, ucx.mono.allocVtable(a.alloc.text)) };
      return { kind: 'data', global: allocGlobal(ucx, t.file, t.id) };
    }
  }
}

/** An internal read-only data symbol for bytes and relocations, named by its contents. */
function dataGlobal<B extends BackendTypes>(ucx: UnitCx<B>, bytes: Uint8Array, relocs: ConstReloc[], align: number): B['Global'] {
  const h = createHash('sha256');
  h.update(bytes);
  h.update(`|${align}`);
  for (const r of relocs) h.update(`|${r.offset}+${r.addend}->${targetKey(ucx, r.target)}`);
  const symbol = `.Lconst.${ucx.crateName}.${h.digest('hex').slice(0, 24)}`;
  let g = ucx.data.get(symbol);
  if (g === undefined) {
    g = ucx.cx.declareData(symbol, 'internal');
    ucx.data.set(symbol, g);
    ucx.cx.defineData(g, { bytes, relocs: relocs.map((r) => ({ offset: r.offset, addend: r.addend, target: resolveTarget(ucx, r.target) })), align, mutable: false });
  }
  return g;
}

function targetKey<B extends BackendTypes>(ucx: UnitCx<B>, t: RelocTarget): string {
  switch (t.kind) {
    case 'fn':
      return `fn:${t.instance.symbol}`;
    case 'static':
      return `static:${t.symbol}`;
    case 'bytes':
      return `bytes:${createHash('sha256').update(t.bytes).digest('hex')}:${t.align}`;
    case 'alloc': {
      const memoKey = `${t.file.name}#${t.id}`;
      const known = ucx.allocKeys.get(memoKey);
      if (known !== undefined) return known;
      // Allocations may point at each other in a cycle: the inner visit sees a stand-in.
      ucx.allocKeys.set(memoKey, `cycle:${memoKey}`);
      const key = allocKey(ucx, t.file, t.id);
      ucx.allocKeys.set(memoKey, key);
      return key;
    }
  }
}

/** The content key of a dumped allocation: what it holds, and what its pointers lead to. */
function allocKey<B extends BackendTypes>(ucx: UnitCx<B>, file: SourceFile, id: number): string {
  const a = findAlloc(ucx, file, id);
  if (a.alloc.kind === 'memory' && a.alloc.static) return `static:${ucx.mono.staticSymbol(staticPath(a.alloc.static))}`;
  if (a.alloc.kind === 'static') return `static:${ucx.mono.staticSymbol(staticPath(a.alloc.name))}`;
  if (a.alloc.kind === 'fn') return `fn:${ucx.mono.allocFn(a.alloc.text).symbol}`;
  if (a.alloc.kind === 'vtable') return `vtable:${ucx.mono.allocVtable(a.alloc.text).symbol}`;
  if (a.alloc.kind !== 'memory') return `alloc:${a.alloc.kind}`;
  const h = createHash('sha256').update(a.alloc.bytes);
  for (const r of a.alloc.relocs) h.update(`|${r.offset}+${r.addend}->${targetKey(ucx, { kind: 'alloc', file, id: r.alloc })}`);
  return `alloc:${h.digest('hex')}`;
}

function staticPath(name: string): Path {
  return { segments: name.split('::').map((n) => ({ kind: 'ident' as const, name: n })), span: { lo: 0, hi: 0 } };
}

function findAlloc<B extends BackendTypes>(ucx: UnitCx<B>, file: SourceFile, id: number): AllocItem {
  const a = ucx.index.allocs.get(file)?.get(id);
  if (!a) throw new CodegenError(`no allocation alloc${id} in ${file.name}`);
  return a;
}

/** The data symbol of a dumped allocation: the static it belongs to, or internal data. */
export function allocGlobal<B extends BackendTypes>(ucx: UnitCx<B>, file: SourceFile, id: number): B['Global'] {
  const memoKey = `${file.name}#${id}`;
  const known = ucx.allocs.get(memoKey);
  if (known !== undefined) return known;
  const g = emitAlloc(ucx, file, id);
  ucx.allocs.set(memoKey, g);
  return g;
}

function emitAlloc<B extends BackendTypes>(ucx: UnitCx<B>, file: SourceFile, id: number): B['Global'] {
  const a = findAlloc(ucx, file, id);
  const alloc = a.alloc;
  if (alloc.kind === 'static' || (alloc.kind === 'memory' && alloc.static)) {
    const name = alloc.kind === 'static' ? alloc.name : alloc.static!;
    return ucx.cx.declareData(ucx.mono.staticSymbol(staticPath(name)), 'external');
  }
  if (alloc.kind !== 'memory') throw new CodegenError(`allocation alloc${id} (${alloc.kind}) is not supported yet`, a.span);
  const relocs: ConstReloc[] = alloc.relocs.map((r) => ({ offset: r.offset, addend: r.addend, target: { kind: 'alloc', file, id: r.alloc } }));
  return dataGlobal(ucx, alloc.bytes, relocs, alloc.align);
}

/** The bytes and relocations of constant data of a static's allocation (`static: NAME`). */
export function allocBytes<B extends BackendTypes>(ucx: UnitCx<B>, file: SourceFile, id: number): ConstBytes & { align: number } {
  const a = findAlloc(ucx, file, id);
  if (a.alloc.kind !== 'memory') throw new CodegenError(`allocation alloc${id} has no contents`, a.span);
  return { bytes: a.alloc.bytes, align: a.alloc.align, relocs: a.alloc.relocs.map((r) => ({ offset: r.offset, addend: r.addend, target: { kind: 'alloc', file, id: r.alloc } })) };
}

// ------------------------------------------------------------------ constants as bytes

/** Lays a constant out in `layout`: the bytes of the value and its pointers. */
export function constBytes<B extends BackendTypes>(ucx: UnitCx<B>, fx: FunctionCx<B> | undefined, c: Const, layout: Layout): ConstBytes {
  const out: ConstBytes = { bytes: new Uint8Array(layout.size), relocs: [] };
  writeConst(ucx, fx, c, layout, out, 0);
  return out;
}

function writeInt(out: ConstBytes, offset: number, size: number, value: bigint): void {
  let v = BigInt.asUintN(size * 8, value);
  for (let i = 0; i < size; i++) {
    out.bytes[offset + i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

function writeConst<B extends BackendTypes>(ucx: UnitCx<B>, fx: FunctionCx<B> | undefined, c: Const, layout: Layout, out: ConstBytes, at: number): void {
  const file = fx?.file;
  switch (c.kind) {
    case 'int':
      writeInt(out, at, layout.size, c.value);
      return;
    case 'bool':
      out.bytes[at] = c.value ? 1 : 0;
      return;
    case 'char':
      writeInt(out, at, 4, BigInt(c.value));
      return;
    case 'float': {
      const dv = new DataView(out.bytes.buffer, out.bytes.byteOffset);
      if (c.ty === 'f32') dv.setFloat32(at, c.value, true);
      else dv.setFloat64(at, c.value, true);
      return;
    }
    case 'unit':
    case 'zst':
    case 'uninit':
      return;
    case 'str': {
      const bytes = new TextEncoder().encode(c.value);
      out.relocs.push({ offset: at, target: { kind: 'bytes', bytes, align: 1 }, addend: 0 });
      writeInt(out, at + 8, 8, BigInt(bytes.length));
      return;
    }
    case 'byteStr':
      if (c.byValue) out.bytes.set(c.bytes, at);
      else out.relocs.push({ offset: at, target: { kind: 'bytes', bytes: c.bytes, align: 1 }, addend: 0 });
      return;
    case 'tuple':
      c.elems.forEach((e, i) => writeConst(ucx, fx, e, ucx.layouts.field(layout, i), out, at + fieldOffset(layout, i)));
      return;
    case 'array': {
      const elem = ucx.layouts.field(layout, 0);
      c.elems.forEach((e, i) => writeConst(ucx, fx, e, elem, out, at + i * elem.size));
      return;
    }
    case 'alloc':
    case 'indirect': {
      if (!file) throw new CodegenError('an allocation constant outside a body');
      if (c.kind === 'indirect') {
        const src = allocBytes(ucx, file, c.alloc);
        out.bytes.set(src.bytes.subarray(c.offset, c.offset + layout.size), at);
        for (const r of src.relocs) if (r.offset >= c.offset && r.offset < c.offset + layout.size) out.relocs.push({ ...r, offset: at + r.offset - c.offset });
        return;
      }
      out.relocs.push({ offset: at, target: { kind: 'alloc', file, id: c.alloc }, addend: c.offset ?? 0 });
      return;
    }
    case 'transmute':
      writeInt(out, at, layout.size, c.bits);
      return;
    case 'intPtr':
      writeInt(out, at, 8, c.value);
      return;
    case 'fnPtr': {
      if (!fx) throw new CodegenError('a function pointer constant outside a body');
      const inst = ucx.mono.fnItemInstance(fx.instance, { kind: 'fnDef', item: substPath(c.path, fx.types.subst), sig: fnSigOf(c.ty) });
      out.relocs.push({ offset: at, target: { kind: 'fn', instance: inst }, addend: 0 });
      return;
    }
    case 'path':
    case 'ctor': {
      const item = ucx.index.consts.get(pathKey(c.path));
      if (item?.item.value) {
        writeConst(ucx, fx, item.item.value, layout, out, at);
        return;
      }
      if (item) throw new CodegenError(`the constant \`${pathKey(c.path)}\` is computed by a body; it cannot be used inside other constant data yet`);
      // What is left is a unit struct or a variant: of an ADT, or of nothing at all (a ZST).
      if (c.kind === 'path' && layout.size > 0 && !(layout.ty.kind === 'named' && ucx.layouts.adts.lookup(layout.ty.path))) {
        throw new CodegenError(`cannot find the value \`${printPath(c.path, 'value')}\`: it is no constant, function, unit struct or variant of \`${showTy(layout.ty)}\``);
      }
      writeAdt(ucx, fx, c.path, c.kind === 'ctor' ? c.fields : [], layout, out, at);
      return;
    }
  }
}

function fnSigOf(ty: Ty): Extract<Ty, { kind: 'fnPtr' }>['sig'] {
  if (ty.kind === 'fnPtr' || ty.kind === 'fnDef') return ty.sig;
  return { unsafe: false, params: [], variadic: false, ret: { kind: 'tuple', elems: [] } };
}

/** A struct or enum value from a constructor: `Kg(12_u32)`, `Some(5_i32)`, `Color::Red`, `Bird {{ grams: 3 }}`. */
function writeAdt<B extends BackendTypes>(ucx: UnitCx<B>, fx: FunctionCx<B> | undefined, path: Path, fields: ConstField[], layout: Layout, out: ConstBytes, at: number): void {
  const layouts = ucx.layouts;
  let variantLayout = layout;
  let variantIndex = 0;
  if (layout.variants.kind === 'multiple' || isEnum(ucx.layouts.adts, layout.ty)) {
    const segs = identSegments(path) ?? [];
    const name = segs[segs.length - 1] ?? '';
    variantIndex = layouts.variantIndex(layout.ty, name);
    variantLayout = layouts.forVariant(layout, variantIndex);
  }
  const adt = layout.ty.kind === 'named' ? layouts.adts.lookup(layout.ty.path) : undefined;
  const variantDecl = adt?.variants[variantIndex];
  fields.forEach((f, i) => {
    const index = f.name !== undefined && variantDecl ? variantDecl.fields.findIndex((d) => d.name === f.name) : i;
    if (index < 0) throw new CodegenError(`no field \`${f.name}\` in \`${pathKey(path)}\``);
    writeConst(ucx, fx, f.value, layouts.field(variantLayout, index), out, at + fieldOffset(variantLayout, index));
  });
  writeTag(ucx, layout, variantIndex, out, at);
}


/** Writes the tag that selects `variant` (nothing for single-variant layouts or the untagged niche variant). */
function writeTag<B extends BackendTypes>(ucx: UnitCx<B>, layout: Layout, variant: number, out: ConstBytes, at: number): void {
  const v = layout.variants;
  const value = tagValue(ucx.layouts, layout, variant);
  if (v.kind !== 'multiple' || value === undefined) return;
  writeInt(out, at + fieldOffset(layout, v.tagField), v.tag.prim.kind === 'pointer' ? 8 : v.tag.prim.bits / 8, value);
}
