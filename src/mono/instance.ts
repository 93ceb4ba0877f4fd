// Instances and their identity. An instance's key is the item's path and its printed
// substitution, parameters sorted by name (`report::<T=i32>`,
// `<impl at a.rs:1:1: 9:2>::push::<N=4, T=u8>`); const bodies are `const PATH::<…>`,
// drop glue `drop_in_place::<TYPE>`, a closure's fn-pointer shim `reify-shim PATH::<…>`.
// Types in keys are canonical: regions erased, ADT paths spelled the way the ADT table
// knows them (so `Option<i32>` and `core::option::Option<i32>` are one instance).
// Instances are interned by key, so the collector and the lowering share the objects.

import type { ConstItem, FnItem, GenericArg, Path, PathSegment, Ty } from '../mir/ast.js';
import type { AdtTable } from '../mir/adt-table.js';
import { pathTextKey, substKey, tyKey } from '../mir/body-types.js';
import type { Located } from '../mir/resolve.js';
import type { Subst } from '../mir/subst.js';
import { EMPTY_SUBST } from '../mir/subst.js';
import { identSegments, pathKey } from '../mir/ty.js';
import { mangle, pathSegmentsForSymbol } from './symbol.js';
import type { Instance, MonoItem } from './types.js';

/** Functions exported under their own name whatever their attributes say. */
const EXPORTED_NAMES = new Set(['main', 'rust_eh_personality']);

export class Instances {
  private readonly byKey = new Map<string, Instance>();

  constructor(
    readonly crateName: string,
    readonly adts: AdtTable,
  ) {}

  fn(item: Located<FnItem>, subst: Subst, shim?: 'closureFnPointer'): Instance {
    const s = this.canonSubst(subst);
    const sk = substKey(s);
    const base = `${pathKey(item.item.name)}${sk ? `::<${sk}>` : ''}`;
    const key = shim ? `reify-shim ${base}` : base;
    return this.intern(key, () => {
      const exported = !shim && !sk && (item.item.exported || EXPORTED_NAMES.has(pathKey(item.item.name)));
      const segs = pathSegmentsForSymbol(item.item.name);
      const symbol = exported ? segs[segs.length - 1]! : mangle(this.crateName, shim ? [...segs, 'reify_shim'] : segs, key);
      return { key, def: shim ? { kind: 'item', item, shim } : { kind: 'item', item }, subst: s, symbol, exported };
    });
  }

  constBody(item: Located<ConstItem>, subst: Subst): Instance {
    const s = this.canonSubst(subst);
    const sk = substKey(s);
    const key = `const ${pathKey(item.item.name)}${sk ? `::<${sk}>` : ''}`;
    return this.intern(key, () => ({ key, def: { kind: 'constBody', item }, subst: s, symbol: mangle(this.crateName, pathSegmentsForSymbol(item.item.name), key), exported: false }));
  }

  dropGlue(ty: Ty, dropImpl: Instance | undefined): Instance {
    const t = this.canonTy(ty);
    const key = `drop_in_place::<${tyKey(t)}>`;
    return this.intern(key, () => ({ key, def: dropImpl ? { kind: 'dropGlue', ty: t, dropImpl } : { kind: 'dropGlue', ty: t }, subst: EMPTY_SUBST, symbol: mangle(this.crateName, ['drop_in_place'], key), exported: false }));
  }

  get(key: string): Instance | undefined {
    return this.byKey.get(key);
  }

  /** ADT paths as the table spells them, so one type has one key. */
  canonTy(t: Ty): Ty {
    switch (t.kind) {
      case 'named': {
        const segs = identSegments(t.path);
        const adt = segs && this.adts.lookupSegments(segs);
        const lastSeg = t.path.segments[t.path.segments.length - 1]!;
        const args = lastSeg.kind === 'ident' && lastSeg.args ? lastSeg.args.map((a) => this.canonArg(a)) : undefined;
        if (adt && segs) {
          const names = adt.segments;
          const segments: PathSegment[] = names.map((name, i) => (i === names.length - 1 && args ? { kind: 'ident', name, args } : { kind: 'ident', name }));
          return { kind: 'named', path: { span: t.path.span, segments } };
        }
        if (!t.path.segments.some((s) => s.kind === 'ident' && s.args)) return t;
        return { kind: 'named', path: this.canonPath(t.path) };
      }
      case 'tuple':
        return { kind: 'tuple', elems: t.elems.map((e) => this.canonTy(e)) };
      case 'array':
        return { kind: 'array', elem: this.canonTy(t.elem), len: t.len };
      case 'slice':
        return { kind: 'slice', elem: this.canonTy(t.elem) };
      case 'ref':
        return { kind: 'ref', mutable: t.mutable, pointee: this.canonTy(t.pointee) };
      case 'ptr':
        return { kind: 'ptr', mutable: t.mutable, pointee: this.canonTy(t.pointee) };
      case 'fnPtr':
        return { kind: 'fnPtr', sig: { ...t.sig, params: t.sig.params.map((p) => this.canonTy(p)), ret: this.canonTy(t.sig.ret) } };
      case 'fnDef':
        return { kind: 'fnDef', item: t.item, sig: { ...t.sig, params: t.sig.params.map((p) => this.canonTy(p)), ret: this.canonTy(t.sig.ret) } };
      case 'closure':
        return t.subst ? { kind: 'closure', text: t.text, subst: this.canonSubst(t.subst) } : t;
      default:
        return t;
    }
  }

  canonSubst(s: Subst): Subst {
    if (s.types.size === 0) return s;
    const types = new Map<string, Ty>();
    for (const [k, v] of s.types) types.set(k, this.canonTy(v));
    return { types, consts: s.consts };
  }

  private canonPath(p: Path): Path {
    return { span: p.span, segments: p.segments.map((s) => (s.kind === 'ident' && s.args ? { ...s, args: s.args.map((a) => this.canonArg(a)) } : s)) };
  }

  private canonArg(a: GenericArg): GenericArg {
    if (a.kind === 'type') return { kind: 'type', ty: this.canonTy(a.ty) };
    if (a.kind === 'binding') return { kind: 'binding', name: a.name, ty: this.canonTy(a.ty) };
    return a;
  }

  private intern(key: string, make: () => Instance): Instance {
    let inst = this.byKey.get(key);
    if (!inst) this.byKey.set(key, (inst = make()));
    return inst;
  }
}

/** The key of a static item's mono item. */
export function staticKey(path: Path): string {
  return `static ${pathKey(path)}`;
}

/** How tests and `explain` name a mono item: `fn KEY`, `const KEY`, `drop_in_place::<T>`, `static PATH`. */
export function describeMonoItem(m: MonoItem): string {
  if (m.kind === 'static') return staticKey(m.item.item.name);
  const inst = m.instance;
  if (inst.def.kind === 'item') return `fn ${inst.key}`;
  return inst.key;
}

/** The key identifying a mono item in the collector's graph. */
export function monoItemKey(m: MonoItem): string {
  return m.kind === 'static' ? staticKey(m.item.item.name) : m.instance.key;
}

/** Re-exported for the collector: a canonical type spelling. */
export { pathTextKey, tyKey };
