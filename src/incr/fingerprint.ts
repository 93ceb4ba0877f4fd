// Fingerprints of mono items and codegen units (rustc's `ich` plus the CGU hash of
// `determine_cgu_reuse`). An item's fingerprint covers what its generated code is made
// of: its own normalized body (chunk-hash.ts), its symbol and linkage, the definitions of
// every type its body touches (which is what layouts are computed from), the constants it
// reads, and for every item it references (callees, statics, drop glue, vtable methods)
// that item's symbol and signature. A unit's fingerprint covers its items and the options
// that shape an object. Each part is kept apart so `explain` can say which one changed.

import { createHash } from 'node:crypto';
import type { Ty } from '../mir/ast.js';
import type { Adt } from '../mir/adt-table.js';
import { instTy, tyKey } from '../mir/body-types.js';
import { staticAllocation } from '../mir/resolve.js';
import { forEachFnTy } from '../mir/visit.js';
import type { SourceFile } from '../diagnostics.js';
import type { Collected } from '../mono/collect.js';
import type { CodegenUnit, MonoItem, MonoQueries } from '../mono/types.js';
import { monoItemKey as itemKey } from '../mono/instance.js';
import type { CrateInput } from '../ssa/base.js';
import type { FileHashes } from './chunk-hash.js';

export function hashStrings(parts: readonly string[]): string {
  const h = createHash('sha256');
  for (const p of parts) {
    h.update(p);
    h.update('\0');
  }
  return h.digest('hex').slice(0, 32);
}

/** The parts of one item's fingerprint, kept for explaining a rebuild. */
export interface ItemFingerprint {
  key: string;
  linkage: 'external' | 'internal';
  /** The item's own text and identity: normalized body, symbol, substitution. */
  own: string;
  /**
   * For a function body: which chunk holds it (file name, position) and the hash of the
   * rest of `own`, so `own` can be recomputed from a new chunk hash alone.
   */
  body?: { file: string; chunk: number; identity: string };
  /** The definitions of the types the body touches, and the constants it reads. */
  types: string;
  /** Referenced item key → that item's symbol-and-signature hash. */
  deps: Record<string, string>;
  fingerprint: string;
}

export interface UnitFingerprint {
  name: string;
  fingerprint: string;
  /** The options and crate-wide tables the unit was fingerprinted with. */
  options: string;
  structure: string;
  items: ItemFingerprint[];
}

export interface FingerprintInput {
  input: CrateInput;
  collected: Collected;
  /** Chunk hashes of each MIR file of the crate. */
  hashes: ReadonlyMap<SourceFile, FileHashes>;
  /** Everything outside the crate's text that shapes an object: backend, opt level, LTO, target, version. */
  optionsKey: string;
  /** Crate-wide tables (trait slots, extern signatures): `MonoResult.structureKey`. */
  structureKey: string;
}

/** What fingerprinting single items needs: the crate, its collected graph and its chunk hashes. */
export type ItemFingerprintInput = Pick<FingerprintInput, 'input' | 'collected' | 'hashes'>;

/** Fingerprints single items from scratch, exactly as `fingerprintUnits` would. */
export function itemFingerprinter(fi: ItemFingerprintInput): (m: MonoItem, linkage: ItemFingerprint['linkage']) => ItemFingerprint {
  const fp = new Fingerprinter(fi);
  return (m, linkage) => fp.item(m, linkage);
}

export function fingerprintUnits(fi: FingerprintInput): UnitFingerprint[] {
  const fp = new Fingerprinter(fi);
  const structure = hashStrings([fi.structureKey, fi.input.crateName, fi.input.mono.panicHandler?.symbol ?? '']);
  return fi.input.units.map((unit) => fp.unit(unit, fi.optionsKey, structure));
}

/** The runtime module's fingerprint: it is generated from the crate name and the panic handler only. */
export function runtimeFingerprint(name: string, optionsKey: string, crateName: string, panicSymbol: string | undefined): UnitFingerprint {
  const structure = hashStrings([crateName, panicSymbol ?? '']);
  return { name, fingerprint: hashStrings(['runtime', name, optionsKey, structure]), options: optionsKey, structure, items: [] };
}

/** A function item's `own`: its identity and the hash of the chunk holding its body. */
function ownOfBody(identity: string, chunkHash: string): string {
  return hashStrings([identity, chunkHash]);
}

function withFingerprint(it: ItemFingerprint): ItemFingerprint {
  it.fingerprint = hashStrings([it.key, it.linkage, it.own, it.types, ...Object.entries(it.deps).flat()]);
  return it;
}

