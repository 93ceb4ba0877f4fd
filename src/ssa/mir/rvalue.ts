// Rvalues (rustc's `codegen_rvalue`): arithmetic with MIR's semantics (wrapping `Add`,
// masked shift amounts, checked `*WithOverflow` pairs, three-way `Cmp`), casts of
// every kind, references and raw pointers, aggregates, discriminants, `Repeat`.
// Values that fit registers are computed as operands; aggregates are built in place.

import type { BinOp, Operand, Rvalue, Ty } from '../../mir/ast.js';
import { instTy } from '../../mir/body-types.js';
import type { Layout } from '../layout/layout.js';
import { isZst } from '../layout/layout.js';
import { scalarRegType } from '../layout/layout-cx.js';
import type { BackendTypes, IntPredicate, FloatPredicate } from '../traits/index.js';
import { I64, I8 } from '../traits/index.js';
import { codegenConst } from './constant.js';
import { CodegenError, type FunctionCx } from './function-cx.js';
import { externFnRef, fnRef } from './declare.js';
import { fnAbiOf } from '../abi/fn-abi.js';
import { pathKey } from '../../mir/ty.js';
import { immediateOf, immediates, loadOperand, type OperandRef, type PlaceRef, storeOperand, zstOperand } from './operand.js';
import { codegenPlace, consumeProjected, elementLayout, fieldOffset } from './place.js';
import { isEnum, readDiscriminant, writeDiscriminant } from './discriminant.js';
import { vtableAddress } from './vtable.js';
import { intBits, isSigned, threeWay } from './int-ops.js';

// ------------------------------------------------------------------ operands

export function codegenOperand<B extends BackendTypes>(fx: FunctionCx<B>, op: Operand, expected?: Ty): OperandRef<B> {
  switch (op.kind) {
    case 'copy':
    case 'move': {
      const local = fx.locals.get(op.place.local);
      if (local?.kind === 'operand' && op.place.projection.every((e) => e.kind === 'field')) {
        return consumeProjected(fx, op.place.local, op.place.projection, op.place);
      }
      return loadOperand(fx.bx, codegenPlace(fx, op.place));
    }
    case 'const': {
      const ty = fx.types.constTy(op.value) ?? constItemTy(fx, op.value) ?? expected;
      if (!ty) throw new CodegenError('the type of this constant is not known here', op.span);
      return codegenConst(fx, op.value, ty);
    }
    case 'runtimeChecks': {
      // Overflow checks are on (the corpus flags); UB and contract checks are off in release MIR.
      const layout = fx.ucx.layouts.layoutOf({ kind: 'bool' });
      return { layout, val: { kind: 'immediate', v: fx.bx.constInt(I8, op.check === 'OverflowChecks' ? 1n : 0n) } };
    }
  }
}

/** The type of an associated constant (`<T as Num>::ZERO`) or a `SizedTypeProperties` one. */
export function constItemTy<B extends BackendTypes>(fx: FunctionCx<B>, c: Extract<Operand, { kind: 'const' }>['value']): Ty | undefined {
  if (c.kind !== 'path') return undefined;
  const last = c.path.segments[c.path.segments.length - 1];
  if (last?.kind === 'ident' && last.name === 'IS_ZST') return { kind: 'bool' };
  if (last?.kind === 'ident' && (last.name === 'SIZE' || last.name === 'ALIGN' || last.name === 'MAX_SLICE_LEN') && c.path.segments[0]?.kind === 'qualified') return { kind: 'int', name: 'usize' };
  const item = fx.ucx.mono.constItem(fx.instance, c.path);
  return item ? instTy(item.item.ty, fx.types.subst) : undefined;
}

/** The type of an operand, including constants whose type only monomorphization knows. */
export function operandTy<B extends BackendTypes>(fx: FunctionCx<B>, op: Operand): Ty | undefined {
  return fx.types.operandTy(op) ?? (op.kind === 'const' ? constItemTy(fx, op.value) : undefined);
}

