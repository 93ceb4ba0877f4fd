// Intrinsic calls rustc leaves in MIR (`ctpop`, `rotate_left`, `copy`, `raw_eq`, …) and
// trait methods on primitives that are plain operations (`<i32 as Add>::add`): lowered
// inline to builder operations, or to a libc call where C has the function (`memcmp`).

import type { BinOp, Ty } from '../../mir/ast.js';
import type { Layout } from '../layout/layout.js';
import { isZst } from '../layout/layout.js';
import type { BackendTypes, IntrinsicOp } from '../traits/index.js';
import { I32, I64, I8 } from '../traits/index.js';
import { fnAbiOf } from '../abi/fn-abi.js';
import { externFnRef } from './declare.js';
import { CodegenError, type FunctionCx } from './function-cx.js';
import { immediateOf, loadOperand, type OperandRef, type PlaceRef, storeOperand, zstOperand } from './operand.js';
import { derefOperand } from './place.js';
import { intBits, isSigned, threeWay } from './int-ops.js';
import { guard } from './panic.js';
import { binaryOp } from './rvalue.js';
import { printTy } from '../../mir/printer.js';

/** Lowers an intrinsic call; returns its result (written to the destination by the caller). */
export function codegenIntrinsic<B extends BackendTypes>(fx: FunctionCx<B>, name: string, typeArgs: Ty[], args: OperandRef<B>[], dest: Layout): OperandRef<B> | 'diverges' {
  const { bx } = fx;
  const arg = (i: number) => immediateOf(bx, args[i]!);
  const imm = (v: B['Value']): OperandRef<B> => ({ layout: dest, val: { kind: 'immediate', v } });
  const t0 = typeArgs[0] ?? args[0]?.layout.ty;
  const unary = (op: IntrinsicOp) => {
    const v = bx.intrinsic(op, [arg(0)]);
    return imm(bx.intCast(v, intBits(dest.ty), false));
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
      const bits = intBits(args[0]!.layout.ty);
      const n = bx.intCast(arg(1), bits, false);
      return imm(bx.intrinsic(name === 'rotate_left' ? 'rotateLeft' : 'rotateRight', [arg(0), n]));
    }
    case 'saturating_add':
      return imm(bx.intrinsic(isSigned(t0!) ? 'saddSat' : 'uaddSat', [arg(0), arg(1)]));
    case 'saturating_sub':
      return imm(bx.intrinsic(isSigned(t0!) ? 'ssubSat' : 'usubSat', [arg(0), arg(1)]));
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
      return imm(bx.intBinary(isSigned(t0!) ? 'sdiv' : 'udiv', arg(0), arg(1)));
    case 'unchecked_rem':
      return imm(bx.intBinary(isSigned(t0!) ? 'srem' : 'urem', arg(0), arg(1)));
    case 'unchecked_shl':
    case 'unchecked_shr': {
      const bits = intBits(args[0]!.layout.ty);
      const n = bx.intCast(arg(1), bits, false);
      return imm(bx.intBinary(name === 'unchecked_shl' ? 'shl' : isSigned(t0!) ? 'ashr' : 'lshr', arg(0), n));
    }
    case 'three_way_compare':
      return imm(threeWay(bx, arg(0), arg(1), isSigned(t0!)));
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

/**
 * A trait method on a primitive type that is an operation (`<u32 as Ord>::max`,
 * `<T as Div>::div` at `T = i32`), with the checks core's implementations make: with
 * overflow checks on (as the corpus builds), `add`/`sub`/`mul`/`neg`/`shl`/`shr` panic on
 * overflow; `div`/`rem` always panic on a zero divisor and on `MIN / -1`.
 */
export function codegenPrimitiveMethod<B extends BackendTypes>(fx: FunctionCx<B>, method: string, selfTy: Ty, args: OperandRef<B>[], dest: Layout): OperandRef<B> {
  const { bx } = fx;
  const layouts = fx.ucx.layouts;
  // Comparison traits take their operands by reference.
  const arg = (i: number): OperandRef<B> => {
    const op = args[i]!;
    const t = op.layout.ty;
    if ((t.kind === 'ref' || t.kind === 'ptr') && selfTy.kind !== 'ref' && selfTy.kind !== 'ptr') return loadOperand(bx, derefOperand(fx, op));
    return op;
  };
  const value = (i: number) => immediateOf(bx, arg(i));
  const imm = (v: B['Value']): OperandRef<B> => ({ layout: dest, val: { kind: 'immediate', v } });
  const isInt = selfTy.kind === 'int';
  const signed = isSigned(selfTy);
  const bits = intBits(selfTy);
  const checked = (op: 'AddWithOverflow' | 'SubWithOverflow' | 'MulWithOverflow') => {
    const pairLayout = layouts.layoutOf({ kind: 'tuple', elems: [selfTy, { kind: 'bool' }] });
    const r = binaryOp(fx, op, arg(0), arg(1), pairLayout);
    if (r.val.kind !== 'pair') throw new CodegenError('internal: a checked operation without an overflow flag');
    guard(fx, r.val.b);
    return imm(r.val.a);
  };
  const plain = (op: BinOp) => binaryOp(fx, op, arg(0), arg(1), dest);
  switch (method) {
    case 'add':
      return isInt ? checked('AddWithOverflow') : plain('Add');
    case 'sub':
      return isInt ? checked('SubWithOverflow') : plain('Sub');
    case 'mul':
      return isInt ? checked('MulWithOverflow') : plain('Mul');
    case 'div':
    case 'rem': {
      if (isInt) {
        const ty = { kind: 'int', bits } as const;
        const b = value(1);
        guard(fx, bx.intCompare('eq', b, bx.constInt(ty, 0n)));
        if (signed) {
          const min = bx.intCompare('eq', value(0), bx.constInt(ty, -(1n << BigInt(bits - 1))));
          guard(fx, bx.intBinary('and', min, bx.intCompare('eq', b, bx.constInt(ty, -1n))));
        }
      }
      return plain(method === 'div' ? 'Div' : 'Rem');
    }
    case 'shl':
    case 'shr': {
      const amount = bx.intCast(value(1), bits, false);
      guard(fx, bx.intCompare('uge', amount, bx.constInt({ kind: 'int', bits }, BigInt(bits))));
      return plain(method === 'shl' ? 'Shl' : 'Shr');
    }
    case 'bitand':
      return plain('BitAnd');
    case 'bitor':
      return plain('BitOr');
    case 'bitxor':
      return plain('BitXor');
    case 'neg': {
      if (!isInt) return imm(bx.fneg(value(0)));
      if (signed) guard(fx, bx.intCompare('eq', value(0), bx.constInt({ kind: 'int', bits }, -(1n << BigInt(bits - 1)))));
      return imm(bx.neg(value(0)));
    }
    case 'not':
      return imm(selfTy.kind === 'bool' ? bx.intBinary('xor', value(0), bx.constInt(I8, 1n)) : bx.not(value(0)));
    case 'eq':
      return plain('Eq');
    case 'ne':
      return plain('Ne');
    case 'lt':
      return plain('Lt');
    case 'le':
      return plain('Le');
    case 'gt':
      return plain('Gt');
    case 'ge':
      return plain('Ge');
    case 'max':
    case 'min': {
      const a = value(0);
      const b = value(1);
      // Ord::max returns the second argument when they are equal, Ord::min the first.
      const pick = immediateOf(bx, binaryOp(fx, method === 'max' ? 'Gt' : 'Le', arg(0), arg(1), layouts.layoutOf({ kind: 'bool' })));
      return imm(bx.select(pick, a, b));
    }
    case 'cmp':
      return imm(threeWay(bx, value(0), value(1), signed));
    case 'clone':
      return { layout: dest, val: arg(0).val };
    default:
      throw new CodegenError(`the method \`${method}\` on \`${printTy(selfTy)}\` is not supported yet`);
  }
}

