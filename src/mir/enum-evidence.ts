// Discriminants and variant order of enums, from what the MIR does with them.
//
// rustc's dump never says which discriminant value belongs to which variant, but a
// `switchInt` on `discriminant(p)` does: when the block a value `v` leads to (and
// what only that block leads to) downcasts `p` to a variant, `v` is that variant's
// discriminant.
//
//     _2 = discriminant((*_1));
//     switchInt(move _2) -> [0: bb3, 1: bb2, otherwise: bb1];
//     bb3: { _4 = copy (((*_1) as Circle).0: f64); … }        // Circle is 0
//
// `_3 = Eq(copy _2, const 1_isize); switchInt(move _3) -> [0: bbF, otherwise: bbT]`
// tells the same about the block the comparison holds in. A fact is taken only when
// it is certain that `p` still holds the value that was read:
//
// - the region after the read (and the region after the switch edge) is grown
//   block by block, a block joining only when all its predecessors are already in the
//   region and open; a block closes at the first statement that may write `p` (an
//   assignment, `SetDiscriminant` or `Deinit` of its local, a `&mut`/`&raw` borrow of
//   it, and, when `p` goes through a deref or its local's address is taken, any write
//   through a deref) and at calls and drops, which may write anything;
// - the switch must be in the region of the read, its target block must have the
//   switch as its only predecessor, and the target's region must downcast `p` to
//   exactly one variant (writes into a variant's fields are construction, not reads).
//
// `switchInt` values are the discriminant's bits: they are read as signed when the
// local that holds the discriminant has a signed type. `SetDiscriminant` and aggregates
// say nothing (they name variant indices, not values, or nothing about the value).
//
// The discriminant's type is the type of the local `discriminant(p)` is assigned to:
// `isize` unless the enum has `#[repr(int)]`; it is recorded as `Adt.reprInt`.
//
// When checking ends, the variants of every inferred enum are ordered by discriminant:
// rustc assigns implicit discriminants 0, 1, 2, … in declaration order, so for an enum
// without explicit values the order of the values is the declaration order. Variants
// without evidence take the smallest unused non-negative values, in the order they
// were first seen (see `orderVariants`).

import { flowSuccessors, rvalueOperands, successors } from './visit.js';
import type { BasicBlock, BlockId, Body, IntTy, Local, Operand, Path, Place, ProjectionElem, Rvalue, Statement, Terminator, Ty } from './ast.js';
import type { DiagnosticSink, SourceFile, Span } from '../diagnostics.js';
import { type Adt, type AdtTable, type AdtVariant, variantOf } from './adt-table.js';
import { pathKey, showTy } from './ty.js';
import type { RustEnumDecl } from './rust-enums.js';

/** What one switch (or comparison) tells: `place`'s enum has `variant` at `value`. */
export interface DiscriminantFact {
  place: Place;
  variant: string;
  value: bigint;
  /** The `switchInt` that tells. */
  at: Span;
}

/** Bounds the blocks one region may grow to. */
const MAX_REGION = 256;

/** Where a piece of evidence was seen. */
export interface Site {
  file: SourceFile;
  at: Span;
}

export function siteText(s: Site): string {
  return `${s.file.name}:${s.file.position(s.at.lo).line}`;
}

// ------------------------------------------------------------------ the analysis

interface DiscrRead {
  place: Place;
  block: BlockId;
  /** Index of the statement that reads the discriminant. */
  stmt: number;
}

/** A boolean `Eq`/`Ne` of a discriminant and a constant. */
interface DiscrCompare {
  read: DiscrRead;
  value: bigint;
  equal: boolean;
}

