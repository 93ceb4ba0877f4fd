// Where the crate defines what a path names: the functions, constants and statics of
// every file by path key, hand-written ADT declarations by name, closures' bodies by
// closure type. rustc prints a callee as the caller sees it, so a path is resolved the
// way monomorphization would without instantiating anything:
//   1. its exact key (`foo`, `<impl at a.rs:3:1: 9:2>::add`, `f::{closure#0}`);
//   2. a trimmed path (`m::foo` for `crate::m::foo`, or the other way round);
//   3. a method through its type or trait (`Ring::<u8, 4>::push`, `<Money as Num>::add`,
//      `<T as Num>::add`): the impl methods of that name whose impl's self type matches,
//      else all of them, plus the trait's default method `Num::add`;
//   4. a closure called through a Fn trait (`<{closure@a.rs:…} as Fn<…>>::call`).
// The MIR names neither the trait nor the self type of an impl: an impl's self type is
// read from its methods that take `self` (`debug self => _1;`, `_1: &Money`).
// What each file defines is kept per SourceFile, like its outline.

import type { SourceFile, Span } from '../../src/diagnostics.js';
import type { AdtItem, ConstItem, ExternFn, FnItem, Item, Path, StaticItem, Ty } from '../../src/mir/ast.js';
import { printTy } from '../../src/mir/printer.js';
import { identSegments, pathKey, samePathUpToPrefix } from '../../src/mir/ty.js';
import { peelRefs } from '../../src/mono/crate-items.js';
import type { PathRole } from './body-walk.js';
import { externFnNameSpan, fileItems } from './outline.js';

/** A function of a hand-written `extern "C" { … }` block, named like an item. */
export interface ExternDecl {
  kind: 'externFn';
  abi: string;
  decl: ExternFn;
  name: Path;
  nameSpan: Span;
}

export type DefItem = FnItem | ConstItem | StaticItem | AdtItem | ExternDecl;

export interface Def {
  item: DefItem;
  file: SourceFile;
}

/** What one file defines, kept per SourceFile like its outline (see outline.ts). */
class FileDefs {
  readonly values = new Map<string, Def[]>();
  readonly byLastName = new Map<string, Def[]>();
  readonly adts = new Map<string, Def[]>();
  /** Impl block text → the names of the self types its `self` methods take. */
  readonly implSelf = new Map<string, Set<string>>();
  readonly closures = new Map<string, Def>();

  constructor(file: SourceFile) {
    for (const item of fileItems(file)) this.add(item, file);
  }

  private add(item: Item, file: SourceFile): void {
    if (item.kind === 'alloc') return;
    if (item.kind === 'extern') {
      for (const decl of item.fns) {
        const nameSpan = externFnNameSpan(file, decl);
        const def: Def = { item: { kind: 'externFn', abi: item.abi, decl, name: { segments: [{ kind: 'ident', name: decl.name }], span: nameSpan }, nameSpan }, file };
        push(this.values, decl.name, def);
        push(this.byLastName, decl.name, def);
      }
      return;
    }
    const def: Def = { item, file };
    if (item.kind === 'adt') {
      push(this.adts, pathKey(item.name), def);
      return;
    }
    push(this.values, pathKey(item.name), def);
    const segs = item.name.segments;
    const last = segs[segs.length - 1];
    if (last?.kind === 'ident') push(this.byLastName, last.name, def);
    if (item.kind !== 'fn') return;
    const first = item.params[0] && peelRefs(item.params[0].ty).ty;
    if (first?.kind === 'closure' && last?.kind === 'disambig' && last.name === 'closure') this.closures.set(first.text, def);
    const s0 = segs[0];
    if (segs.length === 2 && s0?.kind === 'impl' && first && takesSelf(file, item)) {
      let names = this.implSelf.get(s0.text);
      if (!names) this.implSelf.set(s0.text, (names = new Set()));
      names.add(tyName(first));
    }
  }
}

const fileDefs = new WeakMap<SourceFile, FileDefs>();

function defsOf(file: SourceFile): FileDefs {
  let defs = fileDefs.get(file);
  if (!defs) fileDefs.set(file, (defs = new FileDefs(file)));
  return defs;
}

export class CrateDefs {
  private readonly files: FileDefs[];

  /** `files` is the crate; `file`, the one the request is about, replaces the file of its name or joins them. */
  constructor(files: readonly SourceFile[], file?: SourceFile) {
    const crate = file ? [...files.filter((f) => f !== file && f.name !== file.name), file] : files;
    this.files = crate.map(defsOf);
  }

