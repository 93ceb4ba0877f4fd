// Checks one body: locals and blocks resolve, control-flow edges respect cleanup
// blocks, and every statement and terminator type-checks where the types are knowable.
// On the way it feeds ADT evidence into the crate's AdtTable and call sites into the
// external-signature inference (see externs.ts).

import { assertOperands } from './visit.js';
import { literalConstTy } from './body-types.js';
import type {
  BasicBlock, BinOp, BlockId, Body, Const, FnSig, Local, LocalDecl, Operand, Path, Place, Rvalue, Scope, Statement,
  Terminator, Ty, UnwindAction,
} from './ast.js';
import type { DiagnosticSink, SourceFile, Span } from '../diagnostics.js';
import type { AdtEvidence } from './adt-evidence.js';
import { type Adt, adtArgs, structVariant, substituteAdtArgs, variantOf } from './adt-table.js';
import { discriminantFacts } from './enum-evidence.js';
import type { ExternInference } from './externs.js';
import type { InferenceTrace } from './inference-trace.js';
import { intLimits } from './parse/operand.js';
import type { CrateIndex } from './resolve.js';
import { BOOL, compatible, identSegments, lastArgs, NEVER, pathKey, showTy, USIZE } from './ty.js';

export interface BodyOwner {
  /** Parameter types, `_1` first (empty for statics and consts). */
  params: Ty[];
  /** The type of `_0`. */
  ret: Ty;
  generics?: string[];
  /** The path key of the item the body belongs to (`make_adder::{closure#0}`). */
  key?: string;
  /** What the body belongs to, for messages: "function `f`". */
  what: string;
  span: Span;
}

interface PlaceInfo {
  ty?: Ty;
  /** Set right after a downcast: the enum and variant the next field projection reads. */
  variant?: { adt: Adt; name: string; path: Path };
}

const CHECKED: ReadonlySet<BinOp> = new Set<BinOp>(['AddWithOverflow', 'SubWithOverflow', 'MulWithOverflow']);
const COMPARE: ReadonlySet<BinOp> = new Set<BinOp>(['Eq', 'Lt', 'Le', 'Ne', 'Ge', 'Gt']);
const SHIFT: ReadonlySet<BinOp> = new Set<BinOp>(['Shl', 'ShlUnchecked', 'Shr', 'ShrUnchecked']);

export class BodyChecker {
  private readonly locals = new Map<number, Ty>();
  private readonly blocks = new Map<number, BasicBlock>();
  private readonly reported = new Set<number>();
  /** The type of every place whose discriminant is read, for the enum evidence. */
  private readonly discriminated = new Map<Place, Ty>();

  constructor(
    private readonly index: CrateIndex,
    private readonly file: SourceFile,
    private readonly sink: DiagnosticSink,
    private readonly externs: ExternInference,
    private readonly evidence: AdtEvidence,
    private readonly owner: BodyOwner,
    /** Where what the body tells the inferences beyond its typed text is written down. */
    private readonly trace?: InferenceTrace,
  ) {}

  check(body: Body): void {
    this.declareLocals(body);
    this.declareBlocks(body);
    this.checkDebugInfo(body.root);
    for (const b of body.blocks) {
      for (const s of b.statements) this.statement(s);
      this.terminator(b, b.terminator);
    }
    if (this.discriminated.size > 0) this.noteDiscriminants(body);
  }

  /** Switches on discriminants followed by downcasts tell discriminant values (enum-evidence.ts). */
  private noteDiscriminants(body: Body): void {
    for (const f of discriminantFacts(body, (l) => this.locals.get(l))) {
      const ty = this.discriminated.get(f.place);
      this.trace?.discriminant(ty, f.variant, f.value);
      const adt = ty?.kind === 'named' ? this.index.adts.lookup(ty.path) : undefined;
      if (adt) this.evidence.enums.noteValue(adt, f.variant, f.value, { file: this.file, at: f.at });
    }
  }

  private error(at: Span, message: string): void {
    this.sink.error(this.file, at, message);
  }

  private mismatch(at: Span, expected: Ty, found: Ty, context = ''): void {
    this.error(at, `mismatched types${context}: expected \`${showTy(expected)}\`, found \`${showTy(found)}\``);
  }

  private compat(a: Ty | undefined, b: Ty | undefined): boolean {
    return compatible(a, b, this.index.adts.classify);
  }

  // ------------------------------------------------------------ declarations

  private declareLocals(body: Body): void {
    this.owner.params.forEach((ty, i) => this.locals.set(i + 1, ty));
    const visit = (scope: Scope) => {
      for (const decl of scope.locals) this.declareLocal(decl);
      for (const child of scope.children) visit(child);
    };
    visit(body.root);
    const ret = this.locals.get(0);
    if (ret === undefined) this.error(this.owner.span, `the return place \`_0\` of ${this.owner.what} is not declared (expected \`let mut _0: ${showTy(this.owner.ret)};\`)`);
    else if (!this.compat(ret, this.owner.ret)) this.mismatch(body.root.locals.find((l) => l.local === 0)!.span, this.owner.ret, ret, ' for the return place `_0`');
  }

