// The per-function builder (`BuilderMethods`) of the LLVM backend: appends typed
// instructions (ir.ts) to the current block. Booleans are i8 0/1 at the interface and i1
// inside (icmp + zext out, icmp ne 0 in). Stack slots go to the function's alloca list,
// which the printer emits at the top of the entry block. Code placed after a terminator
// lands in a fresh dead block, so `trap(); unreachable()` is harmless. Every instruction
// and terminator keeps the source location current when it was built.

import type { BuilderMethods, CheckedOp, FloatBinOp, FloatPredicate, IntBinOp, IntPredicate, SourceLoc } from '../../ssa/traits/builder.js';
import type { BackendSig } from '../../ssa/traits/declare.js';
import type { IntrinsicOp } from '../../ssa/traits/intrinsics.js';
import type { RegType } from '../../ssa/traits/types.js';
import {
  I1,
  I64T,
  I8T,
  PTR_T,
  VOID,
  checkAlign,
  constInt,
  fromRegType,
  intTy,
  paramTyOf,
  retTyOf,
  sameTy,
  typeOf,
  type Block,
  type CallArg,
  type Callee,
  type CastOp,
  type FnBody,
  type FnDecl,
  type FnType,
  type GlobalDecl,
  type Inst,
  type IntTy,
  type IrModule,
  type LlvmTypes,
  type Op,
  type Term,
  type Ty,
  type Value,
} from './ir.js';
import { showTy } from './printer.js';

type FloatTy = Extract<Ty, { kind: 'float' }>;

export class LlvmBuilder implements BuilderMethods<LlvmTypes> {
  private readonly body: FnBody = { blocks: [], allocas: [], labels: new Set() };
  private readonly ownBlocks = new Set<Block>();
  private cur: Block;
  private loc: SourceLoc | undefined;

  constructor(
    private readonly m: IrModule,
    private readonly fn: FnDecl,
  ) {
    fn.body = this.body;
    this.cur = this.newBlock('start', false);
  }

  // ---- blocks

  appendBlock(name: string): Block {
    return this.newBlock(name, false);
  }

  positionAtEnd(block: Block): void {
    if (!this.ownBlocks.has(block)) throw this.error(`block '${block.label}' belongs to another function`);
    this.cur = block;
  }

  setSourceLoc(loc: SourceLoc | undefined): void {
    this.loc = loc;
  }

  param(i: number): Value {
    const p = this.fn.fnTy.params[i];
    if (!Number.isInteger(i) || !p) throw this.error(`no parameter ${i} (the signature has ${this.fn.fnTy.params.length})`);
    return { kind: 'param', index: i, ty: p.ty };
  }

  // ---- arithmetic and comparison

  intBinary(op: IntBinOp, a: Value, b: Value): Value {
    const ty = this.sameInt(a, b, op);
    return this.emit(ty, { op: 'bin', code: op, a, b });
  }

  floatBinary(op: FloatBinOp, a: Value, b: Value): Value {
    const ty = this.sameFloat(a, b, op);
    return this.emit(ty, { op: 'bin', code: op, a, b });
  }

  checkedBinary(op: CheckedOp, signed: boolean, a: Value, b: Value): [Value, Value] {
    const ty = this.sameInt(a, b, `checked ${op}`);
    const name = `llvm.${signed ? 's' : 'u'}${op}.with.overflow.i${ty.bits}`;
    const pair = this.callIntrinsic(name, { kind: 'struct', fields: [ty, I1] }, [a, b]);
    const value = this.emit(ty, { op: 'extract', agg: pair, index: 0 });
    const overflow = this.emit(I1, { op: 'extract', agg: pair, index: 1 });
    return [value, this.fromI1(overflow)];
  }

  intCompare(pred: IntPredicate, a: Value, b: Value): Value {
    this.sameInt(a, b, `icmp ${pred}`);
    return this.fromI1(this.emit(I1, { op: 'icmp', pred, a, b }));
  }

  floatCompare(pred: FloatPredicate, a: Value, b: Value): Value {
    this.sameFloat(a, b, `fcmp ${pred}`);
    return this.fromI1(this.emit(I1, { op: 'fcmp', pred, a, b }));
  }