// ------------------------------------------------------------------ rvalues into places

/** Evaluates `rv` into `dest` (rustc's `codegen_rvalue`). */
export function codegenRvalueInto<B extends BackendTypes>(fx: FunctionCx<B>, dest: PlaceRef<B>, rv: Rvalue): void {
  const { bx } = fx;
  switch (rv.kind) {
    case 'aggregate':
      return aggregateInto(fx, dest, rv);
    case 'repeat': {
      const elem = elementLayout(fx, dest.layout);
      const value = codegenOperand(fx, rv.operand, elem.ty);
      const count = rv.count.kind === 'value' ? Number(rv.count.value) : countOf(fx, dest.layout);
      if (isZst(elem) || count === 0) return;
      if (count <= 16) {
        for (let i = 0; i < count; i++) storeOperand(bx, value, at(fx, dest, i * elem.size, elem));
        return;
      }
      repeatLoop(fx, dest, value, elem, count);
      return;
    }
    default: {
      const op = codegenRvalueOperand(fx, rv, dest.layout);
      storeOperand(bx, op, dest);
    }
  }
}

function countOf<B extends BackendTypes>(fx: FunctionCx<B>, layout: Layout): number {
  const ty = instTy(layout.ty, fx.types.subst);
  if (ty.kind === 'array' && ty.len.kind === 'value') return Number(ty.len.value);
  throw new CodegenError('the length of this array is not known');
}

function at<B extends BackendTypes>(fx: FunctionCx<B>, base: PlaceRef<B>, offset: number, layout: Layout): PlaceRef<B> {
  return { ptr: offset === 0 ? base.ptr : fx.bx.ptrAdd(base.ptr, fx.bx.constInt(I64, BigInt(offset))), layout };
}

function repeatLoop<B extends BackendTypes>(fx: FunctionCx<B>, dest: PlaceRef<B>, value: OperandRef<B>, elem: Layout, count: number): void {
  const { bx } = fx;
  // A byte pattern repeated is a memset.
  if (elem.size === 1 && value.val.kind === 'immediate') {
    bx.memset(dest.ptr, value.val.v, bx.constInt(I64, BigInt(count)), dest.layout.align);
    return;
  }
  const counter = bx.alloca(8, 8);
  bx.store(bx.constInt(I64, 0n), counter, 8);
  const head = bx.appendBlock('repeat_head');
  const body = bx.appendBlock('repeat_body');
  const done = bx.appendBlock('repeat_done');
  bx.br(head);
  bx.positionAtEnd(head);
  const i = bx.load(I64, counter, 8);
  bx.condBr(bx.intCompare('ult', i, bx.constInt(I64, BigInt(count))), body, done);
  bx.positionAtEnd(body);
  const ptr = bx.ptrAdd(dest.ptr, bx.intBinary('mul', i, bx.constInt(I64, BigInt(elem.size))));
  storeOperand(bx, value, { ptr, layout: elem });
  bx.store(bx.intBinary('add', i, bx.constInt(I64, 1n)), counter, 8);
  bx.br(head);
  bx.positionAtEnd(done);
}

