// Function symbols of a unit: the ABI of an instance from its signature at its
// substitution, and its declaration in the module (once per symbol).

import type { Ty } from '../../mir/ast.js';
import { instParamTys, instTy } from '../../mir/body-types.js';
import type { Instance } from '../../mono/types.js';
import { backendSig, type CallConv, type FnAbi, fnAbiOf } from '../abi/fn-abi.js';
import type { BackendSig, BackendTypes } from '../traits/index.js';
import type { UnitCx } from './function-cx.js';

export interface FnRef<B extends BackendTypes> {
  fn: B['Function'];
  abi: FnAbi;
  sig: BackendSig;
}

/** Parameter and return types of an instance, substituted; `cAbi` when it uses the C convention. */
export function instanceSignature(inst: Instance, cAbi: boolean): { params: Ty[]; ret: Ty; conv: CallConv } {
  const def = inst.def;
  switch (def.kind) {
    case 'item': {
      const item = def.item.item;
      const params = instParamTys(item.params.map((p) => p.ty), inst.subst);
      // A closure's function-pointer form takes no receiver (the closure is zero-sized).
      if (def.shim === 'closureFnPointer') params.shift();
      return { params, ret: instTy(item.ret, inst.subst), conv: cAbi ? 'c' : 'rust' };
    }
    case 'constBody':
      return { params: [], ret: instTy(def.item.item.ty, inst.subst), conv: 'rust' };
    case 'dropGlue':
      return { params: [{ kind: 'ptr', mutable: true, pointee: def.ty }], ret: { kind: 'tuple', elems: [] }, conv: 'rust' };
  }
}

export function instanceAbi<B extends BackendTypes>(ucx: UnitCx<B>, inst: Instance): FnAbi {
  const sig = instanceSignature(inst, ucx.mono.usesCAbi(inst));
  return fnAbiOf(ucx.layouts, sig.conv, sig.params, sig.ret);
}

/** Declares (once) the function of an instance in the unit's module. */
export function fnRef<B extends BackendTypes>(ucx: UnitCx<B>, inst: Instance): FnRef<B> {
  const known = ucx.fns.get(inst.symbol);
  if (known) return { fn: known.fn, abi: known.abi, sig: backendSig(known.abi) };
  const abi = instanceAbi(ucx, inst);
  const sig = backendSig(abi);
  const fn = ucx.cx.declareFn(inst.symbol, sig, ucx.linkage.get(inst.symbol) ?? 'external');
  ucx.fns.set(inst.symbol, { fn, abi });
  return { fn, abi, sig };
}

/** Declares a C function (libc, the runtime) with a ready ABI. */
export function externFnRef<B extends BackendTypes>(ucx: UnitCx<B>, symbol: string, abi: FnAbi): FnRef<B> {
  const sig = backendSig(abi);
  const known = ucx.fns.get(symbol);
  if (known && !abi.variadic) return { fn: known.fn, abi, sig };
  const fn = ucx.cx.declareFn(symbol, sig, 'external');
  if (!known) ucx.fns.set(symbol, { fn, abi });
  return { fn, abi, sig };
}
