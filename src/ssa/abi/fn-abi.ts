// How arguments and return values cross a call (rustc's `FnAbi`/`PassMode`): computed
// once from layouts for codegend's own Rust convention and for the System V x86-64 C
// convention, then turned into the register-level signature a backend declares.

import type { Ty } from '../../mir/ast.js';
import type { BackendSig } from '../traits/declare.js';
import type { RegType } from '../traits/types.js';
import type { Layout } from '../layout/layout.js';
import type { LayoutCx } from '../layout/layout-cx.js';

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
  void cx; void conv; void params; void ret; void variadic; void fixedCount;
  throw new Error('not implemented');
}

/** The register-level signature of an ABI: what a backend declares and calls. */
export function backendSig(abi: FnAbi): BackendSig {
  void abi;
  throw new Error('not implemented');
}
