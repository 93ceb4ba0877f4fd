// Callee resolution and the other questions of `MonoQueries`, answered in an instance's
// context. A callee path is first instantiated with the caller's substitution
// (`<T as Num>::add` in `report` at T = i32 is `<i32 as Num>::add`), then:
//
//   <dyn Tr as Tr>::m                  virtual call, slot from CrateItems.traitSlots
//   <F as Fn*<(A,)>>::call*            F a closure → its body; a fn item → that fn; a fn
//                                      pointer → through the pointer; `&G` → peeled
//   <prim as CoreTrait>::m             a primitive operation (`<i32 as Add>::add`)
//   <X as Tr>::m, Type::m              the method candidates named m (impl methods and
//                                      Tr's default method) whose impl self type and
//                                      signature unify with X and the argument types; the
//                                      most specific wins (an impl over a default, then
//                                      fewest bindings); none or a tie is an error
//   path of a crate fn                 that body; generic parameters bound by unifying its
//                                      signature, the turbofish filling the rest in order
//                                      of first appearance (CrateItems.paramOrder)
//   trimmed path (`f0` for `m0::f0`)   the unique crate fn whose path ends with it
//   intrinsic / panic entry / C fn     `intrinsic` / `panic` / `extern` (one-segment names
//                                      only: a body-less core function such as
//                                      `StepBy::<…>::new` is an error, its MIR is not there)

import type { Const, ConstItem, FnItem, FnSig, Operand, Path, PathSegment, Ty } from '../mir/ast.js';
import { BodyTypes, instTy, normalizeTy, tyKey } from '../mir/body-types.js';
import type { CheckedCrate } from '../mir/check.js';
import { printPath } from '../mir/printer.js';
import type { Located } from '../mir/resolve.js';
import { EMPTY_SUBST, paramName, substPath, type Subst } from '../mir/subst.js';
import { identSegments, pathKey } from '../mir/ty.js';
import { substituteAdtArgs } from '../mir/adt-table.js';
import type { LayoutCx } from '../ssa/layout/layout-cx.js';
import { intrinsicName, isCoreTrait, isPanicPath, isPrimitiveLike } from './builtins.js';
import { CrateItems, FN_TRAITS, FN_TRAIT_SLOTS, peelRefs } from './crate-items.js';
import { Instances, staticKey } from './instance.js';
import { mangle, pathSegmentsForSymbol } from './symbol.js';
import { parsePathText, parseVtableText } from './alloc-text.js';
import { type Callee, type Instance, MonoError, type MonoQueries, type VTable } from './types.js';
import { principalTrait, Unifier } from './unify.js';

const INFER: Ty = { kind: 'infer' };

interface Resolved {
  fn: Located<FnItem>;
  u: Unifier;
}

/** The context of allocations and statics: outside any instance, nothing to substitute. */
const ROOT: Instance = { key: '<root>', def: { kind: 'dropGlue', ty: { kind: 'tuple', elems: [] } }, subst: EMPTY_SUBST, symbol: '', exported: false };

export class MonoCx implements MonoQueries {
  readonly instances: Instances;
  /** Set when a resolution learned an associated type the crate did not know yet. */
  assocGrew = false;
  /**
   * Counts every associated type a resolution learned (known already or not) and every
   * C-convention mark: the collector notes which items' walks teach the crate something,
   * which the incremental front end cannot take back.
   */
  learnings = 0;
  readonly panicHandler: Instance | undefined;
  private readonly bodyTypesCache = new WeakMap<Instance, BodyTypes>();
  private readonly vtables = new Map<string, VTable>();
  private readonly needsDropCache = new Map<string, boolean>();

  constructor(
    readonly crate: CheckedCrate,
    readonly items: CrateItems,
    readonly crateName: string,
    readonly layouts: LayoutCx,
    /** Associated-type facts (projection key ↦ type), crate-wide; grows while collecting. */
    readonly assoc: Map<string, Ty>,
  ) {
    this.instances = new Instances(crateName, crate.index.adts);
    this.panicHandler = items.panicHandler && this.fnInstance(items.panicHandler, EMPTY_SUBST);
  }