  private values(key: string): Def[] {
    return this.files.flatMap((f) => f.values.get(key) ?? []);
  }

  private named(name: string): Def[] {
    return this.files.flatMap((f) => f.byLastName.get(name) ?? []);
  }

  private adts(key: string): Def[] {
    return this.files.flatMap((f) => f.adts.get(key) ?? []);
  }

  private implTakes(impl: string, self: string): boolean {
    return this.files.some((f) => f.implSelf.get(impl)?.has(self));
  }

  private closure(text: string): Def | undefined {
    for (const f of this.files) {
      const d = f.closures.get(text);
      if (d) return d;
    }
    return undefined;
  }

  /** The definitions `path` may name, best first; empty for an external or unknown item. */
  resolve(path: Path, role: PathRole): Def[] {
    return role === 'ctor' ? this.resolveCtor(path) : this.resolveValue(path);
  }

  /** The functions, constants and statics whose key is `key`, the compile-time copies of const fns last. */
  private byKey(key: string): Def[] {
    return preferRuntime(this.values(key));
  }

  private resolveValue(path: Path): Def[] {
    const exact = this.byKey(pathKey(path));
    if (exact.length > 0) return exact;
    const segs = path.segments;
    const last = segs[segs.length - 1];
    const s0 = segs[0];
    if (s0?.kind === 'qualified' && segs.length === 2) {
      const self = peelRefs(s0.self).ty;
      if (self.kind === 'closure') {
        const closure = this.closure(self.text);
        if (closure) return [closure];
      }
    }
    if (last?.kind !== 'ident') return [];
    const named = this.named(last.name);
    const idents = identSegments(path);
    if (idents) {
      const trimmed = named.filter((d) => {
        const other = identSegments(d.item.name);
        return other !== undefined && samePathUpToPrefix(idents, other);
      });
      if (trimmed.length > 0) return preferRuntime(trimmed);
    }
    // A method: through `<Self as Trait>::m`, `<Self>::m` or `Type::m`.
    let self: string | undefined;
    let trait: string | undefined;
    if (s0?.kind === 'qualified' && segs.length === 2) {
      self = tyName(peelRefs(s0.self).ty);
      const t = s0.trait?.segments[s0.trait.segments.length - 1];
      if (t?.kind === 'ident') trait = t.name;
    } else if (segs.length >= 2) {
      const owner = segs[segs.length - 2]!;
      if (owner.kind === 'ident') self = owner.name;
    }
    if (self === undefined) return [];
    // Impl methods and associated constants (`<T as Num>::ZERO`).
    const methods = named.filter((d) => (d.item.kind === 'fn' || d.item.kind === 'const') && d.item.name.segments.length === 2 && d.item.name.segments[0]!.kind === 'impl');
    const defaults = trait !== undefined ? this.byKey(`${trait}::${last.name}`) : [];
    const matching = methods.filter((d) => {
      const impl = d.item.name.segments[0] as { kind: 'impl'; text: string };
      return this.implTakes(impl.text, self!);
    });
    return preferRuntime(matching.length > 0 ? matching : [...methods, ...defaults]);
  }

  private resolveCtor(path: Path): Def[] {
    const key = pathKey(path);
    const direct = this.adts(key);
    if (direct.length > 0) return direct;
    // `Shape::Circle`: the enum; `core::m::Point`: a trimmed name.
    const segs = identSegments(path);
    if (!segs) return [];
    for (const n of [segs.length - 1, segs.length - 2]) {
      const name = segs[n];
      const found = name !== undefined ? this.adts(name) : [];
      if (found.length > 0) return found;
    }
    return [];
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Compile-time copies (`// MIR FOR CTFE`) after the runtime functions, and only when there is nothing else. */
function preferRuntime(defs: Def[]): Def[] {
  const runtime = defs.filter((d) => d.item.kind !== 'fn' || !d.item.ctfe);
  return runtime.length > 0 ? runtime : defs;
}

/** A self type's name for matching: the last segment of a named type, else the printed type. */
function tyName(t: Ty): string {
  if (t.kind === 'named') {
    const last = t.path.segments[t.path.segments.length - 1];
    if (last?.kind === 'ident') return last.name;
  }
  if (t.kind === 'closure') return `{${t.text}}`;
  return printTy(t);
}

/** Whether `_1` is `self`: the header says nothing, the body's `debug self => _1;` does (read as text, not parsed). */
function takesSelf(file: SourceFile, fn: FnItem): boolean {
  return file.text.slice(fn.nameSpan.hi, fn.span.hi).includes('debug self => _1;');
}