function aggregateInto<B extends BackendTypes>(fx: FunctionCx<B>, dest: PlaceRef<B>, rv: Extract<Rvalue, { kind: 'aggregate' }>): void {
  const { bx } = fx;
  const layouts = fx.ucx.layouts;
  const agg = rv.agg;
  if (agg.kind === 'rawPtr') {
    storeOperand(bx, codegenRvalueOperand(fx, rv, dest.layout), dest);
    return;
  }
  let target = dest.layout;
  let variant = 0;
  if (agg.kind === 'adt') {
    const segs = agg.path.segments;
    const last = segs[segs.length - 1];
    if (dest.layout.variants.kind === 'multiple' || isEnum(layouts.adts, dest.layout.ty)) {
      const name = last?.kind === 'ident' ? last.name : '';
      variant = layouts.variantIndex(dest.layout.ty, name);
      target = layouts.forVariant(dest.layout, variant);
    }
  }
  if (agg.kind === 'array') {
    const elem = elementLayout(fx, dest.layout);
    rv.operands.forEach((o, i) => storeOperand(bx, codegenOperand(fx, o, elem.ty), at(fx, dest, i * elem.size, elem)));
    return;
  }
  const adt = agg.kind === 'adt' && dest.layout.ty.kind === 'named' ? layouts.adts.lookup(dest.layout.ty.path) : undefined;
  rv.operands.forEach((o, i) => {
    let index = i;
    if (agg.kind === 'adt' && agg.fieldNames && adt) {
      const decl = adt.variants[variant];
      const found = decl?.fields.findIndex((f) => f.name === agg.fieldNames![i]) ?? -1;
      if (found >= 0) index = found;
    }
    if (target.fields.kind === 'union') index = 0;
    const fieldLayout = target.fields.kind === 'union' ? layouts.layoutOf(fx.types.operandTy(o) ?? target.fieldTys[0]!) : layouts.field(target, index);
    const value = codegenOperand(fx, o, fieldLayout.ty);
    storeOperand(bx, value, at(fx, dest, fieldOffset(target, index), fieldLayout));
  });
  if (dest.layout.variants.kind === 'multiple') writeDiscriminant(fx, dest, variant);
}


// ------------------------------------------------------------------ rvalues as operands

/** An rvalue whose result fits an operand (everything but aggregates and repeats). */
export function codegenRvalueOperand<B extends BackendTypes>(fx: FunctionCx<B>, rv: Rvalue, destLayout: Layout): OperandRef<B> {
  const { bx } = fx;
  const layouts = fx.ucx.layouts;
  switch (rv.kind) {
    case 'use':
      return retype(codegenOperand(fx, rv.operand, destLayout.ty), destLayout);
    case 'copyForDeref':
      return retype(codegenOperand(fx, { kind: 'copy', place: rv.place }), destLayout);
    case 'ref':
    case 'rawPtr': {
      const place = codegenPlace(fx, rv.place);
      if (place.meta !== undefined && destLayout.repr.kind === 'scalarPair') return { layout: destLayout, val: { kind: 'pair', a: place.ptr, b: place.meta } };
      return { layout: destLayout, val: { kind: 'immediate', v: place.ptr } };
    }
    case 'binary':
      return binary(fx, rv.op, rv.lhs, rv.rhs, destLayout);
    case 'unary': {
      const v = codegenOperand(fx, rv.operand, destLayout.ty);
      switch (rv.op) {
        case 'Not':
          if (v.layout.ty.kind === 'bool') return imm(destLayout, bx.intBinary('xor', immediateOf(bx, v), bx.constInt(I8, 1n)));
          return imm(destLayout, bx.not(immediateOf(bx, v)));
        case 'Neg':
          return imm(destLayout, v.layout.ty.kind === 'float' ? bx.fneg(immediateOf(bx, v)) : bx.neg(immediateOf(bx, v)));
        case 'PtrMetadata': {
          const vs = immediates(bx, v);
          if (isZst(destLayout)) return zstOperand(destLayout);
          if (vs.length !== 2) throw new CodegenError('PtrMetadata of a thin pointer');
          return imm(destLayout, vs[1]);
        }
      }
      break;
    }
    case 'nullary': {
      if (rv.op === 'UbChecks' || rv.op === 'ContractChecks') return imm(destLayout, bx.constInt(I8, 0n));
      const l = layouts.layoutOf(instTy(rv.ty, fx.types.subst));
      if (rv.op === 'SizeOf') return imm(destLayout, bx.constInt(I64, BigInt(l.size)));
      if (rv.op === 'AlignOf') return imm(destLayout, bx.constInt(I64, BigInt(l.align)));
      throw new CodegenError('OffsetOf is not supported yet');
    }
    case 'discriminant': {
      const place = codegenPlace(fx, rv.place);
      return imm(destLayout, readDiscriminant(fx, place, destLayout));
    }
    case 'cast':
      return cast(fx, rv, destLayout);
    case 'aggregate': {
      if (rv.agg.kind === 'rawPtr') {
        const [p, meta] = rv.operands.map((o) => codegenOperand(fx, o));
        const ptr = immediateOf(bx, p!);
        if (destLayout.repr.kind === 'scalarPair') return { layout: destLayout, val: { kind: 'pair', a: ptr, b: immediateOf(bx, meta!) } };
        return imm(destLayout, ptr);
      }
      const slot = { ptr: bx.alloca(Math.max(1, destLayout.size), destLayout.align), layout: destLayout };
      aggregateInto(fx, slot, rv);
      return loadOperand(bx, slot);
    }
    case 'repeat': {
      const slot = { ptr: bx.alloca(Math.max(1, destLayout.size), destLayout.align), layout: destLayout };
      codegenRvalueInto(fx, slot, rv);
      return loadOperand(bx, slot);
    }
    case 'threadLocalRef':
    case 'shallowInitBox':
    case 'wrapUnsafeBinder':
      throw new CodegenError(`${rv.kind} is not supported yet`);
  }
  throw new CodegenError(`unsupported rvalue`);
}