/** Every fact a body's switches tell. `localTy` gives the declared type of a local. */
export function discriminantFacts(body: Body, localTy: (l: Local) => Ty | undefined): DiscriminantFact[] {
  const writes = countWrites(body);
  const reads = new Map<number, DiscrRead>();
  const compares = new Map<number, DiscrCompare>();
  // Discriminant reads into locals written once, copies of them, and comparisons with constants.
  for (const b of body.blocks) {
    b.statements.forEach((s, i) => {
      if (s.kind !== 'assign' || s.place.projection.length > 0 || writes.get(s.place.local) !== 1) return;
      if (s.rvalue.kind === 'discriminant') reads.set(s.place.local, { place: s.rvalue.place, block: b.id, stmt: i });
    });
  }
  if (reads.size === 0) return [];
  for (const b of body.blocks) {
    for (const s of b.statements) {
      if (s.kind !== 'assign' || s.place.projection.length > 0 || writes.get(s.place.local) !== 1) continue;
      const r = s.rvalue;
      if (r.kind === 'use') {
        const src = bareLocal(r.operand);
        const read = src === undefined ? undefined : reads.get(src);
        if (read) reads.set(s.place.local, read);
      } else if (r.kind === 'binary' && (r.op === 'Eq' || r.op === 'Ne')) {
        const cmp = compareOf(r.lhs, r.rhs, reads) ?? compareOf(r.rhs, r.lhs, reads);
        if (cmp) compares.set(s.place.local, { read: cmp.read, value: cmp.value, equal: r.op === 'Eq' });
      }
    }
  }
  const cfg = new Cfg(body, reads, compares, localTy);
  const facts: DiscriminantFact[] = [];
  for (const b of body.blocks) {
    const t = b.terminator;
    if (t.kind !== 'switchInt') continue;
    const local = bareLocal(t.discr);
    if (local === undefined) continue;
    const read = reads.get(local) ?? compares.get(local)?.read;
    if (!read || !cfg.stillHolds(read, b.id)) continue;
    for (const x of t.targets) {
      const value = cfg.discriminantFor(local, x.value);
      if (value === undefined || cfg.preds(x.target) !== 1) continue;
      const names = cfg.downcastsAfter(x.target, { read, value });
      if (names.size === 1) facts.push({ place: read.place, variant: [...names][0]!, value, at: t.span });
    }
    // `Eq(d, k)` is also true on `otherwise` when only 0 (false) is listed.
    const cmp = compares.get(local);
    if (cmp?.equal && t.targets.length === 1 && t.targets[0]!.value === 0n && cfg.preds(t.otherwise) === 1) {
      const names = cfg.downcastsAfter(t.otherwise, { read, value: cmp.value });
      if (names.size === 1) facts.push({ place: read.place, variant: [...names][0]!, value: cmp.value, at: t.span });
    }
  }
  return facts;
}

function bareLocal(op: Operand): Local | undefined {
  return (op.kind === 'copy' || op.kind === 'move') && op.place.projection.length === 0 ? op.place.local : undefined;
}

function compareOf(a: Operand, b: Operand, reads: Map<number, DiscrRead>): { read: DiscrRead; value: bigint } | undefined {
  const l = bareLocal(a);
  const read = l === undefined ? undefined : reads.get(l);
  if (!read || b.kind !== 'const' || b.value.kind !== 'int') return undefined;
  return { read, value: b.value.value };
}

const INT_BITS: Record<IntTy, number> = { i8: 8, i16: 16, i32: 32, i64: 64, i128: 128, isize: 64, u8: 8, u16: 16, u32: 32, u64: 64, u128: 128, usize: 64 };

/** A switch value (the bits of the discriminant) as a value of the local's type. */
function signedValue(v: bigint, ty: Ty | undefined): bigint {
  if (ty?.kind !== 'int' || !ty.name.startsWith('i')) return v;
  const bits = BigInt(INT_BITS[ty.name]);
  return v >= 1n << (bits - 1n) && v < 1n << bits ? v - (1n << bits) : v;
}

/** How many statements and calls write each local (any projection of it). */
function countWrites(body: Body): Map<number, number> {
  const n = new Map<number, number>();
  const bump = (l: Local) => n.set(l, (n.get(l) ?? 0) + 1);
  for (const b of body.blocks) {
    for (const s of b.statements) if (s.kind === 'assign' || s.kind === 'setDiscriminant' || s.kind === 'deinit') bump(s.place.local);
    if (b.terminator.kind === 'call') bump(b.terminator.dest.local);
  }
  return n;
}

function hasDeref(p: Place): boolean {
  return p.projection.some((e) => e.kind === 'deref');
}

/** Whether `place` is `base` followed by a downcast; the variant's name if so. */
function downcastOf(place: Place, base: Place): string | undefined {
  if (place.local !== base.local || place.projection.length <= base.projection.length) return undefined;
  for (let i = 0; i < base.projection.length; i++) if (!sameElem(place.projection[i]!, base.projection[i]!)) return undefined;
  const next = place.projection[base.projection.length]!;
  return next.kind === 'downcast' ? next.variant : undefined;
}

