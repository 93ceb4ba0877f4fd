// The per-function builder (rustc's `BuilderMethods`, `bx`): blocks, arithmetic,
// conversions, memory, calls and terminators. Kept close to MIR's meaning rather than
// to any one backend's instruction set; each backend maps these to its own form.

import type { SourceFile, Span } from '../../diagnostics.js';
import type { ConstMethods } from './consts.js';
import type { BackendSig } from './declare.js';
import type { IntrinsicMethods } from './intrinsics.js';
import type { BackendTypes, RegType } from './types.js';

export type IntBinOp = 'add' | 'sub' | 'mul' | 'udiv' | 'sdiv' | 'urem' | 'srem' | 'and' | 'or' | 'xor' | 'shl' | 'lshr' | 'ashr';
export type FloatBinOp = 'fadd' | 'fsub' | 'fmul' | 'fdiv' | 'frem';
export type IntPredicate = 'eq' | 'ne' | 'ult' | 'ule' | 'ugt' | 'uge' | 'slt' | 'sle' | 'sgt' | 'sge';
/** Ordered comparisons are false when either side is NaN; `une` (≠) is true then. */
export type FloatPredicate = 'oeq' | 'une' | 'olt' | 'ole' | 'ogt' | 'oge';
export type CheckedOp = 'add' | 'sub' | 'mul';

/** Where code comes from: a MIR statement or terminator, or a function's header for its prologue. */
export interface SourceLoc {
  file: SourceFile;
  span: Span;
}

export interface BuilderMethods<B extends BackendTypes> extends ConstMethods<B>, IntrinsicMethods<B> {
  // ---- blocks
  appendBlock(name: string): B['Block'];
  positionAtEnd(block: B['Block']): void;
  /** Parameter `i` of the function being built, in `BackendSig.params` order. */
  param(i: number): B['Value'];

  // ---- source locations
  /**
   * The MIR the code built from now on comes from, until the next call (rustc's
   * `set_debug_loc`); undefined for code that comes from no one statement (panic paths,
   * glue). Only listings (`functionListings`) show it: compiled objects never change.
   */
  setSourceLoc(loc: SourceLoc | undefined): void;

  // ---- arithmetic and comparison (operands of one type; comparisons give an i8 0/1)
  intBinary(op: IntBinOp, a: B['Value'], b: B['Value']): B['Value'];
  floatBinary(op: FloatBinOp, a: B['Value'], b: B['Value']): B['Value'];
  /** The wrapped result and an i8 that is 1 when the operation overflowed. */
  checkedBinary(op: CheckedOp, signed: boolean, a: B['Value'], b: B['Value']): [B['Value'], B['Value']];
  intCompare(pred: IntPredicate, a: B['Value'], b: B['Value']): B['Value'];
  floatCompare(pred: FloatPredicate, a: B['Value'], b: B['Value']): B['Value'];
  ptrCompare(pred: 'eq' | 'ne' | 'ult' | 'ule' | 'ugt' | 'uge', a: B['Value'], b: B['Value']): B['Value'];
  neg(a: B['Value']): B['Value'];
  fneg(a: B['Value']): B['Value'];
  not(a: B['Value']): B['Value'];
  /** `cond` is an i8 0/1. */
  select(cond: B['Value'], a: B['Value'], b: B['Value']): B['Value'];

  // ---- conversions
  /** Truncates or extends (sign- or zero-) to `bits`; the identity when equal. */
  intCast(v: B['Value'], bits: 8 | 16 | 32 | 64 | 128, signed: boolean): B['Value'];
  /** Rust's `as`: saturating, NaN gives 0. */
  floatToInt(v: B['Value'], bits: 8 | 16 | 32 | 64 | 128, signed: boolean): B['Value'];
  intToFloat(v: B['Value'], bits: 32 | 64, signed: boolean): B['Value'];
  floatCast(v: B['Value'], bits: 32 | 64): B['Value'];
  ptrToInt(v: B['Value']): B['Value'];
  intToPtr(v: B['Value']): B['Value'];
  /** Reinterprets the bits of a scalar as another scalar type of the same size. */
  bitcast(v: B['Value'], to: RegType): B['Value'];

  // ---- memory
  /** A stack slot in the function's entry block. */
  alloca(size: number, align: number): B['Value'];
  load(ty: RegType, ptr: B['Value'], align: number): B['Value'];
  store(v: B['Value'], ptr: B['Value'], align: number): void;
  /** `ptr + offset` in bytes; `offset` is an i64 value. */
  ptrAdd(ptr: B['Value'], offset: B['Value']): B['Value'];
  memcpy(dst: B['Value'], src: B['Value'], size: B['Value'], align: number): void;
  memmove(dst: B['Value'], src: B['Value'], size: B['Value'], align: number): void;
  /** Fills `size` bytes with the i8 `byte`. */
  memset(dst: B['Value'], byte: B['Value'], size: B['Value'], align: number): void;

  // ---- calls and terminators
  /** Returns the values the callee returns in registers (`sig.returns`). */
  call(sig: BackendSig, callee: B['Function'] | B['Value'], args: B['Value'][]): B['Value'][];
  br(target: B['Block']): void;
  /** `cond` is an i8; nonzero goes to `then`. */
  condBr(cond: B['Value'], then: B['Block'], otherwise: B['Block']): void;
  switchInt(v: B['Value'], cases: [bigint, B['Block']][], otherwise: B['Block']): void;
  ret(values: B['Value'][]): void;
  unreachable(): void;
}