  private declareLocal(decl: LocalDecl): void {
    if (decl.local >= 1 && decl.local <= this.owner.params.length) {
      this.error(decl.span, `\`_${decl.local}\` is a parameter of ${this.owner.what} and cannot be declared again`);
    } else if (this.locals.has(decl.local)) {
      this.error(decl.span, `local \`_${decl.local}\` is declared more than once`);
    } else this.locals.set(decl.local, decl.ty);
    this.resolveTy(decl.ty, decl.span);
  }

  private declareBlocks(body: Body): void {
    for (const b of body.blocks) {
      if (this.blocks.has(b.id)) this.error(b.span, `basic block \`bb${b.id}\` is defined more than once`);
      else this.blocks.set(b.id, b);
    }
    if (body.blocks.length > 0 && !this.blocks.has(0)) this.error(body.blocks[0]!.span, `${this.owner.what} has no entry block \`bb0\``);
    if (body.blocks.length === 0) this.error(this.owner.span, `${this.owner.what} has no basic blocks`);
  }

  /** In strict crates every type name must resolve; elsewhere unknown names are parameters. */
  resolveTy(ty: Ty, at: Span): void {
    if (!this.index.strict) return;
    switch (ty.kind) {
      case 'named': {
        const segs = identSegments(ty.path);
        if (segs && segs.length === 1 && !this.index.adts.lookup(ty.path) && segs[0] !== 'Self' && !(this.owner.generics ?? []).includes(segs[0]!)) {
          this.error(at, `cannot find type \`${segs[0]}\` in this crate`);
        }
        for (const a of lastArgs(ty.path) ?? []) if (a.kind === 'type') this.resolveTy(a.ty, at);
        return;
      }
      case 'tuple':
        return ty.elems.forEach((e) => this.resolveTy(e, at));
      case 'array':
      case 'slice':
        return this.resolveTy(ty.elem, at);
      case 'ref':
      case 'ptr':
        return this.resolveTy(ty.pointee, at);
      case 'fnPtr':
      case 'fnDef':
        ty.sig.params.forEach((p) => this.resolveTy(p, at));
        return this.resolveTy(ty.sig.ret, at);
      default:
        return;
    }
  }

  private checkDebugInfo(scope: Scope): void {
    for (const d of scope.debugs) {
      if (d.value.kind === 'place') this.placeTy(d.value.place);
      else if (d.value.value.kind === 'path') this.constTy(d.value.value, d.span);
    }
    for (const child of scope.children) this.checkDebugInfo(child);
  }

  // ------------------------------------------------------------ places

  private localTy(local: Local, at: Span): Ty | undefined {
    const ty = this.locals.get(local);
    if (ty === undefined && !this.reported.has(local)) {
      this.reported.add(local);
      this.error(at, `use of undeclared local \`_${local}\``);
    }
    return ty;
  }

  placeTy(place: Place): Ty | undefined {
    // Most places are bare locals: no projection, nothing to allocate.
    return place.projection.length === 0 ? this.localTy(place.local, place.span) : this.placeInfo(place).ty;
  }

  private placeInfo(place: Place): PlaceInfo {
    let info: PlaceInfo = { ty: this.localTy(place.local, place.span) };
    for (const elem of place.projection) {
      const base = info.ty;
      const variant = info.variant;
      info = {};
      switch (elem.kind) {
        case 'deref':
          info.ty = this.derefTy(base, place.span);
          break;
        case 'field':
          this.resolveTy(elem.ty, place.span);
          this.fieldProjection(base, variant, elem.index, elem.ty, place.span);
          info.ty = elem.ty;
          break;
        case 'index': {
          const idx = this.localTy(elem.local, place.span);
          if (idx && !this.compat(idx, USIZE)) this.mismatch(place.span, USIZE, idx, ' for an index');
          info.ty = this.elemTy(base, place.span);
          break;
        }
        case 'constIndex':
          info.ty = this.elemTy(base, place.span);
          break;
        case 'subslice': {
          const elemTy = this.elemTy(base, place.span);
          if (elemTy && base?.kind === 'array' && !elem.fromEnd) info.ty = { kind: 'array', elem: elemTy, len: { kind: 'value', value: BigInt(elem.to - elem.from) } };
          else if (elemTy) info.ty = base?.kind === 'slice' ? base : { kind: 'slice', elem: elemTy };
          break;
        }
        case 'downcast': {
          const v = this.downcast(base, elem.variant, place.span);
          // After a reported error the place's type is unknown, so nothing cascades.
          info.ty = v === null ? undefined : base;
          info.variant = v ?? undefined;
          break;
        }
        case 'opaqueCast':
        case 'subtype':
          info.ty = elem.ty;
          break;
      }
    }
    return info;
  }

