// Drop glue (rustc's `drop_in_place::<T>` shims): runs the type's own `Drop::drop`, then
// drops each field that needs it, through the fields' own glue. Glue has no MIR, so its
// code has no source location.

import { isZst } from '../layout/layout.js';
import type { BackendTypes } from '../traits/index.js';
import { I64 } from '../traits/index.js';
import type { Instance } from '../../mono/types.js';
import { fnRef } from './declare.js';
import { CodegenError, type UnitCx } from './function-cx.js';
import { fieldOffset } from './place.js';

export function codegenDropGlue<B extends BackendTypes>(ucx: UnitCx<B>, glue: Instance): void {
  if (glue.def.kind !== 'dropGlue') throw new CodegenError('internal: not drop glue');
  const ty = glue.def.ty;
  const f = fnRef(ucx, glue);
  const bx = ucx.cx.defineFn(f.fn);
  const ptr = bx.param(0);
  const own = ucx.mono.dropImpl(glue, ty);
  if (own) {
    const d = fnRef(ucx, own);
    bx.call(d.sig, d.fn, [ptr]);
  }
  const layout = ucx.layouts.layoutOf(ty);
  if (layout.variants.kind === 'multiple') {
    const needs = layout.variants.variants.some((v) => v.fieldTys.some((t) => ucx.mono.dropGlue(glue, t)));
    if (needs) throw new CodegenError(`dropping the fields of the enum \`${ty.kind}\` is not supported yet`);
  } else if (layout.fields.kind === 'arbitrary') {
    layout.fieldTys.forEach((t, i) => {
      const g = ucx.mono.dropGlue(glue, t);
      if (!g || isZst(ucx.layouts.layoutOf(t))) return;
      const off = fieldOffset(layout, i);
      const p = off === 0 ? ptr : bx.ptrAdd(ptr, bx.constInt(I64, BigInt(off)));
      const gf = fnRef(ucx, g);
      bx.call(gf.sig, gf.fn, [p]);
    });
  } else if (layout.fields.kind === 'array' && layout.fieldTys[0] && ucx.mono.dropGlue(glue, layout.fieldTys[0])) {
    throw new CodegenError('dropping the elements of an array is not supported yet');
  }
  bx.ret([]);
}
