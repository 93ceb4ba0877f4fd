// How arguments and return values cross a call (rustc's `FnAbi`/`PassMode`): computed
// once from layouts for codegend's own Rust convention (scalars and pairs in registers,
// everything else by reference) and for the System V x86-64 C convention (sysv.ts), then
// turned into the register-level signature a backend declares.

import type { Ty } from '../../mir/ast.js';
import type { BackendSig, SigParam } from '../traits/declare.js';
import type { RegType } from '../traits/types.js';
import { isZst, type Layout, type Scalar } from '../layout/layout.js';
import { type LayoutCx, scalarRegType } from '../layout/layout-cx.js';
import { castRegs, classifyArg, MAX_INT_REGS, MAX_SSE_REGS, neededRegs } from './sysv.js';

export type PassMode =
  /** Zero-sized: nothing is passed. */
  | { kind: 'ignore' }
  /** One scalar in the layout's register type. */
  | { kind: 'direct' }
  /** The two scalars of a scalar pair, as two parameters (or two return registers). */
  | { kind: 'pair' }
  /** C ABI: the bytes of a small aggregate, reinterpreted as these 1-2 registers. */
  | { kind: 'cast'; regs: RegType[] }
  /** A pointer to a copy (arguments) or to the caller's return slot (`sret`). `byval`: the C ABI copies onto the stack. */
  | { kind: 'indirect'; byval: boolean };

export interface ArgAbi {
  layout: Layout;
  mode: PassMode;
  /** C ABI: integers narrower than 32 bits are extended by the caller. */
  ext?: 'sext' | 'zext';
}

export type CallConv = 'rust' | 'c';

export interface FnAbi {
  conv: CallConv;
  args: ArgAbi[];
  ret: ArgAbi;
  /** C variadic: `args` holds the fixed arguments followed by this call's extra ones. */
  variadic: boolean;
  fixedCount: number;
  noReturn: boolean;
}

/**
 * The ABI of a function with these parameter and return types. For a C variadic call,
 * `params` lists the fixed parameters followed by the types of the extra arguments of
 * that call (after the C default promotions the caller has applied).
 */
export function fnAbiOf(cx: LayoutCx, conv: CallConv, params: Ty[], ret: Ty, variadic = false, fixedCount = params.length): FnAbi {
  const retLayout = cx.layoutOf(ret);
  const abi: FnAbi = {
    conv,
    args: params.map((p) => rustArg(cx.layoutOf(p))),
    ret: rustArg(retLayout),
    variadic,
    fixedCount,
    noReturn: retLayout.repr.kind === 'uninhabited',
  };
  if (conv === 'c') sysvAdjust(cx, abi);
  return abi;
}

/** codegend's Rust convention: nothing for ZSTs, registers for scalars and pairs, else a pointer. */
function rustArg(layout: Layout): ArgAbi {
  if (isZst(layout) || layout.repr.kind === 'uninhabited') return { layout, mode: { kind: 'ignore' } };
  switch (layout.repr.kind) {
    case 'scalar':
      return { layout, mode: { kind: 'direct' } };
    case 'scalarPair':
      return { layout, mode: { kind: 'pair' } };
    case 'memory':
      return { layout, mode: { kind: 'indirect', byval: false } };
  }
}

/**
 * System V x86-64 (rustc's `x86_64::compute_abi_info`): the return value first (a MEMORY
 * return takes an integer register for its `sret` pointer), then the arguments in order.
 * An aggregate that classifies into registers is cast to them, unless the registers left
 * do not suffice, in which case it goes on the stack whole (`byval`); scalars stay direct,
 * integer arguments narrower than 32 bits extended (and a `bool` result). i128 is one
 * direct `i128`, which the backend passes in two integer registers, as LLVM does.
 */
