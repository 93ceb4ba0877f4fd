// The layout of one variant — a struct, tuple, closure or enum variant — and of unions,
// following rustc_abi's `univariant`: field reordering by alignment group and niche,
// offsets, the Scalar/ScalarPair newtype rules, and the end-biased retry that moves a
// niche towards an edge. Inputs are the fields' layouts; the caller supplies the types.

import type { Ty } from '../../mir/ast.js';
import { printTy } from '../../mir/printer.js';
import { type BackendRepr, isZst, type Layout, type Niche, type Scalar, scalarAlign, scalarSize } from './layout.js';
import { alignTo, type IntBits, maxOf, nicheAvailable, nicheFromScalar, trailingZeros } from './niche.js';
import { LayoutError } from './layout-error.js';

/** The `#[repr(...)]` options that change a layout. */
export interface ReprOptions {
  c: boolean;
  transparent: boolean;
  /** `repr(u8)`, `repr(i32)`, …: the enum's tag type. */
  int?: { bits: IntBits; signed: boolean };
  /** `repr(packed)`: fields aligned to 1. */
  packed: boolean;
}

export const DEFAULT_REPR: ReprOptions = { c: false, transparent: false, packed: false };

export type StructKind =
  /** Every field is sized. */
  | { kind: 'alwaysSized' }
  /** The last field may be unsized; it stays last. */
  | { kind: 'maybeUnsized' }
  /** An enum variant after its tag of `size` bytes and alignment `align`. */
  | { kind: 'prefixed'; size: number; align: number };

type NicheBias = 'start' | 'end';

export function isUninhabited(l: Layout): boolean {
  return l.repr.kind === 'uninhabited';
}

export function isUnsized(l: Layout): boolean {
  return l.repr.kind === 'memory' && !l.repr.sized;
}

/** A zero-sized type with alignment 1, which never affects placement. */
export function is1Zst(l: Layout): boolean {
  return isZst(l) && l.align === 1;
}

/** Where rustc places the two halves of a scalar pair. */
export function pairShape(a: Scalar, b: Scalar): { bOffset: number; size: number; align: number; niche?: Niche } {
  const bAlign = scalarAlign(b);
  const align = Math.max(scalarAlign(a), bAlign, 1);
  const bOffset = alignTo(scalarSize(a), bAlign);
  const size = alignTo(bOffset + scalarSize(b), align);
  // rustc takes the last maximum of [b, a]: `a` wins a tie.
  const nb = nicheFromScalar(bOffset, b);
  const na = nicheFromScalar(0, a);
  const niche = nicheAvailable(nb) > nicheAvailable(na) ? nb : na;
  return { bOffset, size, align, niche };
}

/** Field reordering is off for `repr(C)` and `repr(int)`. */
function inhibitReordering(repr: ReprOptions): boolean {
  return repr.c || repr.int !== undefined;
}

/**
 * The layout of a single variant with these field layouts (in source order). Tries the
 * niche-at-start order first and takes the niche-at-end order when that puts the niche
 * nearer an edge, as rustc does.
 */
export function univariant(fields: Layout[], repr: ReprOptions, kind: StructKind, ty: Ty, fieldTys: Ty[]): Layout {
  const layout = univariantBiased(fields, repr, kind, 'start', ty, fieldTys);
  const niche = layout.largestNiche;
  if (kind.kind === 'maybeUnsized' || !niche) return layout;
  const head = niche.offset;
  const tail = layout.size - head - scalarSize(niche.scalar);
  if (fields.length > 1 && head !== 0 && tail > 0) {
    const alt = univariantBiased(fields, repr, kind, 'end', ty, fieldTys);
    const altNiche = alt.largestNiche!;
    if (altNiche.offset > head && altNiche.offset > tail) return alt;
  }
  return layout;
}

const U128_MAX = maxOf(128);