function imm<B extends BackendTypes>(layout: Layout, v: B['Value']): OperandRef<B> {
  return { layout, val: { kind: 'immediate', v } };
}

/** The same value seen at another layout of the same representation. */
function retype<B extends BackendTypes>(op: OperandRef<B>, layout: Layout): OperandRef<B> {
  return op.layout === layout ? op : { layout, val: op.val };
}

function binary<B extends BackendTypes>(fx: FunctionCx<B>, op: BinOp, lhsOp: Operand, rhsOp: Operand, dest: Layout): OperandRef<B> {
  const lTy = fx.types.operandTy(lhsOp) ?? fx.types.operandTy(rhsOp);
  const shift = op === 'Shl' || op === 'Shr' || op === 'ShlUnchecked' || op === 'ShrUnchecked';
  const lhs = codegenOperand(fx, lhsOp, lTy);
  const rTy = shift || op === 'Offset' ? fx.types.operandTy(rhsOp) : (fx.types.operandTy(rhsOp) ?? lTy);
  const rhs = codegenOperand(fx, rhsOp, rTy);
  return binaryOp(fx, op, lhs, rhs, dest);
}

/** A MIR binary operation on two evaluated operands (rustc's `codegen_scalar_binop`). */
export function binaryOp<B extends BackendTypes>(fx: FunctionCx<B>, op: BinOp, lhs: OperandRef<B>, rhs: OperandRef<B>, dest: Layout): OperandRef<B> {
  const { bx } = fx;
  const ty = lhs.layout.ty;
  if (op === 'Offset') {
    const pointee = ty.kind === 'ptr' || ty.kind === 'ref' ? fx.ucx.layouts.layoutOf(ty.pointee) : undefined;
    const size = BigInt(pointee?.size ?? 1);
    return imm(dest, bx.ptrAdd(immediateOf(bx, lhs), bx.intBinary('mul', immediateOf(bx, rhs), bx.constInt(I64, size))));
  }
  // Fat pointers compare address first, then metadata.
  if (lhs.layout.repr.kind === 'scalarPair' && (ty.kind === 'ptr' || ty.kind === 'ref')) return fatPtrCompare(fx, op, lhs, rhs, dest);
  const a = immediateOf(bx, lhs);
  let b = immediateOf(bx, rhs);
  if (ty.kind === 'float') {
    const fops: Partial<Record<BinOp, 'fadd' | 'fsub' | 'fmul' | 'fdiv' | 'frem'>> = { Add: 'fadd', Sub: 'fsub', Mul: 'fmul', Div: 'fdiv', Rem: 'frem' };
    const fo = fops[op];
    if (fo) return imm(dest, bx.floatBinary(fo, a, b));
    const preds: Partial<Record<BinOp, FloatPredicate>> = { Eq: 'oeq', Ne: 'une', Lt: 'olt', Le: 'ole', Gt: 'ogt', Ge: 'oge' };
    const p = preds[op];
    if (p) return imm(dest, bx.floatCompare(p, a, b));
    if (op === 'Cmp') throw new CodegenError('Cmp on floats is not supported');
    throw new CodegenError(`${op} on floats`);
  }
  const signed = isSigned(ty);
  if (ty.kind === 'ptr' || ty.kind === 'ref' || ty.kind === 'fnPtr') {
    const preds: Partial<Record<BinOp, 'eq' | 'ne' | 'ult' | 'ule' | 'ugt' | 'uge'>> = { Eq: 'eq', Ne: 'ne', Lt: 'ult', Le: 'ule', Gt: 'ugt', Ge: 'uge' };
    const p = preds[op];
    if (p) return imm(dest, bx.ptrCompare(p, a, b));
    throw new CodegenError(`${op} on pointers`);
  }
  switch (op) {
    case 'Add':
    case 'AddUnchecked':
      return imm(dest, bx.intBinary('add', a, b));
    case 'Sub':
    case 'SubUnchecked':
      return imm(dest, bx.intBinary('sub', a, b));
    case 'Mul':
    case 'MulUnchecked':
      return imm(dest, bx.intBinary('mul', a, b));
    case 'Div':
      return imm(dest, bx.intBinary(signed ? 'sdiv' : 'udiv', a, b));
    case 'Rem':
      return imm(dest, bx.intBinary(signed ? 'srem' : 'urem', a, b));
    case 'BitAnd':
      return imm(dest, bx.intBinary('and', a, b));
    case 'BitOr':
      return imm(dest, bx.intBinary('or', a, b));
    case 'BitXor':
      return imm(dest, bx.intBinary('xor', a, b));
    case 'Shl':
    case 'Shr':
    case 'ShlUnchecked':
    case 'ShrUnchecked': {
      // MIR masks the shift amount to the width of the left operand.
      const bits = intBits(ty);
      b = bx.intCast(b, bits, false);
      b = bx.intBinary('and', b, bx.constInt({ kind: 'int', bits }, BigInt(bits - 1)));
      const isLeft = op === 'Shl' || op === 'ShlUnchecked';
      return imm(dest, bx.intBinary(isLeft ? 'shl' : signed ? 'ashr' : 'lshr', a, b));
    }
    case 'Eq':
    case 'Ne':
    case 'Lt':
    case 'Le':
    case 'Gt':
    case 'Ge':
      return imm(dest, bx.intCompare(intPredicate(op, signed), a, b));
    case 'Cmp':
      return imm(dest, threeWay(bx, a, b, signed));
    case 'AddWithOverflow':
    case 'SubWithOverflow':
    case 'MulWithOverflow': {
      const kind = op === 'AddWithOverflow' ? 'add' : op === 'SubWithOverflow' ? 'sub' : 'mul';
      const [r, o] = bx.checkedBinary(kind, signed, a, b);
      return { layout: dest, val: { kind: 'pair', a: r, b: o } };
    }
  }
  throw new CodegenError(`unsupported binary operation ${op}`);
}