function sysvAdjust(cx: LayoutCx, abi: FnAbi): void {
  let intRegs = MAX_INT_REGS;
  let sseRegs = MAX_SSE_REGS;
  const adjust = (arg: ArgAbi, isArg: boolean): void => {
    const layout = arg.layout;
    if (layout.repr.kind === 'memory' && !layout.repr.sized) return;
    let cls = classifyArg(cx, layout);
    const aggregate = layout.repr.kind === 'scalarPair' || layout.repr.kind === 'memory';
    if (isArg && cls !== 'memory') {
      const need = neededRegs(cls);
      if (need.int <= intRegs && need.sse <= sseRegs) {
        intRegs -= need.int;
        sseRegs -= need.sse;
      } else if (aggregate) cls = 'memory';
    }
    if (cls === 'memory') {
      arg.mode = { kind: 'indirect', byval: isArg };
      if (!isArg) intRegs--;
      return;
    }
    if (aggregate) {
      arg.mode = { kind: 'cast', regs: castRegs(cls, layout.size) };
      return;
    }
    // Arguments are widened to 32 bits; of return values only `bool` (on Linux).
    const s = layout.repr.kind === 'scalar' ? layout.repr.scalar : undefined;
    if (s?.prim.kind !== 'int' || s.prim.bits >= 32) return;
    if (isArg) arg.ext = s.prim.signed ? 'sext' : 'zext';
    else if (isBool(s)) arg.ext = 'zext';
  };
  if (abi.ret.mode.kind !== 'ignore') adjust(abi.ret, false);
  for (const arg of abi.args) if (arg.mode.kind !== 'ignore') adjust(arg, true);
}

function isBool(s: Scalar): boolean {
  return s.prim.kind === 'int' && s.prim.bits === 8 && !s.prim.signed && s.valid.start === 0n && s.valid.end === 1n;
}

/** The register-level signature of an ABI: what a backend declares and calls. */
export function backendSig(abi: FnAbi): BackendSig {
  const params: SigParam[] = [];
  const ret = abi.ret;
  if (ret.mode.kind === 'indirect') params.push({ ty: { kind: 'ptr' }, sret: { size: ret.layout.size, align: ret.layout.align } });
  let fixedParams: number | undefined;
  for (const [i, arg] of abi.args.entries()) {
    if (abi.variadic && i === abi.fixedCount) fixedParams = params.length;
    switch (arg.mode.kind) {
      case 'ignore':
        break;
      case 'direct': {
        const p: SigParam = { ty: directReg(arg.layout) };
        if (arg.ext) p.ext = arg.ext;
        params.push(p);
        break;
      }
      case 'pair':
        params.push(...pairRegs(arg.layout).map((ty) => ({ ty })));
        break;
      case 'cast':
        params.push(...arg.mode.regs.map((ty) => ({ ty })));
        break;
      case 'indirect':
        params.push(arg.mode.byval ? { ty: { kind: 'ptr' }, byval: { size: arg.layout.size, align: arg.layout.align } } : { ty: { kind: 'ptr' } });
        break;
    }
  }
  if (abi.variadic) fixedParams ??= params.length;
  const sig: BackendSig = { params, returns: returnRegs(ret), variadic: abi.variadic, noReturn: abi.noReturn };
  if (fixedParams !== undefined) sig.fixedParams = fixedParams;
  return sig;
}

function returnRegs(ret: ArgAbi): RegType[] {
  switch (ret.mode.kind) {
    case 'ignore':
    case 'indirect':
      return [];
    case 'direct':
      return [directReg(ret.layout)];
    case 'pair':
      return pairRegs(ret.layout);
    case 'cast':
      return ret.mode.regs;
  }
}

function directReg(l: Layout): RegType {
  if (l.repr.kind !== 'scalar') throw new Error(`internal: \`direct\` pass mode for a ${l.repr.kind} layout`);
  return scalarRegType(l.repr.scalar);
}

function pairRegs(l: Layout): RegType[] {
  if (l.repr.kind !== 'scalarPair') throw new Error(`internal: \`pair\` pass mode for a ${l.repr.kind} layout`);
  return [scalarRegType(l.repr.a), scalarRegType(l.repr.b)];
}
