// Scalars, integers and niches: the arithmetic under rustc's layout algorithm
// (`Primitive`, `Integer::fit_*`, `WrappingRange`, `Niche::available`/`reserve`).
// Valid ranges are unsigned bit patterns of the scalar's size and may wrap
// (`start > end`), exactly as rustc stores them.

import type { Niche, Primitive, Scalar } from './layout.js';
import { scalarAlign, scalarSize } from './layout.js';

export type IntBits = 8 | 16 | 32 | 64 | 128;

export const INT_SIZES: readonly IntBits[] = [8, 16, 32, 64, 128];

export function intPrim(bits: IntBits, signed: boolean): Primitive {
  return { kind: 'int', bits, signed };
}

export const POINTER: Primitive = { kind: 'pointer' };

export function primBits(p: Primitive): number {
  return p.kind === 'pointer' ? 64 : p.bits;
}

/** The largest unsigned value of `bits` bits. */
export function maxOf(bits: number): bigint {
  return (1n << BigInt(bits)) - 1n;
}

/** A scalar that allows every bit pattern. */
export function fullScalar(prim: Primitive): Scalar {
  return { prim, valid: { start: 0n, end: maxOf(primBits(prim)) } };
}

export function rangeScalar(prim: Primitive, start: bigint, end: bigint): Scalar {
  const mask = maxOf(primBits(prim));
  return { prim, valid: { start: start & mask, end: end & mask } };
}

export function isFullRange(s: Scalar): boolean {
  const max = maxOf(primBits(s.prim));
  return ((s.valid.end + 1n) & max) === s.valid.start;
}

/** The same primitive with every bit pattern valid (rustc's `Scalar::to_union`). */
export function toUnion(s: Scalar): Scalar {
  return fullScalar(s.prim);
}

export function samePrim(a: Primitive, b: Primitive): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'int' && b.kind === 'int') return a.bits === b.bits && a.signed === b.signed;
  if (a.kind === 'float' && b.kind === 'float') return a.bits === b.bits;
  return true;
}

export function primSize(p: Primitive): number {
  return scalarSize(fullScalar(p));
}

export function primAlign(p: Primitive): number {
  return scalarAlign(fullScalar(p));
}

/** The smallest integer size that holds `v` as a signed value. */
export function fitSigned(v: bigint): IntBits {
  for (const bits of INT_SIZES) {
    const half = 1n << BigInt(bits - 1);
    if (v >= -half && v < half) return bits;
  }
  return 128;
}

/** The smallest integer size that holds `v` (non-negative) as an unsigned value. */
export function fitUnsigned(v: bigint): IntBits {
  for (const bits of INT_SIZES) if (v <= maxOf(bits)) return bits;
  return 128;
}

/** The integer whose size and alignment are both `align` bytes (rustc's `Integer::for_align`). */
export function intForAlign(align: number): IntBits | undefined {
  return INT_SIZES.find((bits) => bits / 8 === align && primAlign(intPrim(bits, false)) === align);
}

export function trailingZeros(n: number): number {
  if (n === 0) return 64;
  let tz = 0;
  while ((n & 1) === 0) {
    n = n / 2;
    tz++;
  }
  return tz;
}

export function alignTo(n: number, align: number): number {
  return Math.ceil(n / align) * align;
}

// ---------------------------------------------------------------- niches

/** The niche of a scalar at `offset`, if it has invalid values at all. */
export function nicheFromScalar(offset: number, scalar: Scalar): Niche | undefined {
  const n: Niche = { offset, scalar };
  return nicheAvailable(n) > 0n ? n : undefined;
}

/** How many invalid values the niche has. */
export function nicheAvailable(n: Niche | undefined): bigint {
  if (!n) return 0n;
  const max = maxOf(primBits(n.scalar.prim));
  const { start, end } = n.scalar.valid;
  return (start - (end + 1n)) & max;
}

/**
 * Takes `count` invalid values of the niche for other variants: returns the first of them
 * (`niche_start`) and the scalar whose valid range now includes them. Follows rustc's
 * choice of bound so that `None` lands on zero whenever it can.
 */
export function reserveNiche(n: Niche, count: bigint): { start: bigint; scalar: Scalar } | undefined {
  const prim = n.scalar.prim;
  const max = maxOf(primBits(prim));
  const v = n.scalar.valid;
  if (count > nicheAvailable(n)) return undefined;
  const moveStart = () => {
    const start = (v.start - count) & max;
    return { start, scalar: { prim, valid: { start, end: v.end } } };
  };
  const moveEnd = () => {
    const start = (v.end + 1n) & max;
    const end = (v.end + count) & max;
    return { start, scalar: { prim, valid: { start: v.start, end } } };
  };
  const distanceEndZero = max - v.end;
  if (v.start > v.end) return moveEnd();
  if (v.start <= distanceEndZero) return count <= v.start ? moveStart() : moveEnd();
  const end = (v.end + count) & max;
  const overshotZero = end >= 1n && end <= v.end;
  return overshotZero ? moveStart() : moveEnd();
}
