// Integer facts the lowering asks in several places: the width and signedness of a
// type's values, and the three-way comparison `Ord::cmp` and MIR's `Cmp` produce.

import type { Ty } from '../../mir/ast.js';
import type { BackendTypes, BuilderMethods, IntRegType } from '../traits/index.js';

/** Signed integer types; everything else (unsigned, bool, char, pointers) compares unsigned. */
export function isSigned(ty: Ty): boolean {
  return ty.kind === 'int' && ty.name.startsWith('i');
}

/** The width of an integer-like value: `usize` is 64 bits, `bool` 8, `char` 32. */
export function intBits(ty: Ty): IntRegType['bits'] {
  if (ty.kind === 'int') return ty.name.endsWith('size') ? 64 : (Number(ty.name.slice(1)) as IntRegType['bits']);
  if (ty.kind === 'bool') return 8;
  if (ty.kind === 'char') return 32;
  return 64;
}

/** -1, 0 or 1 as an i8 (`Ordering`'s values): `(a > b) - (a < b)`. */
export function threeWay<B extends BackendTypes>(bx: BuilderMethods<B>, a: B['Value'], b: B['Value'], signed: boolean): B['Value'] {
  return bx.intBinary('sub', bx.intCompare(signed ? 'sgt' : 'ugt', a, b), bx.intCompare(signed ? 'slt' : 'ult', a, b));
}