  // ------------------------------------------------------------ MonoQueries

  resolveCallee(caller: Instance, func: Operand, argTys: Ty[], destTy: Ty): Callee {
    switch (func.kind) {
      case 'copy':
      case 'move': {
        const bt = this.bodyTypes(caller);
        const ty = bt?.placeTy(func.place).ty;
        if (ty?.kind === 'fnPtr') return { kind: 'fnPtr' };
        if (ty?.kind === 'fnDef') return { kind: 'instance', instance: this.fnDefInstance(caller, ty) };
        throw new MonoError(`cannot call a value of type \`${ty ? tyKey(ty) : 'unknown'}\``);
      }
      case 'const':
        return this.resolveConstCallee(caller, func.value, argTys, destTy);
      case 'runtimeChecks':
        throw new MonoError('cannot call a runtime check');
    }
  }

  fnItemInstance(caller: Instance, fnTy: Ty): Instance {
    const ty = instTy(fnTy, caller.subst);
    if (ty.kind !== 'fnDef') throw new MonoError(`\`${tyKey(ty)}\` is not a function item type`);
    return this.fnDefInstance(caller, ty);
  }

  closureInstance(caller: Instance, closureTy: Ty): Instance {
    const ty = instTy(closureTy, caller.subst);
    if (ty.kind !== 'closure') throw new MonoError(`\`${tyKey(ty)}\` is not a closure type`);
    return this.closureBodyInstance(ty);
  }

  closureFnPointer(caller: Instance, closureTy: Ty): Instance {
    const ty = instTy(closureTy, caller.subst);
    if (ty.kind !== 'closure') throw new MonoError(`\`${tyKey(ty)}\` is not a closure type`);
    const body = this.items.closureBody(ty.text);
    if (!body) throw new MonoError(`no body for the closure \`{${ty.text}}\``);
    return this.instances.fn(body, this.withAssoc(body.item, ty.subst ?? EMPTY_SUBST), 'closureFnPointer');
  }

  constInstance(caller: Instance, path: Path): Instance | undefined {
    const r = this.resolveConst(caller, path);
    return r?.item.item.body ? this.instances.constBody(r.item, r.subst) : undefined;
  }

  constItem(caller: Instance, path: Path): Located<ConstItem> | undefined {
    return this.resolveConst(caller, path)?.item;
  }

  staticSymbol(path: Path): string {
    const s = this.staticItem(path);
    if (!s) throw new MonoError(`no static named \`${pathKey(path)}\``);
    const segs = pathSegmentsForSymbol(s.item.name);
    return s.item.exported ? segs[segs.length - 1]! : mangle(this.crateName, segs, staticKey(s.item.name));
  }

  vtable(caller: Instance, ty: Ty, dynTy: Ty): VTable {
    const { key, t, methods, drop } = this.vtableParts(caller, ty, dynTy);
    let vt = this.vtables.get(key);
    if (!vt) {
      const layout = this.layouts.layoutOf(t);
      vt = { symbol: mangle(this.crateName, ['vtable'], key), size: layout.size, align: layout.align, drop, methods };
      this.vtables.set(key, vt);
    }
    return vt;
  }

  /** Functions that `extern "C" fn` pointers point to: defined with the C convention. */
  private readonly cAbi = new Set<string>();

  /** The instances marked for the C convention (see `markCAbi`), for the incremental front end. */
  cAbiKeys(): string[] {
    return [...this.cAbi].sort();
  }

  /** Marks an instance by key, as a previous collection did. */
  markCAbiKey(key: string): void {
    this.cAbi.add(key);
  }

  markCAbi(inst: Instance): void {
    this.learnings++;
    this.cAbi.add(inst.key);
  }

  usesCAbi(inst: Instance): boolean {
    return inst.exported || this.cAbi.has(inst.key);
  }

  allocFn(text: string): Instance {
    const path = parsePathText(text);
    const inst = path && this.fnValueInstance(ROOT, path);
    if (!inst) throw new MonoError(`cannot resolve the function \`${text}\` of an allocation`);
    return inst;
  }