function intPredicate(op: 'Eq' | 'Ne' | 'Lt' | 'Le' | 'Gt' | 'Ge', signed: boolean): IntPredicate {
  switch (op) {
    case 'Eq':
      return 'eq';
    case 'Ne':
      return 'ne';
    case 'Lt':
      return signed ? 'slt' : 'ult';
    case 'Le':
      return signed ? 'sle' : 'ule';
    case 'Gt':
      return signed ? 'sgt' : 'ugt';
    case 'Ge':
      return signed ? 'sge' : 'uge';
  }
}

function fatPtrCompare<B extends BackendTypes>(fx: FunctionCx<B>, op: BinOp, lhs: OperandRef<B>, rhs: OperandRef<B>, dest: Layout): OperandRef<B> {
  const { bx } = fx;
  const [a0, a1] = immediates(bx, lhs);
  const [b0, b1] = immediates(bx, rhs);
  const asInt = (v: B['Value']) => bx.ptrToInt(v);
  const metaInt = (v: B['Value'], l: Layout) => (l.repr.kind === 'scalarPair' && l.repr.b.prim.kind === 'pointer' ? asInt(v) : v);
  const ea = bx.ptrCompare('eq', a0, b0);
  const em = bx.intCompare('eq', metaInt(a1, lhs.layout), metaInt(b1, rhs.layout));
  if (op === 'Eq') return imm(dest, bx.intBinary('and', ea, em));
  if (op === 'Ne') return imm(dest, bx.intBinary('xor', bx.intBinary('and', ea, em), bx.constInt(I8, 1n)));
  throw new CodegenError(`${op} on fat pointers is not supported yet`);
}

