// The way to the runtime's panic entry point from inside a function: one block per
// function that calls it (every failed assert and checked operation jumps there), and
// `guard`, which continues only when a failure condition is false.

import type { BackendSig, BackendTypes } from '../traits/index.js';
import type { FunctionCx } from './function-cx.js';

/** One block per function calls the panic entry point: every failed assert jumps there. */
export function panicBlock<B extends BackendTypes>(fx: FunctionCx<B>): B['Block'] {
  fx.panicBlock ??= fx.bx.appendBlock('panic');
  return fx.panicBlock;
}

/** Fills the panic block, once the function's own blocks are done. */
export function finishPanicBlock<B extends BackendTypes>(fx: FunctionCx<B>): void {
  if (fx.panicBlock === undefined) return;
  fx.bx.positionAtEnd(fx.panicBlock);
  // Shared by every assert and checked operation of the function: none is its source.
  fx.bx.setSourceLoc(undefined);
  callPanic(fx);
}

export function callPanic<B extends BackendTypes>(fx: FunctionCx<B>): void {
  const sig: BackendSig = { params: [], returns: [], variadic: false, noReturn: true };
  const f = fx.ucx.cx.declareFn(fx.ucx.panicSymbol, sig, 'external');
  fx.bx.call(sig, f, []);
  fx.bx.unreachable();
}


/** Panics when `failed` (an i8) is nonzero; code after this runs only when it is zero. */
export function guard<B extends BackendTypes>(fx: FunctionCx<B>, failed: B['Value']): void {
  const ok = fx.bx.appendBlock('checked');
  fx.bx.condBr(failed, panicBlock(fx), ok);
  fx.bx.positionAtEnd(ok);
}
