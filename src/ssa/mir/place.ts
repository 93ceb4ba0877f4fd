// Places: from a MIR place (a local and its projections) to an address with a layout
// (rustc's `codegen_place`), and reading a place as an operand, which for SSA locals
// takes fields out of the value instead of going through memory.

import type { Local, Place, ProjectionElem } from '../../mir/ast.js';
import { instTy } from '../../mir/body-types.js';
import type { Layout } from '../layout/layout.js';
import { scalarRegType as regOf } from '../layout/layout-cx.js';
import { isZst } from '../layout/layout.js';
import type { BackendTypes } from '../traits/index.js';
import { I64 } from '../traits/index.js';
import { CodegenError, type FunctionCx } from './function-cx.js';
import { loadOperand, type OperandRef, pairBOffset, type PlaceRef, zstOperand } from './operand.js';


export function localLayout<B extends BackendTypes>(fx: FunctionCx<B>, local: Local): Layout {
  return fx.ucx.layouts.layoutOf(fx.types.localTy(local));
}

/** The address of a place. Places rooted in SSA locals must start with a deref. */
export function codegenPlace<B extends BackendTypes>(fx: FunctionCx<B>, place: Place): PlaceRef<B> {
  const local = fx.locals.get(place.local);
  if (!local) throw new CodegenError(`use of undeclared local _${place.local}`, place.span);
  let cur: PlaceRef<B>;
  let start = 0;
  if (local.kind === 'place') {
    cur = local.place;
  } else {
    // An SSA local: leading field projections pick a part of the value, then a deref.
    let i = 0;
    while (i < place.projection.length && place.projection[i]!.kind === 'field') i++;
    if (i === place.projection.length || place.projection[i]!.kind !== 'deref') {
      throw new CodegenError(`internal: place _${place.local} lives in a register and has no address`, place.span);
    }
    const ptr = consumeProjected(fx, place.local, place.projection.slice(0, i), place);
    cur = derefOperand(fx, ptr);
    start = i + 1;
  }
  for (let k = start; k < place.projection.length; k++) cur = project(fx, cur, place.projection[k]!, place);
  return cur;
}

/** The place a pointer operand points to (`*p`). */
export function derefOperand<B extends BackendTypes>(fx: FunctionCx<B>, op: OperandRef<B>): PlaceRef<B> {
  const ty = op.layout.ty;
  if (ty.kind !== 'ref' && ty.kind !== 'ptr') throw new CodegenError(`cannot dereference a value of this type`);
  const layout = fx.ucx.layouts.layoutOf(ty.pointee);
  const v = op.val.kind === 'ref' ? loadOperand(fx.bx, { ptr: op.val.ptr, layout: op.layout }).val : op.val;
  if (v.kind === 'immediate') return { ptr: v.v, layout };
  if (v.kind === 'pair') return { ptr: v.a, meta: v.b, layout };
  throw new CodegenError(`cannot dereference a zero-sized pointer`);
}

function project<B extends BackendTypes>(fx: FunctionCx<B>, base: PlaceRef<B>, elem: ProjectionElem, place: Place): PlaceRef<B> {
  const { bx } = fx;
  const layouts = fx.ucx.layouts;
  switch (elem.kind) {
    case 'deref':
      return derefOperand(fx, loadOperand(bx, base));
    case 'field': {
      const fieldLayout = layouts.layoutOf(instTy(elem.ty, fx.types.subst));
      const offset = fieldOffset(base.layout, elem.index, place);
      const ptr = offset === 0 ? base.ptr : bx.ptrAdd(base.ptr, bx.constInt(I64, BigInt(offset)));
      // An unsized last field keeps the metadata of the whole.
      return { ptr, layout: fieldLayout, meta: fieldLayout.repr.kind === 'memory' && !fieldLayout.repr.sized ? base.meta : undefined };
    }
    case 'index':
    case 'constIndex':
    case 'subslice': {
      const elemLayout = elementLayout(fx, base.layout);
      const stride = elemLayout.size;
      let index: B['Value'];
      if (elem.kind === 'index') {
        index = localValue(fx, elem.local);
      } else if (elem.kind === 'constIndex') {
        index = elem.fromEnd ? bx.intBinary('sub', lengthOf(fx, base), bx.constInt(I64, BigInt(elem.offset))) : bx.constInt(I64, BigInt(elem.offset));
      } else {
        index = bx.constInt(I64, BigInt(elem.from));
      }
      const ptr = stride === 0 ? base.ptr : bx.ptrAdd(base.ptr, bx.intBinary('mul', index, bx.constInt(I64, BigInt(stride))));
      if (elem.kind !== 'subslice') return { ptr, layout: elemLayout };
      const ty = fx.types.placeTy({ ...place, projection: place.projection.slice(0, place.projection.indexOf(elem) + 1) }).ty;
      const layout = layouts.layoutOf(ty);
      if (ty.kind === 'slice') {
        const len = bx.intBinary('sub', lengthOf(fx, base), bx.constInt(I64, BigInt(elem.from + elem.to)));
        return { ptr, meta: len, layout };
      }
      return { ptr, layout };
    }
    case 'downcast': {
      const variant = layouts.variantIndex(base.layout.ty, elem.variant);
      return { ptr: base.ptr, meta: base.meta, layout: layouts.forVariant(base.layout, variant) };
    }
    case 'opaqueCast':
    case 'subtype':
      return { ptr: base.ptr, meta: base.meta, layout: layouts.layoutOf(instTy(elem.ty, fx.types.subst)) };
  }
}

