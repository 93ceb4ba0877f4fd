// Defining data: a static, a constant allocation, a vtable. Contents are bytes plus
// pointer relocations, exactly what ends up in the object file, so the core lays data
// out once (../mir/constant.ts) and every backend writes the same bytes.

import type { BackendTypes } from './types.js';

export interface DataReloc<B extends BackendTypes> {
  /** Byte offset of the 8-byte pointer inside the data. */
  offset: number;
  target: { kind: 'data'; global: B['Global'] } | { kind: 'fn'; fn: B['Function'] };
  addend: number;
}

export interface DataDef<B extends BackendTypes> {
  bytes: Uint8Array;
  relocs: DataReloc<B>[];
  align: number;
  /** `static mut` and interior mutability: placed in writable memory. */
  mutable: boolean;
}

export interface StaticMethods<B extends BackendTypes> {
  defineData(global: B['Global'], def: DataDef<B>): void;
}
