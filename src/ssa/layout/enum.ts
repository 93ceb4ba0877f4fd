// Structs and enums as rustc_abi's `layout_of_struct_or_enum` builds them: a struct (or
// an enum with one present variant) is one variant; otherwise the tagged layout (each
// variant prefixed by the tag, widened to the first field's alignment) and the
// niche-filling layout (other variants in the largest one's niche, fitting before or
// after it) are both computed: the smaller wins, then the larger niche, then tagged.

import type { Ty } from '../../mir/ast.js';
import { printTy } from '../../mir/printer.js';
import { type BackendRepr, isZst, type Layout, type Primitive, type Scalar, scalarSize } from './layout.js';
import { LayoutError } from './layout-error.js';
import {
  alignTo,
  fitSigned,
  fitUnsigned,
  fullScalar,
  type IntBits,
  intForAlign,
  intPrim,
  maxOf,
  nicheAvailable,
  nicheFromScalar,
  primAlign,
  primSize,
  reserveNiche,
  samePrim,
  toUnion,
} from './niche.js';
import { is1Zst, isUninhabited, pairShape, type ReprOptions, univariant } from './univariant.js';

export interface AdtInput {
  /** The ADT's concrete type (each variant layout's `ty`). */
  ty: Ty;
  repr: ReprOptions;
  isEnum: boolean;
  /** Field layouts per variant, in declaration order. */
  variants: Layout[][];
  variantFieldTys: Ty[][];
  /** Per variant (enums): the discriminant, explicit or implied. */
  discriminants: bigint[];
  /** Explicit discriminants turn the niche-filling layout off, as in rustc. */
  dontNicheOptimize: boolean;
  /** `UnsafeCell`: the value's niches are hidden. */
  hideNiches?: boolean;
  /** `rustc_layout_scalar_valid_range_start` (`NonNull`, `NonZero`). */
  validRangeStart?: bigint;
  /** False when the struct's last field is unsized (rustc: when its declared type may be). */
  alwaysSized: boolean;
}

/** A variant is absent when it cannot exist and takes no space: it gets no tag value. */
function absent(fields: Layout[]): boolean {
  return fields.some(isUninhabited) && fields.every(is1Zst);
}

/** The layout of `!` and of enums without (present) variants. */
export function neverLayout(ty: Ty): Layout {
  return { ty, size: 0, align: 1, repr: { kind: 'uninhabited' }, fields: { kind: 'primitive' }, variants: { kind: 'single', index: 0 }, fieldTys: [] };
}

export function layoutOfStructOrEnum(input: AdtInput): Layout {
  const { repr, variants, isEnum } = input;
  const present = variants.map((_, i) => i).filter((i) => repr.c || !absent(variants[i]!));
  if (present.length === 0 && isEnum) return neverLayout(input.ty);
  const first = present[0] ?? 0;
  const inhibitEnumOpt = repr.c || repr.int !== undefined;
  if (!isEnum || (present.length === 1 && !inhibitEnumOpt)) return layoutOfStruct(input, first);
  if (repr.packed) throw new LayoutError(`cannot lay out \`${printTy(input.ty)}\`: an enum cannot be packed`);
  return layoutOfEnum(input);
}

function layoutOfStruct(input: AdtInput, v: number): Layout {
  const fields = input.variants[v]!;
  const alwaysSized = input.isEnum || fields.length === 0 || input.alwaysSized;
  const st = univariant(fields, input.repr, { kind: alwaysSized ? 'alwaysSized' : 'maybeUnsized' }, input.ty, input.variantFieldTys[v]!);
  st.variants = { kind: 'single', index: v };
  if (input.hideNiches) {
    if (st.repr.kind === 'scalar') st.repr = { kind: 'scalar', scalar: fullScalar(st.repr.scalar.prim) };
    if (st.repr.kind === 'scalarPair') st.repr = { kind: 'scalarPair', a: fullScalar(st.repr.a.prim), b: fullScalar(st.repr.b.prim) };
    st.largestNiche = undefined;
    return st;
  }
  if (input.validRangeStart !== undefined) {
    let scalar: Scalar | undefined;
    if (st.repr.kind === 'scalar') {
      scalar = { prim: st.repr.scalar.prim, valid: { start: input.validRangeStart, end: st.repr.scalar.valid.end } };
      st.repr = { kind: 'scalar', scalar };
    } else if (st.repr.kind === 'scalarPair') {
      scalar = { prim: st.repr.a.prim, valid: { start: input.validRangeStart, end: st.repr.a.valid.end } };
      st.repr = { kind: 'scalarPair', a: scalar, b: st.repr.b };
    } else throw new LayoutError(`cannot lay out \`${printTy(input.ty)}\`: a restricted valid range needs a scalar`);
    const niche = nicheFromScalar(0, scalar);
    // Replace an equal niche too: this one is at a lower offset.
    if (niche && nicheAvailable(st.largestNiche) <= nicheAvailable(niche)) st.largestNiche = niche;
  }
  return st;
}