// ------------------------------------------------------------------ casts

function cast<B extends BackendTypes>(fx: FunctionCx<B>, rv: Extract<Rvalue, { kind: 'cast' }>, dest: Layout): OperandRef<B> {
  const { bx } = fx;
  const external = externFnPointer(fx, rv, dest);
  if (external) return external;
  const src = codegenOperand(fx, rv.operand);
  const from = src.layout.ty;
  const to = dest.ty;
  switch (rv.cast.kind) {
    case 'IntToInt': {
      const v = immediateOf(bx, src);
      return imm(dest, bx.intCast(v, intBits(to), isSigned(from)));
    }
    case 'IntToFloat':
      return imm(dest, bx.intToFloat(immediateOf(bx, src), to.kind === 'float' && to.name === 'f32' ? 32 : 64, isSigned(from)));
    case 'FloatToInt':
      return imm(dest, bx.floatToInt(immediateOf(bx, src), intBits(to), isSigned(to)));
    case 'FloatToFloat':
      return imm(dest, bx.floatCast(immediateOf(bx, src), to.kind === 'float' && to.name === 'f32' ? 32 : 64));
    case 'PtrToPtr':
    case 'FnPtrToPtr':
    case 'Subtype': {
      const vs = immediates(bx, src);
      if (dest.repr.kind === 'scalarPair') return { layout: dest, val: { kind: 'pair', a: vs[0], b: vs[1] } };
      if (isZst(dest)) return zstOperand(dest);
      return imm(dest, vs[0]);
    }
    case 'PointerExposeProvenance':
      return imm(dest, bx.ptrToInt(immediateOf(bx, src)));
    case 'PointerWithExposedProvenance':
      return imm(dest, bx.intToPtr(immediateOf(bx, src)));
    case 'Transmute':
      return transmute(fx, src, dest);
    case 'PointerCoercion':
      return coercion(fx, rv, src, dest);
  }
}

function transmute<B extends BackendTypes>(fx: FunctionCx<B>, src: OperandRef<B>, dest: Layout): OperandRef<B> {
  const { bx } = fx;
  if (isZst(dest)) return zstOperand(dest);
  if (src.layout.size !== dest.size) throw new CodegenError(`transmute between types of different sizes (${src.layout.size} and ${dest.size} bytes)`);
  if (src.layout.repr.kind === 'scalar' && dest.repr.kind === 'scalar') {
    const v = immediateOf(bx, src);
    const fromReg = scalarRegType(src.layout.repr.scalar);
    const toReg = scalarRegType(dest.repr.scalar);
    if (fromReg.kind === toReg.kind && (fromReg.kind === 'ptr' || (fromReg as { bits: number }).bits === (toReg as { bits: number }).bits)) return imm(dest, v);
    if (fromReg.kind === 'ptr') return imm(dest, bx.bitcast(bx.ptrToInt(v), toReg));
    if (toReg.kind === 'ptr') return imm(dest, bx.intToPtr(fromReg.kind === 'int' ? v : bx.bitcast(v, I64)));
    return imm(dest, bx.bitcast(v, toReg));
  }
  if (src.layout.repr.kind === 'scalarPair' && dest.repr.kind === 'scalarPair' && src.val.kind === 'pair') {
    const same = (x: typeof dest.repr.a, y: typeof dest.repr.a) => x.prim.kind === y.prim.kind && (x.prim.kind === 'pointer' || (x.prim as { bits: number }).bits === (y.prim as { bits: number }).bits);
    if (same(src.layout.repr.a, dest.repr.a) && same(src.layout.repr.b, dest.repr.b)) return { layout: dest, val: src.val };
  }
  // Otherwise go through memory.
  const slot = bx.alloca(Math.max(1, dest.size), Math.max(dest.align, src.layout.align));
  storeOperand(bx, src, { ptr: slot, layout: src.layout });
  return loadOperand(bx, { ptr: slot, layout: dest });
}