  ptrCompare(pred: 'eq' | 'ne' | 'ult' | 'ule' | 'ugt' | 'uge', a: Value, b: Value): Value {
    this.expectPtr(a, `icmp ${pred}`);
    this.expectPtr(b, `icmp ${pred}`);
    return this.fromI1(this.emit(I1, { op: 'icmp', pred, a, b }));
  }

  neg(a: Value): Value {
    const ty = this.int(a, 'neg');
    return this.emit(ty, { op: 'bin', code: 'sub', a: constInt(ty, 0n), b: a });
  }

  fneg(a: Value): Value {
    return this.emit(this.float(a, 'fneg'), { op: 'fneg', a });
  }

  not(a: Value): Value {
    const ty = this.int(a, 'not');
    return this.emit(ty, { op: 'bin', code: 'xor', a, b: constInt(ty, -1n) });
  }

  select(cond: Value, a: Value, b: Value): Value {
    const ty = typeOf(a);
    this.expectTy(b, ty, 'select');
    return this.emit(ty, { op: 'select', cond: this.toI1(cond), a, b });
  }

  // ---- conversions

  intCast(v: Value, bits: 8 | 16 | 32 | 64 | 128, signed: boolean): Value {
    return this.resizeInt(v, bits, signed, 'intCast');
  }

  floatToInt(v: Value, bits: 8 | 16 | 32 | 64 | 128, signed: boolean): Value {
    const from = this.float(v, 'floatToInt');
    return this.callIntrinsic(`llvm.fpto${signed ? 's' : 'u'}i.sat.i${bits}.f${from.bits}`, intTy(bits), [v]);
  }

  intToFloat(v: Value, bits: 32 | 64, signed: boolean): Value {
    this.int(v, 'intToFloat');
    return this.cast(signed ? 'sitofp' : 'uitofp', v, { kind: 'float', bits });
  }

  floatCast(v: Value, bits: 32 | 64): Value {
    const from = this.float(v, 'floatCast');
    if (from.bits === bits) return v;
    return this.cast(from.bits < bits ? 'fpext' : 'fptrunc', v, { kind: 'float', bits });
  }

  ptrToInt(v: Value): Value {
    this.expectPtr(v, 'ptrToInt');
    return this.cast('ptrtoint', v, I64T);
  }

  intToPtr(v: Value): Value {
    this.int(v, 'intToPtr');
    return this.cast('inttoptr', v, PTR_T);
  }

  bitcast(v: Value, to: RegType): Value {
    const from = typeOf(v);
    const target = fromRegType(to);
    if (sameTy(from, target)) return v;
    if (from.kind === 'ptr' && target.kind === 'int' && target.bits === 64) return this.cast('ptrtoint', v, target);
    if (from.kind === 'int' && from.bits === 64 && target.kind === 'ptr') return this.cast('inttoptr', v, target);
    if ((from.kind === 'int' || from.kind === 'float') && (target.kind === 'int' || target.kind === 'float') && from.bits === target.bits) {
      return this.cast('bitcast', v, target);
    }
    throw this.error(`cannot bitcast ${showTy(from)} to ${showTy(target)}`);
  }

  // ---- memory

  alloca(size: number, align: number): Value {
    if (!Number.isInteger(size) || size < 0) throw this.error(`alloca of ${size} bytes`);
    // Stack slots belong to the whole function, whoever asked for them.
    const inst: Inst = { kind: 'inst', ty: PTR_T, op: { op: 'alloca', size, align: this.align(align) }, loc: undefined };
    this.body.allocas.push(inst);
    return inst;
  }

  load(ty: RegType, ptr: Value, align: number): Value {
    this.expectPtr(ptr, 'load');
    return this.emit(fromRegType(ty), { op: 'load', ptr, align: this.align(align) });
  }

  store(v: Value, ptr: Value, align: number): void {
    this.expectPtr(ptr, 'store');
    this.emit(VOID, { op: 'store', v, ptr, align: this.align(align) });
  }

  ptrAdd(ptr: Value, offset: Value): Value {
    this.expectPtr(ptr, 'ptrAdd');
    const off = this.resizeInt(offset, 64, true, 'ptrAdd');
    if (off.kind === 'int' && off.value === 0n) return ptr;
    return this.emit(PTR_T, { op: 'gep', ptr, offset: off });
  }

