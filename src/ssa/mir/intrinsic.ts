// Intrinsic calls rustc leaves in MIR (`ctpop`, `rotate_left`, `copy`, `raw_eq`, …) and
// trait methods on primitives that are plain operations (`<i32 as Add>::add`): lowered
// inline to builder operations, or to a libc call where C has the function (`memcmp`).

import type { Ty } from '../../mir/ast.js';
import type { Layout } from '../layout/layout.js';
import { isZst } from '../layout/layout.js';
import { scalarRegType } from '../layout/layout-cx.js';
import type { BackendTypes, IntrinsicOp, IntRegType } from '../traits/index.js';
import { I32, I64, I8 } from '../traits/index.js';
import { fnAbiOf } from '../abi/fn-abi.js';
import { externFnRef } from './declare.js';
import { CodegenError, type FunctionCx } from './function-cx.js';
import { immediateOf, type OperandRef, type PlaceRef, storeOperand, zstOperand } from './operand.js';
import { derefOperand } from './place.js';

function intBitsOf(ty: Ty): IntRegType['bits'] {
  if (ty.kind === 'int') return ty.name.endsWith('size') ? 64 : (Number(ty.name.slice(1)) as IntRegType['bits']);
  if (ty.kind === 'char') return 32;
  return 8;
}

function signed(ty: Ty): boolean {
  return ty.kind === 'int' && ty.name.startsWith('i');
}

