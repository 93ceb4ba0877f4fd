// Terminators (rustc's `codegen_terminator`): branches, returns in the function's ABI,
// asserts whose failure path ends in the runtime's panic entry point, drops through
// drop glue, and calls — to crate functions, libc, intrinsics, trait methods on
// primitives, through vtables and function pointers — with arguments passed as each
// callee's ABI says.

import type { BasicBlock, Operand, Terminator, Ty } from '../../mir/ast.js';
import type { Callee } from '../../mono/types.js';
import { MonoError } from '../../mono/types.js';
import { type ArgAbi, backendSig, type FnAbi, fnAbiOf } from '../abi/fn-abi.js';
import type { Layout } from '../layout/layout.js';
import { isZst } from '../layout/layout.js';
import type { BackendTypes } from '../traits/index.js';
import { I64 } from '../traits/index.js';
import { externFnRef, fnRef } from './declare.js';
import { CodegenError, type FunctionCx } from './function-cx.js';
import { codegenIntrinsic, codegenPrimitiveMethod } from './intrinsic.js';
import { fromImmediates, immediateOf, immediates, loadOperand, type OperandRef, type PlaceRef, spill, storeOperand, zstOperand } from './operand.js';
import { codegenPlace, derefOperand, extractField } from './place.js';
import { codegenOperand, operandTy } from './rvalue.js';
import { defineLocal, ssaTarget } from './statement.js';
import { VTABLE_METHODS_OFFSET } from './vtable.js';
import { callPanic, panicBlock } from './panic.js';

export function codegenTerminator<B extends BackendTypes>(fx: FunctionCx<B>, b: BasicBlock): void {
  const { bx } = fx;
  const t = b.terminator;
  const block = (id: number) => {
    const blk = fx.blocks[id];
    if (blk === undefined) throw new CodegenError(`no block bb${id}`, t.span);
    return blk;
  };
  switch (t.kind) {
    case 'goto':
      bx.br(block(t.target));
      return;
    case 'falseEdge':
      bx.br(block(t.real));
      return;
    case 'falseUnwind':
      bx.br(block(t.real));
      return;
    case 'switchInt': {
      const discr = immediateOf(bx, codegenOperand(fx, t.discr));
      const discrTy = fx.types.operandTy(t.discr);
      if (discrTy?.kind === 'bool' && t.targets.length === 1) {
        const [first] = t.targets;
        const isZero = first!.value === 0n;
        bx.condBr(discr, isZero ? block(t.otherwise) : block(first!.target), isZero ? block(first!.target) : block(t.otherwise));
        return;
      }
      bx.switchInt(discr, t.targets.map((x) => [x.value, block(x.target)] as [bigint, B['Block']]), block(t.otherwise));
      return;
    }
    case 'return':
      codegenReturn(fx);
      return;
    case 'unreachable':
    case 'unwindResume':
    case 'unwindTerminate':
      bx.unreachable();
      return;
    case 'drop': {
      const ty = fx.types.placeTy(t.place).ty;
      const glue = fx.ucx.mono.dropGlue(fx.instance, ty);
      if (glue) {
        const place = codegenPlace(fx, t.place);
        const f = fnRef(fx.ucx, glue);
        bx.call(f.sig, f.fn, [place.ptr]);
      }
      bx.br(block(t.target));
      return;
    }
    case 'assert': {
      const cond = immediateOf(bx, codegenOperand(fx, t.cond));
      const ok = block(t.target);
      const fail = panicBlock(fx);
      if (t.expected) bx.condBr(cond, ok, fail);
      else bx.condBr(cond, fail, ok);
      return;
    }
    case 'call':
      codegenCall(fx, t, t.target === undefined ? undefined : block(t.target));
      return;
    case 'tailCall':
      throw new CodegenError('tail calls (`become`) are not supported yet', t.span);
  }
}