  allocVtable(text: string): VTable {
    const parsed = parseVtableText(text);
    if (!parsed) throw new MonoError(`cannot read the vtable \`${text}\``);
    return this.vtable(ROOT, parsed.ty, parsed.dyn);
  }

  dropImpl(caller: Instance, ty: Ty): Instance | undefined {
    return this.dropImplFor(this.instances.canonTy(instTy(ty, caller.subst)));
  }

  dropGlue(caller: Instance, ty: Ty): Instance | undefined {
    const t = this.instances.canonTy(instTy(ty, caller.subst));
    if (!this.needsDrop(t)) return undefined;
    return this.instances.dropGlue(t, this.dropImplFor(t));
  }

  // ------------------------------------------------------------ for the collector

  /** The typing of an instance's body (undefined for drop glue). */
  bodyTypes(inst: Instance): BodyTypes | undefined {
    let bt = this.bodyTypesCache.get(inst);
    if (bt) return bt;
    const def = inst.def;
    if (def.kind === 'item') bt = new BodyTypes(this.crate.index, def.item.item.body, inst.subst, def.item.item.params.map((p) => p.ty));
    else if (def.kind === 'constBody' && def.item.item.body) bt = new BodyTypes(this.crate.index, def.item.item.body, inst.subst);
    if (bt) this.bodyTypesCache.set(inst, bt);
    return bt;
  }

  /** A vtable's methods and drop glue, without its layout. */
  vtableParts(caller: Instance, ty: Ty, dynTy: Ty): { key: string; t: Ty; methods: (Instance | undefined)[]; drop: Instance | undefined } {
    const t = this.instances.canonTy(instTy(ty, caller.subst));
    const d = instTy(dynTy, caller.subst);
    if (d.kind !== 'dyn') throw new MonoError(`\`${tyKey(d)}\` is not a trait object type`);
    const trait = principalTrait(d);
    if (!trait) throw new MonoError(`\`${tyKey(d)}\` has no principal trait`);
    const key = `vtable ${tyKey(t)} as ${trait}`;
    const methods = this.items.traitSlots(trait).map((m) => this.vtableMethod(t, trait, m));
    return { key, t, methods, drop: this.dropGlue(caller, t) };
  }

  /** Field types that drop glue for `t` drops (after its `Drop` impl). */
  dropFields(t: Ty): Ty[] {
    switch (t.kind) {
      case 'tuple':
        return t.elems;
      case 'array':
        return t.len.kind === 'value' && t.len.value === 0n ? [] : [t.elem];
      case 'slice':
        return [t.elem];
      case 'named': {
        const adt = this.crate.index.adts.lookup(t.path);
        if (!adt) return [];
        const out: Ty[] = [];
        for (const v of adt.variants) for (const f of v.fields) if (f.ty) out.push(substituteAdtArgs(adt, t.path, f.ty) ?? f.ty);
        return out;
      }
      default:
        return [];
    }
  }

  staticItem(path: Path): Located<import('../mir/ast.js').StaticItem> | undefined {
    const key = pathKey(path);
    const exact = this.crate.index.statics.get(key);
    if (exact) return exact;
    const segs = identSegments(path);
    if (!segs) return undefined;
    const found = [...this.crate.index.statics.entries()].filter(([k]) => k.endsWith(`::${key}`));
    return found.length === 1 ? found[0]![1] : undefined;
  }

  /** The function a path constant names when used as a value (not called), if it is one. */
  fnValueInstance(caller: Instance, path: Path): Instance | undefined {
    const p = this.instPath(path, caller.subst);
    const fn = this.crate.index.fns.get(pathKey(p)) ?? this.suffixFn(p);
    if (fn) return this.genericFnInstance(fn, p, fn.item.params.map(() => INFER), INFER);
    const q = p.segments[0];
    if (q?.kind === 'qualified' && q.trait) {
      const m = lastIdent(p);
      const r = m && this.resolveMethod(m, q.self, lastIdent(q.trait), undefined, undefined);
      if (r && 'fn' in r) return this.finishResolved(r);
    }
    return undefined;
  }

  // ------------------------------------------------------------ resolution