/** Lowers an intrinsic call; returns its result (written to the destination by the caller). */
export function codegenIntrinsic<B extends BackendTypes>(fx: FunctionCx<B>, name: string, typeArgs: Ty[], args: OperandRef<B>[], dest: Layout): OperandRef<B> | 'diverges' {
  const { bx } = fx;
  const arg = (i: number) => immediateOf(bx, args[i]!);
  const imm = (v: B['Value']): OperandRef<B> => ({ layout: dest, val: { kind: 'immediate', v } });
  const t0 = typeArgs[0] ?? args[0]?.layout.ty;
  const unary = (op: IntrinsicOp) => {
    const v = bx.intrinsic(op, [arg(0)]);
    return imm(bx.intCast(v, intBitsOf(dest.ty), false));
  };
  switch (name) {
    case 'cold_path':
    case 'assume':
      return zstOperand(dest);
    case 'likely':
    case 'unlikely':
    case 'black_box':
      return { layout: dest, val: args[0]!.val };
    case 'ctpop':
      return unary('ctpop');
    case 'ctlz':
    case 'ctlz_nonzero':
      return unary('ctlz');
    case 'cttz':
    case 'cttz_nonzero':
      return unary('cttz');
    case 'bswap':
      return imm(bx.intrinsic('bswap', [arg(0)]));
    case 'bitreverse':
      return imm(bx.intrinsic('bitreverse', [arg(0)]));
    case 'rotate_left':
    case 'rotate_right': {
      const bits = intBitsOf(args[0]!.layout.ty);
      const n = bx.intCast(arg(1), bits, false);
      return imm(bx.intrinsic(name === 'rotate_left' ? 'rotateLeft' : 'rotateRight', [arg(0), n]));
    }
    case 'saturating_add':
      return imm(bx.intrinsic(signed(t0!) ? 'saddSat' : 'uaddSat', [arg(0), arg(1)]));
    case 'saturating_sub':
      return imm(bx.intrinsic(signed(t0!) ? 'ssubSat' : 'usubSat', [arg(0), arg(1)]));
    case 'wrapping_add':
    case 'unchecked_add':
      return imm(bx.intBinary('add', arg(0), arg(1)));
    case 'wrapping_sub':
    case 'unchecked_sub':
      return imm(bx.intBinary('sub', arg(0), arg(1)));
    case 'wrapping_mul':
    case 'unchecked_mul':
      return imm(bx.intBinary('mul', arg(0), arg(1)));
    case 'unchecked_div':
    case 'exact_div':
      return imm(bx.intBinary(signed(t0!) ? 'sdiv' : 'udiv', arg(0), arg(1)));
    case 'unchecked_rem':
      return imm(bx.intBinary(signed(t0!) ? 'srem' : 'urem', arg(0), arg(1)));
    case 'unchecked_shl':
    case 'unchecked_shr': {
      const bits = intBitsOf(args[0]!.layout.ty);
      const n = bx.intCast(arg(1), bits, false);
      return imm(bx.intBinary(name === 'unchecked_shl' ? 'shl' : signed(t0!) ? 'ashr' : 'lshr', arg(0), n));
    }
    case 'three_way_compare': {
      const s = signed(t0!);
      return imm(bx.intBinary('sub', bx.intCompare(s ? 'sgt' : 'ugt', arg(0), arg(1)), bx.intCompare(s ? 'slt' : 'ult', arg(0), arg(1))));
    }
    case 'size_of':
      return imm(bx.constInt(I64, BigInt(fx.ucx.layouts.layoutOf(t0!).size)));
    case 'align_of':
    case 'min_align_of':
      return imm(bx.constInt(I64, BigInt(fx.ucx.layouts.layoutOf(t0!).align)));
    case 'copy':
    case 'copy_nonoverlapping': {
      const size = fx.ucx.layouts.layoutOf(t0!).size;
      const bytes = bx.intBinary('mul', arg(2), bx.constInt(I64, BigInt(size)));
      if (name === 'copy') bx.memmove(arg(1), arg(0), bytes, 1);
      else bx.memcpy(arg(1), arg(0), bytes, 1);
      return zstOperand(dest);
    }
    case 'write_bytes': {
      const size = fx.ucx.layouts.layoutOf(t0!).size;
      bx.memset(arg(0), arg(1), bx.intBinary('mul', arg(2), bx.constInt(I64, BigInt(size))), 1);
      return zstOperand(dest);
    }
    case 'compare_bytes':
      return imm(memcmp(fx, arg(0), arg(1), arg(2)));
    case 'raw_eq': {
      const size = fx.ucx.layouts.layoutOf(t0!).size;
      const r = memcmp(fx, arg(0), arg(1), bx.constInt(I64, BigInt(size)));
      return imm(bx.intCompare('eq', r, bx.constInt(I32, 0n)));
    }
    case 'typed_swap_nonoverlapping': {
      const l = fx.ucx.layouts.layoutOf(t0!);
      if (isZst(l)) return zstOperand(dest);
      const size = bx.constInt(I64, BigInt(l.size));
      const tmp = bx.alloca(l.size, l.align);
      bx.memcpy(tmp, arg(0), size, l.align);
      bx.memcpy(arg(0), arg(1), size, l.align);
      bx.memcpy(arg(1), tmp, size, l.align);
      return zstOperand(dest);
    }
    case 'transmute':
    case 'transmute_unchecked': {
      const slot: PlaceRef<B> = { ptr: bx.alloca(Math.max(1, dest.size), Math.max(dest.align, args[0]!.layout.align)), layout: args[0]!.layout };
      storeOperand(bx, args[0]!, slot);
      return { layout: dest, val: { kind: 'ref', ptr: slot.ptr } };
    }
    case 'read_via_copy': {
      const place = derefOperand(fx, args[0]!);
      return { layout: dest, val: { kind: 'ref', ptr: place.ptr } };
    }
    case 'unreachable':
      bx.unreachable();
      return 'diverges';
    case 'abort':
      bx.trap();
      return 'diverges';
    case 'fabsf32':
    case 'fabsf64':
      return imm(bx.intrinsic('fabs', [arg(0)]));
    case 'sqrtf32':
    case 'sqrtf64':
      return imm(bx.intrinsic('sqrt', [arg(0)]));
    case 'floorf32':
    case 'floorf64':
      return imm(bx.intrinsic('floor', [arg(0)]));
    case 'ceilf32':
    case 'ceilf64':
      return imm(bx.intrinsic('ceil', [arg(0)]));
    case 'truncf32':
    case 'truncf64':
      return imm(bx.intrinsic('trunc', [arg(0)]));
    default:
      throw new CodegenError(`the intrinsic \`${name}\` is not supported yet`);
  }
}

function memcmp<B extends BackendTypes>(fx: FunctionCx<B>, a: B['Value'], b: B['Value'], n: B['Value']): B['Value'] {
  const u8ptr: Ty = { kind: 'ptr', mutable: false, pointee: { kind: 'int', name: 'u8' } };
  const abi = fnAbiOf(fx.ucx.layouts, 'c', [u8ptr, u8ptr, { kind: 'int', name: 'usize' }], { kind: 'int', name: 'i32' });
  const f = externFnRef(fx.ucx, 'memcmp', abi);
  return fx.bx.call(f.sig, f.fn, [a, b, n])[0];
}

