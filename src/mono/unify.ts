// Matching a generic signature against concrete types to bind its parameters. rustc's
// dump never lists generic parameters, so a callee's parameters are whatever one-segment
// type names in its signature are not ADTs (`T`, `Self`, and hand-written `fn f<T>`'s
// declared names), const parameters in array lengths and ADT arguments, and the
// argument-position `impl Trait` types (`impl#k`, the k-th in parameter order).
//
// Projections (`<C as Container>::Item`) in the pattern are matched once the other
// parameters are bound: the concrete type they meet becomes an associated-type fact
// (`<Evens as Container>::Item` = `u64`), which is how the crate learns what the MIR never
// declares. Unknown parts on the concrete side (`_`, an `impl Trait` or projection that
// cannot be normalized) match anything.

import type { ConstArg, GenericArg, PathSegment, Ty } from '../mir/ast.js';
import { normalizeTy, tyKey } from '../mir/body-types.js';
import type { Subst } from '../mir/subst.js';
import { paramName, substTy } from '../mir/subst.js';
import { identSegments, pathKey, samePathUpToPrefix } from '../mir/ty.js';

export interface ParamInfo {
  /** Whether a one-segment type name (or a const name) is a generic parameter of the pattern. */
  isParam(name: string): boolean;
  /** Argument-position `impl Trait` types of the pattern's signature, by object, with their index. */
  implIndex?: ReadonlyMap<Ty, number>;
}

/** Auto traits and other bounds that do not name a `dyn` type's principal trait. */
const AUTO_TRAITS = new Set(['Send', 'Sync', 'Unpin', 'UnwindSafe', 'RefUnwindSafe', 'Sized']);

/** The principal trait of a `dyn` type, by its last path segment (`dyn Instrument + Sync` → `Instrument`). */
export function principalTrait(ty: Extract<Ty, { kind: 'dyn' }>): string | undefined {
  for (const b of ty.bounds) {
    const last = b.segments[b.segments.length - 1];
    if (last?.kind === 'ident' && !AUTO_TRAITS.has(last.name)) return last.name;
  }
  return undefined;
}

export class Unifier {
  readonly types = new Map<string, Ty>();
  readonly consts = new Map<string, bigint>();
  /** Associated-type facts learned while matching: projection key ↦ type. */
  readonly learned = new Map<string, Ty>();
  /** Parameters bound to something other than themselves: fewer is more specific. */
  bindings = 0;
  private readonly deferred: [Ty, Ty][] = [];

  constructor(
    private readonly params: ParamInfo,
    /** Associated-type facts known crate-wide. */
    private readonly known: ReadonlyMap<string, Ty>,
  ) {}

  /** Binds a parameter directly (`Self` of a trait's default method). */
  bind(name: string, ty: Ty): boolean {
    return this.bindType(name, ty);
  }

  unify(p: Ty, c: Ty): boolean {
    if (c.kind === 'infer' || p.kind === 'infer') return true;
    const name = paramName(p);
    if (name !== undefined && this.params.isParam(name)) return this.bindType(name, c);
    if (p.kind === 'impl') {
      const k = this.params.implIndex?.get(p);
      return k === undefined ? true : this.bindType(`impl#${k}`, c);
    }
    if (p.kind === 'projection') {
      this.deferred.push([p, c]);
      return true;
    }
    if (c.kind === 'projection') return this.unifyWithProjection(p, c);
    if (c.kind === 'impl') return true;
    switch (p.kind) {
      case 'int':
      case 'float':
        return c.kind === p.kind && c.name === p.name;
      case 'bool':
      case 'char':
      case 'str':
      case 'never':
        return c.kind === p.kind;
      case 'tuple':
        return c.kind === 'tuple' && c.elems.length === p.elems.length && p.elems.every((e, i) => this.unify(e, c.elems[i]!));
      case 'array':
        return c.kind === 'array' && this.unify(p.elem, c.elem) && this.unifyConst(p.len, c.len);
      case 'slice':
        return c.kind === 'slice' && this.unify(p.elem, c.elem);
      case 'ref':
      case 'ptr':
        return c.kind === p.kind && c.mutable === p.mutable && this.unify(p.pointee, c.pointee);
      case 'fnPtr':
        return c.kind === 'fnPtr' && this.unifySig(p.sig, c.sig);
      case 'fnDef': {
        if (c.kind !== 'fnDef') return false;
        const a = identSegments(p.item);
        const b = identSegments(c.item);
        const same = a && b ? samePathUpToPrefix(a, b) : pathKey(p.item) === pathKey(c.item);
        return same && this.unifySig(p.sig, c.sig);
      }
      case 'named':
        return this.unifyNamed(p, c);
      case 'dyn':
        return c.kind === 'dyn' && principalTrait(p) === principalTrait(c);
      case 'closure':
        return c.kind === 'closure' && c.text === p.text;
    }
  }