function sameElem(a: ProjectionElem, b: ProjectionElem): boolean {
  if (a.kind === 'deref' && b.kind === 'deref') return true;
  if (a.kind === 'field' && b.kind === 'field') return a.index === b.index;
  if (a.kind === 'downcast' && b.kind === 'downcast') return a.variant === b.variant;
  if (a.kind === 'constIndex' && b.kind === 'constIndex') return a.offset === b.offset && a.fromEnd === b.fromEnd;
  return false;
}

function operandPlaces(ops: Operand[]): Place[] {
  const out: Place[] = [];
  for (const o of ops) if (o.kind === 'copy' || o.kind === 'move') out.push(o.place);
  return out;
}

function rvaluePlaces(r: Rvalue): Place[] {
  switch (r.kind) {
    case 'ref':
    case 'rawPtr':
    case 'discriminant':
    case 'copyForDeref':
      return [r.place];
    default:
      return operandPlaces(rvalueOperands(r));
  }
}

/** The places a statement reads (before it writes anything). */
function statementReads(s: Statement): Place[] {
  switch (s.kind) {
    case 'assign':
      return rvaluePlaces(s.rvalue);
    case 'fakeRead':
    case 'placeMention':
    case 'retag':
      return [s.place];
    case 'debugInfo':
      return s.place ? [s.place] : [];
    case 'assume':
      return operandPlaces([s.operand]);
    case 'copyNonOverlapping':
      return operandPlaces([s.src, s.dst, s.count]);
    default:
      return [];
  }
}

function terminatorReads(t: Terminator): Place[] {
  switch (t.kind) {
    case 'switchInt':
      return operandPlaces([t.discr]);
    case 'call':
      return operandPlaces([t.func, ...t.args]);
    case 'tailCall':
      return operandPlaces([t.func, ...t.args]);
    case 'assert':
      return operandPlaces([t.cond]);
    default:
      return [];
  }
}

/** Successors with the unwind edges too (for counting predecessors). */
function allSuccessors(t: Terminator): BlockId[] {
  const out = successors(t);
  if ((t.kind === 'call' || t.kind === 'drop' || t.kind === 'assert' || t.kind === 'falseUnwind') && t.unwind.kind === 'cleanup') out.push(t.unwind.block);
  return out;
}

/** Inside a region: the discriminant `read` read is known to be `value`. */
interface Known {
  read: DiscrRead;
  value: bigint;
}

class Cfg {
  private readonly blocks = new Map<number, BasicBlock>();
  private readonly predCount = new Map<number, number>();
  /** Locals whose address is taken mutably (or raw) somewhere: writes through any deref may reach them. */
  private readonly escaped = new Set<number>();
  /** The open blocks after each read, computed once per read. */
  private readonly held = new Map<DiscrRead, Set<BlockId>>();

  constructor(
    body: Body,
    private readonly reads: ReadonlyMap<number, DiscrRead>,
    private readonly compares: ReadonlyMap<number, DiscrCompare>,
    private readonly localTy: (l: Local) => Ty | undefined,
  ) {
    for (const b of body.blocks) this.blocks.set(b.id, b);
    this.predCount.set(0, 1); // the entry
    for (const b of body.blocks) {
      for (const s of allSuccessors(b.terminator)) this.predCount.set(s, (this.predCount.get(s) ?? 0) + 1);
      for (const s of b.statements) {
        if (s.kind !== 'assign') continue;
        const r = s.rvalue;
        if ((r.kind === 'ref' && r.borrow === 'mut') || r.kind === 'rawPtr') this.escaped.add(r.place.local);
      }
    }
  }

  preds(b: BlockId): number {
    return this.predCount.get(b) ?? 0;
  }

  /** Whether `p` certainly still holds at the terminator of `at` what `read` read. */
  stillHolds(read: DiscrRead, at: BlockId): boolean {
    let open = this.held.get(read);
    if (!open) this.held.set(read, (open = this.region(read.block, read.stmt + 1, read.place).open));
    return open.has(at);
  }

  /** The variants the read place is downcast to in the region that starts at the top of `start`. */
  downcastsAfter(start: BlockId, known: Known): Set<string> {
    return this.region(start, 0, known.read.place, known).names;
  }

