// Field types of generic ADTs, as templates over the ADT's generic parameters.
//
// A generic ADT is seen at many instantiations, so its field types are recorded in
// terms of its parameters (`Adt.generics`), and `substituteAdtArgs` instantiates them.
// Evidence is gathered while checking and decided when checking ends, when every ADT
// of the crate is known (a bare name that is not an ADT is a generic parameter):
//
// - parameters: an inferred ADT takes the names of the first use whose arguments are
//   all distinct parameters (`Ring<T, N>` gives `T`, `N`), else `P0`, `P1`, …;
//   lifetimes are not parameters here (`Lexer<'_>` is not generic);
// - a field seen through a path whose arguments are all distinct parameters
//   (`((*_1).0: [T; N])` with `_1: &mut Ring<T, N>`, or `Ring::<A, M> { buf: … }`) is
//   the template, its names renamed positionally; later such evidence must agree;
// - a field seen only at other arguments (`Ring<u8, 4>`) is abstracted: each part of
//   the type equal to an argument may be that parameter or itself, and the first
//   choice that agrees with every instantiation seen wins, parameters preferred
//   (with one instantiation `[u8; 4]` in `Ring<u8, 4>` becomes `[T; N]`);
// - every instantiation is then checked against the template; a disagreement is a
//   diagnostic at that site.

import type { ConstArg, GenericArg, Path, PathSegment, Ty } from './ast.js';
import type { DiagnosticSink } from '../diagnostics.js';
import { type Adt, type AdtField, type AdtTable, genericsSubst, structVariant, variantOf } from './adt-table.js';
import { siteText, type Site } from './enum-evidence.js';
import { paramName, substTy } from './subst.js';
import { compatible, showTy } from './ty.js';

/** One field type seen through a path with generic arguments. */
export interface FieldObservation {
  adt: Adt;
  variant: string;
  index: number;
  /** The path's generic arguments, lifetimes left out. */
  args: GenericArg[];
  ty: Ty;
  site: Site;
  /** The generic parameters the body's owner declares (hand-written MIR only). */
  ownerGenerics: readonly string[];
}

interface Use {
  args: GenericArg[];
  ownerGenerics: readonly string[];
}

/** How many candidate templates one field may try. */
const MAX_CANDIDATES = 64;

export class GenericFieldEvidence {
  private readonly uses = new Map<Adt, Use[]>();
  private readonly fields: FieldObservation[] = [];

  constructor(private readonly sink: DiagnosticSink) {}

  /** An inferred ADT used at generic arguments (a type, a downcast, an aggregate). */
  noteUse(adt: Adt, args: GenericArg[], ownerGenerics: readonly string[]): void {
    if (adt.origin !== 'inferred') return;
    const list = this.uses.get(adt);
    if (list) list.push({ args, ownerGenerics });
    else this.uses.set(adt, [{ args, ownerGenerics }]);
  }

  noteField(o: FieldObservation): void {
    this.noteUse(o.adt, o.args, o.ownerGenerics);
    this.fields.push(o);
  }

  finish(adts: AdtTable): void {
    for (const [adt, uses] of this.uses) {
      if (adt.generics.length === 0) adt.generics = nameGenerics(uses, adts);
    }
    const groups = new Map<AdtField, { adt: Adt; obs: FieldObservation[] }>();
    for (const o of this.fields) {
      if (o.args.length !== o.adt.generics.length) continue;
      const v = o.adt.kind === 'enum' ? variantOf(o.adt, o.variant) : o.adt.kind === 'struct' ? structVariant(o.adt) : undefined;
      const field = v?.fields[o.index];
      if (!field) continue;
      const g = groups.get(field);
      if (g) g.obs.push(o);
      else groups.set(field, { adt: o.adt, obs: [o] });
    }
    for (const [field, g] of groups) this.decide(adts, g.adt, field, g.obs);
  }