  private resolveConstCallee(caller: Instance, c: Const, argTys: Ty[], destTy: Ty): Callee {
    if (c.kind === 'path') return this.resolvePath(this.instPath(c.path, caller.subst), argTys, destTy);
    if (c.kind === 'fnPtr') return { kind: 'fnPtr' };
    if (c.kind === 'zst') {
      const ty = instTy(c.ty, caller.subst);
      if (ty.kind === 'fnDef') return { kind: 'instance', instance: this.fnDefInstance(caller, ty) };
    }
    throw new MonoError('cannot call this constant');
  }

  /** Resolves an instantiated callee path (see the header for the order). */
  private resolvePath(path: Path, argTys: Ty[], destTy: Ty): Callee {
    const show = printPath(path, 'value');
    const name = lastIdent(path);
    const q = path.segments[0];
    if (q?.kind === 'qualified' && q.trait && name !== undefined) {
      const trait = lastIdent(q.trait);
      const self = q.self;
      if (self.kind === 'dyn') return this.virtualCall(self, trait, name, show);
      if (trait && FN_TRAITS.has(trait) && FN_TRAIT_SLOTS.includes(name)) return this.fnTraitCall(self, name, show);
      if (trait && isCoreTrait(trait) && isPrimitiveLike(self)) return { kind: 'primitive', method: name, selfTy: self };
      if (paramName(self) !== undefined && !this.crate.index.adts.lookup((self as Extract<Ty, { kind: 'named' }>).path) && !this.isKnownSelf(self)) {
        throw new MonoError(`cannot resolve \`${show}\`: \`${tyKey(self)}\` is a generic parameter without a concrete type here`);
      }
      const r = this.resolveMethod(name, self, trait, argTys, destTy);
      if ('fn' in r) return { kind: 'instance', instance: this.finishResolved(r) };
      if (this.isBodyless(path) && r.error.startsWith('no function')) throw new MonoError(`cannot call \`${show}\`: a core library function whose MIR is not in the crate`);
      throw new MonoError(`cannot resolve \`${show}\`: ${r.error}`);
    }
    const fn = this.crate.index.fns.get(pathKey(path)) ?? this.suffixFn(path);
    if (fn) return { kind: 'instance', instance: this.genericFnInstance(fn, path, argTys, destTy) };
    const segs = path.segments;
    const prefix = segs[segs.length - 2];
    if (name !== undefined && prefix?.kind === 'ident' && /^[A-Z]/.test(prefix.name)) {
      const self: Ty = { kind: 'named', path: { span: path.span, segments: segs.slice(0, -1) } };
      const r = this.resolveMethod(name, self, undefined, argTys, destTy);
      if ('fn' in r) return { kind: 'instance', instance: this.finishResolved(r) };
      if (this.isOwnType(self) || !r.error.startsWith('no function') || !this.isBodyless(path)) throw new MonoError(`cannot resolve \`${show}\`: ${r.error}`);
    }
    const intrinsic = intrinsicName(path);
    if (intrinsic) return { kind: 'intrinsic', name: intrinsic, typeArgs: lastSegmentTypeArgs(path) };
    if (isPanicPath(path)) return { kind: 'panic', name: show };
    const ext = this.externSig(path);
    if (ext) return { kind: 'extern', symbol: name!, sig: ext };
    if (this.isBodyless(path) && identSegments(path)?.length !== 1) {
      throw new MonoError(`cannot call \`${show}\`: a core library function whose MIR is not in the crate`);
    }
    throw new MonoError(`cannot resolve \`${show}\`: no function of the crate has this path`);
  }

  /** A type of this crate: declared by hand, or the self type of one of its impl blocks. */
  private isOwnType(self: Ty): boolean {
    if (self.kind !== 'named') return false;
    if (this.crate.index.adts.lookup(self.path)?.origin === 'declared') return true;
    const segs = identSegments(self.path);
    const last = segs?.[segs.length - 1];
    if (last === undefined) return false;
    this.implSelfNames ??= new Set(
      [...this.crate.index.fns.values()].flatMap((fn) => {
        const s0 = fn.item.name.segments[0];
        const t = s0?.kind === 'impl' ? this.items.implSelfTy(s0.text) : undefined;
        const ts = t?.kind === 'named' ? identSegments(t.path) : undefined;
        return ts ? [ts[ts.length - 1]!] : [];
      }),
    );
    return this.implSelfNames.has(last);
  }

