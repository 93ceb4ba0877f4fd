// The bundle of a backend's own kinds (rustc's associated types) and the register-level
// types the core speaks in. A backend declares its bundle once (`LlvmTypes`, `X64Types`);
// every interface is generic over it, so a context and a builder can never disagree.

export interface BackendTypes {
  /** An SSA value inside a function. */
  Value: unknown;
  /** A basic block of the function being built. */
  Block: unknown;
  /** A function symbol of the module (defined or declared). */
  Function: unknown;
  /** A data symbol of the module (defined or declared). */
  Global: unknown;
}

export type Value<B extends BackendTypes> = B['Value'];
export type Block<B extends BackendTypes> = B['Block'];
export type Function<B extends BackendTypes> = B['Function'];
export type Global<B extends BackendTypes> = B['Global'];

/**
 * The type of a value in a register. Booleans are `i8` holding 0 or 1 everywhere the
 * core sees them (comparisons produce them, conditional branches take them), the same
 * byte they occupy in memory; a backend may narrow them internally.
 */
export type RegType =
  | { kind: 'int'; bits: 8 | 16 | 32 | 64 | 128 }
  | { kind: 'float'; bits: 32 | 64 }
  | { kind: 'ptr' };

export type IntRegType = Extract<RegType, { kind: 'int' }>;

export const I8: IntRegType = { kind: 'int', bits: 8 };
export const I32: IntRegType = { kind: 'int', bits: 32 };
export const I64: IntRegType = { kind: 'int', bits: 64 };
export const PTR: RegType = { kind: 'ptr' };

export function sameRegType(a: RegType, b: RegType): boolean {
  return a.kind === b.kind && (a.kind === 'ptr' || a.bits === (b as { bits: number }).bits);
}

export function showRegType(t: RegType): string {
  return t.kind === 'ptr' ? 'ptr' : `${t.kind === 'int' ? 'i' : 'f'}${t.bits}`;
}
