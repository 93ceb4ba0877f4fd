// The types of places, operands and rvalues of one body at one instantiation: the
// checker's rules without its evidence-gathering and diagnostics, for the phases after
// checking (mono collection, lowering). Generic parameters are replaced by `subst`.
// Types that the body alone cannot tell (a path constant whose item is elsewhere)
// come back undefined and the caller supplies the type from context.
//
// Besides generic parameters, a substitution made by monomorphization may carry two
// kinds of extra entries, which `normalizeTy` applies after `substTy`:
// - associated types, keyed by the projection's `tyKey` after substitution
//   (`<Evens as Container>::Item` ↦ `u64`), learned from call sites;
// - argument-position `impl Trait` types, which rustc prints without a name: the k-th
//   `impl …` in the parameter list (in order) is `impl#k`; elsewhere in the body an
//   `impl Trait` is looked up by its `tyKey` (`impl Animal`), present when every
//   parameter spelled that way has the same type.

import type { Body, Const, ConstArg, FnSig, GenericArg, Local, Operand, Path, PathSegment, Place, Rvalue, Ty } from './ast.js';
import { printConstArg } from './printer.js';
import type { CrateIndex } from './resolve.js';
import { substPath, substTy, type Subst } from './subst.js';
import { BOOL, pathKey, UNIT, USIZE } from './ty.js';

export interface PlaceTy {
  ty: Ty;
  /** Set after a downcast: the variant the place is viewed as. */
  variant?: string;
}

export class BodyTypes {
  private readonly locals = new Map<number, Ty>();

  /**
   * `params` are the types of the function's parameters `_1.._n` as declared (the body's
   * scopes declare only `_0` and the other locals); omit them for const and static bodies.
   */
  constructor(
    readonly index: CrateIndex,
    body: Body,
    readonly subst: Subst,
    params: readonly Ty[] = [],
  ) {
    instParamTys(params, subst).forEach((ty, i) => this.locals.set(i + 1, ty));
    const visit = (scope: Body['root']) => {
      for (const d of scope.locals) this.locals.set(d.local, instTy(d.ty, subst));
      scope.children.forEach(visit);
    };
    visit(body.root);
  }

  localTy(local: Local): Ty {
    const ty = this.locals.get(local);
    if (!ty) throw new Error(`local _${local} has no declaration`);
    return ty;
  }

  hasLocal(local: Local): boolean {
    return this.locals.has(local);
  }

  /** Every declared local, in index order. */
  localList(): Local[] {
    return [...this.locals.keys()].sort((a, b) => a - b) as Local[];
  }

  placeTy(place: Place): PlaceTy {
    let cur: PlaceTy = { ty: this.localTy(place.local) };
    for (const elem of place.projection) cur = projectTy(cur, elem, this.subst);
    return cur;
  }

  operandTy(op: Operand): Ty | undefined {
    switch (op.kind) {
      case 'copy':
      case 'move':
        return this.placeTy(op.place).ty;
      case 'const':
        return this.constTy(op.value);
      case 'runtimeChecks':
        return BOOL;
    }
  }

  constTy(c: Const): Ty | undefined {
    const literal = literalConstTy(c, (e) => this.constTy(e));
    if (literal !== null) return literal;
    switch (c.kind) {
      case 'alloc':
      case 'indirect':
      case 'transmute':
      case 'intPtr':
      case 'zst':
      case 'fnPtr':
        return instTy(c.ty, this.subst);
      case 'uninit':
        return undefined;
      case 'path':
      case 'ctor': {
        const key = pathKey(c.path);
        const item = this.index.consts.get(key) ?? this.index.statics.get(key);
        if (item) return instTy(item.item.ty, this.subst);
        // A function item used as a value (`compose(double, …)`): its zero-sized fn item type.
        const fn = c.kind === 'path' ? this.index.fns.get(key) : undefined;
        if (fn && !fn.item.generics?.length) {
          const sig: FnSig = { unsafe: false, params: fn.item.params.map((p) => p.ty), variadic: false, ret: fn.item.ret };
          return { kind: 'fnDef', sig, item: substPath(c.path, this.subst) };
        }
        return undefined;
      }
    }
  }