  /**
   * The discriminant that makes a switch on `local` take the edge of `value`: the
   * value itself read as the local's type for a discriminant, the constant for an
   * `Eq` (value 1) or `Ne` (value 0) comparison; undefined otherwise.
   */
  discriminantFor(local: Local, value: bigint): bigint | undefined {
    if (this.reads.has(local)) return signedValue(value, this.localTy(local));
    const cmp = this.compares.get(local);
    if (!cmp) return undefined;
    return (cmp.equal ? value === 1n : value === 0n) ? cmp.value : undefined;
  }

  /** The edges a switch can take when the discriminant `known` read is `known.value`. */
  private liveTargets(t: Extract<Terminator, { kind: 'switchInt' }>, known: Known | undefined): BlockId[] | undefined {
    const local = bareLocal(t.discr);
    if (!known || local === undefined) return undefined;
    if (this.reads.get(local) === known.read) {
      const hit = t.targets.find((x) => signedValue(x.value, this.localTy(local)) === known.value);
      return [hit ? hit.target : t.otherwise];
    }
    const cmp = this.compares.get(local);
    if (cmp?.read !== known.read) return undefined;
    const bits = (cmp.value === known.value) === cmp.equal ? 1n : 0n;
    const hit = t.targets.find((x) => x.value === bits);
    return [hit ? hit.target : t.otherwise];
  }

  /**
   * Grows the region from statement `from` of `start`: a block joins once every edge
   * into it comes from an open block of the region and one of them can be taken (with
   * `known`, a switch on that discriminant takes only its edge). `open` holds the blocks
   * that end with `p` unchanged; `names` the variants read through a downcast of `p`
   * before it may have changed.
   */
  private region(start: BlockId, from: number, p: Place, known?: Known): { open: Set<BlockId>; names: Set<string> } {
    const open = new Set<BlockId>();
    const names = new Set<string>();
    const joined = new Set<BlockId>([start]);
    const edgesIn = new Map<number, number>();
    const live = new Set<BlockId>();
    const queue: BlockId[] = [start];
    while (queue.length > 0) {
      const id = queue.shift()!;
      const b = this.blocks.get(id);
      if (!b) continue;
      let closed = false;
      for (let i = id === start ? from : 0; i < b.statements.length && !closed; i++) {
        const s = b.statements[i]!;
        for (const place of statementReads(s)) {
          const v = downcastOf(place, p);
          if (v !== undefined) names.add(v);
        }
        closed = this.mayWrite(s, p);
      }
      if (closed) continue;
      const t = b.terminator;
      for (const place of terminatorReads(t)) {
        const v = downcastOf(place, p);
        if (v !== undefined) names.add(v);
      }
      if (t.kind === 'call' || t.kind === 'drop' || t.kind === 'tailCall') continue;
      open.add(id);
      const taken = t.kind === 'switchInt' ? this.liveTargets(t, known) : undefined;
      for (const s of flowSuccessors(t)) {
        const n = (edgesIn.get(s) ?? 0) + 1;
        edgesIn.set(s, n);
        if (!taken || taken.includes(s)) live.add(s);
      }
      for (const s of new Set(flowSuccessors(t))) {
        if (edgesIn.get(s) === this.preds(s) && live.has(s) && !joined.has(s) && joined.size < MAX_REGION) {
          joined.add(s);
          queue.push(s);
        }
      }
    }
    return { open, names };
  }

  /** Whether a statement may change the value of `p`. */
  private mayWrite(s: Statement, p: Place): boolean {
    const throughDeref = hasDeref(p) || this.escaped.has(p.local);
    switch (s.kind) {
      case 'assign': {
        const r = s.rvalue;
        if ((r.kind === 'ref' && r.borrow === 'mut') || r.kind === 'rawPtr') {
          if (r.place.local === p.local) return true;
        }
        return s.place.local === p.local || (throughDeref && hasDeref(s.place));
      }
      case 'setDiscriminant':
      case 'deinit':
        return s.place.local === p.local || (throughDeref && hasDeref(s.place));
      case 'storageDead':
        return s.local === p.local;
      case 'copyNonOverlapping':
        return true;
      default:
        return false;
    }
  }
}

// ------------------------------------------------------------------ the evidence