export function fieldOffset(layout: Layout, index: number, place?: Place): number {
  const f = layout.fields;
  switch (f.kind) {
    case 'arbitrary': {
      const off = f.offsets[index];
      if (off === undefined) throw new CodegenError(`field ${index} does not exist in this layout`, place?.span);
      return off;
    }
    case 'union':
      return 0;
    case 'array':
      return f.stride * index;
    case 'primitive':
      throw new CodegenError(`a primitive value has no field ${index}`, place?.span);
  }
}

export function elementLayout<B extends BackendTypes>(fx: FunctionCx<B>, layout: Layout): Layout {
  const ty = layout.ty;
  if (ty.kind === 'array' || ty.kind === 'slice') return fx.ucx.layouts.layoutOf(ty.elem);
  if (ty.kind === 'str') return fx.ucx.layouts.layoutOf({ kind: 'int', name: 'u8' });
  throw new CodegenError(`cannot index into this type`);
}

/** The element count of an array or slice place. */
export function lengthOf<B extends BackendTypes>(fx: FunctionCx<B>, place: PlaceRef<B>): B['Value'] {
  const ty = place.layout.ty;
  if (ty.kind === 'array') {
    if (ty.len.kind !== 'value') throw new CodegenError('array length is not known');
    return fx.bx.constInt(I64, ty.len.value);
  }
  if (place.meta === undefined) throw new CodegenError('slice without a length');
  return place.meta;
}

/** The value of a local used as an index (usize). */
function localValue<B extends BackendTypes>(fx: FunctionCx<B>, local: Local): B['Value'] {
  const op = consumeProjected(fx, local, [], undefined);
  if (op.val.kind === 'immediate') return op.val.v;
  if (op.val.kind === 'ref') return (loadOperand(fx.bx, { ptr: op.val.ptr, layout: op.layout }).val as { v: B['Value'] }).v;
  throw new CodegenError(`index _${local} is not a scalar`);
}

/** Reads a local with leading field projections as an operand. */
export function consumeProjected<B extends BackendTypes>(fx: FunctionCx<B>, local: Local, fields: ProjectionElem[], place: Place | undefined): OperandRef<B> {
  const ref = fx.locals.get(local);
  if (!ref) throw new CodegenError(`use of undeclared local _${local}`, place?.span);
  if (ref.kind === 'place') {
    let p = ref.place;
    for (const f of fields) p = project(fx, p, f, place ?? { local, projection: fields, span: { lo: 0, hi: 0 } });
    return loadOperand(fx.bx, p);
  }
  let op = ref.op;
  if (!op) {
    // Read before any assignment (a moved-from or never-initialised value): undefined.
    const layout = localLayout(fx, local);
    op = undefOperand(fx, layout);
  }
  for (const f of fields) {
    if (f.kind !== 'field') throw new CodegenError('internal: only fields can be projected out of a register value', place?.span);
    op = extractField(fx, op, f.index, fx.ucx.layouts.layoutOf(instTy(f.ty, fx.types.subst)));
  }
  return op;
}

export function undefOperand<B extends BackendTypes>(fx: FunctionCx<B>, layout: Layout): OperandRef<B> {
  if (isZst(layout)) return zstOperand(layout);
  const { bx } = fx;
  switch (layout.repr.kind) {
    case 'scalar':
      return { layout, val: { kind: 'immediate', v: bx.constUndef(regOf(layout.repr.scalar)) } };
    case 'scalarPair':
      return { layout, val: { kind: 'pair', a: bx.constUndef(regOf(layout.repr.a)), b: bx.constUndef(regOf(layout.repr.b)) } };
    default:
      return { layout, val: { kind: 'ref', ptr: bx.alloca(Math.max(1, layout.size), layout.align) } };
  }
}

/** Field `index` of an operand held in registers (rustc's `extract_field`). */
export function extractField<B extends BackendTypes>(fx: FunctionCx<B>, op: OperandRef<B>, index: number, fieldLayout: Layout): OperandRef<B> {
  if (isZst(fieldLayout)) return zstOperand(fieldLayout);
  const v = op.val;
  if (v.kind === 'ref') {
    const off = fieldOffset(op.layout, index);
    const ptr = off === 0 ? v.ptr : fx.bx.ptrAdd(v.ptr, fx.bx.constInt(I64, BigInt(off)));
    return loadOperand(fx.bx, { ptr, layout: fieldLayout });
  }
  if (fieldLayout.size === op.layout.size) return { layout: fieldLayout, val: v };
  const off = fieldOffset(op.layout, index);
  if (v.kind === 'pair' && op.layout.repr.kind === 'scalarPair') {
    const bOff = pairBOffset(op.layout.repr.a, op.layout.repr.b);
    if (off === 0) return { layout: fieldLayout, val: { kind: 'immediate', v: v.a } };
    if (off === bOff) return { layout: fieldLayout, val: { kind: 'immediate', v: v.b } };
  }
  throw new CodegenError(`internal: cannot take field ${index} out of a register value`);
}
