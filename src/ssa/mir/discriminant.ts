// Reading and writing an enum's discriminant through its tag (rustc's `codegen_get_discr`
// and `codegen_set_discr`): a direct tag holds the discriminant; a niche tag holds an
// invalid value of another variant's field, from which the variant is decoded.

import type { Ty } from '../../mir/ast.js';
import type { AdtTable } from '../../mir/adt-table.js';
import type { LayoutCx } from '../layout/layout-cx.js';
import type { Layout } from '../layout/layout.js';
import { scalarRegType } from '../layout/layout-cx.js';
import type { BackendTypes, IntRegType } from '../traits/index.js';
import { I64 } from '../traits/index.js';
import { CodegenError, type FunctionCx } from './function-cx.js';
import type { PlaceRef } from './operand.js';
import { fieldOffset } from './place.js';

function destBits(l: Layout): IntRegType {
  const r = l.repr.kind === 'scalar' ? scalarRegType(l.repr.scalar) : I64;
  return r.kind === 'int' ? r : I64;
}

function tagPlace<B extends BackendTypes>(fx: FunctionCx<B>, place: PlaceRef<B>): { ptr: B['Value']; reg: ReturnType<typeof scalarRegType>; align: number } {
  const v = place.layout.variants;
  if (v.kind !== 'multiple') throw new CodegenError('internal: not a multi-variant layout');
  const off = fieldOffset(place.layout, v.tagField);
  const ptr = off === 0 ? place.ptr : fx.bx.ptrAdd(place.ptr, fx.bx.constInt(I64, BigInt(off)));
  const reg = scalarRegType(v.tag);
  const size = reg.kind === 'ptr' ? 8 : reg.bits / 8;
  return { ptr, reg, align: Math.min(size, place.layout.align, off === 0 ? place.layout.align : off & -off) };
}

/** The discriminant of the enum value at `place`, as an integer of `dest`'s type. */
export function readDiscriminant<B extends BackendTypes>(fx: FunctionCx<B>, place: PlaceRef<B>, dest: Layout): B['Value'] {
  const { bx } = fx;
  const layouts = fx.ucx.layouts;
  const out = destBits(dest);
  const v = place.layout.variants;
  const ty = place.layout.ty;
  if (v.kind === 'single') return bx.constInt(out, isEnum(layouts.adts, ty) ? layouts.discriminant(ty, v.index) : 0n);
  const tag = tagPlace(fx, place);
  let raw = bx.load(tag.reg, tag.ptr, tag.align);
  if (tag.reg.kind === 'ptr') raw = bx.ptrToInt(raw);
  const tagBits = tag.reg.kind === 'int' ? tag.reg.bits : 64;
  const tagSigned = v.tag.prim.kind === 'int' && v.tag.prim.signed;
  if (v.encoding.kind === 'direct') return bx.intCast(raw, out.bits, tagSigned);
  const { untaggedVariant, nicheVariants, nicheStart } = v.encoding;
  const tagTy: IntRegType = { kind: 'int', bits: tagBits as IntRegType['bits'] };
  const relative = bx.intBinary('sub', raw, bx.constInt(tagTy, nicheStart));
  const span = BigInt(nicheVariants.end - nicheVariants.start);
  const isNiche = bx.intCompare('ule', relative, bx.constInt(tagTy, span));
  // The variant index; niche-encoded enums have no explicit discriminants, so it is the discriminant.
  const variantIdx = bx.intBinary('add', bx.intCast(relative, out.bits, false), bx.constInt(out, BigInt(nicheVariants.start)));
  const discr = bx.select(isNiche, variantIdx, bx.constInt(out, BigInt(untaggedVariant)));
  return discr;
}

/** Makes the enum at `place` hold `variant` (its fields are written separately). */
export function writeDiscriminant<B extends BackendTypes>(fx: FunctionCx<B>, place: PlaceRef<B>, variant: number): void {
  const { bx } = fx;
  const v = place.layout.variants;
  if (v.kind !== 'multiple') return;
  const tag = tagPlace(fx, place);
  const tagBits = tag.reg.kind === 'int' ? tag.reg.bits : 64;
  const tagTy: IntRegType = { kind: 'int', bits: tagBits as IntRegType['bits'] };
  const value = tagValue(fx.ucx.layouts, place.layout, variant);
  if (value === undefined) return;
  let c = bx.constInt(tagTy, value);
  if (tag.reg.kind === 'ptr') c = bx.intToPtr(c);
  bx.store(c, tag.ptr, tag.align);
}

/**
 * The value the tag holds for `variant`: its discriminant (direct tags), or its place in
 * the niche; undefined when nothing is stored (one variant, or the untagged niche variant).
 */
export function tagValue(layouts: LayoutCx, layout: Layout, variant: number): bigint | undefined {
  const v = layout.variants;
  if (v.kind !== 'multiple') return undefined;
  if (v.encoding.kind === 'direct') return layouts.discriminant(layout.ty, variant);
  if (variant === v.encoding.untaggedVariant) return undefined;
  return BigInt(variant - v.encoding.nicheVariants.start) + v.encoding.nicheStart;
}

/** Whether a type is an enum (a single-variant enum still has a discriminant). */
export function isEnum(adts: AdtTable, ty: Ty): boolean {
  return ty.kind === 'named' && adts.lookup(ty.path)?.kind === 'enum';
}
