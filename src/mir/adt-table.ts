// The crate's ADTs: declared ones (hand-written `struct`/`enum`/`union`, and the core
// types of core-adts.ts) and inferred ones. rustc's dump declares no types, so for its
// output each ADT is assembled from evidence: aggregates give a variant's fields and
// names, typed projections `(_1.0: T)` give field types, downcasts give variant names,
// `E::V::{constant#0}` consts give explicit discriminants. Conflicting evidence is a
// diagnostic at the later site.

import type { AdtItem, GenericArg, Path, Ty } from './ast.js';
import type { SourceFile, Span } from '../diagnostics.js';
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
  discriminant?: bigint;
}

export interface Adt {
  /** Identifier segments as first seen (`core::option::Option`, `Shape`). */
  segments: string[];
  kind: 'struct' | 'enum' | 'union' | 'unknown';
  origin: 'declared' | 'core' | 'inferred';
  generics: string[];
  variants: AdtVariant[];
  decl?: AdtItem;
}

export class AdtTable {
  private readonly byLast = new Map<string, Adt[]>();

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

/** Replaces the ADT's generic parameters in `ty` with the arguments of `path`. */
export function substituteAdtArgs(adt: Adt, path: Path, ty: Ty): Ty | undefined {
  if (adt.generics.length === 0) return ty;
  const args = lastArgs(path);
  if (!args) return undefined;
  const map = new Map<string, GenericArg>();
  adt.generics.forEach((g, i) => {
    const a = args[i];
    if (a) map.set(g, a);
  });
  return substitute(ty, map);
}

function substitute(ty: Ty, map: Map<string, GenericArg>): Ty {
  switch (ty.kind) {
    case 'named': {
      const segs = ty.path.segments;
      if (segs.length === 1 && segs[0]!.kind === 'ident' && !segs[0]!.args) {
        const a = map.get(segs[0]!.name);
        if (a?.kind === 'type') return a.ty;
      }
      return {
        kind: 'named',
        path: {
          span: ty.path.span,
          segments: segs.map((s) => (s.kind === 'ident' && s.args ? { ...s, args: s.args.map((g) => (g.kind === 'type' ? { kind: 'type', ty: substitute(g.ty, map) } : g)) } : s)),
        },
      };
    }
    case 'tuple':
      return { kind: 'tuple', elems: ty.elems.map((e) => substitute(e, map)) };
    case 'array':
      return { kind: 'array', elem: substitute(ty.elem, map), len: ty.len };
    case 'slice':
      return { kind: 'slice', elem: substitute(ty.elem, map) };
    case 'ref':
      return { ...ty, pointee: substitute(ty.pointee, map) };
    case 'ptr':
      return { ...ty, pointee: substitute(ty.pointee, map) };
    default:
      return ty;
  }
}