  private implSelfNames: Set<string> | undefined;
  private bodyless: Set<string> | undefined;
  /** Whether the front-end inferred a signature for this path: called, but not defined. */
  private isBodyless(path: Path): boolean {
    this.bodyless ??= new Set(this.crate.externs.map((e) => e.name));
    return this.bodyless.has(printPath(path, 'value'));
  }

  private isKnownSelf(self: Ty): boolean {
    // A one-segment name that impls take as their self type (a unit struct the ADT table never saw).
    const name = paramName(self);
    return name !== undefined && this.knownSelfNames().has(name);
  }

  private selfNames: Set<string> | undefined;
  private knownSelfNames(): Set<string> {
    if (!this.selfNames) {
      this.selfNames = new Set();
      for (const [, fn] of this.crate.index.fns) {
        const s0 = fn.item.name.segments[0];
        if (s0?.kind !== 'impl') continue;
        const self = this.items.implSelfTy(s0.text);
        const n = self && paramName(self);
        if (n !== undefined) this.selfNames.add(n);
      }
    }
    return this.selfNames;
  }

  private virtualCall(self: Extract<Ty, { kind: 'dyn' }>, trait: string | undefined, method: string, show: string): Callee {
    const t = principalTrait(self) ?? trait;
    if (!t) throw new MonoError(`cannot resolve \`${show}\`: the trait object has no principal trait`);
    const slot = this.items.traitSlots(t).indexOf(method);
    if (slot < 0) throw new MonoError(`cannot resolve \`${show}\`: \`${method}\` has no vtable slot in \`${t}\``);
    return FN_TRAITS.has(t) ? { kind: 'virtual', slot, spreadTuple: true } : { kind: 'virtual', slot };
  }

  /** `<F as Fn<(A,)>>::call` and friends, once F is known. */
  private fnTraitCall(selfTy: Ty, method: string, show: string): Callee {
    const { ty: inner, depth } = peelRefs(selfTy);
    const selfArgDepth = depth + (method === 'call_once' ? 0 : 1);
    switch (inner.kind) {
      case 'dyn':
        return { kind: 'virtual', slot: FN_TRAIT_SLOTS.indexOf(method), spreadTuple: true };
      case 'closure': {
        const instance = this.closureBodyInstance(inner);
        const body = (instance.def as { item: Located<FnItem> }).item.item;
        const want = body.params[0] ? peelRefs(body.params[0].ty).depth : 0;
        const diff = selfArgDepth - want;
        if (diff === 0) return { kind: 'instance', instance, spreadTuple: true, selfAdjust: 'none' };
        if (diff === -1) return { kind: 'instance', instance, spreadTuple: true, selfAdjust: 'ref' };
        if (diff > 0) return diff === 1 ? { kind: 'instance', instance, spreadTuple: true, selfAdjust: 'deref' } : { kind: 'instance', instance, spreadTuple: true, selfAdjust: 'deref', selfDerefs: diff };
        throw new MonoError(`cannot resolve \`${show}\`: the closure body takes its environment in an unexpected way`);
      }
      case 'fnDef':
        return { kind: 'instance', instance: this.fnDefInstanceAt(inner), spreadTuple: true, selfAdjust: 'none', dropSelf: true };
      case 'fnPtr':
        return { kind: 'fnPtr', fromSelf: { derefs: selfArgDepth }, spreadTuple: true };
      default:
        throw new MonoError(`cannot resolve \`${show}\`: \`${tyKey(inner)}\` is not a closure, function item or function pointer`);
    }
  }