/** Discriminant values and types of enums, noted per body, checked and ordered when checking ends. */
export class EnumEvidence {
  private readonly valueSites = new Map<AdtVariant, Site>();
  private readonly tySites = new Map<Adt, { ty: IntTy; site: Site }>();
  private readonly mentions: Path[] = [];
  /** Where each variant was first named, for the warning about guessed discriminants. */
  private readonly mentionSites = new Map<string, Site>();
  /** Discriminant types, decided when checking ends: the enum may be known only later. */
  private readonly tys: { path: Path; ty: Ty; site: Site }[] = [];

  constructor(private readonly sink: DiagnosticSink) {}

  /**
   * A constant names `E::V` (`const Tok::Plus`, `Err(EvalError::TooLong)`): when checking
   * ends and `E` is an inferred enum, `V` is one of its variants. Names in capitals
   * (`Color::MAX`) are taken for associated constants, not variants.
   */
  noteMention(path: Path, file: SourceFile): void {
    const last = path.segments[path.segments.length - 1];
    if (path.segments.length >= 2 && last?.kind === 'ident' && !/^[A-Z][A-Z0-9_]+$/.test(last.name)) {
      this.mentions.push(path);
      const key = pathKey(path);
      if (!this.mentionSites.has(key)) this.mentionSites.set(key, { file, at: path.span });
    }
  }

