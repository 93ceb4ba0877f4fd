// What monomorphization needs to know about the crate's items, computed once: the
// candidates for trimmed method paths (by method name), impl blocks' self types,
// closures' bodies by closure type, generic parameters of each function in order of
// first appearance, associated constants, `Drop` impls, and the method slots of every
// trait called through `dyn`.
//
// The MIR names neither the trait nor the self type of an impl. An impl block's self
// type is read from any of its methods that take `self` (`debug self => _1`, `_1: &Dog`);
// a block without such a method has no known self type and its methods are matched by
// their signatures alone.
//
// Vtable slots: the MIR declares no traits, so a trait's slots are the sorted names of
// the methods the crate calls through `dyn` on it (`<dyn Shape as Shape>::area`) together
// with the trait's default methods printed under its name (`Shape::describe`); the Fn
// traits have the fixed slots call, call_mut, call_once. Vtables and virtual calls both
// read this table, so they agree.

import { forEachFnTy, rvalueOperands } from '../mir/visit.js';
import type { Const, ConstItem, FnItem, Operand, Ty } from '../mir/ast.js';
import type { CheckedCrate } from '../mir/check.js';
import type { Located } from '../mir/resolve.js';
import { paramName } from '../mir/subst.js';
import { pathKey } from '../mir/ty.js';
import { type ParamInfo, principalTrait } from './unify.js';

export type MethodKind = 'impl' | 'traitDefault';

export interface MethodCandidate {
  fn: Located<FnItem>;
  kind: MethodKind;
  /** `impl`: the impl block's text; `traitDefault`: the trait's name. */
  owner: string;
}

export interface ConstCandidate {
  item: Located<ConstItem>;
  kind: MethodKind;
  owner: string;
}

export const FN_TRAITS = new Set(['Fn', 'FnMut', 'FnOnce']);
export const FN_TRAIT_SLOTS = ['call', 'call_mut', 'call_once'];

/** What one function's body adds to the crate-wide tables. */
export interface FnBodyFacts {
  /** `[trait, method]` of each call through `dyn`. */
  slots: [string, string][];
  /** Names its body spells as concrete types (see `findConcreteNames`). */
  names: string[];
  /** Names its parameters or locals use as array lengths: const parameters. */
  constParams: string[];
}

/** Per function key, what its body adds to the tables (functions that add nothing left out). */
export type CrateBodyFacts = [string, FnBodyFacts][];

/** Body facts to start from instead of reading every body: all but those of the functions in `reread`. */
export interface RestoredBodyFacts {
  facts: CrateBodyFacts;
  reread: ReadonlySet<string>;
}

export class CrateItems {
  private readonly methods = new Map<string, MethodCandidate[]>();
  private readonly assocConsts = new Map<string, ConstCandidate[]>();
  /** Impl block text → self type (null: conflicting evidence). */
  private readonly implSelf = new Map<string, Ty | null>();
  private readonly closures = new Map<string, Located<FnItem>>();
  private readonly slots = new Map<string, string[]>();
  private readonly paramInfos = new WeakMap<FnItem, ParamInfo>();
  private readonly paramOrders = new WeakMap<FnItem, string[]>();
  private readonly projections = new WeakMap<FnItem, boolean>();
  readonly dropImpls: Located<FnItem>[] = [];
  readonly panicHandler: Located<FnItem> | undefined;
  /** One-segment type names the crate uses as concrete types although no ADT evidence names them. */
  private readonly concreteNames = new Set<string>();
  private readonly fnFacts = new Map<string, FnBodyFacts>();