  private derefTy(base: Ty | undefined, at: Span): Ty | undefined {
    if (!base) return undefined;
    if (base.kind === 'ref' || base.kind === 'ptr') return base.pointee;
    if (base.kind === 'named') {
      const segs = identSegments(base.path);
      const args = lastArgs(base.path);
      if (segs?.[segs.length - 1] === 'Box' && args?.[0]?.kind === 'type') return args[0].ty;
      if (this.index.adts.classify(base.path) === 'opaque') return undefined;
    }
    if (base.kind === 'projection' || base.kind === 'impl' || base.kind === 'infer') return undefined;
    this.error(at, `cannot dereference a value of type \`${showTy(base)}\``);
    return undefined;
  }

  private elemTy(base: Ty | undefined, at: Span): Ty | undefined {
    if (!base) return undefined;
    if (base.kind === 'array' || base.kind === 'slice') return base.elem;
    if (base.kind === 'named' && this.index.adts.classify(base.path) === 'opaque') return undefined;
    if (base.kind === 'projection' || base.kind === 'impl' || base.kind === 'infer') return undefined;
    this.error(at, `cannot index into a value of type \`${showTy(base)}\``);
    return undefined;
  }

  /** The variant a downcast selects; null when an error was reported. */
  private downcast(base: Ty | undefined, name: string, at: Span): PlaceInfo['variant'] | null {
    if (!base) return undefined;
    if (base.kind !== 'named') {
      if (base.kind === 'projection' || base.kind === 'infer') return undefined;
      this.error(at, `cannot downcast a value of type \`${showTy(base)}\` to a variant`);
      return null;
    }
    const adt = this.index.adts.lookup(base.path) ?? (this.looksLikeAdt(base.path) ? this.index.adts.infer(base.path) : undefined);
    if (!adt) return undefined;
    if (adt.kind === 'unknown') adt.kind = 'enum';
    if (adt.kind !== 'enum') {
      this.error(at, `cannot downcast \`${showTy(base)}\`: it is a ${adt.kind}, not an enum`);
      return null;
    }
    if (!variantOf(adt, name)) {
      if (adt.origin !== 'inferred') {
        this.error(at, `no variant \`${name}\` in enum \`${adt.segments.join('::')}\``);
        return null;
      }
      adt.variants.push({ name, fields: [] });
    }
    this.noteUse(adt, base.path);
    return { adt, name, path: base.path };
  }

  /** A bare name with evidence of being an ADT is one; a type parameter never gets projected. */
  private looksLikeAdt(path: Path): boolean {
    const segs = identSegments(path);
    return !!segs && !(this.owner.generics ?? []).includes(segs[0]!) && segs[0] !== 'Self';
  }

  private fieldProjection(base: Ty | undefined, variant: PlaceInfo['variant'], index: number, fieldTy: Ty, at: Span): void {
    if (!base) return;
    if (variant) return this.adtField(variant.adt, variant.name, variant.path, index, fieldTy, at, 'variant');
    switch (base.kind) {
      case 'tuple':
        if (index >= base.elems.length) this.error(at, `no field \`${index}\` on a tuple of ${base.elems.length} element${base.elems.length === 1 ? '' : 's'}`);
        else if (!this.compat(base.elems[index], fieldTy)) this.mismatch(at, base.elems[index]!, fieldTy, ` for field ${index}`);
        return;
      case 'closure':
        this.evidence.closures.noteField(base.text, index, fieldTy, this.owner.key, { file: this.file, at });
        return;
      case 'projection':
      case 'impl':
      case 'infer':
        return;
      case 'named': {
        const segs = identSegments(base.path);
        const known = this.index.adts.lookup(base.path);
        if (!known && (!segs || !this.looksLikeAdt(base.path))) return;
        const adt = known ?? this.index.adts.infer(base.path)!;
        if (adt.kind === 'enum') {
          this.error(at, `cannot read field ${index} of enum \`${adt.segments.join('::')}\` without a downcast to a variant`);
          return;
        }
        if (adt.kind === 'unknown') adt.kind = 'struct';
        return this.adtField(adt, structVariant(adt).name, base.path, index, fieldTy, at, adt.kind);
      }
      default:
        this.error(at, `no field \`${index}\` on type \`${showTy(base)}\``);
    }
  }

  /** Checks or records field `index` of a variant: declared ADTs check, inferred ones learn. */
  private adtField(adt: Adt, variantName: string, path: Path, index: number, fieldTy: Ty, at: Span, what: string): void {
    const v = adt.kind === 'enum' ? variantOf(adt, variantName) : structVariant(adt);
    if (!v) return;
    const field = v.fields[index];
    if (adt.origin !== 'inferred') {
      if (!field) {
        this.error(at, `no field \`${index}\` in ${what} \`${variantName}\` of \`${adt.segments.join('::')}\``);
        return;
      }
      const expected = field.ty && substituteAdtArgs(adt, path, field.ty);
      if (expected && !this.compat(expected, fieldTy)) this.mismatch(at, expected, fieldTy, ` for field ${index} of \`${variantName}\``);
      return;
    }
    this.learnField(adt, v, index, fieldTy, at, path);
  }