  /** The method candidates named `name` that fit; the most specific one, or why none does. */
  private resolveMethod(name: string, selfTy: Ty | undefined, trait: string | undefined, argTys: Ty[] | undefined, destTy: Ty | undefined): Resolved | { error: string } {
    let best: { r: Resolved; score: number }[] = [];
    for (const c of this.items.methodCandidates(name)) {
      const fn = c.fn.item;
      const u = new Unifier(this.items.paramInfo(fn), this.assoc);
      if (c.kind === 'traitDefault') {
        if (!selfTy || trait === undefined || c.owner !== trait || !u.bind('Self', selfTy)) continue;
      } else if (selfTy) {
        const implSelf = this.items.implSelfTy(c.owner);
        if (implSelf && !u.unify(implSelf, selfTy)) continue;
        if (!implSelf && !argTys && !this.firstParamIsSelf(fn, u, selfTy)) continue;
      }
      if (argTys && !this.unifySig(u, fn, argTys, destTy)) continue;
      if (!u.finish()) continue;
      const score = (c.kind === 'traitDefault' ? 1000 : 0) + u.bindings;
      if (best.length === 0 || score < best[0]!.score) best = [{ r: { fn: c.fn, u }, score }];
      else if (score === best[0]!.score) best.push({ r: { fn: c.fn, u }, score });
    }
    if (best.length === 1) return best[0]!.r;
    if (best.length === 0) return { error: `no function named \`${name}\` fits these argument types` };
    return { error: `ambiguous between ${best.map((b) => `\`${pathKey(b.r.fn.item.name)}\``).join(', ')}` };
  }

  private firstParamIsSelf(fn: FnItem, u: Unifier, selfTy: Ty): boolean {
    const p = fn.params[0];
    return !!p && u.unify(p.ty.kind === 'ref' ? p.ty.pointee : p.ty, selfTy);
  }

  private unifySig(u: Unifier, fn: FnItem, argTys: Ty[], destTy: Ty | undefined): boolean {
    if (fn.params.length !== argTys.length) return false;
    for (let i = 0; i < argTys.length; i++) if (!u.unify(fn.params[i]!.ty, argTys[i]!)) return false;
    if (destTy && fn.ret.kind !== 'never' && destTy.kind !== 'never' && !u.unify(fn.ret, destTy)) return false;
    return true;
  }

  /** A crate fn by path: bindings from its signature, the turbofish for the rest. */
  private genericFnInstance(fn: Located<FnItem>, path: Path, argTys: Ty[], destTy: Ty): Instance {
    const u = new Unifier(this.items.paramInfo(fn.item), this.assoc);
    if (this.unifySig(u, fn.item, argTys, destTy)) u.finish();
    const last = path.segments[path.segments.length - 1];
    const turbofish = last?.kind === 'ident' ? (last.args ?? []).filter((a) => a.kind !== 'lifetime') : [];
    if (turbofish.length) {
      const order = this.items.paramOrder(fn.item);
      turbofish.forEach((a, i) => {
        const n = order[i];
        if (n === undefined || u.types.has(n) || u.consts.has(n)) return;
        if (a.kind === 'type') u.types.set(n, a.ty);
        else if (a.kind === 'const' && a.value.kind === 'value') u.consts.set(n, a.value.value);
      });
    }
    return this.finishResolved({ fn, u });
  }

  /** Records what the match learned and interns the instance. */
  private finishResolved(r: Resolved): Instance {
    for (const [k, v] of r.u.learned) {
      this.learnings++;
      if (!this.assoc.has(k)) {
        this.assoc.set(k, v);
        this.assocGrew = true;
      }
    }
    const types = new Map([...r.u.types].filter(([k, v]) => paramName(v) !== k));
    // `impl Trait` parameters spelled alike and bound alike can be found by spelling in the body.
    const info = this.items.paramInfo(r.fn.item);
    const bySpelling = new Map<string, string | null>();
    for (const [ty, k] of info.implIndex ?? []) {
      const bound = types.get(`impl#${k}`);
      if (!bound) continue;
      const spelled = tyKey(ty);
      const prev = bySpelling.get(spelled);
      if (prev === undefined) bySpelling.set(spelled, tyKey(bound));
      else if (prev !== tyKey(bound)) bySpelling.set(spelled, null);
      if (bySpelling.get(spelled) !== null) types.set(spelled, bound);
      else types.delete(spelled);
    }
    return this.fnInstance(r.fn, { types, consts: r.u.consts });
  }

  private fnInstance(fn: Located<FnItem>, subst: Subst): Instance {
    return this.instances.fn(fn, this.withAssoc(fn.item, subst));
  }

  /** Adds the crate's associated-type facts to the substitution of a function that needs them. */
  private withAssoc(fn: FnItem, subst: Subst): Subst {
    if (this.assoc.size === 0 || !this.items.hasProjections(fn)) return subst;
    const types = new Map(subst.types);
    for (const [k, v] of this.assoc) if (!types.has(k)) types.set(k, v);
    return { types, consts: subst.consts };
  }

  private closureBodyInstance(ty: Extract<Ty, { kind: 'closure' }>): Instance {
    const body = this.items.closureBody(ty.text);
    if (!body) throw new MonoError(`no body for the closure \`{${ty.text}}\``);
    return this.fnInstance(body, ty.subst ?? EMPTY_SUBST);
  }

  private fnDefInstance(caller: Instance, ty: Extract<Ty, { kind: 'fnDef' }>): Instance {
    return this.fnDefInstanceAt(instTy(ty, caller.subst) as Extract<Ty, { kind: 'fnDef' }>);
  }

  /** The function a fn item type names, its signature giving the argument types. */
  private fnDefInstanceAt(ty: Extract<Ty, { kind: 'fnDef' }>): Instance {
    const callee = this.resolvePath(ty.item, ty.sig.params, ty.sig.ret);
    if (callee.kind !== 'instance' || callee.spreadTuple) throw new MonoError(`\`${printPath(ty.item, 'value')}\` is not a function of the crate`);
    return callee.instance;
  }

  /** The unique crate fn whose path ends with this trimmed one (`f0` for `m0::f0`). */
  private suffixFn(path: Path): Located<FnItem> | undefined {
    const segs = identSegments(path);
    if (!segs) return undefined;
    const tail = `::${segs.join('::')}`;
    if (!this.bySuffix.has(tail)) {
      let found: Located<FnItem> | undefined;
      let count = 0;
      for (const [k, fn] of this.crate.index.fns) {
        if (k.endsWith(tail) && /^[a-z_]/.test(k)) {
          found = fn;
          count++;
        }
      }
      this.bySuffix.set(tail, count === 1 ? found : undefined);
    }
    return this.bySuffix.get(tail);
  }

  private readonly bySuffix = new Map<string, Located<FnItem> | undefined>();

  private externSig(path: Path): FnSig | undefined {
    const segs = path.segments;
    const s = segs[0];
    if (segs.length !== 1 || s?.kind !== 'ident' || s.args) return undefined;
    const declared = this.crate.index.externs.get(s.name);
    if (declared) {
      const d = declared.item;
      return { unsafe: true, abi: 'C', params: d.params, variadic: d.variadic, ret: d.ret };
    }
    return this.crate.externs.find((e) => e.name === s.name)?.sig;
  }

  /** A `const` path in `caller`'s context: the item and the substitution of its body. */
  private resolveConst(caller: Instance, raw: Path): { item: Located<ConstItem>; subst: Subst } | undefined {
    const path = this.instPath(raw, caller.subst);
    const index = this.crate.index;
    const exact = index.consts.get(pathKey(path));
    if (exact) {
      const owner = pathKey({ span: path.span, segments: path.segments.slice(0, -1) });
      return { item: exact, subst: path.segments.length > 1 && index.fns.has(owner) ? caller.subst : EMPTY_SUBST };
    }
    const name = lastIdent(path);
    if (name === undefined) return undefined;
    const q = path.segments[0];
    let selfTy: Ty | undefined;
    let trait: string | undefined;
    if (q?.kind === 'qualified') {
      selfTy = q.self;
      trait = q.trait && lastIdent(q.trait);
    } else if (path.segments.length >= 2) {
      const prefix = path.segments[path.segments.length - 2];
      if (prefix?.kind === 'ident' && /^[A-Z]/.test(prefix.name)) selfTy = { kind: 'named', path: { span: path.span, segments: path.segments.slice(0, -1) } };
    }
    if (!selfTy) return undefined;
    const all = this.items.constCandidates(name);
    let best: { item: Located<ConstItem>; u: Unifier; score: number }[] = [];
    for (const c of all) {
      const u = new Unifier({ isParam: (n) => this.items.isParamName(n) }, this.assoc);
      if (c.kind === 'traitDefault') {
        if (trait === undefined || c.owner !== trait || !u.bind('Self', selfTy)) continue;
      } else {
        const implSelf = this.items.implSelfTy(c.owner);
        if (implSelf ? !u.unify(implSelf, selfTy) : all.length > 1) continue;
      }
      const score = (c.kind === 'traitDefault' ? 1000 : 0) + u.bindings;
      if (best.length === 0 || score < best[0]!.score) best = [{ item: c.item, u, score }];
      else if (score === best[0]!.score) best.push({ item: c.item, u, score });
    }
    if (best.length !== 1) return undefined;
    const types = new Map([...best[0]!.u.types].filter(([k, v]) => paramName(v) !== k));
    return { item: best[0]!.item, subst: { types, consts: best[0]!.u.consts } };
  }

  /** The implementation of slot `method` of `trait` for the concrete type `t`. */
  private vtableMethod(t: Ty, trait: string, method: string): Instance | undefined {
    if (FN_TRAITS.has(trait)) {
      if (t.kind !== 'closure' || method === 'call_once') return undefined;
      const inst = this.closureBodyInstance(t);
      const body = (inst.def as { item: Located<FnItem> }).item.item;
      return body.params[0]?.ty.kind === 'ref' ? inst : undefined;
    }
    const r = this.resolveMethod(method, t, trait, undefined, undefined);
    return 'fn' in r ? this.finishResolved(r) : undefined;
  }

  private needsDrop(t: Ty): boolean {
    const key = tyKey(t);
    const known = this.needsDropCache.get(key);
    if (known !== undefined) return known;
    this.needsDropCache.set(key, false); // recursion guard
    let needs = false;
    if (t.kind === 'named' && this.dropImplFor(t)) needs = true;
    else if (t.kind !== 'closure') needs = this.dropFields(t).some((f) => this.needsDrop(this.instances.canonTy(f)));
    this.needsDropCache.set(key, needs);
    return needs;
  }

  /** The user's `Drop::drop` for `t` (a fn `<impl at …>::drop(_1: &mut T)`), instantiated. */
  private dropImplFor(t: Ty): Instance | undefined {
    if (t.kind !== 'named') return undefined;
    let best: { fn: Located<FnItem>; u: Unifier } | undefined;
    for (const fn of this.items.dropImpls) {
      const p = fn.item.params[0]!.ty as Extract<Ty, { kind: 'ref' }>;
      // `impl<T> Drop for T` cannot be written: a bare name is the type itself.
      const head = paramName(p.pointee);
      if (head !== undefined && paramName(t) !== head) continue;
      const u = new Unifier(this.items.paramInfo(fn.item), this.assoc);
      if (!u.unify(p.pointee, t) || !u.finish()) continue;
      if (!best || u.bindings < best.u.bindings) best = { fn, u };
    }
    return best && this.finishResolved(best);
  }

  /** The caller's substitution applied to a path, associated types and `impl Trait` included. */
  private instPath(path: Path, subst: Subst): Path {
    const p = substPath(path, subst);
    if (subst.types.size === 0) return p;
    const norm = (t: Ty) => normalizeTy(t, subst);
    return {
      span: p.span,
      segments: p.segments.map((s): PathSegment => {
        if (s.kind === 'qualified') return { kind: 'qualified', self: norm(s.self), trait: s.trait };
        if (s.kind === 'ident' && s.args) return { ...s, args: s.args.map((a) => (a.kind === 'type' ? { kind: 'type', ty: norm(a.ty) } : a)) };
        return s;
      }),
    };
  }
}

function lastIdent(path: Path): string | undefined {
  const s = path.segments[path.segments.length - 1];
  return s?.kind === 'ident' ? s.name : undefined;
}

function lastSegmentTypeArgs(path: Path): Ty[] {
  const s = path.segments[path.segments.length - 1];
  if (s?.kind !== 'ident' || !s.args) return [];
  return s.args.flatMap((a) => (a.kind === 'type' ? [a.ty] : []));
}