  /**
   * The crate-wide tables every vtable and virtual call depends on (trait slots), as one
   * canonical string: the incremental layer folds it into every unit's fingerprint.
   */
  slotsKey(): string {
    return JSON.stringify([...this.slots].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  /**
   * What these tables learned from bodies rather than signatures (trait slots from
   * virtual calls, concrete type names), for the incremental front end to save and give
   * back to a `CrateItems` whose bodies it has not parsed.
   */
  bodyFacts(): CrateBodyFacts {
    return [...this.fnFacts];
  }

  /** The concrete names, sorted: with `slotsKey`, everything body facts decide. */
  concreteNamesKey(): string {
    return [...this.concreteNames].sort().join(',');
  }

  constructor(
    readonly crate: CheckedCrate,
    restored?: RestoredBodyFacts,
  ) {
    const index = crate.index;
    const traitSlots = new Map<string, Set<string>>();
    const handlers: [string, Located<FnItem>][] = [];
    for (const [key, fn] of index.fns) {
      const segs = fn.item.name.segments;
      const last = segs[segs.length - 1];
      if (segs.length === 2 && segs[0]!.kind === 'impl' && last?.kind === 'ident') {
        const impl = segs[0].text;
        this.addMethod(last.name, { fn, kind: 'impl', owner: impl });
        this.noteImplSelf(impl, fn.item);
        if (last.name === 'drop' && fn.item.params.length === 1 && fn.item.params[0]!.ty.kind === 'ref' && fn.item.params[0]!.ty.mutable) this.dropImpls.push(fn);
      } else if (segs.length >= 2 && last?.kind === 'ident' && segs[segs.length - 2]!.kind === 'ident' && (fn.item.params.some((p) => mentionsSelf(p.ty)) || mentionsSelf(fn.item.ret))) {
        const trait = (segs[segs.length - 2] as { name: string }).name;
        this.addMethod(last.name, { fn, kind: 'traitDefault', owner: trait });
        let set = traitSlots.get(trait);
        if (!set) traitSlots.set(trait, (set = new Set()));
        set.add(last.name);
      }
      const first = fn.item.params[0]?.ty;
      const closure = first && peelRefs(first).ty;
      if (closure?.kind === 'closure' && last?.kind === 'disambig' && last.name === 'closure') this.closures.set(closure.text, fn);
      if (isPanicHandler(fn.item)) handlers.push([key, fn]);
    }
    const known = new Map(restored?.facts);
    for (const [key, fn] of index.fns) {
      const facts = restored && !restored.reread.has(key) ? known.get(key) : fnBodyFacts(index, key, fn.item);
      if (facts) this.fnFacts.set(key, facts);
    }
    for (const facts of this.fnFacts.values()) {
      for (const [trait, name] of facts.slots) {
        let set = traitSlots.get(trait);
        if (!set) traitSlots.set(trait, (set = new Set()));
        set.add(name);
      }
    }
    for (const [trait, names] of traitSlots) this.slots.set(trait, [...names].sort());
    this.findConcreteNames();
    handlers.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    this.panicHandler = handlers[0]?.[1];
    for (const [, c] of index.consts) {
      const segs = c.item.name.segments;
      const last = segs[segs.length - 1];
      if (last?.kind !== 'ident') continue;
      if (segs.length === 2 && segs[0]!.kind === 'impl') this.addConst(last.name, { item: c, kind: 'impl', owner: segs[0].text });
      else if (segs.length >= 2 && segs[segs.length - 2]!.kind === 'ident' && /^[A-Z]/.test((segs[segs.length - 2] as { name: string }).name)) {
        this.addConst(last.name, { item: c, kind: 'traitDefault', owner: (segs[segs.length - 2] as { name: string }).name });
      }
    }
  }

  methodCandidates(name: string): readonly MethodCandidate[] {
    return this.methods.get(name) ?? [];
  }

  constCandidates(name: string): readonly ConstCandidate[] {
    return this.assocConsts.get(name) ?? [];
  }

  /** The self type of an impl block, when one of its methods takes `self`. */
  implSelfTy(implText: string): Ty | undefined {
    return this.implSelf.get(implText) ?? undefined;
  }

  closureBody(text: string): Located<FnItem> | undefined {
    return this.closures.get(text);
  }

  /** The method slots of a trait (see the header). */
  traitSlots(trait: string): readonly string[] {
    if (FN_TRAITS.has(trait)) return FN_TRAIT_SLOTS;
    return this.slots.get(trait) ?? [];
  }

  /**
   * Generic parameters of a function: declared ones (hand-written MIR), else `Self` and the
   * one-segment type names that are neither ADTs nor names the crate uses concretely.
   */
  paramInfo(fn: FnItem): ParamInfo {
    let info = this.paramInfos.get(fn);
    if (!info) {
      const declared = fn.generics;
      const isParam = declared ? (n: string) => n === 'Self' || declared.includes(n) : (n: string) => this.isParamName(n);
      const implIndex = new Map<Ty, number>();
      const visit = (t: Ty): void => {
        forEachTy(t, (u) => {
          if (u.kind === 'impl') implIndex.set(u, implIndex.size);
        });
      };
      fn.params.forEach((p) => visit(p.ty));
      info = { isParam, implIndex };
      this.paramInfos.set(fn, info);
    }
    return info;
  }

  /** Generic parameter names in order of first appearance: parameters, return type, then the locals. */
  paramOrder(fn: FnItem): string[] {
    let order = this.paramOrders.get(fn);
    if (!order) {
      if (fn.generics) order = [...fn.generics];
      else {
        const info = this.paramInfo(fn);
        const seen: string[] = [];
        const note = (n: string) => {
          if (n !== 'Self' && info.isParam(n) && !seen.includes(n)) seen.push(n);
        };
        const visit = (t: Ty) =>
          forEachTy(t, (u) => {
            const n = paramName(u);
            if (n !== undefined) note(n);
            if (u.kind === 'array' && u.len.kind === 'param') note(u.len.name);
            if (u.kind === 'named') for (const s of u.path.segments) if (s.kind === 'ident') for (const a of s.args ?? []) if (a.kind === 'const' && a.value.kind === 'param') note(a.value.name);
          });
        forEachFnTy(fn, visit);
        order = seen;
      }
      this.paramOrders.set(fn, order);
    }
    return order;
  }

  /** Whether the function's signature or locals mention a projection (`<C as Container>::Item`). */
  hasProjections(fn: FnItem): boolean {
    let has = this.projections.get(fn);
    if (has === undefined) {
      has = false;
      const visit = (t: Ty) =>
        forEachTy(t, (u) => {
          if (u.kind === 'projection') has = true;
        });
      forEachFnTy(fn, visit);
      this.projections.set(fn, has);
    }
    return has;
  }

  /** Whether a one-segment type name in rustc's output is a generic parameter. */
  isParamName(n: string): boolean {
    return n === 'Self' || (!this.crate.index.adts.lookupSegments([n]) && !this.concreteNames.has(n));
  }

  /**
   * rustc prints a generic parameter and a unit struct the ADT table never saw alike
   * (`T`, `Spider`). A name is concrete when the types or the unit struct values
   * (`const Spider`) of a function that cannot be generic (`main`, the exported ones)
   * mention it, when a debug variable's constant value spells it, when a static's type
   * mentions it, or when a vtable's header names it; a name used as an array length
   * (`[T; N]`) is a const parameter whatever else spells it.
   */
  private findConcreteNames(): void {
    const index = this.crate.index;
    for (const facts of this.fnFacts.values()) for (const n of facts.names) this.concreteNames.add(n);
    for (const [, s] of index.statics) noteConcreteNames(s.item.ty, this.concreteNames);
    // A const parameter used as a value (`const N`) is not a unit struct.
    for (const facts of this.fnFacts.values()) for (const n of facts.constParams) this.concreteNames.delete(n);
    for (const allocs of index.allocs.values()) {
      for (const a of allocs.values()) {
        if (a.alloc.kind !== 'vtable') continue;
        const m = /\bfor ([A-Z][A-Za-z0-9_]*)$/.exec(a.alloc.text.trim());
        if (m) this.concreteNames.add(m[1]!);
      }
    }
  }

  private addMethod(name: string, c: MethodCandidate): void {
    const list = this.methods.get(name);
    if (list) list.push(c);
    else this.methods.set(name, [c]);
  }

  private addConst(name: string, c: ConstCandidate): void {
    const list = this.assocConsts.get(name);
    if (list) list.push(c);
    else this.assocConsts.set(name, [c]);
  }

  private noteImplSelf(impl: string, fn: FnItem): void {
    const selfDebug = fn.body.root.debugs.find((d) => d.name === 'self' && d.value.kind === 'place' && d.value.place.local === 1 && d.value.place.projection.length === 0);
    const p = fn.params[0];
    if (!selfDebug || !p) return;
    const self = p.ty.kind === 'ref' ? p.ty.pointee : p.ty;
    const prev = this.implSelf.get(impl);
    if (prev === undefined) this.implSelf.set(impl, self);
    else if (prev !== null && pathKeyOfTy(prev) !== pathKeyOfTy(self)) this.implSelf.set(impl, null);
  }
}

/** What function `key`'s body adds to the trait slots and the concrete names; undefined for nothing. */
function fnBodyFacts(index: CheckedCrate['index'], key: string, fn: FnItem): FnBodyFacts | undefined {
  const slots: [string, string][] = [];
  const names = new Set<string>();
  const constParams = new Set<string>();
  const root = fn.exported || key === 'main' || key === 'rust_eh_personality';
  const noteConst = (c: Const | undefined) => {
    if (c?.kind !== 'path') return;
    const segs = c.path.segments;
    const s0 = segs[0];
    if (segs.length === 1 && s0?.kind === 'ident' && !s0.args && /^[A-Z]/.test(s0.name) && !index.fns.has(s0.name) && !index.consts.has(s0.name) && !index.statics.has(s0.name)) names.add(s0.name);
  };
  const noteOperand = (o: Operand) => {
    if (o.kind === 'const') noteConst(o.value);
  };
  const noteConstParams = (t: Ty) =>
    forEachTy(t, (u) => {
      if (u.kind === 'array' && u.len.kind === 'param') constParams.add(u.len.name);
    });
  const scope = (sc: FnItem['body']['root']): void => {
    for (const d of sc.debugs) if (d.value.kind === 'const') noteConst(d.value.value);
    for (const l of sc.locals) {
      if (root) noteConcreteNames(l.ty, names);
      noteConstParams(l.ty);
    }
    sc.children.forEach(scope);
  };
  scope(fn.body.root);
  for (const p of fn.params) {
    if (root) noteConcreteNames(p.ty, names);
    noteConstParams(p.ty);
  }
  for (const b of fn.body.blocks) {
    if (root) for (const st of b.statements) if (st.kind === 'assign') rvalueOperands(st.rvalue).forEach(noteOperand);
    const t = b.terminator;
    if (t.kind !== 'call') continue;
    if (root) t.args.forEach(noteOperand);
    if (t.func.kind !== 'const' || t.func.value.kind !== 'path') continue;
    const segs = t.func.value.path.segments;
    if (root) for (const seg of segs) if (seg.kind === 'ident') for (const a of seg.args ?? []) if (a.kind === 'type') noteConcreteNames(a.ty, names);
    // A call through `dyn`: `<dyn Shape as Shape>::area`.
    const s0 = segs[0];
    const m = segs[segs.length - 1];
    if (s0?.kind !== 'qualified' || s0.self.kind !== 'dyn' || m?.kind !== 'ident') continue;
    const trait = principalTrait(s0.self);
    if (trait && !FN_TRAITS.has(trait)) slots.push([trait, m.name]);
  }
  if (slots.length === 0 && names.size === 0 && constParams.size === 0) return undefined;
  return { slots, names: [...names].sort(), constParams: [...constParams].sort() };
}

/** The one-segment type names `t` spells (`Spider`, `T`): concrete when a function that cannot be generic spells them. */
function noteConcreteNames(t: Ty, into: Set<string>): void {
  forEachTy(t, (u) => {
    const n = paramName(u);
    if (n !== undefined && n !== 'Self') into.add(n);
  });
}

function pathKeyOfTy(t: Ty): string {
  return t.kind === 'named' ? pathKey(t.path) : t.kind;
}

function isPanicHandler(fn: FnItem): boolean {
  if (fn.params.length !== 1 || fn.ret.kind !== 'never') return false;
  const p = fn.params[0]!.ty;
  if (p.kind !== 'ref' || p.pointee.kind !== 'named') return false;
  const segs = p.pointee.path.segments;
  const last = segs[segs.length - 1];
  return last?.kind === 'ident' && last.name === 'PanicInfo';
}

function mentionsSelf(t: Ty): boolean {
  let found = false;
  forEachTy(t, (u) => {
    if (paramName(u) === 'Self') found = true;
  });
  return found;
}

/** Peels references: `&&T` is T at depth 2. */
export function peelRefs(t: Ty): { ty: Ty; depth: number } {
  let depth = 0;
  while (t.kind === 'ref') {
    t = t.pointee;
    depth++;
  }
  return { ty: t, depth };
}

/** Calls `f` on `t` and every type inside it (generic arguments and qualified selves included). */
export function forEachTy(t: Ty, f: (t: Ty) => void): void {
  f(t);
  switch (t.kind) {
    case 'tuple':
      t.elems.forEach((e) => forEachTy(e, f));
      return;
    case 'array':
    case 'slice':
      forEachTy(t.elem, f);
      return;
    case 'ref':
    case 'ptr':
      forEachTy(t.pointee, f);
      return;
    case 'fnPtr':
    case 'fnDef':
      t.sig.params.forEach((p) => forEachTy(p, f));
      forEachTy(t.sig.ret, f);
      return;
    case 'named':
      for (const s of t.path.segments) {
        if (s.kind === 'ident') for (const a of s.args ?? []) if (a.kind === 'type' || a.kind === 'binding') forEachTy(a.ty, f);
        if (s.kind === 'qualified') forEachTy(s.self, f);
      }
      return;
    case 'projection':
      forEachTy(t.self, f);
      return;
    default:
      return;
  }
}

