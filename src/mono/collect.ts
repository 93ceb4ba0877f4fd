// The mono item collector (rustc's `collect_crate_mono_items`): starting from the roots,
// walks every reached body at its substitution and records what it references, so the
// partitioner knows every mono item and every edge between them.
//
// Roots: `main`, `rust_eh_personality`, every `#[no_mangle]` function and static, and
// the panic handler. This builds executables: a non-generic function nothing reaches is
// not collected (rustc collects all of them in a library).
//
// A body references: the callees of its calls (resolve.ts); fn items used as values
// (`const foo`, `{foo as fn()}`, ReifyFnPointer casts) and closures made into fn pointers
// (their `closureFnPointer` shim); drop glue of dropped places; the vtable methods and
// drop glue of `&T as &dyn Trait` coercions; `const` items with a body; statics, through
// the allocations its constants point at (`{alloc6: &[&dyn I; 3]}` with `static: CATALOG`),
// and whatever those allocations point at in turn (vtables `(vtable: impl I for T)`,
// functions `(fn: f)`, other statics). A static's own references are its allocation's.
// Nothing is thrown: what cannot be resolved is a diagnostic at the construct.

import type { AllocItem, Body, Const, ConstItem, Operand, Path, Rvalue, StaticItem, Terminator, Ty } from '../mir/ast.js';
import { BodyTypes, instTy } from '../mir/body-types.js';
import { type DiagnosticSink, type SourceFile, type Span } from '../diagnostics.js';
import { parsePathText, parseVtableText } from './alloc-text.js';
import type { Located } from '../mir/resolve.js';
import { EMPTY_SUBST } from '../mir/subst.js';
import { pathKey } from '../mir/ty.js';
import { staticKey } from './instance.js';
import type { MonoCx } from './resolve.js';
import { type Instance, type MonoItem, MonoError } from './types.js';

const INFER: Ty = { kind: 'infer' };
const UNIT: Ty = { kind: 'tuple', elems: [] };
/** Type nesting beyond this comes from polymorphic recursion: rustc's default recursion limit. */
const RECURSION_LIMIT = 128;

export interface Collected {
  /** Every mono item, by key (`Instance.key`, or `static PATH`). */
  items: Map<string, MonoItem>;
  /** Referrer key → the keys it references. */
  edges: Map<string, Set<string>>;
  /** Size estimate per item: statements plus terminators. */
  sizes: Map<string, number>;
  /** Referrer key → the one-line `const` items whose values it copies (they are not mono items, but its code depends on them). */
  constReads: Map<string, Set<Located<ConstItem>>>;
  /** Items whose walk taught the crate associated types or C-convention marks (`MonoCx.learnings`). */
  teaches: Set<string>;
}

/** What an earlier collection found, for collecting again after some bodies changed. */
export interface PreviousGraph {
  items: ReadonlyMap<string, MonoItem>;
  edges: ReadonlyMap<string, ReadonlySet<string>>;
  sizes: ReadonlyMap<string, number>;
}

/** What `recollectMonoItems` walked and dropped, besides the updated graph. */
export interface Recollected extends Collected {
  /** The items walked again and the items new to the graph. */
  walked: Set<string>;
  /** The items no root reaches any more. */
  removed: string[];
}

/** The size estimate of a body, which the partitioner merges units by: statements plus terminators. */
export function bodySize(body: Body): number {
  let size = 0;
  for (const block of body.blocks) size += block.statements.length + 1;
  return size;
}

export function collectMonoItems(cx: MonoCx, sink: DiagnosticSink): Collected {
  const c = new Collector(cx, sink);
  c.roots();
  c.run();
  return { items: c.items, edges: c.edges, sizes: c.sizes, constReads: c.constReads, teaches: c.teaches };
}

/**
 * The graph of `previous` after the bodies of the items `changed` changed: those items are
 * walked again (their references replaced), whatever new items they reach are walked, and
 * items no root reaches any more are dropped. `constReads` and `teaches` cover the walked
 * items only. With `cx` in the state the whole collection left it, the result is what
 * collecting the crate from scratch would find, as long as no walk teaches the crate
 * anything (`teaches` empty) and no dropped or changed item had.
 */