  /** A generic inferred ADT used at `path`'s arguments: they name its parameters (generic-fields.ts). */
  private noteUse(adt: Adt, path: Path): void {
    const args = adtArgs(path);
    if (args) this.evidence.fields.noteUse(adt, args, this.owner.generics ?? []);
  }

  private learnField(adt: Adt, v: Adt['variants'][number], index: number, ty: Ty | undefined, at: Span, path: Path, name?: string): void {
    while (v.fields.length <= index) v.fields.push({});
    const field = v.fields[index]!;
    if (name && !field.name) field.name = name;
    if (!ty) return;
    // A generic ADT is seen at many instantiations: its field types become templates when checking ends.
    const args = adtArgs(path);
    if (args) {
      this.evidence.fields.noteField({ adt, variant: v.name, index, args, ty, site: { file: this.file, at }, ownerGenerics: this.owner.generics ?? [] });
      return;
    }
    if (!field.ty) {
      field.ty = ty;
      field.at = { file: this.file, span: at };
    } else if (!this.compat(field.ty, ty)) {
      const where = field.at ? ` (first seen as \`${showTy(field.ty)}\` at ${field.at.file.name}:${field.at.file.position(field.at.span.lo).line})` : '';
      this.error(at, `conflicting types for field ${index} of \`${v.name}\`: \`${showTy(ty)}\` here${where}`);
    }
  }

  // ------------------------------------------------------------ operands and constants

  operandTy(op: Operand): Ty | undefined {
    switch (op.kind) {
      case 'copy':
      case 'move':
        return this.placeTy(op.place);
      case 'const':
        return this.constTy(op.value, op.span);
      case 'runtimeChecks':
        return BOOL;
    }
  }

  private constTy(c: Const, at: Span): Ty | undefined {
    if (c.kind === 'int' && c.ty) {
      const [min, max] = intLimits(c.ty);
      if (c.value < min || c.value > max) this.error(at, `literal out of range for \`${c.ty}\`: ${c.value}`);
    }
    const literal = literalConstTy(c, (e) => this.constTy(e, at));
    if (literal !== null) return literal;
    switch (c.kind) {
      case 'alloc':
        this.checkAlloc(c.alloc, at);
        return c.ty;
      case 'indirect':
        this.checkAlloc(c.alloc, at);
        return c.ty;
      case 'zst':
        if (c.ty.kind === 'closure') this.evidence.closures.noteZeroSized(c.ty.text);
        return c.ty;
      case 'transmute':
      case 'intPtr':
      case 'fnPtr':
        return c.ty;
      case 'uninit':
        return undefined;
      case 'path':
      case 'ctor': {
        this.noteVariantMentions(c);
        const ty = this.pathConstTy(c.path);
        if (c.kind === 'ctor' && ty) this.learnCtorFields(c, ty, at);
        return ty;
      }
    }
  }

  /** A constant `Dog {{ kg: 20_u32 }}` lists the fields in declaration order, with their names. */
  private learnCtorFields(c: Extract<Const, { kind: 'ctor' }>, ty: Ty, at: Span): void {
    if (ty.kind !== 'named') return;
    const adt = this.index.adts.lookup(ty.path);
    if (!adt || adt.origin !== 'inferred') return;
    const segs = identSegments(c.path) ?? [];
    const v = adt.kind === 'enum' ? variantOf(adt, segs[segs.length - 1] ?? '') : adt.kind === 'struct' ? structVariant(adt) : undefined;
    if (!v) return;
    c.fields.forEach((f, i) => this.learnField(adt, v, i, f.value.kind === 'int' || f.value.kind === 'bool' || f.value.kind === 'float' || f.value.kind === 'char' ? this.constTy(f.value, at) : undefined, at, ty.path, f.name));
  }

  /** `const Tok::Plus`, `Err(EvalError::TooLong)`: the variants of enums that constants name. */
  private noteVariantMentions(c: Const): void {
    if (c.kind === 'ctor' || (c.kind === 'path' && !this.index.fns.has(pathKey(c.path)))) {
      const key = pathKey(c.path);
      if (!this.index.consts.has(key) && !this.index.statics.has(key)) this.evidence.enums.noteMention(c.path, this.file);
    }
    if (c.kind === 'ctor') for (const f of c.fields) this.noteVariantMentions(f.value);
    if (c.kind === 'tuple' || c.kind === 'array') for (const e of c.elems) this.noteVariantMentions(e);
  }

  private checkAlloc(id: number, at: Span): void {
    if (!this.index.allocs.get(this.file)?.has(id)) this.error(at, `no allocation \`alloc${id}\` in this file`);
  }

