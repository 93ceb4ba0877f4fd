// The shape of a type in memory and in registers, in the terms of rustc's `LayoutData`:
// size and alignment, how the backend carries a value (one scalar, a pair of scalars,
// or memory), where the fields are, and how an enum's variant is encoded. Everything
// downstream (operands, places, the C ABI, constants) reads layouts, never raw types.
// Target: x86-64, pointers of 8 bytes, little-endian.

import type { Ty } from '../../mir/ast.js';

export const POINTER_SIZE = 8;

export type Primitive =
  | { kind: 'int'; bits: 8 | 16 | 32 | 64 | 128; signed: boolean }
  | { kind: 'float'; bits: 32 | 64 }
  | { kind: 'pointer' };

/**
 * A scalar value with its valid range, which wraps around like rustc's `WrappingRange`:
 * `start > end` means the valid values are `start..=MAX` and `0..=end`. Values outside
 * the range form a niche that enums may use to store their tag (`bool` is `0..=1`,
 * `char` `0..=0x10FFFF`, references `1..=MAX`).
 */
export interface Scalar {
  prim: Primitive;
  valid: { start: bigint; end: bigint };
}

/** How the backend carries a value of this layout. */
export type BackendRepr =
  | { kind: 'uninhabited' }
  | { kind: 'scalar'; scalar: Scalar }
  /** Two scalars: `&[T]`, `&dyn Trait`, `(u32, bool)`, small enums with a payload. */
  | { kind: 'scalarPair'; a: Scalar; b: Scalar }
  | { kind: 'memory'; sized: boolean };

export type FieldsShape =
  /** Scalars, and the unsized `str`/`dyn` tails. */
  | { kind: 'primitive' }
  | { kind: 'union'; count: number }
  | { kind: 'array'; stride: number; count: bigint }
  /** Structs, tuples, closures and enum variants: `offsets[i]` is field i's byte offset. */
  | { kind: 'arbitrary'; offsets: number[] };

/** A place inside the layout where invalid values of a scalar are free to encode a tag. */
export interface Niche {
  offset: number;
  scalar: Scalar;
}

export type TagEncoding =
  /** The tag field holds the variant's discriminant. */
  | { kind: 'direct' }
  /**
   * Variants other than `untaggedVariant` are encoded in the niche of the untagged
   * variant's field: variant v (with `nicheVariants.start <= v <= nicheVariants.end`)
   * stores `(v - nicheVariants.start) + nicheStart`, wrapping, in the tag's scalar.
   */
  | { kind: 'niche'; untaggedVariant: number; nicheVariants: { start: number; end: number }; nicheStart: bigint };

export type Variants =
  /** Structs, tuples, and enums with a single inhabited variant (`index`). */
  | { kind: 'single'; index: number }
  | {
      kind: 'multiple';
      tag: Scalar;
      encoding: TagEncoding;
      /** The field of the enum's own `fields` that holds the tag (always 0). */
      tagField: number;
      /** One layout per variant, in declaration order, at the enum's offset 0. */
      variants: Layout[];
    };

export interface Layout {
  /** The concrete type this is the layout of (for a variant: the enum's type). */
  ty: Ty;
  size: number;
  align: number;
  repr: BackendRepr;
  fields: FieldsShape;
  variants: Variants;
  largestNiche?: Niche;
  /** Field i's type, after substitution (`fields.kind === 'arbitrary' | 'union'`). */
  fieldTys: Ty[];
}

/** A sized type of size zero: it has no bytes to load, store or pass. */
export function isZst(l: Layout): boolean {
  return l.size === 0 && !(l.repr.kind === 'memory' && !l.repr.sized);
}

export function scalarSize(s: Scalar): number {
  switch (s.prim.kind) {
    case 'int':
      return s.prim.bits / 8;
    case 'float':
      return s.prim.bits / 8;
    case 'pointer':
      return POINTER_SIZE;
  }
}

export function scalarAlign(s: Scalar): number {
  return s.prim.kind === 'int' && s.prim.bits === 128 ? 16 : scalarSize(s);
}