export function recollectMonoItems(cx: MonoCx, sink: DiagnosticSink, previous: PreviousGraph, changed: Iterable<string>): Recollected {
  const c = new Collector(cx, sink, previous);
  const walked = new Set<string>();
  for (const key of changed) {
    if (!c.items.has(key)) continue;
    c.edges.delete(key);
    c.sizes.delete(key);
    c.enqueue(key);
  }
  const roots = c.roots();
  c.run((key) => walked.add(key));
  const removed = c.prune(roots);
  for (const key of removed) walked.delete(key);
  return { items: c.items, edges: c.edges, sizes: c.sizes, constReads: c.constReads, teaches: c.teaches, walked, removed };
}

class Collector {
  readonly items = new Map<string, MonoItem>();
  readonly edges = new Map<string, Set<string>>();
  readonly sizes = new Map<string, number>();
  readonly constReads = new Map<string, Set<Located<ConstItem>>>();
  readonly teaches = new Set<string>();
  private readonly queue: string[] = [];
  private readonly allocRefMemo = new Map<SourceFile, Map<number, string[]>>();
  private readonly reported = new Set<string>();
  /** The context of constructs outside any instance (statics, allocations): no substitution. */
  private readonly root: Instance;

  constructor(
    private readonly cx: MonoCx,
    private readonly sink: DiagnosticSink,
    previous?: PreviousGraph,
  ) {
    this.root = { key: '<root>', def: { kind: 'dropGlue', ty: UNIT }, subst: EMPTY_SUBST, symbol: '', exported: false };
    if (previous) {
      for (const [k, v] of previous.items) this.items.set(k, v);
      for (const [k, v] of previous.edges) this.edges.set(k, new Set(v));
      for (const [k, v] of previous.sizes) this.sizes.set(k, v);
    }
  }

  /** Adds the roots (those not known yet are walked); returns their keys. */
  roots(): string[] {
    const index = this.cx.crate.index;
    const keys: string[] = [];
    for (const key of [...index.fns.keys()].sort()) {
      const fn = index.fns.get(key)!;
      if (fn.item.generics?.length) continue;
      if (fn.item.exported || key === 'main' || key === 'rust_eh_personality') keys.push(this.addFn(this.cx.instances.fn(fn, EMPTY_SUBST)));
    }
    if (this.cx.panicHandler) keys.push(this.addFn(this.cx.panicHandler));
    for (const key of [...index.statics.keys()].sort()) {
      const s = index.statics.get(key)!;
      if (s.item.exported) keys.push(this.addStatic(s));
    }
    return keys;
  }

  /** Walks a known item again. */
  enqueue(key: string): void {
    this.queue.push(key);
  }

  run(onWalk?: (key: string) => void): void {
    for (let i = 0; i < this.queue.length; i++) {
      const key = this.queue[i]!;
      const item = this.items.get(key)!;
      const before = this.cx.learnings;
      onWalk?.(key);
      if (item.kind === 'static') this.processStatic(key, item.item);
      else this.processFn(item.instance);
      if (this.cx.learnings !== before) this.teaches.add(key);
    }
  }

  /** Drops the items `roots` no longer reach; returns their keys. */
  prune(roots: string[]): string[] {
    const reached = new Set(roots);
    const stack = [...roots];
    while (stack.length > 0) {
      for (const to of this.edges.get(stack.pop()!) ?? []) {
        if (!reached.has(to)) {
          reached.add(to);
          stack.push(to);
        }
      }
    }
    const removed = [...this.items.keys()].filter((k) => !reached.has(k)).sort();
    for (const k of removed) {
      this.items.delete(k);
      this.edges.delete(k);
      this.sizes.delete(k);
      this.constReads.delete(k);
    }
    return removed;
  }

  private addFn(inst: Instance): string {
    if (!this.items.has(inst.key)) {
      if ([...inst.subst.types.values()].some((t) => tyDepth(t) > RECURSION_LIMIT)) {
        throw new MonoError(`reached the recursion limit (${RECURSION_LIMIT}) while instantiating \`${inst.key.slice(0, 100)}…\``);
      }
      this.items.set(inst.key, { kind: 'fn', instance: inst });
      this.queue.push(inst.key);
    }
    return inst.key;
  }

