// The crate's ADTs: declared ones (hand-written `struct`/`enum`/`union`, and the core
// types of core-adts.ts) and inferred ones. rustc's dump declares no types, so for its
// output each ADT is assembled from evidence: aggregates give a variant's fields and
// names, typed projections `(_1.0: T)` give field types, downcasts give variant names,
// `E::V::{constant#0}` consts give explicit discriminants. Conflicting evidence is a
// diagnostic at the later site. The evidence that needs a whole crate (discriminants
// from switches, field templates of generic ADTs, closure captures) is gathered by
// adt-evidence.ts and written here when checking ends; this table holds the results
// that layouts read.

import type { AdtItem, GenericArg, IntTy, Path, Ty } from './ast.js';
import type { SourceFile, Span } from '../diagnostics.js';
import { EMPTY_SUBST, substTy, type Subst } from './subst.js';
import { identSegments, lastArgs, samePathUpToPrefix } from './ty.js';

export interface AdtField {
  name?: string;
  ty?: Ty;
  /** Where the field type was first seen, for conflict messages. */
  at?: { file: SourceFile; span: Span };
}

export interface AdtVariant {
  name: string;
  fields: AdtField[];
  /**
   * The discriminant value; undefined means the previous variant's plus one (0 for the
   * first). Every variant of an inferred enum has it set once checking has finished.
   */
  discriminant?: bigint;
  /**
   * Where an inferred enum's discriminant came from: an `E::V::{constant#0}` const, a
   * `switchInt` on `discriminant(_)` followed by a downcast (see enum-evidence.ts), or
   * a guess that fills the smallest unused value (`gap`).
   */
  discriminantFrom?: 'const' | 'switch' | 'source' | 'gap';
}

export interface Adt {
  /** Identifier segments as first seen (`core::option::Option`, `Shape`). */
  segments: string[];
  kind: 'struct' | 'enum' | 'union' | 'unknown';
  origin: 'declared' | 'core' | 'inferred';
  /**
   * Generic parameter names, type and const alike, in order; field types are written
   * in terms of them. For an inferred ADT they are the names of the first use whose
   * arguments are all distinct parameters (`Ring<T, N>`), else `P0`, `P1`, ….
   */
  generics: string[];
  /** In declaration order: a variant's index is its position. */
  variants: AdtVariant[];
  /**
   * The integer type of the discriminant when it is not `isize` (`#[repr(u8)]`): from
   * the declaration's `repr`, or for an inferred enum from the type of the locals that
   * `discriminant(_)` is assigned to and of its `{constant#0}` consts. An inferred enum
   * whose discriminant is `isize` has none: `#[repr(isize)]` cannot be told apart.
   */
  reprInt?: IntTy;
  decl?: AdtItem;
  /** Types of generic parameters that may be left out (`ControlFlow<B, C = ()>`). */
  defaults?: ReadonlyMap<string, Ty>;
}

export interface AdtTableState {
  adts: [string, Adt[]][];
  closures: [string, Ty[]][];
}

const INT_NAMES: ReadonlySet<string> = new Set<IntTy>(['i8', 'i16', 'i32', 'i64', 'i128', 'isize', 'u8', 'u16', 'u32', 'u64', 'u128', 'usize']);

export class AdtTable {
  private readonly byLast = new Map<string, Adt[]>();
  private readonly closures = new Map<string, Ty[]>();

  /** For `compatible`: a known ADT, or a parameter / foreign type that matches anything. */
  readonly classify = (path: Path): 'adt' | 'opaque' => (this.lookup(path) ? 'adt' : 'opaque');

  /** The ADT a path names (up to a trimmed prefix), if exactly one matches. */
  lookup(path: Path): Adt | undefined {
    const segs = identSegments(path);
    if (!segs) return undefined;
    return this.lookupSegments(segs);
  }

  lookupSegments(segs: string[]): Adt | undefined {
    const candidates = this.byLast.get(segs[segs.length - 1]!);
    if (!candidates) return undefined;
    const matching = candidates.filter((a) => samePathUpToPrefix(a.segments, segs));
    return matching.length >= 1 ? matching[0] : undefined;
  }

  declare(item: AdtItem, origin: 'declared' | 'core'): Adt | undefined {
    const segs = identSegments(item.name)!;
    if (this.lookupSegments(segs)?.segments.join('::') === segs.join('::')) return undefined;
    const adt: Adt = {
      segments: segs,
      kind: item.adtKind,
      origin,
      generics: item.generics,
      variants: item.variants.map((v) => ({ name: v.name, fields: v.fields.map((f) => ({ name: f.name, ty: f.ty })), discriminant: v.discriminant })),
      decl: item,
    };
    const repr = item.repr.find((r) => INT_NAMES.has(r));
    if (repr) adt.reprInt = repr as IntTy;
    this.add(adt);
    return adt;
  }