function unitFingerprint(name: string, optionsKey: string, structure: string, items: ItemFingerprint[]): string {
  const parts = ['unit', name, optionsKey, structure];
  for (const it of items) parts.push(it.key, it.fingerprint);
  return hashStrings(parts);
}

/**
 * A unit's fingerprint when only function bodies changed (the incremental front end):
 * each item's stored parts, `own` recomputed from the new hash of its body's chunk
 * (`chunkHash(file, position)`), with the linkage it has now. Everything else an item
 * depends on is unchanged by assumption.
 */
export function reassembleUnit(name: string, options: string, structure: string, items: { fp: ItemFingerprint; linkage: ItemFingerprint['linkage'] }[], chunkHash: (file: string, chunk: number) => string): UnitFingerprint {
  const out = items.map(({ fp, linkage }) => {
    const own = fp.body ? ownOfBody(fp.body.identity, chunkHash(fp.body.file, fp.body.chunk)) : fp.own;
    return own === fp.own && linkage === fp.linkage ? fp : withFingerprint({ ...fp, own, linkage });
  });
  return { name, fingerprint: unitFingerprint(name, options, structure, out), options, structure, items: out };
}

class Fingerprinter {
  private readonly typeMemo = new Map<string, string>();
  private readonly adtMemo = new Map<Adt, string>();
  private readonly sigMemo = new Map<string, string>();
  private readonly mono: MonoQueries;

  constructor(private readonly fi: ItemFingerprintInput) {
    this.mono = fi.input.mono;
  }

  unit(unit: CodegenUnit, optionsKey: string, structure: string): UnitFingerprint {
    const items = unit.items.map((it) => this.item(it.item, it.linkage));
    return { name: unit.name, fingerprint: unitFingerprint(unit.name, optionsKey, structure, items), options: optionsKey, structure, items };
  }

  item(m: MonoItem, linkage: 'external' | 'internal'): ItemFingerprint {
    const key = itemKey(m);
    const deps: Record<string, string> = {};
    for (const d of [...(this.fi.collected.edges.get(key) ?? [])].sort()) {
      const target = this.fi.collected.items.get(d);
      if (target) deps[d] = this.signature(target);
    }
    const { own, body } = this.own(m);
    const types = this.typesOf(m);
    return withFingerprint({ key, linkage, own, body, types, deps, fingerprint: '' });
  }

  /** The item's text and identity. */
  private own(m: MonoItem): { own: string; body?: ItemFingerprint['body'] } {
    if (m.kind === 'static') {
      const { item, file } = m.item;
      const alloc = staticAllocation(this.fi.input.crate.index, file, item);
      return { own: hashStrings(['static', m.symbol, String(m.exported), this.chunk(file, item.nameSpan.lo), alloc ? this.chunk(file, alloc.nameSpan.lo) : '']) };
    }
    const inst = m.instance;
    const d = inst.def;
    const parts = [inst.key, inst.symbol, String(inst.exported), String(this.mono.usesCAbi(inst))];
    switch (d.kind) {
      case 'item': {
        const identity = hashStrings([...parts, 'item', d.shim ?? '']);
        const at = d.item.item.nameSpan.lo;
        const chunk = this.fi.hashes.get(d.item.file)?.chunkIndexAt(at) ?? -1;
        return { own: ownOfBody(identity, this.chunk(d.item.file, at)), body: chunk < 0 ? undefined : { file: d.item.file.name, chunk, identity } };
      }
      case 'constBody':
        return { own: hashStrings([...parts, 'const', this.chunk(d.item.file, d.item.item.nameSpan.lo)]) };
      case 'dropGlue':
        return { own: hashStrings([...parts, 'drop', tyKey(d.ty), d.dropImpl?.symbol ?? '']) };
    }
  }

  private chunk(file: SourceFile, offset: number): string {
    const c = this.fi.hashes.get(file)?.chunkAt(offset);
    // Items without a chunk (the core ADTs' file) have no text that can change.
    return c ? c.hash : `${file.name}@${offset}`;
  }

