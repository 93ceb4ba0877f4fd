// Computes and caches the layouts of concrete types (see layout.ts for the data): the
// per-type rules (scalars, pointers and their metadata, arrays, tuples, closures, ADTs
// with their generic arguments substituted) on top of the rustc algorithm in
// univariant.ts and enum.ts. Layouts are cached by a canonical key of the type, since
// every operand, place and call asks for them.

import type { IntTy, Ty } from '../../mir/ast.js';
import { type Adt, adtSubst as adtArgsSubst, type AdtTable, type AdtVariant } from '../../mir/adt-table.js';
import { printConstArg, printTy } from '../../mir/printer.js';
import { tyKey } from '../../mir/body-types.js';
import { EMPTY_SUBST, type Subst, substTy } from '../../mir/subst.js';
import { identSegments } from '../../mir/ty.js';
import type { RegType } from '../traits/types.js';
import { fallbackAdt, specialAdt } from './core-fallbacks.js';
import { type AdtInput, layoutOfStructOrEnum, neverLayout } from './enum.js';
import { type Layout, type Scalar, scalarAlign, scalarSize } from './layout.js';
import { LayoutError } from './layout-error.js';
import { fullScalar, intPrim, type IntBits, maxOf, nicheFromScalar, POINTER, rangeScalar } from './niche.js';
import { DEFAULT_REPR, isUninhabited, isUnsized, pairShape, type ReprOptions, unionLayout, univariant } from './univariant.js';

export { LayoutError } from './layout-error.js';

export interface LayoutCxOptions {
  /**
   * The types a closure captures, in terms of its defining function's generic
   * parameters (the closure type's `subst` instantiates them); `undefined` when unknown.
   */
  closureCaptures?: (text: string) => Ty[] | undefined;
}

type PointerMetadata = 'thin' | 'len' | 'vtable';

const USIZE: Ty = { kind: 'int', name: 'usize' };
const ISIZE: Ty = { kind: 'int', name: 'isize' };
const U8: Ty = { kind: 'int', name: 'u8' };
const UNIT: Ty = { kind: 'tuple', elems: [] };
/** rustc's type for a vtable pointer: `&'static [usize; 3]`. */
const VTABLE: Ty = { kind: 'ref', region: "'static", mutable: false, pointee: { kind: 'array', elem: USIZE, len: { kind: 'value', value: 3n } } };
const NON_NULL_PTR: Scalar = rangeScalar(POINTER, 1n, maxOf(64));

export class LayoutCx {
  private readonly byKey = new Map<string, Layout>();
  private readonly byTy = new WeakMap<Ty, Layout>();
  private readonly inProgress = new Set<string>();

  constructor(
    readonly adts: AdtTable,
    private readonly options: LayoutCxOptions = {},
  ) {}

  /** The layout of a concrete type; throws LayoutError naming the type when impossible. */
  layoutOf(ty: Ty): Layout {
    // Most types asked about are scalars, each a Ty object of its own: their key is their
    // name, so a WeakMap entry per object would cost more than it saves.
    if (ty.kind === 'int' || ty.kind === 'float' || ty.kind === 'bool' || ty.kind === 'char') {
      const key = tyKey(ty);
      let l = this.byKey.get(key);
      if (!l) this.byKey.set(key, (l = this.compute(ty)));
      return l;
    }
    const hit = this.byTy.get(ty);
    if (hit) return hit;
    const key = tyKey(ty);
    let l = this.byKey.get(key);
    if (!l) {
      if (this.inProgress.has(key)) throw new LayoutError(`cannot lay out \`${printTy(ty)}\`: the type contains itself`);
      this.inProgress.add(key);
      try {
        l = this.compute(ty);
      } finally {
        this.inProgress.delete(key);
      }
      this.byKey.set(key, l);
    }
    this.byTy.set(ty, l);
    return l;
  }

