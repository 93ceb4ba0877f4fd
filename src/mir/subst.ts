// Substitution of generic parameters. rustc's dump prints generic parameters as bare
// names (`T`, `N`) and never lists them, so a substitution maps names to concrete types
// (`T` ↦ `i32`) and const values (`N` ↦ 4). Used to instantiate generic functions, to
// read an ADT's field types at its arguments, and by the layouts of generic types.

import type { ConstArg, FnSig, GenericArg, Path, PathSegment, Ty } from './ast.js';

export interface Subst {
  types: ReadonlyMap<string, Ty>;
  consts: ReadonlyMap<string, bigint>;
}

export const EMPTY_SUBST: Subst = { types: new Map(), consts: new Map() };

export function isEmptySubst(s: Subst): boolean {
  return s.types.size === 0 && s.consts.size === 0;
}

/** The bare name of a one-segment path without arguments (`T`), else undefined. */
export function paramName(ty: Ty): string | undefined {
  if (ty.kind !== 'named') return undefined;
  const segs = ty.path.segments;
  if (segs.length !== 1) return undefined;
  const s = segs[0]!;
  return s.kind === 'ident' && !s.args ? s.name : undefined;
}

export function substTy(ty: Ty, s: Subst): Ty {
  if (isEmptySubst(s)) return ty;
  switch (ty.kind) {
    case 'named': {
      const name = paramName(ty);
      if (name !== undefined) {
        const t = s.types.get(name);
        if (t) return t;
      }
      return { kind: 'named', path: substPath(ty.path, s) };
    }
    case 'tuple':
      return { kind: 'tuple', elems: ty.elems.map((e) => substTy(e, s)) };
    case 'array':
      return { kind: 'array', elem: substTy(ty.elem, s), len: substConstArg(ty.len, s) };
    case 'slice':
      return { kind: 'slice', elem: substTy(ty.elem, s) };
    case 'ref':
    case 'ptr':
      return { ...ty, pointee: substTy(ty.pointee, s) };
    case 'fnPtr':
      return { ...ty, sig: substSig(ty.sig, s) };
    case 'fnDef':
      return { kind: 'fnDef', sig: substSig(ty.sig, s), item: substPath(ty.item, s) };
    case 'projection':
      return { kind: 'projection', self: substTy(ty.self, s), trait: substPath(ty.trait, s), name: ty.name };
    case 'dyn':
    case 'impl':
      return { ...ty, bounds: ty.bounds.map((b) => substPath(b, s)) };
    case 'closure':
      return { kind: 'closure', text: ty.text, subst: ty.subst ? composeSubst(ty.subst, s) : s };
    default:
      return ty;
  }
}

export function substSig(sig: FnSig, s: Subst): FnSig {
  return { ...sig, params: sig.params.map((p) => substTy(p, s)), ret: substTy(sig.ret, s) };
}

export function substConstArg(c: ConstArg, s: Subst): ConstArg {
  if (c.kind !== 'param') return c;
  const v = s.consts.get(c.name);
  return v === undefined ? c : { kind: 'value', value: v };
}

export function substPath(path: Path, s: Subst): Path {
  if (isEmptySubst(s) || !path.segments.some(hasArgs)) return path;
  return { span: path.span, segments: path.segments.map((seg) => substSegment(seg, s)) };
}

function hasArgs(seg: PathSegment): boolean {
  return (seg.kind === 'ident' && seg.args !== undefined) || seg.kind === 'qualified';
}

function substSegment(seg: PathSegment, s: Subst): PathSegment {
  if (seg.kind === 'ident' && seg.args) return { ...seg, args: seg.args.map((a) => substArg(a, s)) };
  if (seg.kind === 'qualified') return { kind: 'qualified', self: substTy(seg.self, s), trait: seg.trait && substPath(seg.trait, s) };
  return seg;
}

export function substArg(a: GenericArg, s: Subst): GenericArg {
  switch (a.kind) {
    case 'type': {
      // A const parameter in argument position parses as a type name: `Ring<T, N>`.
      const name = paramName(a.ty);
      if (name !== undefined && !s.types.has(name) && s.consts.has(name)) return { kind: 'const', value: { kind: 'value', value: s.consts.get(name)! } };
      return { kind: 'type', ty: substTy(a.ty, s) };
    }
    case 'const':
      return { kind: 'const', value: substConstArg(a.value, s) };
    case 'binding':
      return { kind: 'binding', name: a.name, ty: substTy(a.ty, s) };
    case 'lifetime':
      return a;
  }
}

/** `inner` applied first, then `outer` to the types it produced. */
export function composeSubst(inner: Subst, outer: Subst): Subst {
  const types = new Map<string, Ty>();
  for (const [k, v] of inner.types) types.set(k, substTy(v, outer));
  for (const [k, v] of outer.types) if (!types.has(k)) types.set(k, v);
  const consts = new Map(outer.consts);
  for (const [k, v] of inner.consts) consts.set(k, v);
  return { types, consts };
}