  /**
   * Definitions of the types the item's code touches, and the constants its body reads.
   * The types' spelling is already in the item's text; what can change behind it are the
   * definitions of the ADTs and closures they reach.
   */
  private typesOf(m: MonoItem): string {
    const defs = new Set<string>();
    const seen = new Set<Adt>();
    const add = (t: Ty) => this.reach(t, defs, seen);
    if (m.kind === 'static') {
      add(m.item.item.ty);
    } else {
      const inst = m.instance;
      const d = inst.def;
      if (d.kind === 'dropGlue') {
        add(d.ty);
      } else if (d.kind === 'item') {
        forEachFnTy(d.item.item, (t) => add(instTy(t, inst.subst)));
      } else {
        add(instTy(d.item.item.ty, inst.subst));
      }
    }
    for (const c of this.fi.collected.constReads.get(itemKey(m)) ?? []) defs.add(`const:${this.chunk(c.file, c.item.nameSpan.lo)}`);
    return hashStrings([...defs].sort());
  }

  /** What a referrer sees of an item: its symbol and the types it is called or read with. */
  private signature(m: MonoItem): string {
    const key = itemKey(m);
    let s = this.sigMemo.get(key);
    if (s !== undefined) return s;
    if (m.kind === 'static') {
      s = hashStrings(['static', m.symbol, this.typeFp(m.item.item.ty)]);
    } else {
      const inst = m.instance;
      const d = inst.def;
      const parts = ['fn', inst.symbol, String(this.mono.usesCAbi(inst))];
      if (d.kind === 'item') {
        const f = d.item.item;
        parts.push(d.shim ?? '');
        for (const p of f.params) parts.push(this.typeFp(instTy(p.ty, inst.subst)));
        parts.push(this.typeFp(instTy(f.ret, inst.subst)));
      } else if (d.kind === 'constBody') {
        parts.push(this.typeFp(instTy(d.item.item.ty, inst.subst)));
      } else {
        parts.push(this.typeFp(d.ty));
      }
      s = hashStrings(parts);
    }
    this.sigMemo.set(key, s);
    return s;
  }

  /** A type's identity plus the definitions of every ADT and closure reachable from it. */
  private typeFp(t: Ty): string {
    const key = tyKey(t);
    let s = this.typeMemo.get(key);
    if (s !== undefined) return s;
    const defs = new Set<string>();
    this.reach(t, defs, new Set());
    s = hashStrings([key, ...[...defs].sort()]);
    this.typeMemo.set(key, s);
    return s;
  }

  private reach(t: Ty, defs: Set<string>, seenAdts: Set<Adt>): void {
    const adts = this.fi.input.crate.index.adts;
    switch (t.kind) {
      case 'tuple':
        for (const e of t.elems) this.reach(e, defs, seenAdts);
        return;
      case 'array':
      case 'slice':
        this.reach(t.elem, defs, seenAdts);
        return;
      case 'ref':
      case 'ptr':
        this.reach(t.pointee, defs, seenAdts);
        return;
      case 'fnPtr':
      case 'fnDef':
        for (const p of t.sig.params) this.reach(p, defs, seenAdts);
        this.reach(t.sig.ret, defs, seenAdts);
        return;
      case 'projection':
        this.reach(t.self, defs, seenAdts);
        return;
      case 'closure': {
        const caps = adts.closureCaptures(t.text) ?? [];
        defs.add(hashStrings(['closure', t.text, ...caps.map(tyKey)]));
        for (const c of caps) this.reach(t.subst ? instTy(c, t.subst) : c, defs, seenAdts);
        return;
      }
      case 'named': {
        for (const seg of t.path.segments) {
          if (seg.kind === 'ident' && seg.args) for (const a of seg.args) if (a.kind === 'type') this.reach(a.ty, defs, seenAdts);
        }
        const adt = adts.lookup(t.path);
        if (!adt || seenAdts.has(adt)) return;
        seenAdts.add(adt);
        defs.add(this.adtFp(adt));
        for (const v of adt.variants) for (const f of v.fields) if (f.ty) this.reach(f.ty, defs, seenAdts);
        return;
      }
      default:
        return;
    }
  }

  /** An ADT's own definition: what its layout is computed from. */
  private adtFp(adt: Adt): string {
    let s = this.adtMemo.get(adt);
    if (s !== undefined) return s;
    const parts = ['adt', adt.segments.join('::'), adt.kind, adt.generics.join(','), adt.reprInt ?? '', adt.decl?.repr.join(',') ?? ''];
    for (const v of adt.variants) {
      parts.push(`v:${v.name}:${v.discriminant ?? ''}`);
      for (const f of v.fields) parts.push(`f:${f.name ?? ''}:${f.ty ? tyKey(f.ty) : '?'}`);
    }
    for (const [k, ty] of adt.defaults ?? []) parts.push(`d:${k}:${tyKey(ty)}`);
    s = hashStrings(parts);
    this.adtMemo.set(adt, s);
    return s;
  }
}