  /** Field `i` of a struct/tuple/closure/variant layout, or the element of an array. */
  field(l: Layout, i: number): Layout {
    switch (l.fields.kind) {
      case 'array':
        return this.layoutOf(l.fieldTys[0]!);
      case 'arbitrary':
      case 'union': {
        const t = l.fieldTys[i];
        if (!t) throw new LayoutError(`\`${printTy(l.ty)}\` has no field ${i}`);
        return this.layoutOf(t);
      }
      case 'primitive':
        throw new LayoutError(`\`${printTy(l.ty)}\` has no fields`);
    }
  }

  /** The layout of enum variant `variant` (index in declaration order); `l` itself for single-variant layouts. */
  forVariant(l: Layout, variant: number): Layout {
    if (l.variants.kind === 'multiple') {
      const v = l.variants.variants[variant];
      if (!v) throw new LayoutError(`\`${printTy(l.ty)}\` has no variant ${variant}`);
      return v;
    }
    if (l.variants.index === variant) return l;
    // A variant that cannot exist (rustc's `uninhabited_variant`): all fields at 0, no bytes.
    const fieldTys = this.variantFieldTys(l.ty, variant);
    return { ty: l.ty, size: 0, align: 1, repr: { kind: 'uninhabited' }, fields: { kind: 'arbitrary', offsets: fieldTys.map(() => 0) }, variants: { kind: 'single', index: variant }, fieldTys };
  }

  /** The index of a variant, by name, in the enum's declaration order. */
  variantIndex(ty: Ty, name: string): number {
    const { adt } = this.resolveAdt(ty);
    const i = adt.variants.findIndex((v) => v.name === name);
    if (i < 0) throw new LayoutError(`\`${printTy(ty)}\` has no variant \`${name}\``);
    return i;
  }

  /** The discriminant value of variant `variant` of the enum `ty`. */
  discriminant(ty: Ty, variant: number): bigint {
    if (ty.kind !== 'named') return 0n;
    const { adt } = this.resolveAdt(ty);
    if (adt.kind !== 'enum') return 0n;
    const d = discriminants(adt)[variant];
    if (d === undefined) throw new LayoutError(`\`${printTy(ty)}\` has no variant ${variant}`);
    return d;
  }

  /** The type `Rvalue::Discriminant` produces for `ty` (the repr integer, else isize). */
  discriminantTy(ty: Ty): Ty {
    if (ty.kind !== 'named') return U8;
    const { adt } = this.resolveAdt(ty);
    if (adt.kind !== 'enum') return U8;
    const int = reprInt(adt);
    return int ? { kind: 'int', name: int } : ISIZE;
  }

  // ------------------------------------------------------------ per kind of type

  private compute(ty: Ty): Layout {
    switch (ty.kind) {
      case 'int': {
        const { bits, signed } = intOf(ty.name);
        return scalarLayout(ty, fullScalar(intPrim(bits, signed)));
      }
      case 'float':
        if (ty.name !== 'f32' && ty.name !== 'f64') throw new LayoutError(`cannot lay out \`${ty.name}\`: only f32 and f64 are supported`);
        return scalarLayout(ty, fullScalar({ kind: 'float', bits: ty.name === 'f32' ? 32 : 64 }));
      case 'bool':
        return scalarLayout(ty, rangeScalar(intPrim(8, false), 0n, 1n));
      case 'char':
        return scalarLayout(ty, rangeScalar(intPrim(32, false), 0n, 0x10ffffn));
      case 'never':
        return neverLayout(ty);
      case 'tuple': {
        const fields = ty.elems.map((e) => this.layoutOf(e));
        return univariant(fields, DEFAULT_REPR, { kind: ty.elems.length === 0 ? 'alwaysSized' : 'maybeUnsized' }, ty, ty.elems);
      }
      case 'array':
        return this.arrayLayout(ty);
      case 'slice':
      case 'str': {
        const elemTy = ty.kind === 'str' ? U8 : ty.elem;
        const elem = this.sizedLayoutOf(elemTy, ty);
        return { ty, size: 0, align: elem.align, repr: { kind: 'memory', sized: false }, fields: { kind: 'array', stride: elem.size, count: 0n }, variants: { kind: 'single', index: 0 }, fieldTys: [elemTy] };
      }
      case 'dyn':
        return { ty, size: 0, align: 1, repr: { kind: 'memory', sized: false }, fields: { kind: 'arbitrary', offsets: [] }, variants: { kind: 'single', index: 0 }, fieldTys: [] };
      case 'ref':
        return this.pointerLayout(ty, ty.pointee, ty.mutable, true);
      case 'ptr':
        return this.pointerLayout(ty, ty.pointee, ty.mutable, false);
      case 'fnPtr':
        return scalarLayout(ty, NON_NULL_PTR);
      case 'fnDef':
        return univariant([], DEFAULT_REPR, { kind: 'alwaysSized' }, ty, []);
      case 'named':
        return this.adtLayout(ty);
      case 'closure':
        return this.closureLayout(ty);
      case 'projection':
      case 'impl':
      case 'infer':
        throw new LayoutError(`cannot lay out \`${printTy(ty)}\`: the type is not concrete`);
    }
  }