  private addStatic(s: Located<StaticItem>): string {
    const key = staticKey(s.item.name);
    if (!this.items.has(key)) {
      this.items.set(key, { kind: 'static', item: s, symbol: this.cx.staticSymbol(s.item.name), exported: s.item.exported });
      this.queue.push(key);
    }
    return key;
  }

  private ref(from: string, to: string): void {
    let set = this.edges.get(from);
    if (!set) this.edges.set(from, (set = new Set()));
    set.add(to);
  }

  private refFn(from: string, inst: Instance | undefined): void {
    if (inst) this.ref(from, this.addFn(inst));
  }

  private error(file: SourceFile, span: Span, message: string): void {
    const id = `${file.name}:${span.lo}:${message}`;
    if (this.reported.has(id)) return;
    this.reported.add(id);
    this.sink.error(file, span, message);
  }

  // ------------------------------------------------------------ items

  private processFn(inst: Instance): void {
    const def = inst.def;
    switch (def.kind) {
      case 'item':
        if (def.shim) {
          this.sizes.set(inst.key, 2);
          this.refFn(inst.key, this.cx.instances.fn(def.item, inst.subst));
          return;
        }
        this.walkBody(inst, inst.key, def.item.item.body, def.item.file, this.cx.bodyTypes(inst)!);
        return;
      case 'constBody':
        if (def.item.item.body) this.walkBody(inst, inst.key, def.item.item.body, def.item.file, this.cx.bodyTypes(inst)!);
        else this.sizes.set(inst.key, 1);
        return;
      case 'dropGlue':
        this.sizes.set(inst.key, 2);
        this.refFn(inst.key, def.dropImpl);
        for (const f of this.cx.dropFields(def.ty)) this.refFn(inst.key, this.cx.dropGlue(inst, f));
        return;
    }
  }

  private processStatic(key: string, s: Located<StaticItem>): void {
    this.sizes.set(key, 1);
    const allocs = this.cx.crate.index.allocs.get(s.file);
    const name = pathKey(s.item.name);
    const own = allocs && [...allocs.values()].find((a) => a.alloc.kind === 'memory' && a.alloc.static === name);
    if (own && own.alloc.kind === 'memory') {
      for (const r of own.alloc.relocs) for (const to of this.allocRefs(s.file, r.alloc)) this.ref(key, to);
      return;
    }
    // No allocation dump: the static's initializer body says what it points at.
    this.walkBody(this.root, key, s.item.body, s.file, new BodyTypes(this.cx.crate.index, s.item.body, EMPTY_SUBST));
  }

  // ------------------------------------------------------------ bodies

  private walkBody(inst: Instance, from: string, body: Body, file: SourceFile, bt: BodyTypes): void {
    const w: Walk = { inst, from, file, bt };
    for (const block of body.blocks) {
      for (const st of block.statements) {
        this.guard(file, st.span, () => {
          switch (st.kind) {
            case 'assign':
              this.visitRvalue(w, st.rvalue);
              return;
            case 'copyNonOverlapping':
              [st.src, st.dst, st.count].forEach((o) => this.visitOperand(w, o));
              return;
            case 'assume':
              this.visitOperand(w, st.operand);
              return;
            default:
              return;
          }
        });
      }
      this.guard(file, block.terminator.span, () => this.visitTerminator(w, block.terminator));
    }
    if (!this.sizes.has(from)) this.sizes.set(from, bodySize(body));
  }

  private guard(file: SourceFile, span: Span, f: () => void): void {
    try {
      f();
    } catch (e) {
      if (e instanceof MonoError || e instanceof Error) this.error(file, span, e.message);
      else throw e;
    }
  }

  private visitTerminator(w: Walk, t: Terminator): void {
    switch (t.kind) {
      case 'call':
      case 'tailCall': {
        t.args.forEach((a) => this.visitOperand(w, a));
        const argTys = t.args.map((a) => w.bt.operandTy(a) ?? INFER);
        const destTy = t.kind === 'call' ? w.bt.placeTy(t.dest).ty : w.inst.def.kind === 'item' ? instTy(w.inst.def.item.item.ret, w.inst.subst) : INFER;
        const callee = this.cx.resolveCallee(w.inst, t.func, argTys, destTy);
        if (callee.kind === 'instance') this.ref(w.from, this.addFn(callee.instance));
        return;
      }
      case 'drop':
        this.refFn(w.from, this.cx.dropGlue(w.inst, w.bt.placeTy(t.place).ty));
        return;
      default:
        return;
    }
  }