/** A trait method on a primitive type that is an operation (`<u32 as Ord>::max`). */
export function codegenPrimitiveMethod<B extends BackendTypes>(fx: FunctionCx<B>, method: string, selfTy: Ty, args: OperandRef<B>[], dest: Layout): OperandRef<B> {
  const { bx } = fx;
  // Comparison traits take their operands by reference.
  const value = (i: number) => {
    const op = args[i]!;
    const t = op.layout.ty;
    if ((t.kind === 'ref' || t.kind === 'ptr') && selfTy.kind !== 'ref' && selfTy.kind !== 'ptr') {
      const place = derefOperand(fx, op);
      return bx.load(regOf(fx.ucx.layouts.layoutOf(selfTy)), place.ptr, fx.ucx.layouts.layoutOf(selfTy).align);
    }
    return immediateOf(bx, op);
  };
  const imm = (v: B['Value']): OperandRef<B> => ({ layout: dest, val: { kind: 'immediate', v } });
  const isFloat = selfTy.kind === 'float';
  const s = signed(selfTy);
  const cmp = (intPred: 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge') => {
    if (isFloat) {
      const fp = { eq: 'oeq', ne: 'une', lt: 'olt', le: 'ole', gt: 'ogt', ge: 'oge' } as const;
      return bx.floatCompare(fp[intPred], value(0), value(1));
    }
    const ip = { eq: 'eq', ne: 'ne', lt: s ? 'slt' : 'ult', le: s ? 'sle' : 'ule', gt: s ? 'sgt' : 'ugt', ge: s ? 'sge' : 'uge' } as const;
    return bx.intCompare(ip[intPred], value(0), value(1));
  };
  switch (method) {
    case 'add':
      return imm(isFloat ? bx.floatBinary('fadd', value(0), value(1)) : bx.intBinary('add', value(0), value(1)));
    case 'sub':
      return imm(isFloat ? bx.floatBinary('fsub', value(0), value(1)) : bx.intBinary('sub', value(0), value(1)));
    case 'mul':
      return imm(isFloat ? bx.floatBinary('fmul', value(0), value(1)) : bx.intBinary('mul', value(0), value(1)));
    case 'div':
      return imm(isFloat ? bx.floatBinary('fdiv', value(0), value(1)) : bx.intBinary(s ? 'sdiv' : 'udiv', value(0), value(1)));
    case 'rem':
      return imm(isFloat ? bx.floatBinary('frem', value(0), value(1)) : bx.intBinary(s ? 'srem' : 'urem', value(0), value(1)));
    case 'bitand':
      return imm(bx.intBinary('and', value(0), value(1)));
    case 'bitor':
      return imm(bx.intBinary('or', value(0), value(1)));
    case 'bitxor':
      return imm(bx.intBinary('xor', value(0), value(1)));
    case 'neg':
      return imm(isFloat ? bx.fneg(value(0)) : bx.neg(value(0)));
    case 'not':
      return imm(selfTy.kind === 'bool' ? bx.intBinary('xor', value(0), bx.constInt(I8, 1n)) : bx.not(value(0)));
    case 'eq':
    case 'ne':
    case 'lt':
    case 'le':
    case 'gt':
    case 'ge':
      return imm(cmp(method));
    case 'max':
    case 'min': {
      const a = value(0);
      const b = value(1);
      const c = isFloat ? bx.floatCompare(method === 'max' ? 'ogt' : 'olt', a, b) : bx.intCompare(method === 'max' ? (s ? 'sgt' : 'ugt') : s ? 'slt' : 'ult', a, b);
      // Ord::max returns the second argument when they are equal.
      return imm(bx.select(c, a, b));
    }
    case 'cmp': {
      const gt = cmp('gt');
      const lt = cmp('lt');
      return imm(bx.intBinary('sub', gt, lt));
    }
    case 'clone':
      return imm(value(0));
    default:
      throw new CodegenError(`the method \`${method}\` on \`${selfTy.kind}\` is not supported yet`);
  }
}

function regOf(l: Layout) {
  if (l.repr.kind !== 'scalar') throw new CodegenError('expected a scalar type');
  return scalarRegType(l.repr.scalar);
}