  /** The layout of a field, element or payload type, which must be sized. */
  private sizedLayoutOf(t: Ty, outer: Ty): Layout {
    const l = this.layoutOf(t);
    if (isUnsized(l)) throw new LayoutError(`cannot lay out \`${printTy(outer)}\`: \`${printTy(t)}\` is unsized`);
    return l;
  }

  private arrayLayout(ty: Extract<Ty, { kind: 'array' }>): Layout {
    if (ty.len.kind !== 'value') throw new LayoutError(`cannot lay out \`${printTy(ty)}\`: the length \`${printConstArg(ty.len)}\` is not a value`);
    const count = ty.len.value;
    const elem = this.sizedLayoutOf(ty.elem, ty);
    const size = elem.size * Number(count);
    if (!Number.isSafeInteger(size) || count < 0n) throw new LayoutError(`cannot lay out \`${printTy(ty)}\`: the array is too large`);
    return {
      ty,
      size,
      align: elem.align,
      repr: count !== 0n && isUninhabited(elem) ? { kind: 'uninhabited' } : { kind: 'memory', sized: true },
      fields: { kind: 'array', stride: elem.size, count },
      variants: { kind: 'single', index: 0 },
      largestNiche: count !== 0n ? elem.largestNiche : undefined,
      fieldTys: [ty.elem],
    };
  }

  /** `&T`, `*const T`: one pointer, or a pointer and a length / vtable for unsized `T`. */
  private pointerLayout(ty: Ty, pointee: Ty, mutable: boolean, nonNull: boolean): Layout {
    const data = nonNull ? NON_NULL_PTR : fullScalar(POINTER);
    const meta = this.metadata(pointee, 0);
    if (meta === 'thin') return scalarLayout(ty, data);
    const b = meta === 'len' ? fullScalar(intPrim(64, false)) : NON_NULL_PTR;
    const shape = pairShape(data, b);
    const dataPointee = pointee.kind === 'slice' ? pointee.elem : pointee.kind === 'str' ? U8 : UNIT;
    return {
      ty,
      size: shape.size,
      align: shape.align,
      repr: { kind: 'scalarPair', a: data, b },
      fields: { kind: 'arbitrary', offsets: [0, shape.bOffset] },
      variants: { kind: 'single', index: 0 },
      largestNiche: shape.niche,
      fieldTys: [{ kind: 'ptr', mutable, pointee: dataPointee }, meta === 'len' ? USIZE : VTABLE],
    };
  }