function codegenReturn<B extends BackendTypes>(fx: FunctionCx<B>): void {
  const { bx } = fx;
  const ret = fx.abi.ret;
  switch (ret.mode.kind) {
    case 'ignore':
    case 'indirect':
      bx.ret([]);
      return;
    case 'direct':
    case 'pair':
      bx.ret(immediates(bx, readLocal0(fx)));
      return;
    case 'cast': {
      const place = spill(bx, readLocal0(fx));
      bx.ret(loadCastRegs(fx, place, ret.mode.regs));
      return;
    }
  }
}

function readLocal0<B extends BackendTypes>(fx: FunctionCx<B>): OperandRef<B> {
  return codegenOperand(fx, { kind: 'copy', place: { local: 0 as never, projection: [], span: { lo: 0, hi: 0 } } });
}

/** The registers of the C ABI's `cast` mode, read from the bytes of a value in memory. */
export function loadCastRegs<B extends BackendTypes>(fx: FunctionCx<B>, place: PlaceRef<B>, regs: import('../traits/index.js').RegType[]): B['Value'][] {
  const { bx } = fx;
  // Read through a buffer as large as the registers, so a partial last eightbyte stays in bounds.
  const total = regs.length * 8;
  const buf = bx.alloca(total, 8);
  bx.memcpy(buf, place.ptr, bx.constInt(I64, BigInt(Math.min(place.layout.size, total))), Math.min(8, place.layout.align));
  return regs.map((r, i) => bx.load(r, i === 0 ? buf : bx.ptrAdd(buf, bx.constInt(I64, BigInt(8 * i))), 8));
}

/** Puts the registers of the C ABI's `cast` mode back into memory, as a value of `layout`. */
export function storeCastRegs<B extends BackendTypes>(fx: FunctionCx<B>, values: B['Value'][], layout: Layout): PlaceRef<B> {
  const { bx } = fx;
  const buf = bx.alloca(Math.max(values.length * 8, layout.size), Math.max(8, layout.align));
  values.forEach((v, i) => bx.store(v, i === 0 ? buf : bx.ptrAdd(buf, bx.constInt(I64, BigInt(8 * i))), 8));
  return { ptr: buf, layout };
}

// ------------------------------------------------------------------ calls