  private visitRvalue(w: Walk, rv: Rvalue): void {
    switch (rv.kind) {
      case 'use':
      case 'repeat':
      case 'unary':
      case 'shallowInitBox':
      case 'wrapUnsafeBinder':
        this.visitOperand(w, rv.operand);
        return;
      case 'binary':
        this.visitOperand(w, rv.lhs);
        this.visitOperand(w, rv.rhs);
        return;
      case 'aggregate':
        rv.operands.forEach((o) => this.visitOperand(w, o));
        return;
      case 'threadLocalRef': {
        const s = this.cx.staticItem(rv.path);
        if (s) this.ref(w.from, this.addStatic(s));
        return;
      }
      case 'cast':
        this.visitCast(w, rv);
        return;
      default:
        return;
    }
  }

  private visitCast(w: Walk, rv: Extract<Rvalue, { kind: 'cast' }>): void {
    const coercion = rv.cast.coercion ?? '';
    const srcTy = w.bt.operandTy(rv.operand);
    if (coercion.startsWith('ReifyFnPointer')) {
      let inst: Instance | undefined;
      if (srcTy?.kind === 'fnDef') inst = this.cx.fnItemInstance(w.inst, srcTy);
      else if (rv.operand.kind === 'const' && rv.operand.value.kind === 'path') inst = this.cx.fnValueInstance(w.inst, rv.operand.value.path);
      // rustc's dump drops `extern "C"` from a function's header; a pointer of C type to it says so.
      if (inst && rv.ty.kind === 'fnPtr' && isCAbi(rv.ty.sig.abi)) this.cx.markCAbi(inst);
      this.refFn(w.from, inst);
      return;
    }
    if (coercion.startsWith('ClosureFnPointer')) {
      if (srcTy?.kind !== 'closure') throw new MonoError('a ClosureFnPointer cast of something that is not a closure');
      this.refFn(w.from, this.cx.closureFnPointer(w.inst, srcTy));
      return;
    }
    this.visitOperand(w, rv.operand);
    if (coercion.startsWith('Unsize') && srcTy) {
      const from = pointee(srcTy);
      const to = pointee(instTy(rv.ty, w.inst.subst));
      if (to?.kind === 'dyn' && from && from.kind !== 'dyn') this.refVtable(w.from, w.inst, from, to);
    }
  }

  private refVtable(from: string, inst: Instance, ty: Ty, dyn: Ty): void {
    const parts = this.cx.vtableParts(inst, ty, dyn);
    for (const m of parts.methods) this.refFn(from, m);
    this.refFn(from, parts.drop);
  }

  private visitOperand(w: Walk, op: Operand): void {
    if (op.kind === 'const') this.visitConst(w, op.value);
  }

  private visitConst(w: Walk, c: Const): void {
    switch (c.kind) {
      case 'path':
        this.visitPathConst(w, c.path);
        return;
      case 'ctor':
        c.fields.forEach((f) => this.visitConst(w, f.value));
        return;
      case 'tuple':
      case 'array':
        c.elems.forEach((e) => this.visitConst(w, e));
        return;
      case 'alloc':
      case 'indirect':
        for (const to of this.allocRefs(w.file, c.alloc)) this.ref(w.from, to);
        return;
      case 'fnPtr':
        if (c.ty.kind === 'fnPtr') this.refFn(w.from, this.cx.fnItemInstance(w.inst, { kind: 'fnDef', item: c.path, sig: c.ty.sig }));
        return;
      case 'zst': {
        const ty = instTy(c.ty, w.inst.subst);
        if (ty.kind === 'fnDef') this.refFn(w.from, this.cx.fnItemInstance(w.inst, ty));
        return;
      }
      default:
        return;
    }
  }

