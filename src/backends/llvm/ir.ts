// A typed, in-memory subset of LLVM IR: types, values, instructions, blocks, functions,
// data and the module. The builder creates these objects; only printer.ts turns them
// into text, once, at the end. Values of instructions are the instruction objects
// themselves: the printer numbers them per function in print order.

import type { SourceLoc } from '../../ssa/traits/builder.js';
import type { BackendSig, Linkage } from '../../ssa/traits/declare.js';
import type { BackendTypes, RegType } from '../../ssa/traits/types.js';

// ---- types

export type IntBits = 1 | 8 | 16 | 32 | 64 | 128;

export type Ty =
  | { kind: 'int'; bits: IntBits }
  | { kind: 'float'; bits: 32 | 64 }
  | { kind: 'ptr' }
  | { kind: 'void' }
  /** An anonymous (non-packed) struct, for two-register returns and `with.overflow`. */
  | { kind: 'struct'; fields: Ty[] }
  /** `[N x i8]`: stack slots and the pointee of `byval`/`sret`. */
  | { kind: 'bytes'; size: number };

export type IntTy = Extract<Ty, { kind: 'int' }>;

export const I1: IntTy = { kind: 'int', bits: 1 };
export const I8T: IntTy = { kind: 'int', bits: 8 };
export const I64T: IntTy = { kind: 'int', bits: 64 };
export const PTR_T: Ty = { kind: 'ptr' };
export const VOID: Ty = { kind: 'void' };

export function intTy(bits: IntBits): IntTy {
  return { kind: 'int', bits };
}

export function fromRegType(t: RegType): Ty {
  switch (t.kind) {
    case 'int':
      return { kind: 'int', bits: t.bits };
    case 'float':
      return { kind: 'float', bits: t.bits };
    case 'ptr':
      return PTR_T;
  }
}

export function sameTy(a: Ty, b: Ty): boolean {
  switch (a.kind) {
    case 'int':
    case 'float':
      return a.kind === b.kind && a.bits === (b as { bits: number }).bits;
    case 'ptr':
    case 'void':
      return a.kind === b.kind;
    case 'bytes':
      return b.kind === 'bytes' && a.size === b.size;
    case 'struct':
      return b.kind === 'struct' && a.fields.length === b.fields.length && a.fields.every((f, i) => sameTy(f, b.fields[i]!));
  }
}

// ---- function types and parameter attributes

export interface ParamTy {
  ty: Ty;
  byval?: { size: number; align: number };
  sret?: { size: number; align: number };
  ext?: 'sext' | 'zext';
}

export interface FnType {
  ret: Ty;
  params: ParamTy[];
  variadic: boolean;
}

/** The return type of a register-level signature: void, the scalar, or `{ a, b }`. */
export function retTyOf(returns: readonly RegType[]): Ty {
  if (returns.length === 0) return VOID;
  if (returns.length === 1) return fromRegType(returns[0]!);
  return { kind: 'struct', fields: returns.map(fromRegType) };
}

/** A power-of-two alignment, or an error naming `what`. */
export function checkAlign(align: number, what: string): number {
  if (!Number.isInteger(align) || align <= 0 || (align & (align - 1)) !== 0) throw new Error(`${what}: alignment ${align} is not a power of two`);
  return align;
}

export function paramTyOf(p: BackendSig['params'][number]): ParamTy {
  const out: ParamTy = { ty: fromRegType(p.ty) };
  if (p.byval) out.byval = { size: p.byval.size, align: checkAlign(p.byval.align, 'byval') };
  if (p.sret) out.sret = { size: p.sret.size, align: checkAlign(p.sret.align, 'sret') };
  if (p.ext) out.ext = p.ext;
  return out;
}

export function fnTypeOf(sig: BackendSig): FnType {
  return { ret: retTyOf(sig.returns), params: sig.params.map(paramTyOf), variadic: sig.variadic };
}

// ---- values

export type Value =
  | { kind: 'param'; index: number; ty: Ty }
  /** `value` is kept normalized to [0, 2^bits). */
  | { kind: 'int'; ty: IntTy; value: bigint }
  /** `raw` is the IEEE bit pattern in the type's own width. */
  | { kind: 'float'; bits: 32 | 64; raw: bigint }
  | { kind: 'null' }
  | { kind: 'undef'; ty: Ty }
  | { kind: 'fnAddr'; fn: FnDecl }
  | { kind: 'dataAddr'; global: GlobalDecl; offset: number }
  | Inst;

export type CastOp = 'trunc' | 'zext' | 'sext' | 'fptrunc' | 'fpext' | 'fptoui' | 'fptosi' | 'uitofp' | 'sitofp' | 'ptrtoint' | 'inttoptr' | 'bitcast';

