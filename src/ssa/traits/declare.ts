// Declaring the symbols of a module: functions with their register-level signature, and
// data. The core computes signatures from its ABI rules (../abi); the backend only maps
// them to its own conventions.

import type { BackendTypes, RegType } from './types.js';

export type Linkage = 'external' | 'internal';

export interface SigParam {
  ty: RegType;
  /** An aggregate copied onto the stack by the caller (the C ABI's MEMORY class). */
  byval?: { size: number; align: number };
  /** The hidden pointer to the caller's return slot. */
  sret?: { size: number; align: number };
  /** Small integers the C ABI widens to 32 bits at the call boundary. */
  ext?: 'sext' | 'zext';
}

export interface BackendSig {
  params: SigParam[];
  /** Values returned in registers: none, one scalar, or the two halves of a pair. */
  returns: RegType[];
  variadic: boolean;
  /** For a call to a variadic function: how many of `params` are its fixed parameters. */
  fixedParams?: number;
  /** The function never returns (`-> !`). */
  noReturn: boolean;
}

export interface DeclareMethods<B extends BackendTypes> {
  /** Declares (or returns the existing declaration of) a function. Idempotent per symbol. */
  declareFn(symbol: string, sig: BackendSig, linkage: Linkage): B['Function'];
  /** Declares (or returns) a data symbol; `defineData` gives it contents. */
  declareData(symbol: string, linkage: Linkage): B['Global'];
}
