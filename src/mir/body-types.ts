// The types of places, operands and rvalues of one body at one instantiation: the
// checker's rules without its evidence-gathering and diagnostics, for the phases after
// checking (mono collection, lowering). Generic parameters are replaced by `subst`.
// Types that the body alone cannot tell (a path constant whose item is elsewhere)
// come back undefined and the caller supplies the type from context.

import type { Body, Const, Local, Operand, Place, Rvalue, Ty } from './ast.js';
import type { CrateIndex } from './resolve.js';
import { substTy, type Subst } from './subst.js';
import { BOOL, pathKey, UNIT, USIZE } from './ty.js';

export interface PlaceTy {
  ty: Ty;
  /** Set after a downcast: the variant the place is viewed as. */
  variant?: string;
}

export class BodyTypes {
  private readonly locals = new Map<number, Ty>();

  constructor(
    readonly index: CrateIndex,
    body: Body,
    readonly subst: Subst,
  ) {
    const visit = (scope: Body['root']) => {
      for (const d of scope.locals) this.locals.set(d.local, substTy(d.ty, subst));
      scope.children.forEach(visit);
    };
    visit(body.root);
  }

  localTy(local: Local): Ty {
    const ty = this.locals.get(local);
    if (!ty) throw new Error(`local _${local} has no declaration`);
    return ty;
  }

  hasLocal(local: Local): boolean {
    return this.locals.has(local);
  }

  /** Every declared local, in index order. */
  localList(): Local[] {
    return [...this.locals.keys()].sort((a, b) => a - b) as Local[];
  }

  placeTy(place: Place): PlaceTy {
    let cur: PlaceTy = { ty: this.localTy(place.local) };
    for (const elem of place.projection) cur = projectTy(cur, elem, this.subst);
    return cur;
  }

  operandTy(op: Operand): Ty | undefined {
    switch (op.kind) {
      case 'copy':
      case 'move':
        return this.placeTy(op.place).ty;
      case 'const':
        return this.constTy(op.value);
      case 'runtimeChecks':
        return BOOL;
    }
  }

  constTy(c: Const): Ty | undefined {
    switch (c.kind) {
      case 'int':
        return c.ty && { kind: 'int', name: c.ty };
      case 'float':
        return { kind: 'float', name: c.ty };
      case 'bool':
        return BOOL;
      case 'char':
        return { kind: 'char' };
      case 'unit':
        return UNIT;
      case 'str':
        return { kind: 'ref', mutable: false, pointee: { kind: 'str' } };
      case 'byteStr': {
        const arr: Ty = { kind: 'array', elem: { kind: 'int', name: 'u8' }, len: { kind: 'value', value: BigInt(c.bytes.length) } };
        return c.byValue ? arr : { kind: 'ref', mutable: false, pointee: arr };
      }
      case 'tuple': {
        const elems = c.elems.map((e) => this.constTy(e));
        return elems.every((e) => e) ? { kind: 'tuple', elems: elems as Ty[] } : undefined;
      }
      case 'array': {
        const elem = c.elems.length > 0 ? this.constTy(c.elems[0]!) : undefined;
        return elem && { kind: 'array', elem, len: { kind: 'value', value: BigInt(c.elems.length) } };
      }
      case 'alloc':
      case 'indirect':
      case 'transmute':
      case 'intPtr':
      case 'zst':
      case 'fnPtr':
        return substTy(c.ty, this.subst);
      case 'uninit':
        return undefined;
      case 'path':
      case 'ctor': {
        const item = this.index.consts.get(pathKey(c.path)) ?? this.index.statics.get(pathKey(c.path));
        return item ? substTy(item.item.ty, this.subst) : undefined;
      }
    }
  }

  /** The type an rvalue produces, when the rvalue alone determines it. */
  rvalueTy(rv: Rvalue): Ty | undefined {
    switch (rv.kind) {
      case 'use':
        return this.operandTy(rv.operand);
      case 'repeat': {
        const elem = this.operandTy(rv.operand);
        return elem && { kind: 'array', elem, len: rv.count };
      }
      case 'ref':
        return { kind: 'ref', mutable: rv.borrow === 'mut', pointee: this.placeTy(rv.place).ty };
      case 'rawPtr':
        return { kind: 'ptr', mutable: rv.mutability === 'mut', pointee: this.placeTy(rv.place).ty };
      case 'cast':
        return substTy(rv.ty, this.subst);
      case 'binary': {
        const lhs = this.operandTy(rv.lhs) ?? this.operandTy(rv.rhs);
        switch (rv.op) {
          case 'Eq': case 'Ne': case 'Lt': case 'Le': case 'Gt': case 'Ge':
            return BOOL;
          case 'AddWithOverflow': case 'SubWithOverflow': case 'MulWithOverflow':
            return lhs && { kind: 'tuple', elems: [lhs, BOOL] };
          case 'Cmp':
            return { kind: 'int', name: 'i8' };
          case 'Shl': case 'Shr': case 'ShlUnchecked': case 'ShrUnchecked': case 'Offset':
            return this.operandTy(rv.lhs);
          default:
            return lhs;
        }
      }
      case 'nullary':
        return rv.op === 'UbChecks' || rv.op === 'ContractChecks' ? BOOL : USIZE;
      case 'unary':
        return rv.op === 'PtrMetadata' ? USIZE : this.operandTy(rv.operand);
      case 'discriminant':
        return undefined;
      case 'aggregate':
        return undefined;
      case 'shallowInitBox':
      case 'wrapUnsafeBinder':
        return substTy(rv.ty, this.subst);
      case 'copyForDeref':
        return this.placeTy(rv.place).ty;
    }
  }
}

export function projectTy(base: PlaceTy, elem: Place['projection'][number], subst: Subst): PlaceTy {
  switch (elem.kind) {
    case 'deref':
      if (base.ty.kind === 'ref' || base.ty.kind === 'ptr') return { ty: base.ty.pointee };
      throw new Error(`cannot dereference a value of this type`);
    case 'field':
      return { ty: substTy(elem.ty, subst) };
    case 'index':
    case 'constIndex':
      if (base.ty.kind === 'array' || base.ty.kind === 'slice') return { ty: base.ty.elem };
      throw new Error(`cannot index into a value of this type`);
    case 'subslice':
      if (base.ty.kind === 'array' && !elem.fromEnd) return { ty: { kind: 'array', elem: base.ty.elem, len: { kind: 'value', value: BigInt(elem.to - elem.from) } } };
      if (base.ty.kind === 'array') return { ty: { kind: 'array', elem: base.ty.elem, len: { kind: 'value', value: constLen(base.ty) - BigInt(elem.from + elem.to) } } };
      if (base.ty.kind === 'slice') return base;
      throw new Error(`cannot take a subslice of a value of this type`);
    case 'downcast':
      return { ty: base.ty, variant: elem.variant };
    case 'opaqueCast':
    case 'subtype':
      return { ty: substTy(elem.ty, subst) };
  }
}

function constLen(ty: Extract<Ty, { kind: 'array' }>): bigint {
  return ty.len.kind === 'value' ? ty.len.value : 0n;
}