  /** `EMPTY` (a const), `Cash` (a unit struct), `Option::<i64>::None` (a variant). */
  private pathConstTy(path: Path): Ty | undefined {
    const key = pathKey(path);
    const c = this.index.consts.get(key);
    if (c) return c.item.ty;
    const s = this.index.statics.get(key);
    if (s) return s.item.ty;
    const adt = this.index.adts.lookup(path);
    if (adt && adt.kind !== 'enum') return { kind: 'named', path };
    if (path.segments.length > 1) {
      const parent: Path = { segments: path.segments.slice(0, -1), span: path.span };
      const e = this.index.adts.lookup(parent);
      if (e?.kind === 'enum') return { kind: 'named', path: parent };
    }
    // `const Spider` naming nothing else is a unit struct: rustc never assigns zero-sized
    // locals, so such a type may have no other evidence at all.
    const segs = identSegments(path);
    if (segs?.length === 1 && /^[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*$/.test(segs[0]!) && !this.index.fns.has(key) && !(this.owner.generics ?? []).includes(segs[0]!)) {
      const unit = this.index.adts.infer(path);
      if (unit && unit.kind === 'unknown' && unit.variants.length === 0) {
        unit.kind = 'struct';
        unit.variants.push({ name: segs[0]!, fields: [] });
      }
      if (unit?.kind === 'struct') return { kind: 'named', path };
    }
    return undefined;
  }

  // ------------------------------------------------------------ statements

  private statement(s: Statement): void {
    switch (s.kind) {
      case 'assign': {
        const dest = this.placeTy(s.place);
        const value = this.rvalueTy(s.rvalue, s.span, dest);
        if (dest && value && !this.compat(dest, value)) this.mismatch(s.span, dest, value);
        return;
      }
      case 'storageLive':
      case 'storageDead':
        this.localTy(s.local, s.span);
        return;
      case 'setDiscriminant':
      case 'deinit':
      case 'retag':
      case 'placeMention':
      case 'fakeRead':
      case 'ascribeUserType':
      case 'backwardIncompatibleDropHint':
        this.placeTy(s.place);
        return;
      case 'debugInfo':
        this.localTy(s.local, s.span);
        if (s.place) this.placeTy(s.place);
        return;
      case 'assume': {
        const t = this.operandTy(s.operand);
        if (t && !this.compat(t, BOOL)) this.mismatch(s.span, BOOL, t, ' in `assume`');
        return;
      }
      case 'copyNonOverlapping': {
        const src = this.operandTy(s.src);
        const dst = this.operandTy(s.dst);
        const count = this.operandTy(s.count);
        if (src && src.kind !== 'ptr') this.error(s.span, `\`copy_nonoverlapping\` needs a raw pointer source, found \`${showTy(src)}\``);
        if (dst && dst.kind !== 'ptr') this.error(s.span, `\`copy_nonoverlapping\` needs a raw pointer destination, found \`${showTy(dst)}\``);
        if (count && !this.compat(count, USIZE)) this.mismatch(s.span, USIZE, count, ' for the count of `copy_nonoverlapping`');
        return;
      }
      case 'coverage':
      case 'constEvalCounter':
      case 'nop':
        return;
    }
  }

  private rvalueTy(r: Rvalue, at: Span, dest: Ty | undefined): Ty | undefined {
    switch (r.kind) {
      case 'use':
        return this.operandTy(r.operand);
      case 'repeat': {
        const t = this.operandTy(r.operand);
        return t && { kind: 'array', elem: t, len: r.count };
      }
      case 'ref': {
        const t = this.placeTy(r.place);
        return t && { kind: 'ref', mutable: r.borrow === 'mut', pointee: t };
      }
      case 'rawPtr': {
        const t = this.placeTy(r.place);
        return t && { kind: 'ptr', mutable: r.mutability === 'mut', pointee: t };
      }
      case 'threadLocalRef':
        return undefined;
      case 'cast':
        this.resolveTy(r.ty, at);
        this.castCheck(r, at);
        return r.ty;
      case 'binary':
        return this.binaryTy(r.op, this.operandTy(r.lhs), this.operandTy(r.rhs), at);
      case 'unary': {
        const t = this.operandTy(r.operand);
        if (r.op === 'PtrMetadata') return t && (t.kind === 'ref' || t.kind === 'ptr') && (t.pointee.kind === 'slice' || t.pointee.kind === 'str') ? USIZE : undefined;
        if (t && r.op === 'Neg' && !(t.kind === 'int' && t.name.startsWith('i')) && t.kind !== 'float' && t.kind !== 'named') this.error(at, `cannot negate a value of type \`${showTy(t)}\``);
        if (t && r.op === 'Not' && t.kind !== 'int' && t.kind !== 'bool' && t.kind !== 'named') this.error(at, `cannot apply \`Not\` to a value of type \`${showTy(t)}\``);
        return t;
      }
      case 'discriminant': {
        const t = this.placeTy(r.place);
        if (t?.kind === 'named') {
          this.discriminated.set(r.place, t);
          if (dest) this.evidence.enums.noteTy(t.path, dest, { file: this.file, at });
        }
        return undefined;
      }
      case 'nullary':
        return r.op === 'UbChecks' || r.op === 'ContractChecks' ? BOOL : USIZE;
      case 'aggregate':
        return this.aggregateTy(r, at, dest);
      case 'shallowInitBox':
      case 'wrapUnsafeBinder':
        this.operandTy(r.operand);
        return undefined;
      case 'copyForDeref':
        return this.placeTy(r.place);
    }
  }

  private castCheck(r: Extract<Rvalue, { kind: 'cast' }>, at: Span): void {
    const from = this.operandTy(r.operand);
    if (!from) return;
    const to = r.ty;
    const isNum = (t: Ty) => t.kind === 'int' || t.kind === 'bool' || t.kind === 'char';
    const ok = (cond: boolean, what: string) => {
      if (!cond) this.error(at, `invalid \`${r.cast.kind}\` cast from \`${showTy(from)}\` to \`${showTy(to)}\`: ${what}`);
    };
    const opaque = (t: Ty) => t.kind === 'named' || t.kind === 'projection' || t.kind === 'infer' || t.kind === 'impl';
    if (opaque(from) || opaque(to)) return;
    switch (r.cast.kind) {
      case 'IntToInt':
        return ok(isNum(from) && to.kind === 'int' || (isNum(from) && to.kind === 'char' && from.kind === 'int' && from.name === 'u8'), 'both sides must be integers');
      case 'IntToFloat':
        return ok(isNum(from) && to.kind === 'float', 'an integer becomes a float');
      case 'FloatToInt':
        return ok(from.kind === 'float' && to.kind === 'int', 'a float becomes an integer');
      case 'FloatToFloat':
        return ok(from.kind === 'float' && to.kind === 'float', 'both sides must be floats');
      case 'PtrToPtr':
        return ok((from.kind === 'ptr' || from.kind === 'ref') && to.kind === 'ptr', 'both sides must be raw pointers');
      case 'PointerExposeProvenance':
        return ok((from.kind === 'ptr' || from.kind === 'ref') && to.kind === 'int', 'a pointer becomes an integer');
      case 'PointerWithExposedProvenance':
        return ok(from.kind === 'int' && to.kind === 'ptr', 'an integer becomes a pointer');
      default:
        return;
    }
  }

  private binaryTy(op: BinOp, a: Ty | undefined, b: Ty | undefined, at: Span): Ty | undefined {
    const numeric = (t: Ty | undefined) => !t || t.kind === 'int' || t.kind === 'float' || t.kind === 'bool' || t.kind === 'char' || t.kind === 'named' || t.kind === 'projection' || t.kind === 'ptr' || t.kind === 'fnPtr';
    if (op === 'Offset') {
      if (a && a.kind !== 'ptr' && a.kind !== 'named') this.error(at, `\`Offset\` needs a raw pointer, found \`${showTy(a)}\``);
      if (b && !(b.kind === 'int' && (b.name === 'usize' || b.name === 'isize')) && b.kind !== 'named') this.error(at, `\`Offset\` needs a \`usize\` or \`isize\` offset, found \`${showTy(b)}\``);
      return a;
    }
    if (SHIFT.has(op)) {
      if (a && a.kind !== 'int' && a.kind !== 'named') this.error(at, `\`${op}\` needs an integer, found \`${showTy(a)}\``);
      if (b && b.kind !== 'int' && b.kind !== 'named') this.error(at, `\`${op}\` needs an integer shift amount, found \`${showTy(b)}\``);
      return a;
    }
    if (a && b && !this.compat(a, b)) {
      this.error(at, `mismatched operand types for \`${op}\`: \`${showTy(a)}\` and \`${showTy(b)}\``);
      return undefined;
    }
    if (!numeric(a)) this.error(at, `\`${op}\` cannot be applied to a value of type \`${showTy(a!)}\``);
    if (COMPARE.has(op)) return BOOL;
    if (op === 'Cmp') return undefined;
    if (CHECKED.has(op)) return a && { kind: 'tuple', elems: [a, BOOL] };
    return a ?? b;
  }

  private aggregateTy(r: Extract<Rvalue, { kind: 'aggregate' }>, at: Span, dest: Ty | undefined): Ty | undefined {
    const tys = r.operands.map((o) => this.operandTy(o));
    switch (r.agg.kind) {
      case 'tuple':
        return tys.every((t) => t) ? { kind: 'tuple', elems: tys as Ty[] } : undefined;
      case 'array': {
        const first = tys.find((t) => t);
        for (const t of tys) if (first && t && !this.compat(first, t)) this.error(at, `array elements differ in type: \`${showTy(first)}\` and \`${showTy(t)}\``);
        return first ? { kind: 'array', elem: first, len: { kind: 'value', value: BigInt(tys.length) } } : undefined;
      }
      case 'closure':
        this.evidence.closures.noteAggregate(r.agg.text, tys, this.owner.key, { file: this.file, at });
        return { kind: 'closure', text: r.agg.text };
      case 'coroutine':
        return { kind: 'closure', text: r.agg.text };
      case 'rawPtr':
        return { kind: 'ptr', mutable: r.agg.mutable, pointee: r.agg.ty };
      case 'adt':
        return this.adtAggregate(r.agg.path, r.agg.braced ? r.agg.fieldNames : undefined, tys, at, dest);
    }
  }

  /** `Point { x: …, y: … }`, `Kg(…)`, `Shape::Circle(…)`, `Option::<i32>::None`: checks or learns the ADT. */
  private adtAggregate(path: Path, names: string[] | undefined, tys: (Ty | undefined)[], at: Span, dest: Ty | undefined): Ty | undefined {
    const key = pathKey(path);
    const fn = this.index.fns.get(key);
    // Constructors (`fn Shape::Circle(_1: i32) -> Shape`) are functions too; building the value is fine.
    const segs = identSegments(path) ?? [];
    const ctorOf = fn?.item.ret.kind === 'named' ? identSegments(fn.item.ret.path)?.at(-1) : undefined;
    const isCtor = ctorOf !== undefined && (ctorOf === segs.at(-1) || ctorOf === segs.at(-2));
    if ((fn && !isCtor) || (path.segments.length === 1 && this.index.externs.has(key))) {
      this.error(at, `\`${key}\` is a function: a call needs its targets, such as \`-> [return: bb1, unwind continue]\``);
      return undefined;
    }
    if (!dest) return undefined;
    if (dest.kind !== 'named') {
      if (dest.kind !== 'projection' && dest.kind !== 'infer' && dest.kind !== 'impl') {
        this.error(at, `mismatched types: expected \`${showTy(dest)}\`, found a value of \`${key}\``);
      }
      return undefined;
    }
    const destSegs = identSegments(dest.path);
    const aggSegs = identSegments(path);
    if (!destSegs || !aggSegs) return undefined;
    const adt = this.index.adts.lookup(dest.path) ?? this.index.adts.infer(dest.path)!;
    // Struct `Point` or variant `Shape::Circle` of `Shape`?
    const asStruct = aggSegs[aggSegs.length - 1] === destSegs[destSegs.length - 1];
    let variantName: string;
    if (asStruct && adt.kind !== 'enum') {
      if (adt.kind === 'unknown') adt.kind = 'struct';
      variantName = structVariant(adt).name;
    } else if (aggSegs.length >= 2 && aggSegs[aggSegs.length - 2] === destSegs[destSegs.length - 1]) {
      if (adt.kind === 'unknown') adt.kind = 'enum';
      if (adt.kind !== 'enum') {
        this.error(at, `\`${aggSegs.join('::')}\` builds a variant, but \`${showTy(dest)}\` is a ${adt.kind}`);
        return undefined;
      }
      variantName = aggSegs[aggSegs.length - 1]!;
      if (!variantOf(adt, variantName)) {
        if (adt.origin !== 'inferred') {
          this.error(at, `no variant \`${variantName}\` in enum \`${adt.segments.join('::')}\``);
          return undefined;
        }
        adt.variants.push({ name: variantName, fields: [] });
      }
    } else {
      this.error(at, `mismatched types: expected \`${showTy(dest)}\`, found a value of \`${aggSegs.join('::')}\``);
      return undefined;
    }
    const v = variantOf(adt, variantName)!;
    if (adt.origin !== 'inferred') {
      if (adt.kind === 'union') {
        if (tys.length !== 1) this.error(at, `a union value sets exactly one field, found ${tys.length}`);
        return dest;
      }
      if (v.fields.length !== tys.length) {
        this.error(at, `\`${variantName}\` has ${v.fields.length} field${v.fields.length === 1 ? '' : 's'}, but ${tys.length} ${tys.length === 1 ? 'was' : 'were'} given`);
        return dest;
      }
      tys.forEach((t, i) => {
        const f = v.fields[i]!;
        if (names && f.name !== undefined && names[i] !== f.name) this.error(at, `field ${i} of \`${variantName}\` is \`${f.name}\`, not \`${names[i]}\``);
        const expected = f.ty && substituteAdtArgs(adt, dest.path, f.ty);
        if (expected && t && !this.compat(expected, t)) this.mismatch(at, expected, t, ` for field \`${f.name ?? i}\` of \`${variantName}\``);
      });
      return dest;
    }
    this.noteUse(adt, dest.path);
    tys.forEach((t, i) => this.learnField(adt, v, i, t, at, dest.path, names?.[i]));
    return dest;
  }

  // ------------------------------------------------------------ terminators

  private target(from: BasicBlock, to: BlockId, at: Span, unwind: boolean): void {
    const b = this.blocks.get(to);
    if (!b) {
      this.error(at, `no basic block \`bb${to}\` in ${this.owner.what}`);
      return;
    }
    if (unwind && !b.cleanup) this.error(at, `unwinding must go to a cleanup block, but \`bb${to}\` is not one`);
    if (!unwind && b.cleanup && !from.cleanup) this.error(at, `\`bb${to}\` is a cleanup block and is reached only by unwinding`);
    if (!unwind && !b.cleanup && from.cleanup) this.error(at, `cleanup block \`bb${from.id}\` cannot continue into the ordinary block \`bb${to}\``);
  }

  private unwind(from: BasicBlock, u: UnwindAction, at: Span): void {
    if (u.kind === 'cleanup') {
      if (from.cleanup) this.error(at, `cleanup block \`bb${from.id}\` cannot unwind into another cleanup block`);
      this.target(from, u.block, at, true);
    }
  }

  private terminator(b: BasicBlock, t: Terminator): void {
    switch (t.kind) {
      case 'goto':
        return this.target(b, t.target, t.span, false);
      case 'switchInt': {
        const d = this.operandTy(t.discr);
        if (d && d.kind !== 'int' && d.kind !== 'bool' && d.kind !== 'char' && d.kind !== 'named' && d.kind !== 'projection') {
          this.error(t.span, `\`switchInt\` needs an integer, \`bool\` or \`char\`, found \`${showTy(d)}\``);
        }
        const seen = new Set<bigint>();
        for (const x of t.targets) {
          if (seen.has(x.value)) this.error(t.span, `\`switchInt\` lists the value ${x.value} twice`);
          seen.add(x.value);
          this.target(b, x.target, t.span, false);
        }
        return this.target(b, t.otherwise, t.span, false);
      }
      case 'return':
        if (b.cleanup) this.error(t.span, 'a cleanup block cannot return');
        return;
      case 'unwindResume':
      case 'unwindTerminate':
        if (!b.cleanup) this.error(t.span, `\`${t.kind === 'unwindResume' ? 'resume' : 'terminate'}\` is allowed only in a cleanup block`);
        return;
      case 'unreachable':
        return;
      case 'drop':
        this.placeTy(t.place);
        this.target(b, t.target, t.span, false);
        if (t.dropTarget !== undefined) this.target(b, t.dropTarget, t.span, false);
        return this.unwind(b, t.unwind, t.span);
      case 'assert': {
        const c = this.operandTy(t.cond);
        if (c && !this.compat(c, BOOL)) this.mismatch(t.span, BOOL, c, ' for the assert condition');
        for (const op of assertOperands(t.msg)) this.operandTy(op);
        this.target(b, t.target, t.span, false);
        return this.unwind(b, t.unwind, t.span);
      }
      case 'call':
        this.call(t);
        if (t.target !== undefined) this.target(b, t.target, t.span, false);
        return this.unwind(b, t.unwind, t.span);
      case 'tailCall':
        for (const a of t.args) this.operandTy(a);
        return;
      case 'falseEdge':
        this.target(b, t.real, t.span, false);
        return this.target(b, t.imaginary, t.span, false);
      case 'falseUnwind':
        this.target(b, t.real, t.span, false);
        return this.unwind(b, t.unwind, t.span);
    }
  }

  private call(t: Extract<Terminator, { kind: 'call' }>): void {
    const dest = this.placeTy(t.dest);
    const args = t.args.map((a) => this.operandTy(a));
    let sig: FnSig | undefined;
    let name = 'the callee';
    if (t.func.kind === 'const' && t.func.value.kind === 'path') {
      const path = t.func.value.path;
      name = `\`${pathKey(path)}\``;
      sig = this.calleeSig(path);
      if (!sig) {
        const ret = t.target === undefined ? NEVER : dest;
        this.trace?.externalCall(path, args, ret);
        this.externs.noteCall(path, args, ret, this.file, t.span);
        return;
      }
    } else {
      const f = this.operandTy(t.func);
      if (f && f.kind !== 'fnPtr' && f.kind !== 'fnDef') {
        if (f.kind !== 'named' && f.kind !== 'projection' && f.kind !== 'closure') this.error(t.span, `cannot call a value of type \`${showTy(f)}\``);
        return;
      }
      sig = f?.sig;
    }
    if (!sig) return;
    if (sig.variadic ? args.length < sig.params.length : args.length !== sig.params.length) {
      this.error(t.span, `${name} takes ${sig.params.length}${sig.variadic ? ' or more' : ''} argument${sig.params.length === 1 ? '' : 's'}, but ${args.length} ${args.length === 1 ? 'was' : 'were'} given`);
      return;
    }
    sig.params.forEach((p, i) => {
      if (!this.compat(p, args[i])) this.mismatch(t.span, p, args[i]!, ` for argument ${i + 1} of ${name}`);
    });
    if (t.target !== undefined && dest && !this.compat(sig.ret, dest) && sig.ret.kind !== 'never') this.mismatch(t.span, dest, sig.ret, ` for the result of ${name}`);
    if (t.target === undefined && sig.ret.kind !== 'never') this.error(t.span, `${name} returns \`${showTy(sig.ret)}\`, so the call needs a \`return\` target`);
  }

  /** The signature of a function of the crate or of a declared external function. */
  private calleeSig(path: Path): FnSig | undefined {
    const key = pathKey(path);
    const fn = this.index.fns.get(key);
    if (fn) return { unsafe: false, params: fn.item.params.map((p) => p.ty), variadic: false, ret: fn.item.ret };
    const ext = path.segments.length === 1 ? this.index.externs.get(key) : undefined;
    if (ext) return { unsafe: true, abi: 'C', params: ext.item.params, variadic: ext.item.variadic, ret: ext.item.ret };
    return undefined;
  }
}