  private decide(adts: AdtTable, adt: Adt, field: AdtField, obs: FieldObservation[]): void {
    const generics = adt.generics;
    let template = field.ty;
    let site: Site | undefined = field.at && { file: field.at.file, at: field.at.span };
    const concrete: FieldObservation[] = [];
    const rigid = (path: Path) => (isGenericName(path, generics) ? 'adt' : adts.classify(path));
    for (const o of obs) {
      const names = paramArgs(o.args, o.ownerGenerics, adts);
      if (!names) {
        concrete.push(o);
        continue;
      }
      const renamed = renameParams(o.ty, new Map(names.map((n, i) => [n, generics[i]!])));
      if (!template) {
        template = renamed;
        site = o.site;
      } else if (!compatible(template, renamed, rigid)) {
        this.conflict(o, template, substTy(template, genericsSubst(generics, o.args)), site);
      }
    }
    if (!template && concrete.length > 0) {
      const first = concrete[0]!;
      const cands = candidates(first.ty, first.args, generics);
      template = cands.find((c) => concrete.every((o) => compatible(substTy(c, genericsSubst(generics, o.args)), o.ty, adts.classify))) ?? cands[0]!;
      site = first.site;
    }
    if (!template) return;
    for (const o of concrete) {
      const expected = substTy(template, genericsSubst(generics, o.args));
      if (!compatible(expected, o.ty, adts.classify)) this.conflict(o, template, expected, site);
    }
    field.ty = template;
    if (site) field.at = { file: site.file, span: site.at };
  }

  /** `o` disagrees with the template: `expected` is the template at `o`'s arguments. */
  private conflict(o: FieldObservation, template: Ty, expected: Ty, first: Site | undefined): void {
    const from = `the field is \`${showTy(template)}\` of \`${o.adt.segments.join('::')}<${o.adt.generics.join(', ')}>\`${first ? `, first seen at ${siteText(first)}` : ''}`;
    this.sink.error(o.site.file, o.site.at, `conflicting types for field ${o.index} of \`${o.variant}\`: \`${showTy(o.ty)}\` here, \`${showTy(expected)}\` at these arguments (${from})`);
  }
}

function isGenericName(path: Path, generics: readonly string[]): boolean {
  const s = path.segments;
  return s.length === 1 && s[0]!.kind === 'ident' && !s[0]!.args && generics.includes(s[0]!.name);
}

/** The names of the arguments when they are all distinct generic parameters, else undefined. */
function paramArgs(args: GenericArg[], ownerGenerics: readonly string[], adts: AdtTable): string[] | undefined {
  const names: string[] = [];
  for (const a of args) {
    const name = a.kind === 'type' ? paramName(a.ty) : a.kind === 'const' && a.value.kind === 'param' ? a.value.name : undefined;
    if (name === undefined || name === 'Self' || names.includes(name)) return undefined;
    if (!ownerGenerics.includes(name) && adts.lookupSegments([name])) return undefined;
    names.push(name);
  }
  return names;
}

function nameGenerics(uses: Use[], adts: AdtTable): string[] {
  const arity = uses[0]!.args.length;
  for (const u of uses) {
    if (u.args.length !== arity) continue;
    const names = paramArgs(u.args, u.ownerGenerics, adts);
    if (names) return names;
  }
  return Array.from({ length: arity }, (_, i) => `P${i}`);
}

// ------------------------------------------------------------------ renaming

/** Renames generic parameters (type names and const names alike), all at once. */
export function renameParams(ty: Ty, map: ReadonlyMap<string, string>): Ty {
  const path = (p: Path): Path => ({ span: p.span, segments: p.segments.map(segment) });
  const segment = (s: PathSegment): PathSegment => {
    if (s.kind === 'ident' && s.args) return { ...s, args: s.args.map(arg) };
    if (s.kind === 'qualified') return { kind: 'qualified', self: go(s.self), trait: s.trait && path(s.trait) };
    return s;
  };
  const arg = (a: GenericArg): GenericArg => {
    switch (a.kind) {
      case 'type':
        return { kind: 'type', ty: go(a.ty) };
      case 'const':
        return { kind: 'const', value: konst(a.value) };
      case 'binding':
        return { kind: 'binding', name: a.name, ty: go(a.ty) };
      case 'lifetime':
        return a;
    }
  };
  const konst = (c: ConstArg): ConstArg => (c.kind === 'param' && map.has(c.name) ? { kind: 'param', name: map.get(c.name)! } : c);
  const go = (t: Ty): Ty => {
    switch (t.kind) {
      case 'named': {
        const name = paramName(t);
        if (name !== undefined) return map.has(name) ? { kind: 'named', path: { span: t.path.span, segments: [{ kind: 'ident', name: map.get(name)! }] } } : t;
        return { kind: 'named', path: path(t.path) };
      }
      case 'tuple':
        return { kind: 'tuple', elems: t.elems.map(go) };
      case 'array':
        return { kind: 'array', elem: go(t.elem), len: konst(t.len) };
      case 'slice':
        return { kind: 'slice', elem: go(t.elem) };
      case 'ref':
      case 'ptr':
        return { ...t, pointee: go(t.pointee) };
      case 'fnPtr':
        return { ...t, sig: { ...t.sig, params: t.sig.params.map(go), ret: go(t.sig.ret) } };
      case 'fnDef':
        return { kind: 'fnDef', sig: { ...t.sig, params: t.sig.params.map(go), ret: go(t.sig.ret) }, item: path(t.item) };
      case 'projection':
        return { kind: 'projection', self: go(t.self), trait: path(t.trait), name: t.name };
      case 'dyn':
      case 'impl':
        return { ...t, bounds: t.bounds.map(path) };
      default:
        return t;
    }
  };
  return go(ty);
}