/** The tag's integer size and signedness for discriminants `min..=max` (rustc's `repr_discr`). */
export function discrRangeOfRepr(min: bigint, max: bigint, repr: ReprOptions): { bits: IntBits; signed: boolean } {
  if (repr.int) return repr.int;
  const atLeast: IntBits = repr.c ? 32 : 8;
  if (min >= 0n) return { bits: Math.max(fitUnsigned(max), atLeast) as IntBits, signed: false };
  return { bits: Math.max(fitSigned(min), fitSigned(max), atLeast) as IntBits, signed: true };
}

function layoutOfEnum(input: AdtInput): Layout {
  const n = nicheFillingLayout(input);
  const t = taggedLayout(input);
  if (!n) return t;
  if (t.size > n.size) return n;
  if (t.size === n.size && nicheAvailable(t.largestNiche) < nicheAvailable(n.largestNiche)) return n;
  return t;
}

function nicheFillingLayout(input: AdtInput): Layout | undefined {
  const { variants, repr, ty } = input;
  if (input.dontNicheOptimize || variants.length < 2) return undefined;
  let align = 1;
  const layouts = variants.map((fields, j) => {
    const st = univariant(fields, repr, { kind: 'alwaysSized' }, ty, input.variantFieldTys[j]!);
    st.variants = { kind: 'single', index: j };
    align = Math.max(align, st.align);
    return st;
  });
  // The last of the largest variants stays untagged (`max_by_key`).
  let largest = 0;
  layouts.forEach((l, i) => {
    if (l.size >= layouts[largest]!.size) largest = i;
  });
  const needsDisc = layouts.map((_, i) => i !== largest && !absent(variants[i]!));
  const start = needsDisc.indexOf(true);
  const end = needsDisc.lastIndexOf(true);
  if (start < 0) return undefined;
  const count = BigInt(end - start + 1);

  const niche = layouts[largest]!.largestNiche;
  if (!niche) return undefined;
  const reserved = reserveNiche(niche, count);
  if (!reserved) return undefined;
  const nicheOffset = niche.offset;
  const nicheSize = scalarSize(niche.scalar);
  const size = alignTo(layouts[largest]!.size, align);

  const allFit = layouts.every((l, i) => {
    if (i === largest) return true;
    l.largestNiche = undefined;
    if (l.size <= nicheOffset) return true; // fits before the niche
    const thisOffset = alignTo(nicheOffset + nicheSize, l.align);
    if (thisOffset + l.size > size) return false;
    if (l.fields.kind === 'arbitrary') l.fields = { kind: 'arbitrary', offsets: l.fields.offsets.map((o) => o + thisOffset) };
    if (!isUninhabited(l)) l.repr = { kind: 'memory', sized: true };
    l.size += thisOffset;
    return true;
  });
  if (!allFit) return undefined;

  const big = layouts[largest]!;
  const othersZst = layouts.every((l, i) => i === largest || l.size === 0);
  let abi: BackendRepr = { kind: 'memory', sized: true };
  if (size === big.size && align === big.align && othersZst) {
    if (big.repr.kind === 'scalar') abi = { kind: 'scalar', scalar: reserved.scalar };
    else if (big.repr.kind === 'scalarPair') {
      abi = nicheOffset === 0 ? { kind: 'scalarPair', a: reserved.scalar, b: toUnion(big.repr.b) } : { kind: 'scalarPair', a: toUnion(big.repr.a), b: reserved.scalar };
    }
  }
  if (layouts.every(isUninhabited)) abi = { kind: 'uninhabited' };
  return {
    ty,
    size,
    align,
    repr: abi,
    fields: { kind: 'arbitrary', offsets: [nicheOffset] },
    variants: {
      kind: 'multiple',
      tag: reserved.scalar,
      encoding: { kind: 'niche', untaggedVariant: largest, nicheVariants: { start, end }, nicheStart: reserved.start },
      tagField: 0,
      variants: layouts,
    },
    largestNiche: nicheFromScalar(nicheOffset, reserved.scalar),
    fieldTys: [tagTy(reserved.scalar.prim)],
  };
}