function univariantBiased(fields: Layout[], repr: ReprOptions, kind: StructKind, bias: NicheBias, ty: Ty, fieldTys: Ty[]): Layout {
  const pack = repr.packed ? 1 : undefined;
  let align = 1;
  const order = fields.map((_, i) => i);
  const end = kind.kind === 'maybeUnsized' ? fields.length - 1 : fields.length;

  if (!inhibitReordering(repr) && fields.length > 1) {
    const sized = fields.slice(0, end);
    const maxFieldAlign = Math.max(1, ...sized.map((f) => f.align));
    const largestNicheSize = sized.reduce((m, f) => (nicheAvailable(f.largestNiche) > m ? nicheAvailable(f.largestNiche) : m), 0n);
    const groupKey = (f: Layout): number => {
      if (pack !== undefined) return Math.min(f.align, pack);
      const nicheSize = nicheAvailable(f.largestNiche);
      let sizeAsAlign = trailingZeros(Math.max(f.align, f.size));
      if (largestNicheSize > 0n) {
        if (bias === 'start') sizeAsAlign = Math.min(trailingZeros(maxFieldAlign), sizeAsAlign);
        else if (nicheSize === largestNicheSize) sizeAsAlign = trailingZeros(f.align);
      }
      return sizeAsAlign;
    };
    const head = order.slice(0, end);
    if (kind.kind === 'prefixed') {
      // Ascending, so the layout stays tight whatever the prefix; big niches last.
      head.sort((x, y) => groupKey(fields[x]!) - groupKey(fields[y]!) || cmpBig(nicheAvailable(fields[x]!.largestNiche), nicheAvailable(fields[y]!.largestNiche)));
    } else {
      const nicheKey = (f: Layout): bigint => (bias === 'start' ? U128_MAX - nicheAvailable(f.largestNiche) : nicheAvailable(f.largestNiche));
      const innerKey = (f: Layout): bigint => {
        const n = f.largestNiche;
        if (!n) return 0n;
        return bias === 'start' ? BigInt(n.offset) : U128_MAX - BigInt(f.size - scalarSize(n.scalar) - n.offset);
      };
      head.sort((x, y) => {
        const a = fields[x]!;
        const b = fields[y]!;
        return groupKey(b) - groupKey(a) || cmpBig(nicheKey(a), nicheKey(b)) || cmpBig(innerKey(a), innerKey(b));
      });
    }
    order.splice(0, end, ...head);
  }

  const offsets = fields.map(() => 0);
  let offset = 0;
  let largestNiche: Niche | undefined;
  let largestAvailable = 0n;
  let unsizedField = false;
  if (kind.kind === 'prefixed') {
    const prefixAlign = pack !== undefined ? Math.min(kind.align, pack) : kind.align;
    align = Math.max(align, prefixAlign);
    offset = alignTo(kind.size, prefixAlign);
  }
  for (const i of order) {
    const field = fields[i]!;
    if (unsizedField) throw new LayoutError(`cannot lay out \`${printTy(ty)}\`: an unsized field is not last`);
    if (isUnsized(field)) {
      if (kind.kind !== 'maybeUnsized') throw new LayoutError(`cannot lay out \`${printTy(ty)}\`: field ${i} (\`${printTy(fieldTys[i]!)}\`) is unsized`);
      unsizedField = true;
    }
    const fieldAlign = pack !== undefined ? Math.min(field.align, pack) : field.align;
    offset = alignTo(offset, fieldAlign);
    align = Math.max(align, fieldAlign);
    offsets[i] = offset;
    const n = field.largestNiche;
    if (n) {
      const available = nicheAvailable(n);
      if (bias === 'start' ? available > largestAvailable : available >= largestAvailable) {
        largestAvailable = available;
        largestNiche = { offset: n.offset + offset, scalar: n.scalar };
      }
    }
    offset += field.size;
  }
  const size = alignTo(offset, align);

  let backendRepr: BackendRepr = { kind: 'memory', sized: !unsizedField };
  if (!unsizedField && size > 0) {
    const nonZst = fields.map((f, i) => [f, i] as const).filter(([f]) => !isZst(f));
    if (nonZst.length === 1) {
      const [field, i] = nonZst[0]!;
      if (offsets[i] === 0 && align === field.align && size === field.size) {
        // Plain scalars keep `repr(C)` newtypes aggregates for the C ABI; pairs are Rust-only anyway.
        if (field.repr.kind === 'scalar' && !repr.c) backendRepr = field.repr;
        else if (field.repr.kind === 'scalarPair') backendRepr = field.repr;
      }
    } else if (nonZst.length === 2) {
      // Two scalars, ordered by offset, placed exactly where a scalar pair puts them.
      const [first, second] = [...nonZst].sort((x, y) => offsets[x[1]]! - offsets[y[1]]!) as [readonly [Layout, number], readonly [Layout, number]];
      const [fa, ia] = first;
      const [fb, ib] = second;
      if (fa.repr.kind === 'scalar' && fb.repr.kind === 'scalar') {
        const pair = pairShape(fa.repr.scalar, fb.repr.scalar);
        if (offsets[ia] === 0 && offsets[ib] === pair.bOffset && align === pair.align && size === pair.size) backendRepr = { kind: 'scalarPair', a: fa.repr.scalar, b: fb.repr.scalar };
      }
    }
  }
  if (fields.some(isUninhabited)) backendRepr = { kind: 'uninhabited' };

  return {
    ty,
    size,
    align,
    repr: backendRepr,
    fields: { kind: 'arbitrary', offsets },
    variants: { kind: 'single', index: 0 },
    largestNiche,
    fieldTys,
  };
}

function cmpBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A union: every field at offset 0; always carried in memory (rustc may use a common scalar). */
export function unionLayout(fields: Layout[], repr: ReprOptions, ty: Ty, fieldTys: Ty[]): Layout {
  if (fields.length === 0) throw new LayoutError(`cannot lay out \`${printTy(ty)}\`: a union needs fields`);
  let align = 1;
  let size = 0;
  fields.forEach((f, i) => {
    if (isUnsized(f)) throw new LayoutError(`cannot lay out \`${printTy(ty)}\`: field ${i} (\`${printTy(fieldTys[i]!)}\`) is unsized`);
    align = Math.max(align, f.align);
    size = Math.max(size, f.size);
  });
  if (repr.packed) align = 1;
  return {
    ty,
    size: alignTo(size, align),
    align,
    repr: { kind: 'memory', sized: true },
    fields: { kind: 'union', count: fields.length },
    variants: { kind: 'single', index: 0 },
    fieldTys,
  };
}