  /** The type an rvalue produces, when the rvalue alone determines it. */
  rvalueTy(rv: Rvalue): Ty | undefined {
    switch (rv.kind) {
      case 'use':
        return this.operandTy(rv.operand);
      case 'repeat': {
        const elem = this.operandTy(rv.operand);
        return elem && { kind: 'array', elem, len: rv.count };
      }
      case 'ref':
        return { kind: 'ref', mutable: rv.borrow === 'mut', pointee: this.placeTy(rv.place).ty };
      case 'rawPtr':
        return { kind: 'ptr', mutable: rv.mutability === 'mut', pointee: this.placeTy(rv.place).ty };
      case 'cast':
        return instTy(rv.ty, this.subst);
      case 'binary': {
        const lhs = this.operandTy(rv.lhs) ?? this.operandTy(rv.rhs);
        switch (rv.op) {
          case 'Eq': case 'Ne': case 'Lt': case 'Le': case 'Gt': case 'Ge':
            return BOOL;
          case 'AddWithOverflow': case 'SubWithOverflow': case 'MulWithOverflow':
            return lhs && { kind: 'tuple', elems: [lhs, BOOL] };
          case 'Cmp':
            return { kind: 'int', name: 'i8' };
          case 'Shl': case 'Shr': case 'ShlUnchecked': case 'ShrUnchecked': case 'Offset':
            return this.operandTy(rv.lhs);
          default:
            return lhs;
        }
      }
      case 'nullary':
        return rv.op === 'UbChecks' || rv.op === 'ContractChecks' ? BOOL : USIZE;
      case 'unary':
        return rv.op === 'PtrMetadata' ? USIZE : this.operandTy(rv.operand);
      case 'discriminant':
        return undefined;
      case 'aggregate':
        return undefined;
      case 'shallowInitBox':
      case 'wrapUnsafeBinder':
        return instTy(rv.ty, this.subst);
      case 'copyForDeref':
        return this.placeTy(rv.place).ty;
    }
  }
}

export function projectTy(base: PlaceTy, elem: Place['projection'][number], subst: Subst): PlaceTy {
  switch (elem.kind) {
    case 'deref':
      if (base.ty.kind === 'ref' || base.ty.kind === 'ptr') return { ty: base.ty.pointee };
      throw new Error(`cannot dereference a value of this type`);
    case 'field':
      return { ty: instTy(elem.ty, subst) };
    case 'index':
    case 'constIndex':
      if (base.ty.kind === 'array' || base.ty.kind === 'slice') return { ty: base.ty.elem };
      throw new Error(`cannot index into a value of this type`);
    case 'subslice':
      if (base.ty.kind === 'array' && !elem.fromEnd) return { ty: { kind: 'array', elem: base.ty.elem, len: { kind: 'value', value: BigInt(elem.to - elem.from) } } };
      if (base.ty.kind === 'array') return { ty: { kind: 'array', elem: base.ty.elem, len: { kind: 'value', value: constLen(base.ty) - BigInt(elem.from + elem.to) } } };
      if (base.ty.kind === 'slice') return base;
      throw new Error(`cannot take a subslice of a value of this type`);
    case 'downcast':
      return { ty: base.ty, variant: elem.variant };
    case 'opaqueCast':
    case 'subtype':
      return { ty: instTy(elem.ty, subst) };
  }
}

function constLen(ty: Extract<Ty, { kind: 'array' }>): bigint {
  return ty.len.kind === 'value' ? ty.len.value : 0n;
}

// ---------------------------------------------------------------- instantiation

/** `substTy`, then the associated types and `impl Trait` entries of the substitution. */
export function instTy(ty: Ty, subst: Subst): Ty {
  const t = substTy(ty, subst);
  return hasExtraEntries(subst) ? normalizeTy(t, subst) : t;
}