  memcpy(dst: Value, src: Value, size: Value, align: number): void {
    this.memTransfer('llvm.memcpy.p0.p0.i64', dst, src, size, align);
  }

  memmove(dst: Value, src: Value, size: Value, align: number): void {
    this.memTransfer('llvm.memmove.p0.p0.i64', dst, src, size, align);
  }

  memset(dst: Value, byte: Value, size: Value, align: number): void {
    this.expectPtr(dst, 'memset');
    const a = this.align(align);
    const args = [dst, this.resizeInt(byte, 8, false, 'memset'), this.resizeInt(size, 64, false, 'memset'), constInt(I1, 0n)];
    this.callIntrinsic('llvm.memset.p0.i64', VOID, args, [a]);
  }

  // ---- calls and terminators

  call(sig: BackendSig, callee: FnDecl | Value, args: Value[]): Value[] {
    if (args.length !== sig.params.length) throw this.error(`call with ${args.length} arguments to a signature of ${sig.params.length}`);
    // A call through a constant function address is a direct call.
    const target: Callee =
      callee.kind === 'fn' ? { kind: 'fn', fn: callee } : callee.kind === 'fnAddr' ? { kind: 'fn', fn: callee.fn } : { kind: 'value', value: callee };
    const direct = target.kind === 'fn' ? target.fn : undefined;
    if (direct) this.checkOwn(direct);
    const params = sig.params.map(paramTyOf);
    params.forEach((p, i) => this.expectTy(args[i]!, p.ty, `argument ${i}`));
    // A variadic call names how many parameters are fixed; else a declared callee tells.
    const fixed = !sig.variadic ? params.length : (sig.fixedParams ?? (direct?.sig.variadic ? Math.min(direct.sig.params.length, params.length) : params.length));
    const fnTy: FnType = { ret: retTyOf(sig.returns), params: params.slice(0, fixed), variadic: sig.variadic };
    const callArgs: CallArg[] = args.map((value, i) => ({ value, param: params[i]! }));
    const inst = this.emit(fnTy.ret, {
      op: 'call',
      callee: target,
      fnTy,
      args: callArgs,
      noReturn: sig.noReturn || (direct?.sig.noReturn ?? false),
    });
    if (sig.returns.length === 0) return [];
    if (sig.returns.length === 1) return [inst];
    return sig.returns.map((r, index) => this.emit(fromRegType(r), { op: 'extract', agg: inst, index }));
  }

  br(target: Block): void {
    this.terminate({ kind: 'br', to: this.own(target) });
  }

  condBr(cond: Value, then: Block, otherwise: Block): void {
    this.terminate({ kind: 'condBr', cond: this.toI1(cond), then: this.own(then), otherwise: this.own(otherwise) });
  }

  switchInt(v: Value, cases: [bigint, Block][], otherwise: Block): void {
    const ty = this.int(v, 'switchInt');
    const seen = new Set<bigint>();
    const norm = cases.map(([value, block]): [bigint, Block] => {
      const n = BigInt.asUintN(ty.bits, value);
      if (seen.has(n)) throw this.error(`switchInt: duplicate case ${value}`);
      seen.add(n);
      return [n, this.own(block)];
    });
    this.terminate({ kind: 'switch', v, cases: norm, otherwise: this.own(otherwise) });
  }

  ret(values: Value[]): void {
    const returns = this.fn.sig.returns;
    if (values.length !== returns.length) throw this.error(`ret of ${values.length} values from a function returning ${returns.length}`);
    values.forEach((v, i) => this.expectTy(v, fromRegType(returns[i]!), `return value ${i}`));
    if (values.length === 0) return this.terminate({ kind: 'ret' });
    if (values.length === 1) return this.terminate({ kind: 'ret', value: values[0]! });
    const ty = this.fn.fnTy.ret;
    let agg: Value = { kind: 'undef', ty };
    values.forEach((v, index) => {
      agg = this.emit(ty, { op: 'insert', agg, v, index });
    });
    this.terminate({ kind: 'ret', value: agg });
  }

  unreachable(): void {
    this.terminate({ kind: 'unreachable' });
  }

  trap(): void {
    this.callIntrinsic('llvm.trap', VOID, []);
    this.terminate({ kind: 'unreachable' });
  }

  // ---- intrinsics