  /** `value` leads to `variantName` of `adt`: checked against a declared enum, learned for an inferred one. */
  noteValue(adt: Adt, variantName: string, value: bigint, site: Site): void {
    if (adt.kind !== 'enum') return;
    const v = variantOf(adt, variantName);
    if (!v) return;
    const name = adt.segments.join('::');
    if (adt.origin !== 'inferred') {
      const declared = declaredDiscriminant(adt, v);
      if (declared !== value) {
        this.sink.error(site.file, site.at, `\`${name}::${v.name}\` has discriminant ${declared}, but a switch on the discriminant reaches it with ${value}`);
      }
      return;
    }
    if (v.discriminant !== undefined) {
      if (v.discriminant !== value) {
        const first = this.valueSites.get(v);
        const where = first ? `first seen as ${v.discriminant} at ${siteText(first)}` : `its \`{constant#0}\` says ${v.discriminant}`;
        this.sink.error(site.file, site.at, `conflicting discriminants for \`${name}::${v.name}\`: ${value} here (${where})`);
      }
      return;
    }
    const other = adt.variants.find((o) => o !== v && o.discriminant === value);
    if (other) {
      const first = this.valueSites.get(other);
      this.sink.error(site.file, site.at, `conflicting discriminants in \`${name}\`: ${value} leads to \`${v.name}\` here, but it is \`${other.name}\`'s (${first ? `seen at ${siteText(first)}` : 'from its `{constant#0}`'})`);
      return;
    }
    v.discriminant = value;
    v.discriminantFrom = 'switch';
    this.valueSites.set(v, site);
  }

  /** `_2 = discriminant(p)` with `p: path` and `_2: ty`, or a `{constant#0}` of type `ty`: the enum's discriminant type. */
  noteTy(path: Path, ty: Ty, site: Site): void {
    if (ty.kind === 'int') this.tys.push({ path, ty, site });
  }

  private decideTy(adt: Adt, ty: Ty, site: Site): void {
    if (adt.kind !== 'enum' || ty.kind !== 'int') return;
    const name = adt.segments.join('::');
    if (adt.origin !== 'inferred') {
      const expected: IntTy = adt.reprInt ?? 'isize';
      if (ty.name !== expected) this.sink.error(site.file, site.at, `the discriminant of \`${name}\` is \`${expected}\`, found \`${showTy(ty)}\``);
      return;
    }
    const first = this.tySites.get(adt);
    if (!first) {
      this.tySites.set(adt, { ty: ty.name, site });
      if (ty.name !== 'isize') adt.reprInt = ty.name;
    } else if (first.ty !== ty.name) {
      this.sink.error(site.file, site.at, `conflicting discriminant types for \`${name}\`: \`${ty.name}\` here (first seen as \`${first.ty}\` at ${siteText(first.site)})`);
    }
  }

  /** Adds the variants constants name, decides discriminant types, then orders the variants of every inferred enum by discriminant. */
  finish(adts: AdtTable, rustEnums?: ReadonlyMap<string, RustEnumDecl>): void {
    for (const path of this.mentions) {
      const adt = adts.lookup({ segments: path.segments.slice(0, -1), span: path.span });
      const last = path.segments[path.segments.length - 1]!;
      if (adt?.origin === 'inferred' && adt.kind === 'enum' && last.kind === 'ident' && !variantOf(adt, last.name)) adt.variants.push({ name: last.name, fields: [] });
    }
    for (const t of this.tys) {
      const adt = adts.lookup(t.path);
      if (adt) this.decideTy(adt, t.ty, t.site);
    }
    for (const adt of adts.all()) {
      if (adt.origin !== 'inferred' || adt.kind !== 'enum') continue;
      const decl = rustEnums?.get(adt.segments[adt.segments.length - 1]!);
      if (decl && adt.variants.some((v) => v.discriminant === undefined)) applyDeclaration(adt, decl);
      orderVariants(adt);
      this.warnGuesses(adt);
    }
  }

  /**
   * Two or more variants without evidence have an order the MIR does not show (they are
   * only built as constants and matched by value): say so rather than guess silently.
   */
  private warnGuesses(adt: Adt): void {
    const guessed = adt.variants.filter((v) => v.discriminantFrom === 'gap');
    if (guessed.length < 2) return;
    const name = adt.segments.join('::');
    const site = guessed.map((v) => this.mentionSites.get(`${name}::${v.name}`) ?? [...this.mentionSites].find(([k]) => k.endsWith(`::${v.name}`))?.[1]).find((x) => x);
    if (!site) return;
    const list = guessed.map((v) => `\`${v.name}\``).join(', ');
    this.sink.warning(site.file, site.at, `the discriminants of ${list} in \`${name}\` cannot be inferred from the MIR (they are only built as constants and matched by value); codegend assumes the order they first appear in; declare the enum to be sure`);
  }
}

/**
 * Takes the variant order and discriminants of an enum from its Rust declaration, when
 * the declaration has every variant the MIR shows and agrees with every discriminant the
 * MIR proves; otherwise the source is not this enum's (or is stale) and is ignored.
 */
function applyDeclaration(adt: Adt, decl: RustEnumDecl): void {
  if (decl.variants.some((v) => v.opaque)) return;
  const declared = new Map<string, { value: bigint; explicit: boolean }>();
  let next = 0n;
  for (const v of decl.variants) {
    const value = v.discriminant ?? next;
    declared.set(v.name, { value, explicit: v.discriminant !== undefined });
    next = value + 1n;
  }
  for (const v of adt.variants) {
    const d = declared.get(v.name);
    if (!d || (v.discriminant !== undefined && v.discriminant !== d.value)) return;
  }
  for (const dv of decl.variants) {
    let v = variantOf(adt, dv.name);
    if (!v) adt.variants.push((v = { name: dv.name, fields: [] }));
    if (v.discriminant !== undefined) continue;
    const d = declared.get(dv.name)!;
    v.discriminant = d.value;
    v.discriminantFrom = d.explicit ? 'const' : 'source';
  }
  if (decl.repr && !adt.reprInt && decl.repr !== 'isize') adt.reprInt = decl.repr;
}

/** The discriminant of a variant of a declared enum: explicit, or the previous one's plus one. */
function declaredDiscriminant(adt: Adt, v: AdtVariant): bigint {
  let next = 0n;
  for (const o of adt.variants) {
    const d = o.discriminant ?? next;
    if (o === v) return d;
    next = d + 1n;
  }
  return next;
}

/**
 * Gives every variant of an inferred enum a discriminant and sorts the variants by it.
 * A variant without evidence takes the smallest non-negative value no other variant
 * has, in the order the variants were first seen; for an enum without explicit
 * discriminants whose variants all appear in the MIR, that completes 0..n-1.
 */
export function orderVariants(adt: Adt): void {
  const used = new Set<bigint>();
  for (const v of adt.variants) {
    if (v.discriminant === undefined) continue;
    v.discriminantFrom ??= 'const';
    used.add(v.discriminant);
  }
  let next = 0n;
  for (const v of adt.variants) {
    if (v.discriminant !== undefined) continue;
    while (used.has(next)) next++;
    v.discriminant = next;
    v.discriminantFrom = 'gap';
    used.add(next);
  }
  adt.variants.sort((a, b) => (a.discriminant! < b.discriminant! ? -1 : a.discriminant! > b.discriminant! ? 1 : 0));
}