  /** A path constant: a `const` item, a static, a fn item used as a value, or a unit struct / variant. */
  private visitPathConst(w: Walk, path: Path): void {
    const item = this.cx.constItem(w.inst, path);
    if (item) {
      if (item.item.body) this.refFn(w.from, this.cx.constInstance(w.inst, path));
      else if (item.item.value) {
        let reads = this.constReads.get(w.from);
        if (!reads) this.constReads.set(w.from, (reads = new Set()));
        reads.add(item);
        this.visitConst({ ...w, file: item.file }, item.item.value);
      }
      return;
    }
    const s = this.cx.crate.index.statics.get(pathKey(path));
    if (s) {
      this.ref(w.from, this.addStatic(s));
      return;
    }
    const fn = this.cx.fnValueInstance(w.inst, path);
    if (fn) {
      this.refFn(w.from, fn);
      return;
    }
    if (path.segments[0]?.kind === 'qualified') throw new MonoError(`cannot resolve the constant \`${pathKey(path)}\``);
  }

  // ------------------------------------------------------------ allocations

  /** What an allocation makes its user reference (memoised; statics are referenced, not entered). */
  private allocRefs(file: SourceFile, id: number, seen = new Set<number>()): string[] {
    let memo = this.allocRefMemo.get(file);
    if (!memo) this.allocRefMemo.set(file, (memo = new Map()));
    const known = memo.get(id);
    if (known) return known;
    if (seen.has(id)) return [];
    seen.add(id);
    const alloc = this.cx.crate.index.allocs.get(file)?.get(id);
    const out = alloc ? this.allocTargets(file, alloc, seen) : [];
    memo.set(id, out);
    return out;
  }

  private allocTargets(file: SourceFile, a: AllocItem, seen: Set<number>): string[] {
    const alloc = a.alloc;
    switch (alloc.kind) {
      case 'memory': {
        if (alloc.static !== undefined) {
          const s = this.cx.staticItem(pathOf(alloc.static));
          return s ? [this.addStatic(s)] : [];
        }
        return [...new Set(alloc.relocs.flatMap((r) => this.allocRefs(file, r.alloc, seen)))];
      }
      case 'static': {
        const s = this.cx.staticItem(pathOf(alloc.name));
        return s ? [this.addStatic(s)] : [];
      }
      case 'vtable': {
        const parsed = parseVtableText(alloc.text);
        if (!parsed) {
          this.error(file, a.nameSpan, `cannot read the vtable \`${alloc.text}\``);
          return [];
        }
        const out: string[] = [];
        this.guard(file, a.nameSpan, () => {
          const parts = this.cx.vtableParts(this.root, parsed.ty, parsed.dyn);
          for (const m of [...parts.methods, parts.drop]) if (m) out.push(this.addFn(m));
        });
        return out;
      }
      case 'fn': {
        const path = parsePathText(alloc.text);
        let out: string[] = [];
        this.guard(file, a.nameSpan, () => {
          const inst = path && this.cx.fnValueInstance(this.root, path);
          if (!inst) throw new MonoError(`cannot resolve the function \`${alloc.text}\` of alloc${a.id}`);
          out = [this.addFn(inst)];
        });
        return out;
      }
      default:
        return [];
    }
  }
}

interface Walk {
  inst: Instance;
  /** The key of the mono item the references are attributed to. */
  from: string;
  file: SourceFile;
  bt: BodyTypes;
}

function tyDepth(t: Ty): number {
  let depth = 0;
  const go = (u: Ty, d: number): void => {
    if (d > depth) depth = d;
    if (d > RECURSION_LIMIT) return;
    switch (u.kind) {
      case 'tuple':
        u.elems.forEach((e) => go(e, d + 1));
        return;
      case 'array':
      case 'slice':
        go(u.elem, d + 1);
        return;
      case 'ref':
      case 'ptr':
        go(u.pointee, d + 1);
        return;
      case 'named':
        for (const s of u.path.segments) if (s.kind === 'ident') for (const a of s.args ?? []) if (a.kind === 'type') go(a.ty, d + 1);
        return;
      default:
        return;
    }
  };
  go(t, 0);
  return depth;
}

function pointee(t: Ty): Ty | undefined {
  return t.kind === 'ref' || t.kind === 'ptr' ? t.pointee : undefined;
}

function pathOf(name: string): Path {
  return parsePathText(name) ?? { span: { lo: 0, hi: 0 }, segments: [{ kind: 'ident', name }] };
}

function isCAbi(abi: string | undefined): boolean {
  return abi === 'C' || abi === '"C"' || abi === 'C-unwind' || abi === '"C-unwind"';
}