  intrinsic(op: IntrinsicOp, args: Value[]): Value {
    const arity = (n: number): void => {
      if (args.length !== n) throw this.error(`intrinsic ${op} takes ${n} operands, got ${args.length}`);
    };
    const first = args[0];
    if (!first) throw this.error(`intrinsic ${op} without operands`);
    const ty = typeOf(first);
    args.forEach((a, i) => this.expectTy(a, ty, `${op} operand ${i}`));
    switch (op) {
      case 'ctpop':
      case 'bitreverse':
        arity(1);
        return this.callIntrinsic(`llvm.${op}.i${this.int(first, op).bits}`, ty, args);
      case 'ctlz':
      case 'cttz':
        arity(1);
        return this.callIntrinsic(`llvm.${op}.i${this.int(first, op).bits}`, ty, [first, constInt(I1, 0n)]);
      case 'bswap': {
        arity(1);
        const bits = this.int(first, op).bits;
        return bits === 8 ? first : this.callIntrinsic(`llvm.bswap.i${bits}`, ty, args);
      }
      case 'rotateLeft':
      case 'rotateRight':
        arity(2);
        return this.callIntrinsic(`llvm.${op === 'rotateLeft' ? 'fshl' : 'fshr'}.i${this.int(first, op).bits}`, ty, [first, first, args[1]!]);
      case 'saddSat':
      case 'uaddSat':
      case 'ssubSat':
      case 'usubSat': {
        arity(2);
        const name = `${op[0]}${op.slice(1, 4)}.sat`;
        return this.callIntrinsic(`llvm.${name}.i${this.int(first, op).bits}`, ty, args);
      }
      case 'fabs':
      case 'sqrt':
      case 'floor':
      case 'ceil':
      case 'trunc':
        arity(1);
        return this.callIntrinsic(`llvm.${op}.f${this.float(first, op).bits}`, ty, args);
      case 'copysign':
      case 'minnum':
      case 'maxnum':
        arity(2);
        return this.callIntrinsic(`llvm.${op}.f${this.float(first, op).bits}`, ty, args);
      case 'fma':
        arity(3);
        return this.callIntrinsic(`llvm.fma.f${this.float(first, op).bits}`, ty, args);
    }
  }

  // ---- constants

  constInt(ty: Extract<RegType, { kind: 'int' }>, value: bigint): Value {
    return constInt(intTy(ty.bits), value);
  }

  constFloat(bits: 32 | 64, value: number): Value {
    const view = new DataView(new ArrayBuffer(8));
    if (bits === 32) {
      view.setFloat32(0, value);
      return { kind: 'float', bits, raw: BigInt(view.getUint32(0)) };
    }
    view.setFloat64(0, value);
    return { kind: 'float', bits, raw: view.getBigUint64(0) };
  }

  constFloatBits(bits: 32 | 64, raw: bigint): Value {
    return { kind: 'float', bits, raw: BigInt.asUintN(bits, raw) };
  }

  constNull(): Value {
    return { kind: 'null' };
  }

  constUndef(ty: RegType): Value {
    return { kind: 'undef', ty: fromRegType(ty) };
  }

  fnAddress(fn: FnDecl): Value {
    this.checkOwn(fn);
    return { kind: 'fnAddr', fn };
  }

  dataAddress(global: GlobalDecl, offset: number): Value {
    this.checkOwn(global);
    if (!Number.isSafeInteger(offset)) throw this.error(`data offset ${offset}`);
    return { kind: 'dataAddr', global, offset };
  }

  // ---- internals

  private newBlock(name: string, dead: boolean): Block {
    let base = name.replace(/[^A-Za-z0-9_.]/g, '_');
    if (base === '' || /^[0-9]/.test(base)) base = `_${base}`;
    let label = base;
    for (let i = 1; this.body.labels.has(label); i++) label = `${base}.${i}`;
    this.body.labels.add(label);
    const block: Block = { label, insts: [], dead };
    this.body.blocks.push(block);
    this.ownBlocks.add(block);
    return block;
  }

  /** The current block, or a fresh dead one when the current block is already terminated. */
  private open(): Block {
    if (this.cur.term) this.cur = this.newBlock('dead', true);
    return this.cur;
  }

