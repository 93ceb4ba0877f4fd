// Vtables as data: drop glue, size, align, then one function pointer per method slot,
// the layout `dyn Trait` calls read (slot i of a method is at offset 8 * (3 + i)).

import type { VTable } from '../../mono/types.js';
import type { BackendTypes, DataReloc } from '../traits/index.js';
import { fnRef } from './declare.js';
import type { FunctionCx, UnitCx } from './function-cx.js';

export const VTABLE_METHODS_OFFSET = 3;

export function vtableGlobal<B extends BackendTypes>(ucx: UnitCx<B>, vt: VTable): B['Global'] {
  let g = ucx.data.get(vt.symbol);
  if (g !== undefined) return g;
  g = ucx.cx.declareData(vt.symbol, 'internal');
  ucx.data.set(vt.symbol, g);
  const bytes = new Uint8Array(8 * (VTABLE_METHODS_OFFSET + vt.methods.length));
  const dv = new DataView(bytes.buffer);
  dv.setBigUint64(8, BigInt(vt.size), true);
  dv.setBigUint64(16, BigInt(vt.align), true);
  const relocs: DataReloc<B>[] = [];
  if (vt.drop) relocs.push({ offset: 0, addend: 0, target: { kind: 'fn', fn: fnRef(ucx, vt.drop).fn } });
  vt.methods.forEach((m, i) => {
    if (m) relocs.push({ offset: 8 * (VTABLE_METHODS_OFFSET + i), addend: 0, target: { kind: 'fn', fn: fnRef(ucx, m).fn } });
  });
  ucx.cx.defineData(g, { bytes, relocs, align: 8, mutable: false });
  return g;
}

export function vtableAddress<B extends BackendTypes>(fx: FunctionCx<B>, vt: VTable): B['Value'] {
  return fx.bx.dataAddress(vtableGlobal(fx.ucx, vt), 0);
}
