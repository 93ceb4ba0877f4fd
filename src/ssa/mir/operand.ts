// Operands as rustc's codegen sees them: a value is in memory (`ref`, a pointer to it),
// one immediate scalar, a pair of scalars (fat pointers, `(T, bool)` overflow results),
// or zero-sized. Loading from a place and storing into one go through here, so the
// memory form of every layout is decided in exactly one place.

import { CodegenError } from './function-cx.js';
import type { Layout, Scalar } from '../layout/layout.js';
import { isZst } from '../layout/layout.js';
import { scalarRegType } from '../layout/layout-cx.js';
import type { BackendTypes, BuilderMethods } from '../traits/index.js';

export type OperandValue<B extends BackendTypes> =
  | { kind: 'ref'; ptr: B['Value'] }
  | { kind: 'immediate'; v: B['Value'] }
  | { kind: 'pair'; a: B['Value']; b: B['Value'] }
  | { kind: 'zst' };

export interface OperandRef<B extends BackendTypes> {
  val: OperandValue<B>;
  layout: Layout;
}

/** A place in memory: its address, the length or vtable of an unsized value, its layout. */
export interface PlaceRef<B extends BackendTypes> {
  ptr: B['Value'];
  meta?: B['Value'];
  layout: Layout;
}

export function assertNever(x: never): never {
  throw new CodegenError(`internal: unexpected ${JSON.stringify(x)}`);
}


/** The byte offset of the second half of a scalar pair. */
export function pairBOffset(a: Scalar, b: Scalar): number {
  const aSize = scalarBytes(a);
  const bAlign = scalarBytes(b) === 16 ? 16 : scalarBytes(b);
  return Math.ceil(aSize / bAlign) * bAlign;
}

function scalarBytes(s: Scalar): number {
  return s.prim.kind === 'pointer' ? 8 : s.prim.bits / 8;
}

function scalarAlignIn(s: Scalar, layoutAlign: number): number {
  return Math.min(scalarBytes(s) === 16 ? 16 : scalarBytes(s), layoutAlign);
}

export function zstOperand<B extends BackendTypes>(layout: Layout): OperandRef<B> {
  return { val: { kind: 'zst' }, layout };
}

/** Reads the value of a place as an operand: scalars and pairs are loaded, the rest stays in memory. */
export function loadOperand<B extends BackendTypes>(bx: BuilderMethods<B>, place: PlaceRef<B>): OperandRef<B> {
  const l = place.layout;
  if (isZst(l)) return zstOperand(l);
  switch (l.repr.kind) {
    case 'scalar':
      return { layout: l, val: { kind: 'immediate', v: bx.load(scalarRegType(l.repr.scalar), place.ptr, Math.min(l.align, scalarBytes(l.repr.scalar))) } };
    case 'scalarPair': {
      const { a, b } = l.repr;
      const off = pairBOffset(a, b);
      const va = bx.load(scalarRegType(a), place.ptr, scalarAlignIn(a, l.align));
      const pb = bx.ptrAdd(place.ptr, bx.constInt({ kind: 'int', bits: 64 }, BigInt(off)));
      const vb = bx.load(scalarRegType(b), pb, Math.min(scalarAlignIn(b, l.align), alignOfOffset(off, l.align)));
      return { layout: l, val: { kind: 'pair', a: va, b: vb } };
    }
    case 'memory':
    case 'uninhabited':
      return { layout: l, val: { kind: 'ref', ptr: place.ptr } };
  }
}

/** The alignment guaranteed at `offset` inside a value aligned to `align`. */
export function alignOfOffset(offset: number, align: number): number {
  if (offset === 0) return align;
  return Math.min(align, offset & -offset);
}

/** Writes an operand into a place of the same layout (size). */
export function storeOperand<B extends BackendTypes>(bx: BuilderMethods<B>, op: OperandRef<B>, dest: PlaceRef<B>): void {
  const l = dest.layout;
  const v = op.val;
  switch (v.kind) {
    case 'zst':
      return;
    case 'immediate':
      bx.store(v.v, dest.ptr, Math.min(l.align, op.layout.repr.kind === 'scalar' ? scalarBytes(op.layout.repr.scalar) : l.align));
      return;
    case 'pair': {
      if (op.layout.repr.kind !== 'scalarPair') throw new CodegenError('internal: pair operand without a pair layout');
      const { a, b } = op.layout.repr;
      const off = pairBOffset(a, b);
      bx.store(v.a, dest.ptr, scalarAlignIn(a, l.align));
      const pb = bx.ptrAdd(dest.ptr, bx.constInt({ kind: 'int', bits: 64 }, BigInt(off)));
      bx.store(v.b, pb, Math.min(scalarAlignIn(b, l.align), alignOfOffset(off, l.align)));
      return;
    }
    case 'ref':
      if (op.layout.size > 0) bx.memcpy(dest.ptr, v.ptr, bx.constInt({ kind: 'int', bits: 64 }, BigInt(op.layout.size)), Math.min(l.align, op.layout.align));
      return;
    default:
      assertNever(v);
  }
}

/** The scalars of an operand as a flat list: what a call passes for `direct`/`pair`. */
export function immediates<B extends BackendTypes>(bx: BuilderMethods<B>, op: OperandRef<B>): B['Value'][] {
  const v = op.val;
  switch (v.kind) {
    case 'zst':
      return [];
    case 'immediate':
      return [v.v];
    case 'pair':
      return [v.a, v.b];
    case 'ref':
      return immediates(bx, loadOperand(bx, { ptr: v.ptr, layout: op.layout }));
  }
}

/** An operand from immediates of a scalar or pair layout (call results, parameters). */
export function fromImmediates<B extends BackendTypes>(layout: Layout, values: B['Value'][]): OperandRef<B> {
  if (isZst(layout) || values.length === 0) return zstOperand(layout);
  if (values.length === 1) return { layout, val: { kind: 'immediate', v: values[0] } };
  return { layout, val: { kind: 'pair', a: values[0], b: values[1] } };
}

/** The one immediate of a scalar operand (loading it when it is in memory). */
export function immediateOf<B extends BackendTypes>(bx: BuilderMethods<B>, op: OperandRef<B>): B['Value'] {
  const vs = immediates(bx, op);
  if (vs.length !== 1) throw new CodegenError(`internal: expected a scalar operand, found ${vs.length} values`);
  return vs[0];
}

/** Puts an operand in memory (a fresh stack slot unless it is already there). */
export function spill<B extends BackendTypes>(bx: BuilderMethods<B>, op: OperandRef<B>): PlaceRef<B> {
  if (op.val.kind === 'ref') return { ptr: op.val.ptr, layout: op.layout };
  const place = { ptr: bx.alloca(Math.max(op.layout.size, 1), op.layout.align), layout: op.layout };
  storeOperand(bx, op, place);
  return place;
}
