// The runtime module codegend generates for each crate, as rustc generates its allocator
// shim: the panic entry point that failed asserts and body-less core panic functions
// call. It passes a PanicInfo-sized block of zeroes to the crate's panic handler (the
// handlers rustc's dump shows ignore it) or, without a handler, traps.

import type { Instance } from '../mono/types.js';
import type { BackendSig, BackendTypes, CodegenCx } from './traits/index.js';
import { fnRef } from './mir/declare.js';
import type { UnitCx } from './mir/function-cx.js';

export const PANIC_SYMBOL = '__codegend_panic';
export const RUNTIME_UNIT_SUFFIX = 'runtime';

export function codegenRuntime<B extends BackendTypes>(ucx: UnitCx<B>, handler: Instance | undefined): void {
  const cx: CodegenCx<B> = ucx.cx;
  const sig: BackendSig = { params: [], returns: [], variadic: false, noReturn: true };
  const entry = cx.declareFn(PANIC_SYMBOL, sig, 'external');
  const bx = cx.defineFn(entry);
  if (!handler) {
    bx.trap();
    return;
  }
  const info = cx.declareData(`${PANIC_SYMBOL}.info`, 'internal');
  cx.defineData(info, { bytes: new Uint8Array(64), relocs: [], align: 8, mutable: false });
  const h = fnRef(ucx, handler);
  const args = h.abi.args.flatMap((a) => (a.mode.kind === 'ignore' ? [] : [bx.dataAddress(info, 0)]));
  bx.call(h.sig, h.fn, args);
  bx.unreachable();
}
