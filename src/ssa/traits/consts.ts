// Constant values inside a function: integers, floats, null and symbol addresses.

import type { BackendTypes, RegType } from './types.js';

export interface ConstMethods<B extends BackendTypes> {
  /** `value` is taken modulo 2^bits (negative numbers are two's complement). */
  constInt(ty: Extract<RegType, { kind: 'int' }>, value: bigint): B['Value'];
  constFloat(bits: 32 | 64, value: number): B['Value'];
  /** A float from its IEEE bits, for NaN payloads and exact round trips. */
  constFloatBits(bits: 32 | 64, raw: bigint): B['Value'];
  constNull(): B['Value'];
  constUndef(ty: RegType): B['Value'];
  /** The address of a function, as a pointer value. */
  fnAddress(fn: B['Function']): B['Value'];
  /** The address of a data symbol plus a byte offset. */
  dataAddress(global: B['Global'], offset: number): B['Value'];
}