  /** The inferred ADT for a named type, created on first evidence. */
  infer(path: Path): Adt | undefined {
    const segs = identSegments(path);
    if (!segs) return undefined;
    const found = this.lookupSegments(segs);
    if (found) {
      // A longer spelling of the same type is the better name to keep.
      if (found.origin === 'inferred' && segs.length > found.segments.length) found.segments = segs;
      return found;
    }
    const adt: Adt = { segments: segs, kind: 'unknown', origin: 'inferred', generics: [], variants: [] };
    this.add(adt);
    return adt;
  }

  /** Every ADT of the table: declared, core and inferred. */
  all(): Adt[] {
    return [...this.byLast.values()].flat();
  }

  /**
   * The types of the values a closure captures, in order, for the closure type
   * `{closure@TEXT}` (`text` is what is between the braces). They are written in terms
   * of the generic parameters of the function that builds the closure; a closure type
   * carries that function's substitution (`subst` on the type). Empty for a closure
   * without captures that is built somewhere; undefined when nothing is known.
   */
  closureCaptures(text: string): Ty[] | undefined {
    return this.closures.get(text);
  }

  /** Sets the captures of a closure (adt-evidence.ts does, when checking ends). */
  defineClosure(text: string, captures: Ty[]): void {
    this.closures.set(text, captures);
  }

  /**
   * The table's contents once checking has finished, without the evidence sites (they
   * name source files and only serve conflict messages while inferring): what the
   * incremental front end saves and puts back with `restoreState` instead of inferring again.
   */
  exportState(): AdtTableState {
    const strip = (a: Adt): Adt => ({ ...a, variants: a.variants.map((v) => ({ ...v, fields: v.fields.map((f) => ({ name: f.name, ty: f.ty })) })) });
    return { adts: [...this.byLast].map(([last, list]) => [last, list.map(strip)]), closures: [...this.closures] };
  }

  /** Replaces the table's contents with a state `exportState` gave. */
  restoreState(state: AdtTableState): void {
    this.byLast.clear();
    for (const [last, list] of state.adts) this.byLast.set(last, list);
    this.closures.clear();
    for (const [text, tys] of state.closures) this.closures.set(text, tys);
  }

  private add(adt: Adt): void {
    const last = adt.segments[adt.segments.length - 1]!;
    const list = this.byLast.get(last);
    if (list) list.push(adt);
    else this.byLast.set(last, [adt]);
  }
}

export function variantOf(adt: Adt, name: string): AdtVariant | undefined {
  return adt.variants.find((v) => v.name === name);
}

/** A struct's single variant, created for an inferred struct on first use. */
export function structVariant(adt: Adt): AdtVariant {
  if (adt.variants.length === 0) adt.variants.push({ name: adt.segments[adt.segments.length - 1]!, fields: [] });
  return adt.variants[0]!;
}

/** The generic arguments of a path's last segment that has any, lifetimes left out. */
export function adtArgs(path: Path): GenericArg[] | undefined {
  const args = lastArgs(path)?.filter((a) => a.kind !== 'lifetime');
  return args && args.length > 0 ? args : undefined;
}

/**
 * The substitution that instantiates the ADT's generic parameters at the arguments of
 * `path` (`Ring<u8, 4>`: `T` ↦ `u8`, `N` ↦ 4). Lifetimes are skipped; a const argument
 * (`4`, `4_usize`) binds a const parameter, a type argument a type parameter (a bare
 * name in a const position, `Ring<T, M>`, renames only where it is used as an argument).
 * Undefined when the ADT is generic and the path has no arguments.
 */
export function adtSubst(adt: Adt, path: Path): Subst | undefined {
  if (adt.generics.length === 0) return EMPTY_SUBST;
  const args = adtArgs(path);
  if (!args) return undefined;
  const s = genericsSubst(adt.generics, args);
  if (!adt.defaults) return s;
  const types = new Map(s.types);
  for (const [name, ty] of adt.defaults) if (!types.has(name) && !s.consts.has(name)) types.set(name, ty);
  return { types, consts: s.consts };
}

/** Binds generic parameter names to arguments, positionally (see `adtSubst`). */
export function genericsSubst(generics: readonly string[], args: readonly GenericArg[]): Subst {
  const types = new Map<string, Ty>();
  const consts = new Map<string, bigint>();
  generics.forEach((g, i) => {
    const a = args[i];
    if (a?.kind === 'type') types.set(g, a.ty);
    else if (a?.kind === 'const' && a.value.kind === 'value') consts.set(g, a.value.value);
  });
  return { types, consts };
}

/** A field type of the ADT (written in terms of `adt.generics`) at the arguments of `path`. */
export function substituteAdtArgs(adt: Adt, path: Path, ty: Ty): Ty | undefined {
  const s = adtSubst(adt, path);
  return s && substTy(ty, s);
}
