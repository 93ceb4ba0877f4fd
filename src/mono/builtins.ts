// Callees that are not bodies of the crate, recognised by name: compiler intrinsics the
// core lowers inline, core's panic entry points (all of which end in the panic handler),
// and the core traits whose methods on primitive types are plain operations.

import type { Path, Ty } from '../mir/ast.js';
import { identSegments } from '../mir/ty.js';

const INTRINSICS = new Set([
  'cold_path', 'likely', 'unlikely', 'assume', 'unreachable', 'abort', 'black_box', 'breakpoint',
  'rotate_left', 'rotate_right', 'ctpop', 'ctlz', 'cttz', 'ctlz_nonzero', 'cttz_nonzero', 'bswap', 'bitreverse',
  'copy', 'copy_nonoverlapping', 'write_bytes', 'volatile_load', 'volatile_store', 'read_via_copy', 'write_via_move',
  'saturating_add', 'saturating_sub', 'wrapping_add', 'wrapping_sub', 'wrapping_mul', 'add_with_overflow', 'sub_with_overflow', 'mul_with_overflow',
  'unchecked_add', 'unchecked_sub', 'unchecked_mul', 'unchecked_div', 'unchecked_rem', 'unchecked_shl', 'unchecked_shr', 'exact_div',
  'three_way_compare', 'disjoint_bitor', 'carrying_mul_add',
  'compare_bytes', 'raw_eq', 'typed_swap_nonoverlapping', 'transmute', 'transmute_unchecked',
  'size_of', 'align_of', 'min_align_of', 'size_of_val', 'min_align_of_val', 'align_of_val', 'needs_drop', 'forget', 'discriminant_value',
  'ptr_offset_from', 'ptr_offset_from_unsigned', 'arith_offset', 'offset', 'ptr_guaranteed_cmp', 'select_unpredictable',
  'sqrtf32', 'sqrtf64', 'floorf32', 'floorf64', 'ceilf32', 'ceilf64', 'truncf32', 'truncf64', 'roundf32', 'roundf64', 'rintf32', 'rintf64',
  'fabsf32', 'fabsf64', 'copysignf32', 'copysignf64', 'minnumf32', 'minnumf64', 'maxnumf32', 'maxnumf64', 'fmaf32', 'fmaf64', 'powif32', 'powif64',
  'float_to_int_unchecked', 'fadd_fast', 'fsub_fast', 'fmul_fast', 'fdiv_fast', 'frem_fast',
]);

/** Core's panic entry points by name (trimmed paths keep only a few segments). */
const PANIC_NAMES = new Set([
  'panic_fmt', 'panic', 'panic_nounwind', 'panic_nounwind_fmt', 'panic_explicit', 'panic_display', 'panic_str', 'panic_str_2015',
  'begin_panic', 'panic_bounds_check', 'panic_cold_explicit', 'panic_cold_display', 'panic_in_cleanup', 'panic_cannot_unwind',
  'panic_misaligned_pointer_dereference', 'panic_null_pointer_dereference', 'panic_invalid_enum_construction', 'unreachable_display',
]);

/** Core traits: a user crate cannot implement them for primitive types (the orphan rule). */
const CORE_TRAITS = new Set([
  'Add', 'Sub', 'Mul', 'Div', 'Rem', 'Neg', 'Not', 'BitAnd', 'BitOr', 'BitXor', 'Shl', 'Shr',
  'AddAssign', 'SubAssign', 'MulAssign', 'DivAssign', 'RemAssign', 'BitAndAssign', 'BitOrAssign', 'BitXorAssign', 'ShlAssign', 'ShrAssign',
  'PartialEq', 'Eq', 'PartialOrd', 'Ord', 'Clone', 'Copy', 'Default',
]);

/** `cold_path`, `core::intrinsics::copy`, `intrinsics::ctpop`: the intrinsic's name, else undefined. */
export function intrinsicName(path: Path): string | undefined {
  const segs = identSegments(path);
  if (!segs) return undefined;
  const name = segs[segs.length - 1]!;
  if (!INTRINSICS.has(name)) return undefined;
  if (segs.length === 1 || segs[segs.length - 2] === 'intrinsics') return name;
  return undefined;
}

/** Whether a body-less callee is one of core's panic entry points. */
export function isPanicPath(path: Path): boolean {
  const segs = identSegments(path);
  if (!segs) return false;
  const name = segs[segs.length - 1]!;
  return PANIC_NAMES.has(name) || name.startsWith('panic_const_') || name.endsWith('_fail') || name.endsWith('_failed') || segs.includes('panicking');
}

export function isCoreTrait(name: string): boolean {
  return CORE_TRAITS.has(name);
}

/** Types that are not ADTs of any crate: their core trait methods are operations. */
export function isPrimitiveLike(t: Ty): boolean {
  switch (t.kind) {
    case 'int':
    case 'float':
    case 'bool':
    case 'char':
    case 'str':
    case 'never':
    case 'tuple':
    case 'array':
    case 'slice':
    case 'ptr':
    case 'fnPtr':
      return true;
    case 'ref':
      return isPrimitiveLike(t.pointee);
    default:
      return false;
  }
}