// ------------------------------------------------------------------ abstraction

/**
 * The ways to write `ty`, seen at `args`, in terms of `generics`: every part equal to an
 * argument may be that parameter (tried first) or stay as it is. The first candidate
 * abstracts everything it can; the last is `ty` itself.
 */
export function candidates(ty: Ty, args: readonly GenericArg[], generics: readonly string[]): Ty[] {
  const out: Ty[] = [];
  const key = showTy(ty);
  args.forEach((a, i) => {
    if (a.kind === 'type' && showTy(a.ty) === key) out.push({ kind: 'named', path: { span: { lo: 0, hi: 0 }, segments: [{ kind: 'ident', name: generics[i]! }] } });
  });
  for (const c of structural(ty, args, generics)) {
    if (out.length >= MAX_CANDIDATES) break;
    out.push(c);
  }
  return out;
}

function constCandidates(c: ConstArg, args: readonly GenericArg[], generics: readonly string[]): ConstArg[] {
  const out: ConstArg[] = [];
  if (c.kind === 'value') {
    args.forEach((a, i) => {
      if (a.kind === 'const' && a.value.kind === 'value' && a.value.value === c.value) out.push({ kind: 'param', name: generics[i]! });
    });
  }
  out.push(c);
  return out;
}

/** All combinations of the choices, first choices first, at most MAX_CANDIDATES. */
function product<T>(choices: T[][]): T[][] {
  let acc: T[][] = [[]];
  for (const cs of choices) {
    const next: T[][] = [];
    for (const prefix of acc) {
      for (const c of cs) {
        if (next.length >= MAX_CANDIDATES) break;
        next.push([...prefix, c]);
      }
    }
    acc = next;
  }
  return acc;
}

function structural(ty: Ty, args: readonly GenericArg[], generics: readonly string[]): Ty[] {
  const sub = (t: Ty) => candidates(t, args, generics);
  switch (ty.kind) {
    case 'tuple':
      return product(ty.elems.map(sub)).map((elems) => ({ kind: 'tuple', elems }));
    case 'array': {
      const elems = sub(ty.elem);
      const lens = constCandidates(ty.len, args, generics);
      return product<Ty | ConstArg>([elems, lens]).map(([elem, len]) => ({ kind: 'array', elem: elem as Ty, len: len as ConstArg }));
    }
    case 'slice':
      return sub(ty.elem).map((elem) => ({ kind: 'slice', elem }));
    case 'ref':
    case 'ptr':
      return sub(ty.pointee).map((pointee) => ({ ...ty, pointee }));
    case 'named': {
      const segs = ty.path.segments;
      let at = -1;
      segs.forEach((s, i) => {
        if (s.kind === 'ident' && s.args) at = i;
      });
      const seg = segs[at];
      if (seg?.kind !== 'ident' || !seg.args) return [ty];
      const choices = seg.args.map((a): GenericArg[] => {
        if (a.kind === 'type') return sub(a.ty).map((t) => ({ kind: 'type', ty: t }));
        if (a.kind === 'const') return constCandidates(a.value, args, generics).map((value) => ({ kind: 'const', value }));
        return [a];
      });
      return product(choices).map((newArgs) => ({
        kind: 'named',
        path: { span: ty.path.span, segments: segs.map((s, i) => (i === at ? { ...seg, args: newArgs } : s)) },
      }));
    }
    default:
      return [ty];
  }
}
