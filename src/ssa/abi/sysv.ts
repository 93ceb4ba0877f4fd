// The System V x86-64 psABI classification of a value (§3.2.3), as rustc's
// `callconv/x86_64.rs` does it: each eightbyte of a value of at most 16 bytes is INTEGER
// or SSE, from the scalars that overlap it (an enum's tag and all its variants overlap
// like a union's members); larger or misaligned values are MEMORY. `castRegs` turns the
// classes into the registers a `cast` pass mode uses.

import type { RegType } from '../traits/types.js';
import { isZst, type Layout } from '../layout/layout.js';
import type { LayoutCx } from '../layout/layout-cx.js';

export type ArgClass = 'int' | 'sse';

/** One class per eightbyte (`undefined`: padding only), or MEMORY. */
export type Classification = (ArgClass | undefined)[] | 'memory';

/** Arguments that fit in registers use at most two eightbytes; vectors (up to 8) are not supported. */
const MAX_EIGHTBYTES = 8;

export const MAX_INT_REGS = 6;
export const MAX_SSE_REGS = 8;

export function classifyArg(cx: LayoutCx, layout: Layout): Classification {
  const n = Math.ceil(layout.size / 8);
  if (n > MAX_EIGHTBYTES) return 'memory';
  const cls: (ArgClass | undefined)[] = new Array<ArgClass | undefined>(n).fill(undefined);
  if (!classify(cx, layout, cls, 0)) return 'memory';
  // Without vectors there is no SSEUP, so anything beyond two eightbytes is MEMORY.
  if (n > 2) return 'memory';
  return cls;
}

/** Merges the classes of `l` at byte offset `off` into `cls`; false means MEMORY. */
function classify(cx: LayoutCx, l: Layout, cls: (ArgClass | undefined)[], off: number): boolean {
  if (off % l.align !== 0) return isZst(l);
  switch (l.repr.kind) {
    case 'uninhabited':
      return true;
    case 'scalar': {
      const c: ArgClass = l.repr.scalar.prim.kind === 'float' ? 'sse' : 'int';
      const first = Math.floor(off / 8);
      const last = Math.floor((off + l.size - 1) / 8);
      for (let i = first; i <= last; i++) cls[i] = cls[i] === 'int' || c === 'int' ? 'int' : 'sse';
      return true;
    }
    case 'scalarPair':
    case 'memory':
      break;
  }
  const f = l.fields;
  switch (f.kind) {
    case 'primitive':
      break;
    case 'array':
      if (f.stride > 0) {
        const elem = cx.field(l, 0);
        for (let i = 0; i < Number(f.count); i++) if (!classify(cx, elem, cls, off + i * f.stride)) return false;
      }
      break;
    case 'union':
      for (let i = 0; i < f.count; i++) if (!classify(cx, cx.field(l, i), cls, off)) return false;
      break;
    case 'arbitrary':
      for (let i = 0; i < f.offsets.length; i++) if (!classify(cx, cx.field(l, i), cls, off + f.offsets[i]!)) return false;
      break;
  }
  // An enum's variants overlap like the members of a union (after its tag, field 0).
  if (l.variants.kind === 'multiple') {
    for (let v = 0; v < l.variants.variants.length; v++) if (!classify(cx, cx.forVariant(l, v), cls, off)) return false;
  }
  return true;
}

/** How many integer and SSE registers an argument of these classes takes. */
export function neededRegs(cls: (ArgClass | undefined)[]): { int: number; sse: number } {
  return { int: cls.filter((c) => c === 'int').length, sse: cls.filter((c) => c === 'sse').length };
}

/**
 * The registers that carry a value of `size` bytes with these classes: an INTEGER
 * eightbyte is an i64, or the smallest integer register covering a partial last
 * eightbyte (clang's i24/i40… rounded up to i32/i64: the caller reads and writes the
 * value through a buffer of 8 bytes per register); an SSE eightbyte is an f64, or an f32
 * for a 4-byte tail.
 */
export function castRegs(cls: (ArgClass | undefined)[], size: number): RegType[] {
  const regs: RegType[] = [];
  for (let i = 0; i < cls.length; i++) {
    const c = cls[i];
    if (!c) break;
    const rest = size - 8 * i;
    if (c === 'int') regs.push({ kind: 'int', bits: rest > 4 ? 64 : rest > 2 ? 32 : rest > 1 ? 16 : 8 });
    else regs.push({ kind: 'float', bits: rest === 4 ? 32 : 64 });
  }
  return regs;
}
