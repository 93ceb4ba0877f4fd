// Computes and caches the layouts of concrete types (see layout.ts for the data).

import type { Ty } from '../../mir/ast.js';
import type { AdtTable } from '../../mir/adt-table.js';
import type { RegType } from '../traits/types.js';
import type { Layout, Scalar } from './layout.js';

/** A type that cannot be laid out: a generic parameter left over, an unknown ADT, `dyn` by value. */
export class LayoutError extends Error {}

export class LayoutCx {
  constructor(readonly adts: AdtTable) {}

  /** The layout of a concrete type; throws LayoutError naming the type when impossible. */
  layoutOf(ty: Ty): Layout {
    void ty;
    throw new LayoutError('not implemented');
  }

  /** Field `i` of a struct/tuple/closure/variant layout, or the element of an array. */
  field(l: Layout, i: number): Layout {
    void l; void i;
    throw new LayoutError('not implemented');
  }

  /** The layout of enum variant `variant` (index in declaration order); `l` itself for single-variant layouts. */
  forVariant(l: Layout, variant: number): Layout {
    void l; void variant;
    throw new LayoutError('not implemented');
  }

  /** The index of a variant, by name, in the enum's declaration order. */
  variantIndex(ty: Ty, name: string): number {
    void ty; void name;
    throw new LayoutError('not implemented');
  }

  /** The discriminant value of variant `variant` of the enum `ty`. */
  discriminant(ty: Ty, variant: number): bigint {
    void ty; void variant;
    throw new LayoutError('not implemented');
  }

  /** The type `Rvalue::Discriminant` produces for `ty` (the repr integer, else isize). */
  discriminantTy(ty: Ty): Ty {
    void ty;
    throw new LayoutError('not implemented');
  }
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