function coercion<B extends BackendTypes>(fx: FunctionCx<B>, rv: Extract<Rvalue, { kind: 'cast' }>, src: OperandRef<B>, dest: Layout): OperandRef<B> {
  const { bx } = fx;
  const c = rv.cast.coercion ?? '';
  if (c.startsWith('ReifyFnPointer')) {
    const inst = fx.ucx.mono.fnItemInstance(fx.instance, src.layout.ty);
    return imm(dest, bx.fnAddress(fnRef(fx.ucx, inst).fn));
  }
  if (c.startsWith('ClosureFnPointer')) {
    const inst = fx.ucx.mono.closureFnPointer(fx.instance, src.layout.ty);
    return imm(dest, bx.fnAddress(fnRef(fx.ucx, inst).fn));
  }
  if (c.startsWith('Unsize')) {
    const ptr = immediates(bx, src)[0];
    const fromPointee = pointeeOf(src.layout.ty);
    const toPointee = pointeeOf(dest.ty);
    if (toPointee?.kind === 'slice' && fromPointee?.kind === 'array') {
      if (fromPointee.len.kind !== 'value') throw new CodegenError('unsizing an array of unknown length');
      return { layout: dest, val: { kind: 'pair', a: ptr, b: bx.constInt(I64, fromPointee.len.value) } };
    }
    if (toPointee?.kind === 'dyn' && fromPointee) {
      if (fromPointee.kind === 'dyn') return { layout: dest, val: src.val };
      const vt = fx.ucx.mono.vtable(fx.instance, fromPointee, toPointee);
      return { layout: dest, val: { kind: 'pair', a: ptr, b: vtableAddress(fx, vt) } };
    }
    throw new CodegenError(`this unsizing coercion is not supported yet`);
  }
  // MutToConstPointer, ArrayToPointer, UnsafeFnPointer: the same bits.
  const vs = immediates(bx, src);
  if (dest.repr.kind === 'scalarPair') return { layout: dest, val: { kind: 'pair', a: vs[0], b: vs[1] } };
  return imm(dest, vs[0]);
}

/** `printf as unsafe extern "C" fn(*const i8, ...) -> i32`: the address of a C function without a body. */
function externFnPointer<B extends BackendTypes>(fx: FunctionCx<B>, rv: Extract<Rvalue, { kind: 'cast' }>, dest: Layout): OperandRef<B> | undefined {
  const op = rv.operand;
  if (!(rv.cast.coercion ?? '').startsWith('ReifyFnPointer') || op.kind !== 'const' || op.value.kind !== 'path' || dest.ty.kind !== 'fnPtr') return undefined;
  const key = pathKey(op.value.path);
  if (fx.ucx.index.fns.has(key) || op.value.path.segments.length !== 1) return undefined;
  const sig = dest.ty.sig;
  const abi = fnAbiOf(fx.ucx.layouts, 'c', sig.params, sig.ret, sig.variadic, sig.params.length);
  return imm(dest, fx.bx.fnAddress(externFnRef(fx.ucx, key, abi).fn));
}

function pointeeOf(ty: Ty): Ty | undefined {
  return ty.kind === 'ref' || ty.kind === 'ptr' ? ty.pointee : undefined;
}