  /**
   * What a pointer to `t` carries besides the address: the length of a slice/`str`
   * tail, the vtable of a `dyn` tail, or nothing. Named types that cannot be resolved
   * (foreign types, opaque parameters) are taken as sized.
   */
  private metadata(t: Ty, depth: number): PointerMetadata {
    if (depth > 64) throw new LayoutError(`cannot lay out a pointer to \`${printTy(t)}\`: its tail nests too deeply`);
    switch (t.kind) {
      case 'str':
      case 'slice':
        return 'len';
      case 'dyn':
        return 'vtable';
      case 'tuple':
        return t.elems.length > 0 ? this.metadata(t.elems[t.elems.length - 1]!, depth + 1) : 'thin';
      case 'named': {
        const found = this.findAdt(t);
        if (!found || found.adt.kind !== 'struct') return 'thin';
        const fields = found.adt.variants[0]?.fields ?? [];
        const last = fields[fields.length - 1]?.ty;
        return last ? this.metadata(substTy(last, found.subst), depth + 1) : 'thin';
      }
      default:
        return 'thin';
    }
  }

  private closureLayout(ty: Extract<Ty, { kind: 'closure' }>): Layout {
    if (!ty.text.startsWith('closure')) throw new LayoutError(`cannot lay out \`${printTy(ty)}\`: coroutines are not supported`);
    const captures = this.options.closureCaptures?.(ty.text);
    if (!captures) throw new LayoutError(`cannot lay out \`${printTy(ty)}\`: the closure's captures are unknown`);
    const tys = ty.subst ? captures.map((c) => substTy(c, ty.subst!)) : captures;
    const fields = tys.map((t) => this.sizedLayoutOf(t, ty));
    return univariant(fields, DEFAULT_REPR, { kind: 'alwaysSized' }, ty, tys);
  }

  // ------------------------------------------------------------ ADTs

  private adtLayout(ty: Extract<Ty, { kind: 'named' }>): Layout {
    const { adt, subst } = this.resolveAdt(ty);
    const special = specialAdt(adt);
    const variantFieldTys = adt.variants.map((v) =>
      v.fields.map((f, i) => {
        if (!f.ty) throw new LayoutError(`cannot lay out \`${printTy(ty)}\`: the type of field ${f.name ?? i} of \`${v.name}\` is unknown`);
        return substTy(f.ty, subst);
      }),
    );
    const repr = reprOptions(adt);
    if (adt.kind === 'union') {
      const tys = variantFieldTys[0] ?? [];
      return unionLayout(tys.map((t) => this.sizedLayoutOf(t, ty)), repr, ty, tys);
    }
    if (adt.kind === 'unknown') throw new LayoutError(`cannot lay out \`${printTy(ty)}\`: nothing is known about its fields`);
    const isEnum = adt.kind === 'enum';
    const variants = variantFieldTys.map((tys) =>
      tys.map((t, i) => {
        const l = this.layoutOf(t);
        if (isUnsized(l) && (isEnum || i !== tys.length - 1)) throw new LayoutError(`cannot lay out \`${printTy(ty)}\`: \`${printTy(t)}\` is unsized`);
        return l;
      }),
    );
    const last = variants[0]?.[variants[0].length - 1];
    const input: AdtInput = {
      ty,
      repr,
      isEnum,
      variants,
      variantFieldTys,
      discriminants: isEnum ? discriminants(adt) : [],
      dontNicheOptimize: repr.c || repr.int !== undefined || adt.variants.some((v) => explicitDiscriminant(adt, v)),
      hideNiches: special === 'hideNiches',
      validRangeStart: special === 'nonZero' ? 1n : undefined,
      alwaysSized: isEnum || !last || !isUnsized(last),
    };
    return layoutOfStructOrEnum(input);
  }

  /** The ADT a named type denotes and the substitution of its generic parameters. */
  private resolveAdt(ty: Ty): { adt: Adt; subst: Subst } {
    if (ty.kind !== 'named') throw new LayoutError(`\`${printTy(ty)}\` is not an ADT`);
    const found = this.findAdt(ty);
    if (found) return found;
    const segs = identSegments(ty.path);
    if (segs && segs.length === 1) throw new LayoutError(`cannot lay out \`${printTy(ty)}\`: \`${segs[0]}\` is not a known type (a generic parameter left over?)`);
    throw new LayoutError(`cannot lay out \`${printTy(ty)}\`: unknown type`);
  }