function taggedLayout(input: AdtInput): Layout {
  const { variants, repr, ty } = input;
  let min: bigint | undefined;
  let max: bigint | undefined;
  variants.forEach((fields, i) => {
    if (!repr.c && fields.some(isUninhabited)) return;
    const d = input.discriminants[i]!;
    if (min === undefined || d < min) min = d;
    if (max === undefined || d > max) max = d;
  });
  min ??= 0n;
  max ??= 0n;
  const minIty = discrRangeOfRepr(min, max, repr);
  const minItyPrim = intPrim(minIty.bits, minIty.signed);

  let align = 1;
  let size = 0;
  let startAlign = 256;
  let prefixAlign = primAlign(minItyPrim);
  if (repr.c) for (const fields of variants) for (const f of fields) prefixAlign = Math.max(prefixAlign, f.align);

  const layouts = variants.map((fields, i) => {
    const st = univariant(fields, repr, { kind: 'prefixed', size: primSize(minItyPrim), align: prefixAlign }, ty, input.variantFieldTys[i]!);
    st.variants = { kind: 'single', index: i };
    // The first field that cannot move decides how wide the tag may grow.
    const offsets = st.fields.kind === 'arbitrary' ? st.fields.offsets : [];
    const byOffset = offsets.map((o, j) => [o, j] as const).sort((x, y) => x[0] - y[0]);
    const firstFixed = byOffset.find(([, j]) => !is1Zst(fields[j]!));
    if (firstFixed) startAlign = Math.min(startAlign, fields[firstFixed[1]]!.align);
    size = Math.max(size, st.size);
    align = Math.max(align, st.align);
    return st;
  });
  size = alignTo(size, align);

  let ityBits: IntBits = repr.c || repr.int ? minIty.bits : (intForAlign(startAlign) ?? minIty.bits);
  if (ityBits <= minIty.bits) ityBits = minIty.bits;
  else {
    const oldSize = minIty.bits / 8;
    const newSize = ityBits / 8;
    for (const v of layouts) {
      if (v.fields.kind !== 'arbitrary') continue;
      v.fields = { kind: 'arbitrary', offsets: v.fields.offsets.map((o) => (o <= oldSize ? newSize : o)) };
      if (v.size <= oldSize) v.size = newSize;
    }
  }
  const mask = maxOf(ityBits);
  const tag: Scalar = { prim: intPrim(ityBits, minIty.signed), valid: { start: min & mask, end: max & mask } };

  let abi: BackendRepr = { kind: 'memory', sized: true };
  if (scalarSize(tag) === size) abi = { kind: 'scalar', scalar: tag };
  else {
    const common = commonPrim(variants, layouts);
    if (common) {
      const prim = fullScalar(common.prim);
      const pair = pairShape(tag, prim);
      if (pair.bOffset === common.offset && align === pair.align && size === pair.size) abi = { kind: 'scalarPair', a: tag, b: prim };
    }
  }
  // A downcast is a no-op: variants with fields take the enum's by-value repr.
  if (abi.kind === 'scalar' || abi.kind === 'scalarPair') {
    layouts.forEach((v, i) => {
      const fieldCount = variants[i]!.length;
      if (fieldCount > 0 && (v.repr.kind === 'memory' || isUninhabited(v))) {
        if (!isUninhabited(v)) v.repr = abi;
        v.size = Math.max(v.size, size);
        v.align = Math.max(v.align, align);
      }
    });
  }
  if (layouts.every(isUninhabited)) abi = { kind: 'uninhabited' };
  return {
    ty,
    size,
    align,
    repr: abi,
    fields: { kind: 'arbitrary', offsets: [0] },
    variants: { kind: 'multiple', tag, encoding: { kind: 'direct' }, tagField: 0, variants: layouts },
    largestNiche: nicheFromScalar(0, tag),
    fieldTys: [tagTy(tag.prim)],
  };
}

/**
 * The primitive every variant holds at the same offset as its only non-ZST field, if
 * there is one: integers of one size agree (first signedness wins), and a pointer
 * absorbs an integer of its size.
 */
function commonPrim(variants: Layout[][], layouts: Layout[]): { prim: Primitive; offset: number } | undefined {
  let common: { prim: Primitive; offset: number } | undefined;
  for (let i = 0; i < variants.length; i++) {
    const l = layouts[i]!;
    if (l.fields.kind !== 'arbitrary') return undefined;
    const offsets = l.fields.offsets;
    const nonZst = variants[i]!.map((f, j) => [f, offsets[j]!] as const).filter(([f]) => !isZst(f));
    if (nonZst.length === 0) continue;
    if (nonZst.length > 1) return undefined;
    const [field, offset] = nonZst[0]!;
    if (field.repr.kind !== 'scalar') return undefined;
    const prim = field.repr.scalar.prim;
    if (!common) {
      common = { prim, offset };
      continue;
    }
    if (offset !== common.offset) return undefined;
    const old = common.prim;
    if (samePrim(old, prim)) continue;
    if (old.kind === 'int' && prim.kind === 'int' && old.bits === prim.bits) continue;
    if (old.kind === 'pointer' && prim.kind === 'int' && prim.bits === 64) continue;
    if (old.kind === 'int' && old.bits === 64 && prim.kind === 'pointer') {
      common = { prim, offset };
      continue;
    }
    return undefined;
  }
  return common;
}

/** The type of an enum's tag field. */
function tagTy(prim: Primitive): Ty {
  if (prim.kind === 'pointer') return { kind: 'ptr', mutable: false, pointee: { kind: 'tuple', elems: [] } };
  if (prim.kind === 'float') return { kind: 'float', name: prim.bits === 32 ? 'f32' : 'f64' };
  const name = `${prim.signed ? 'i' : 'u'}${prim.bits}` as const;
  return { kind: 'int', name };
}