/** The parameter types of a function at an instantiation: `impl Trait` types by position. */
export function instParamTys(params: readonly Ty[], subst: Subst): Ty[] {
  if (!hasExtraEntries(subst)) return params.map((p) => substTy(p, subst));
  const counter = { n: 0 };
  return params.map((p) => normalizeTy(substTy(p, subst), subst, counter));
}

const extraCache = new WeakMap<ReadonlyMap<string, Ty>, boolean>();

function hasExtraEntries(subst: Subst): boolean {
  let has = extraCache.get(subst.types);
  if (has === undefined) {
    has = false;
    for (const k of subst.types.keys()) if (k.startsWith('<') || k.startsWith('impl')) has = true;
    extraCache.set(subst.types, has);
  }
  return has;
}

/**
 * Replaces projections and `impl Trait` types that the substitution knows. With
 * `counter`, the k-th `impl` type met is `impl#k` (parameter lists).
 */
export function normalizeTy(ty: Ty, subst: Subst, counter?: { n: number }): Ty {
  const go = (t: Ty): Ty => normalizeTy(t, subst, counter);
  switch (ty.kind) {
    case 'projection': {
      const self = go(ty.self);
      const p: Ty = { kind: 'projection', self, trait: ty.trait, name: ty.name };
      return subst.types.get(tyKey(p)) ?? p;
    }
    case 'impl': {
      const key = counter ? `impl#${counter.n++}` : tyKey(ty);
      return subst.types.get(key) ?? (counter ? subst.types.get(tyKey(ty)) : undefined) ?? ty;
    }
    case 'tuple':
      return { kind: 'tuple', elems: ty.elems.map(go) };
    case 'array':
      return { kind: 'array', elem: go(ty.elem), len: ty.len };
    case 'slice':
      return { kind: 'slice', elem: go(ty.elem) };
    case 'ref':
    case 'ptr':
      return { ...ty, pointee: go(ty.pointee) };
    case 'fnPtr':
    case 'fnDef':
      return { ...ty, sig: { ...ty.sig, params: ty.sig.params.map(go), ret: go(ty.sig.ret) } };
    case 'named': {
      if (!ty.path.segments.some((s) => s.kind === 'ident' && s.args)) return ty;
      const segments = ty.path.segments.map((s): PathSegment => (s.kind === 'ident' && s.args ? { ...s, args: s.args.map((a) => normalizeArg(a, go)) } : s));
      return { kind: 'named', path: { span: ty.path.span, segments } };
    }
    default:
      return ty;
  }
}

function normalizeArg(a: GenericArg, go: (t: Ty) => Ty): GenericArg {
  if (a.kind === 'type') return { kind: 'type', ty: go(a.ty) };
  if (a.kind === 'binding') return { kind: 'binding', name: a.name, ty: go(a.ty) };
  return a;
}

// ---------------------------------------------------------------- canonical keys

/**
 * A canonical spelling of a type for identity (instance keys, associated-type keys):
 * regions erased, a closure's substitution shown (`{closure@a.rs:1:2: 1:9}[T=i32]`).
 */
export function tyKey(t: Ty): string {
  switch (t.kind) {
    case 'int':
    case 'float':
      return t.name;
    case 'bool':
    case 'char':
    case 'str':
      return t.kind;
    case 'never':
      return '!';
    case 'tuple':
      return t.elems.length === 1 ? `(${tyKey(t.elems[0]!)},)` : `(${t.elems.map(tyKey).join(', ')})`;
    case 'array':
      return `[${tyKey(t.elem)}; ${constArgKey(t.len)}]`;
    case 'slice':
      return `[${tyKey(t.elem)}]`;
    case 'ref':
      return `&${t.mutable ? 'mut ' : ''}${tyKey(t.pointee)}`;
    case 'ptr':
      return `*${t.mutable ? 'mut' : 'const'} ${tyKey(t.pointee)}`;
    case 'fnPtr':
      return sigKey(t.sig);
    case 'fnDef':
      return `${sigKey(t.sig)} {${pathTextKey(t.item)}}`;
    case 'named':
      return pathTextKey(t.path);
    case 'projection':
      return `<${tyKey(t.self)} as ${pathTextKey(t.trait)}>::${t.name}`;
    case 'dyn':
      return `dyn ${t.bounds.map(pathTextKey).join(' + ')}`;
    case 'impl':
      return `impl ${t.bounds.map(pathTextKey).join(' + ')}`;
    case 'closure': {
      const s = t.subst ? substKey(t.subst) : '';
      return s ? `{${t.text}}[${s}]` : `{${t.text}}`;
    }
    case 'infer':
      return '_';
  }
}