function codegenCall<B extends BackendTypes>(fx: FunctionCx<B>, t: Extract<Terminator, { kind: 'call' }>, target: B['Block'] | undefined): void {
  const { bx } = fx;
  const destTy = fx.types.placeTy(t.dest).ty;
  const argTys = t.args.map((a) => operandTy(fx, a) ?? ({ kind: 'infer' } as Ty));
  let callee: Callee;
  try {
    callee = fx.ucx.mono.resolveCallee(fx.instance, t.func, argTys, destTy);
  } catch (e) {
    if (e instanceof MonoError) throw new CodegenError(e.message, t.span);
    throw e;
  }
  const destLayout = fx.ucx.layouts.layoutOf(destTy);
  const finish = (result: OperandRef<B> | 'diverges' | 'written') => {
    if (result === 'diverges') return;
    if (result !== 'written') writeDest(fx, t.dest, result);
    if (target !== undefined) bx.br(target);
    else bx.unreachable();
  };
  switch (callee.kind) {
    case 'intrinsic': {
      const args = t.args.map((a, i) => codegenOperand(fx, a, argTys[i]));
      finish(codegenIntrinsic(fx, callee.name, callee.typeArgs, args, destLayout));
      return;
    }
    case 'primitive': {
      const args = t.args.map((a, i) => codegenOperand(fx, a, argTys[i]));
      finish(codegenPrimitiveMethod(fx, callee.method, callee.selfTy, args, destLayout));
      return;
    }
    case 'panic':
      for (const a of t.args) codegenOperand(fx, a);
      callPanic(fx);
      return;
    case 'extern': {
      const sig = callee.sig;
      const fixed = sig.params.length;
      const extra = argTys.slice(fixed);
      const callAbi = fnAbiOf(fx.ucx.layouts, 'c', [...sig.params, ...extra], sig.ret, sig.variadic, fixed);
      const declAbi = sig.variadic ? fnAbiOf(fx.ucx.layouts, 'c', sig.params, sig.ret, true, fixed) : callAbi;
      const f = externFnRef(fx.ucx, callee.symbol, declAbi);
      const args = t.args.map((a, i) => codegenOperand(fx, a, argTys[i]));
      finish(emitCall(fx, callAbi, f.fn, args, t.dest, destLayout));
      return;
    }
    case 'instance': {
      const f = fnRef(fx.ucx, callee.instance);
      // A constant argument whose type the body does not tell takes the parameter's type.
      const expected = callee.spreadTuple ? argTys : argTys.map((t, i) => (t.kind === 'infer' ? (f.abi.args[i]?.layout.ty ?? t) : t));
      const passed = callee.dropSelf ? t.args.slice(1) : t.args;
      const passedTys = callee.dropSelf ? expected.slice(1) : expected;
      const args = adjustArgs(fx, passed, passedTys, callee.spreadTuple ?? false, callee.dropSelf ? 'none' : (callee.selfAdjust ?? 'none'), callee.selfDerefs ?? 1);
      finish(emitCall(fx, f.abi, f.fn, args, t.dest, destLayout));
      return;
    }
    case 'virtual': {
      const self = codegenOperand(fx, t.args[0]!, argTys[0]);
      const [data, vtable] = immediates(bx, self);
      if (vtable === undefined) throw new CodegenError('a virtual call needs a `dyn` receiver', t.span);
      const slot = bx.ptrAdd(vtable, bx.constInt(I64, BigInt(8 * (VTABLE_METHODS_OFFSET + callee.slot))));
      const fnPtr = bx.load({ kind: 'ptr' }, slot, 8);
      const thin: Ty = { kind: 'ptr', mutable: false, pointee: { kind: 'int', name: 'u8' } };
      const rest = adjustArgs(fx, t.args.slice(1), argTys.slice(1), callee.spreadTuple ?? false, 'none', 0);
      const selfOp: OperandRef<B> = { layout: fx.ucx.layouts.layoutOf(thin), val: { kind: 'immediate', v: data } };
      const abi = fnAbiOf(fx.ucx.layouts, 'rust', [thin, ...rest.map((r) => r.layout.ty)], destTy);
      finish(emitCall(fx, abi, fnPtr, [selfOp, ...rest], t.dest, destLayout));
      return;
    }
    case 'fnPtr': {
      let fnOp: OperandRef<B>;
      let args: OperandRef<B>[];
      if (callee.fromSelf) {
        // `<fn(A) -> R as Fn<(A,)>>::call(f, (a,))`: the pointer is the receiver.
        fnOp = codegenOperand(fx, t.args[0]!, argTys[0]);
        for (let k = 0; k < callee.fromSelf.derefs; k++) fnOp = loadOperand(bx, derefOperand(fx, fnOp));
        args = adjustArgs(fx, t.args.slice(1), argTys.slice(1), callee.spreadTuple ?? false, 'none', 0);
      } else {
        fnOp = codegenOperand(fx, t.func);
        args = t.args.map((a, i) => codegenOperand(fx, a, argTys[i]));
      }
      const fty = fnOp.layout.ty;
      if (fty.kind !== 'fnPtr') throw new CodegenError('calling a value that is not a function pointer', t.span);
      const conv = fty.sig.abi === 'C' || fty.sig.abi === '"C"' ? 'c' : 'rust';
      // A variadic pointer is called like a variadic function: the extra arguments' own types.
      const extra = fty.sig.variadic ? args.slice(fty.sig.params.length).map((a) => a.layout.ty) : [];
      const abi = fnAbiOf(fx.ucx.layouts, conv, [...fty.sig.params, ...extra], fty.sig.ret, fty.sig.variadic, fty.sig.params.length);
      finish(emitCall(fx, abi, immediateOf(bx, fnOp), args, t.dest, destLayout));
      return;
    }
  }
}