  private emit(ty: Ty, op: Op): Inst {
    const inst: Inst = { kind: 'inst', ty, op, loc: this.loc };
    this.open().insts.push(inst);
    return inst;
  }

  private terminate(term: Term): void {
    const block = this.open();
    block.term = term;
    block.termLoc = this.loc;
  }

  private cast(code: CastOp, v: Value, to: Ty): Inst {
    return this.emit(to, { op: 'cast', code, v });
  }

  private callIntrinsic(name: string, ret: Ty, args: Value[], aligns: number[] = []): Inst {
    const fnTy: FnType = { ret, params: args.map((a) => ({ ty: typeOf(a) })), variadic: false };
    if (!this.m.intrinsics.has(name)) this.m.intrinsics.set(name, fnTy);
    const callArgs: CallArg[] = args.map((value, i) => {
      const align = aligns[i];
      return align === undefined ? { value, param: fnTy.params[i]! } : { value, param: fnTy.params[i]!, align };
    });
    return this.emit(ret, { op: 'call', callee: { kind: 'intrinsic', name }, fnTy, args: callArgs, noReturn: false });
  }

  private memTransfer(name: string, dst: Value, src: Value, size: Value, align: number): void {
    this.expectPtr(dst, name);
    this.expectPtr(src, name);
    const a = this.align(align);
    this.callIntrinsic(name, VOID, [dst, src, this.resizeInt(size, 64, false, name), constInt(I1, 0n)], [a, a]);
  }

  private resizeInt(v: Value, bits: 8 | 16 | 32 | 64 | 128, signed: boolean, what: string): Value {
    const from = this.int(v, what);
    if (from.bits === bits) return v;
    if (v.kind === 'int') return constInt(intTy(bits), signed ? BigInt.asIntN(from.bits, v.value) : v.value);
    return this.cast(from.bits > bits ? 'trunc' : signed ? 'sext' : 'zext', v, intTy(bits));
  }

  /** An interface boolean (i8 0/1; nonzero is true) as an i1. */
  private toI1(v: Value): Value {
    if (v.kind === 'int') return constInt(I1, v.value === 0n ? 0n : 1n);
    if (v.kind === 'inst' && v.op.op === 'cast' && v.op.code === 'zext' && sameTy(typeOf(v.op.v), I1)) return v.op.v;
    const ty = this.int(v, 'condition');
    if (ty.bits === 1) return v;
    return this.emit(I1, { op: 'icmp', pred: 'ne', a: v, b: constInt(ty, 0n) });
  }

  private fromI1(v: Value): Value {
    return this.cast('zext', v, I8T);
  }

  private align(align: number): number {
    return checkAlign(align, `${this.m.unitName}: ${this.fn.symbol}`);
  }

  private own(block: Block): Block {
    if (!this.ownBlocks.has(block)) throw this.error(`block '${block.label}' belongs to another function`);
    return block;
  }

  private checkOwn(sym: FnDecl | GlobalDecl): void {
    if (this.m.symbols.get(sym.symbol) !== sym) throw this.error(`'${sym.symbol}' belongs to another module`);
  }

  private int(v: Value, what: string): IntTy {
    const ty = typeOf(v);
    if (ty.kind !== 'int') throw this.error(`${what}: expected an integer, got ${showTy(ty)}`);
    return ty;
  }

  private float(v: Value, what: string): FloatTy {
    const ty = typeOf(v);
    if (ty.kind !== 'float') throw this.error(`${what}: expected a float, got ${showTy(ty)}`);
    return ty;
  }

  private sameInt(a: Value, b: Value, what: string): IntTy {
    const ty = this.int(a, what);
    this.expectTy(b, ty, what);
    return ty;
  }

  private sameFloat(a: Value, b: Value, what: string): FloatTy {
    const ty = this.float(a, what);
    this.expectTy(b, ty, what);
    return ty;
  }

  private expectPtr(v: Value, what: string): void {
    this.expectTy(v, PTR_T, what);
  }

  private expectTy(v: Value, ty: Ty, what: string): void {
    const got = typeOf(v);
    if (!sameTy(got, ty)) throw this.error(`${what}: expected ${showTy(ty)}, got ${showTy(got)}`);
  }

  private error(message: string): Error {
    return new Error(`${this.m.unitName}: ${this.fn.symbol}: ${message}`);
  }
}
