// Core types whose layout needs knowledge the MIR never shows: types that rustc's dump
// only mentions (`Infallible` has no variants, `MaybeUninit<T>` is a union, `NonZero<T>`
// has a niche at 0, `UnsafeCell<T>` hides its value's niches), declared here in
// codegend's declaration syntax and used when the crate's ADT table has nothing better
// than inferred evidence.

import type { Path } from '../../mir/ast.js';
import { type Adt, AdtTable } from '../../mir/adt-table.js';
import { DiagnosticSink, SourceFile } from '../../diagnostics.js';
import { parseMirFile } from '../../mir/parse/items.js';

const FALLBACKS = `
enum Infallible {}
union MaybeUninit<T> { uninit: (), value: ManuallyDrop<T> }
#[repr(transparent)]
struct UnsafeCell<T> { value: T }
#[repr(transparent)]
struct Cell<T> { value: UnsafeCell<T> }
#[repr(transparent)]
struct NonZero<T>(T);
`;

let table: AdtTable | undefined;

function fallbacks(): AdtTable {
  if (!table) {
    table = new AdtTable();
    const file = parseMirFile(new SourceFile('<layout-fallbacks>', FALLBACKS), new DiagnosticSink());
    for (const item of file.items) if (item.kind === 'adt') table.declare(item, 'core');
  }
  return table;
}

/** codegend's own declaration of a core type named by `path`, if it has one. */
export function fallbackAdt(path: Path): Adt | undefined {
  return fallbacks().lookup(path);
}

/**
 * Layout attributes rustc puts on a few core types: `nonZero` for
 * `rustc_layout_scalar_valid_range_start(1)` (`NonNull`, `NonZero`), `hideNiches` for
 * `UnsafeCell`. A crate's own types of the same name are left alone.
 */
export function specialAdt(adt: Adt): 'nonZero' | 'hideNiches' | undefined {
  if (adt.origin === 'declared') return undefined;
  const name = adt.segments[adt.segments.length - 1]!;
  if (name === 'NonNull' || name === 'NonZero' || /^NonZero(U|I)\d+Inner$|^NonZeroUsizeInner$|^NonZeroIsizeInner$/.test(name)) return 'nonZero';
  if (name === 'UnsafeCell' || name === 'UnsafePinned') return 'hideNiches';
  return undefined;
}