export type BinCode =
  | 'add' | 'sub' | 'mul' | 'udiv' | 'sdiv' | 'urem' | 'srem' | 'and' | 'or' | 'xor' | 'shl' | 'lshr' | 'ashr'
  | 'fadd' | 'fsub' | 'fmul' | 'fdiv' | 'frem';

export type ICmpPred = 'eq' | 'ne' | 'ult' | 'ule' | 'ugt' | 'uge' | 'slt' | 'sle' | 'sgt' | 'sge';
export type FCmpPred = 'oeq' | 'une' | 'olt' | 'ole' | 'ogt' | 'oge';

export type Callee =
  | { kind: 'fn'; fn: FnDecl }
  | { kind: 'value'; value: Value }
  /** An `llvm.*` intrinsic; the module declares each one once. */
  | { kind: 'intrinsic'; name: string };

export interface CallArg {
  value: Value;
  param: ParamTy;
  /** `align N` on a pointer argument that is not byval/sret (memcpy operands). */
  align?: number;
}

export type Op =
  | { op: 'bin'; code: BinCode; a: Value; b: Value }
  | { op: 'fneg'; a: Value }
  | { op: 'icmp'; pred: ICmpPred; a: Value; b: Value }
  | { op: 'fcmp'; pred: FCmpPred; a: Value; b: Value }
  | { op: 'cast'; code: CastOp; v: Value }
  | { op: 'select'; cond: Value; a: Value; b: Value }
  | { op: 'alloca'; size: number; align: number }
  | { op: 'load'; ptr: Value; align: number }
  | { op: 'store'; v: Value; ptr: Value; align: number }
  | { op: 'gep'; ptr: Value; offset: Value }
  | { op: 'call'; callee: Callee; fnTy: FnType; args: CallArg[]; noReturn: boolean }
  | { op: 'extract'; agg: Value; index: number }
  | { op: 'insert'; agg: Value; v: Value; index: number };

/** An instruction; when `ty` is not void it is also the value it defines. */
export interface Inst {
  kind: 'inst';
  ty: Ty;
  op: Op;
  /** The MIR it was built for (`setSourceLoc`); only listings print it. */
  loc: SourceLoc | undefined;
}

export type Term =
  | { kind: 'br'; to: Block }
  /** `cond` is an i1. */
  | { kind: 'condBr'; cond: Value; then: Block; otherwise: Block }
  | { kind: 'switch'; v: Value; cases: [bigint, Block][]; otherwise: Block }
  | { kind: 'ret'; value?: Value }
  | { kind: 'unreachable' };

export interface Block {
  label: string;
  insts: Inst[];
  term?: Term;
  termLoc?: SourceLoc;
  /** Created by the builder for code that follows a terminator: `unreachable` if left open. */
  dead: boolean;
}

// ---- symbols

export interface FnBody {
  /** Block order is print order; `blocks[0]` is the entry block. */
  blocks: Block[];
  /** Stack slots, printed first in the entry block whatever block asked for them. */
  allocas: Inst[];
  labels: Set<string>;
}

export interface FnDecl {
  kind: 'fn';
  symbol: string;
  sig: BackendSig;
  fnTy: FnType;
  linkage: Linkage;
  body?: FnBody;
}

export interface DataContents {
  bytes: Uint8Array;
  /** Sorted by offset, non-overlapping, 8 bytes each, inside `bytes`. */
  relocs: { offset: number; target: FnDecl | GlobalDecl; addend: number }[];
  align: number;
  mutable: boolean;
}

export interface GlobalDecl {
  kind: 'global';
  symbol: string;
  linkage: Linkage;
  def?: DataContents;
}

export interface IrModule {
  unitName: string;
  /** Symbols in declaration order (the print order within functions and within data). */
  symbols: Map<string, FnDecl | GlobalDecl>;
  /** Intrinsic name → its type, declared once each. */
  intrinsics: Map<string, FnType>;
}

/** The backend's kinds, as the core's interfaces see them. */
export interface LlvmTypes extends BackendTypes {
  Value: Value;
  Block: Block;
  Function: FnDecl;
  Global: GlobalDecl;
}

// ---- small helpers

export function typeOf(v: Value): Ty {
  switch (v.kind) {
    case 'param':
    case 'int':
    case 'undef':
    case 'inst':
      return v.ty;
    case 'float':
      return { kind: 'float', bits: v.bits };
    case 'null':
    case 'fnAddr':
    case 'dataAddr':
      return PTR_T;
  }
}

/** `value` modulo 2^bits, in [0, 2^bits). */
export function normalizeInt(bits: IntBits, value: bigint): bigint {
  return BigInt.asUintN(bits, value);
}

export function constInt(ty: IntTy, value: bigint): Value {
  return { kind: 'int', ty, value: normalizeInt(ty.bits, value) };
}