  /** Matches the deferred projections; false when they contradict what is known. */
  finish(): boolean {
    const s = this.subst();
    for (const [p, c] of this.deferred) {
      const norm = normalizeTy(substTy(p, s), { types: new Map([...this.known, ...this.learned]), consts: new Map() });
      if (norm.kind !== 'projection') {
        if (!new Unifier(NO_PARAMS, this.known).unify(norm, c)) return false;
        continue;
      }
      if (this.mentionsParams(norm.self) || c.kind === 'projection' || c.kind === 'infer' || c.kind === 'impl') continue;
      this.learned.set(tyKey(norm), c);
    }
    return true;
  }

  subst(): Subst {
    return { types: this.types, consts: this.consts };
  }

  private bindType(name: string, c: Ty): boolean {
    const prev = this.types.get(name);
    if (prev) return new Unifier(NO_PARAMS, this.known).unify(prev, c) || new Unifier(NO_PARAMS, this.known).unify(c, prev);
    this.types.set(name, c);
    if (paramName(c) !== name) this.bindings++;
    return true;
  }

  private unifyConst(p: ConstArg, c: ConstArg): boolean {
    if (p.kind === 'param' && this.params.isParam(p.name)) {
      if (c.kind !== 'value') return true;
      return this.bindConst(p.name, c.value);
    }
    if (p.kind === 'value' && c.kind === 'value') return p.value === c.value;
    return true;
  }

  private bindConst(name: string, value: bigint): boolean {
    const prev = this.consts.get(name);
    if (prev !== undefined) return prev === value;
    this.consts.set(name, value);
    this.bindings++;
    return true;
  }

  private unifySig(p: { params: Ty[]; ret: Ty; variadic: boolean }, c: { params: Ty[]; ret: Ty; variadic: boolean }): boolean {
    return p.params.length === c.params.length && p.params.every((x, i) => this.unify(x, c.params[i]!)) && this.unify(p.ret, c.ret);
  }

  private unifyNamed(p: Extract<Ty, { kind: 'named' }>, c: Ty): boolean {
    if (c.kind !== 'named') return false;
    const a = identSegments(p.path);
    const b = identSegments(c.path);
    if (!a || !b) return pathKey(p.path) === pathKey(c.path);
    if (!samePathUpToPrefix(a, b)) return false;
    const pa = typeArgs(p.path.segments[p.path.segments.length - 1]);
    const ca = typeArgs(c.path.segments[c.path.segments.length - 1]);
    const n = Math.min(pa.length, ca.length);
    for (let i = 0; i < n; i++) if (!this.unifyArg(pa[i]!, ca[i]!)) return false;
    return true;
  }

  private unifyArg(p: GenericArg, c: GenericArg): boolean {
    if (p.kind === 'type' && c.kind === 'type') return this.unify(p.ty, c.ty);
    if (p.kind === 'type' && c.kind === 'const') {
      // A const parameter in argument position parses as a type name: `Ring<T, N>`.
      const name = paramName(p.ty);
      if (name !== undefined && this.params.isParam(name) && c.value.kind === 'value') return this.bindConst(name, c.value.value);
      return true;
    }
    if (p.kind === 'const' && c.kind === 'const') return this.unifyConst(p.value, c.value);
    if (p.kind === 'binding' && c.kind === 'binding') return p.name !== c.name || this.unify(p.ty, c.ty);
    return true;
  }

  private unifyWithProjection(p: Ty, c: Extract<Ty, { kind: 'projection' }>): boolean {
    const key = tyKey(c);
    const known = this.known.get(key) ?? this.learned.get(key);
    if (known) return this.unify(p, known);
    if (!this.mentionsParams(p) && p.kind !== 'projection' && p.kind !== 'impl') this.learned.set(key, p);
    return true;
  }

  private mentionsParams(t: Ty): boolean {
    return tyMentions(t, (name) => this.params.isParam(name));
  }
}

const NO_PARAMS: ParamInfo = { isParam: () => false };

function typeArgs(seg: PathSegment | undefined): GenericArg[] {
  if (seg?.kind !== 'ident' || !seg.args) return [];
  return seg.args.filter((a) => a.kind !== 'lifetime');
}

/** Whether a type mentions a name `isParam` accepts, or an `impl Trait` / const parameter. */
export function tyMentions(t: Ty, isParam: (name: string) => boolean): boolean {
  const go = (u: Ty): boolean => tyMentions(u, isParam);
  switch (t.kind) {
    case 'named': {
      const name = paramName(t);
      if (name !== undefined) return isParam(name);
      return t.path.segments.some(
        (s) =>
          (s.kind === 'ident' && (s.args ?? []).some((a) => (a.kind === 'type' || a.kind === 'binding' ? go(a.ty) : a.kind === 'const' && a.value.kind === 'param' && isParam(a.value.name)))) ||
          (s.kind === 'qualified' && go(s.self)),
      );
    }
    case 'tuple':
      return t.elems.some(go);
    case 'array':
      return go(t.elem) || (t.len.kind === 'param' && isParam(t.len.name));
    case 'slice':
      return go(t.elem);
    case 'ref':
    case 'ptr':
      return go(t.pointee);
    case 'fnPtr':
    case 'fnDef':
      return t.sig.params.some(go) || go(t.sig.ret);
    case 'projection':
      return go(t.self);
    case 'impl':
      return true;
    default:
      return false;
  }
}