  private findAdt(ty: Extract<Ty, { kind: 'named' }>): { adt: Adt; subst: Subst } | undefined {
    const known = this.adts.lookup(ty.path);
    // What codegend knows of a core type beats what the MIR showed of it.
    const adt = known && known.origin !== 'inferred' ? known : (fallbackAdt(ty.path) ?? known);
    if (!adt) return undefined;
    return { adt, subst: adtSubst(adt, ty) };
  }

  private variantFieldTys(ty: Ty, variant: number): Ty[] {
    const { adt, subst } = this.resolveAdt(ty);
    const v = adt.variants[variant];
    if (!v) throw new LayoutError(`\`${printTy(ty)}\` has no variant ${variant}`);
    return v.fields.map((f) => (f.ty ? substTy(f.ty, subst) : UNIT));
  }
}

// ---------------------------------------------------------------- helpers

function scalarLayout(ty: Ty, scalar: Scalar): Layout {
  return {
    ty,
    size: scalarSize(scalar),
    align: scalarAlign(scalar),
    repr: { kind: 'scalar', scalar },
    fields: { kind: 'primitive' },
    variants: { kind: 'single', index: 0 },
    largestNiche: nicheFromScalar(0, scalar),
    fieldTys: [],
  };
}

function intOf(name: IntTy): { bits: IntBits; signed: boolean } {
  const signed = name.startsWith('i');
  const rest = name.slice(1);
  return { bits: rest === 'size' ? 64 : (Number(rest) as IntBits), signed };
}

const INT_REPRS: ReadonlySet<string> = new Set<IntTy>(['u8', 'u16', 'u32', 'u64', 'u128', 'usize', 'i8', 'i16', 'i32', 'i64', 'i128', 'isize']);

/** The enum's `repr(int)`: declared, or inferred from how its discriminant is read. */
function reprInt(adt: Adt): IntTy | undefined {
  return adt.reprInt ?? (adt.decl?.repr.find((w) => INT_REPRS.has(w)) as IntTy | undefined);
}

function reprOptions(adt: Adt): ReprOptions {
  const repr: ReprOptions = { ...DEFAULT_REPR };
  for (const w of adt.decl?.repr ?? []) {
    if (w === 'C') repr.c = true;
    else if (w === 'transparent') repr.transparent = true;
    else if (w === 'packed') repr.packed = true;
  }
  const int = reprInt(adt);
  if (int) repr.int = intOf(int);
  return repr;
}

/**
 * Whether the source gave this variant's discriminant (`A = 5`), which rules out the
 * niche-filling layout as in rustc. Inferred enums carry every value, implied ones too;
 * only those read from an `E::V::{constant#0}` const were written.
 */
function explicitDiscriminant(adt: Adt, v: AdtVariant): boolean {
  return adt.origin === 'inferred' ? v.discriminantFrom === 'const' : v.discriminant !== undefined;
}

/** Each variant's discriminant: explicit, else the previous one plus one (from 0). */
function discriminants(adt: Adt): bigint[] {
  let next = 0n;
  return adt.variants.map((v) => {
    const d = v.discriminant ?? next;
    next = d + 1n;
    return d;
  });
}

/** Maps the ADT's generic parameters, in order, to the path's arguments (defaults filled in). */
function adtSubst(adt: Adt, ty: Extract<Ty, { kind: 'named' }>): Subst {
  return adtArgsSubst(adt, ty.path) ?? EMPTY_SUBST;
}

export function scalarRegType(s: Scalar): RegType {
  switch (s.prim.kind) {
    case 'int':
      return { kind: 'int', bits: s.prim.bits };
    case 'float':
      return { kind: 'float', bits: s.prim.bits };
    case 'pointer':
      return { kind: 'ptr' };
  }
}