/** Spreads a Fn-trait argument tuple and adjusts the closure receiver. */
function adjustArgs<B extends BackendTypes>(fx: FunctionCx<B>, args: Operand[], argTys: Ty[], spreadTuple: boolean, selfAdjust: 'none' | 'deref' | 'ref', derefs: number): OperandRef<B>[] {
  const ops = args.map((a, i) => codegenOperand(fx, a, argTys[i]));
  if (ops.length > 0 && selfAdjust === 'deref') {
    for (let k = 0; k < derefs; k++) ops[0] = loadOperand(fx.bx, derefOperand(fx, ops[0]!));
  } else if (ops.length > 0 && selfAdjust === 'ref') {
    const place = spill(fx.bx, ops[0]!);
    const ty: Ty = { kind: 'ref', mutable: false, pointee: ops[0]!.layout.ty };
    ops[0] = { layout: fx.ucx.layouts.layoutOf(ty), val: { kind: 'immediate', v: place.ptr } };
  }
  if (spreadTuple && ops.length > 0) {
    const tuple = ops.pop()!;
    const ty = tuple.layout.ty;
    if (ty.kind !== 'tuple') throw new CodegenError('the arguments of a Fn-trait call must be a tuple');
    ty.elems.forEach((e, i) => ops.push(extractField(fx, tuple, i, fx.ucx.layouts.layoutOf(e))));
  }
  return ops;
}

/** Passes arguments by the callee's ABI, calls, and returns the result (or writes it). */
function emitCall<B extends BackendTypes>(fx: FunctionCx<B>, abi: FnAbi, callee: B['Function'] | B['Value'], args: OperandRef<B>[], dest: import('../../mir/ast.js').Place, destLayout: Layout): OperandRef<B> | 'diverges' | 'written' {
  const { bx } = fx;
  const values: B['Value'][] = [];
  let sretPlace: PlaceRef<B> | undefined;
  if (abi.ret.mode.kind === 'indirect') {
    const direct = ssaTarget(fx, dest) === undefined && !isZst(destLayout);
    sretPlace = direct ? codegenPlace(fx, dest) : { ptr: bx.alloca(Math.max(1, abi.ret.layout.size), abi.ret.layout.align), layout: abi.ret.layout };
    values.push(sretPlace.ptr);
  }
  if (args.length !== abi.args.length) throw new CodegenError(`internal: ${args.length} arguments for a callee taking ${abi.args.length}`);
  args.forEach((op, i) => values.push(...passArg(fx, abi.args[i]!, op)));
  const sig = backendSig(abi);
  const results = bx.call(sig, callee, values);
  if (abi.noReturn) {
    bx.unreachable();
    return 'diverges';
  }
  switch (abi.ret.mode.kind) {
    case 'ignore':
      return zstOperand(destLayout);
    case 'direct':
    case 'pair':
      return fromImmediates(destLayout, results);
    case 'cast':
      return loadOperand(bx, storeCastRegs(fx, results, destLayout));
    case 'indirect':
      if (sretPlace && ssaTarget(fx, dest) === undefined && !isZst(destLayout)) return 'written';
      return loadOperand(bx, { ptr: sretPlace!.ptr, layout: destLayout });
  }
}

function passArg<B extends BackendTypes>(fx: FunctionCx<B>, arg: ArgAbi, op: OperandRef<B>): B['Value'][] {
  const { bx } = fx;
  switch (arg.mode.kind) {
    case 'ignore':
      return [];
    case 'direct':
    case 'pair':
      return immediates(bx, op);
    case 'cast':
      return loadCastRegs(fx, spill(bx, op), arg.mode.regs);
    case 'indirect': {
      // The callee may write to its parameter: it always gets a copy of its own.
      const copy: PlaceRef<B> = { ptr: bx.alloca(Math.max(1, op.layout.size), op.layout.align), layout: op.layout };
      storeOperand(bx, op, copy);
      return [copy.ptr];
    }
  }
}

function writeDest<B extends BackendTypes>(fx: FunctionCx<B>, dest: import('../../mir/ast.js').Place, op: OperandRef<B>): void {
  const local = ssaTarget(fx, dest);
  if (local !== undefined) {
    defineLocal(fx, local, op);
    return;
  }
  if (isZst(op.layout)) return;
  storeOperand(fx.bx, op, codegenPlace(fx, dest));
}