function sigKey(s: FnSig): string {
  const params = s.params.map(tyKey);
  if (s.variadic) params.push('...');
  const ret = s.ret.kind === 'tuple' && s.ret.elems.length === 0 ? '' : ` -> ${tyKey(s.ret)}`;
  return `${s.unsafe ? 'unsafe ' : ''}${s.abi !== undefined ? `extern "${s.abi}" ` : ''}fn(${params.join(', ')})${ret}`;
}

function constArgKey(c: ConstArg): string {
  return c.kind === 'value' ? `${c.value}` : printConstArg(c);
}

/** A path with its generic arguments (lifetimes left out), as `tyKey` spells types. */
export function pathTextKey(p: Path): string {
  return p.segments.map(segmentKey).join('::');
}

function segmentKey(s: PathSegment): string {
  switch (s.kind) {
    case 'ident': {
      const args = (s.args ?? []).filter((a) => a.kind !== 'lifetime');
      return args.length ? `${s.name}<${args.map(argKey).join(', ')}>` : s.name;
    }
    case 'impl':
      return `<${s.text}>`;
    case 'qualified':
      return s.trait ? `<${tyKey(s.self)} as ${pathTextKey(s.trait)}>` : `<${tyKey(s.self)}>`;
    case 'disambig':
      return `{${s.name}#${s.index}}`;
    case 'promoted':
      return `promoted[${s.index}]`;
  }
}

function argKey(a: GenericArg): string {
  switch (a.kind) {
    case 'type':
      return tyKey(a.ty);
    case 'const':
      return constArgKey(a.value);
    case 'binding':
      return `${a.name} = ${tyKey(a.ty)}`;
    case 'lifetime':
      return a.name;
  }
}

/**
 * The generic arguments of a substitution, sorted by name: `N=4, T=u8`. Associated-type
 * entries and `impl Trait` entries by spelling are implied by the others and left out.
 */
export function substKey(s: Subst): string {
  const parts: string[] = [];
  for (const [k, v] of s.types) if (!k.startsWith('<') && !k.startsWith('impl ')) parts.push(`${k}=${tyKey(v)}`);
  for (const [k, v] of s.consts) parts.push(`${k}=${v}`);
  return parts.sort().join(', ');
}

/**
 * The type of a literal constant (numbers, strings, tuples and arrays of literals), or
 * null when the constant is not a literal; `elemTy` types the elements of aggregates.
 */
export function literalConstTy(c: Const, elemTy: (e: Const) => Ty | undefined): Ty | undefined | null {
  switch (c.kind) {
    case 'int':
      return c.ty && { kind: 'int', name: c.ty };
    case 'float':
      return { kind: 'float', name: c.ty };
    case 'bool':
      return BOOL;
    case 'char':
      return { kind: 'char' };
    case 'unit':
      return UNIT;
    case 'str':
      return { kind: 'ref', mutable: false, pointee: { kind: 'str' } };
    case 'byteStr': {
      const arr: Ty = { kind: 'array', elem: { kind: 'int', name: 'u8' }, len: { kind: 'value', value: BigInt(c.bytes.length) } };
      return c.byValue ? arr : { kind: 'ref', mutable: false, pointee: arr };
    }
    case 'tuple': {
      const elems = c.elems.map(elemTy);
      return elems.every((e) => e) ? { kind: 'tuple', elems: elems as Ty[] } : undefined;
    }
    case 'array': {
      const elem = c.elems.length > 0 ? elemTy(c.elems[0]!) : undefined;
      return elem && { kind: 'array', elem, len: { kind: 'value', value: BigInt(c.elems.length) } };
    }
    default:
      return null;
  }
}
