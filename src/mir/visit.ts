// Small walks over MIR that several phases share: the operands an rvalue reads, and
// every type a function's signature and locals spell.

import type { FnItem, Operand, Rvalue, Scope, Ty } from './ast.js';

/** The operands an rvalue reads (places it borrows or inspects are not operands). */
export function rvalueOperands(rv: Rvalue): Operand[] {
  switch (rv.kind) {
    case 'use':
    case 'repeat':
    case 'cast':
    case 'unary':
    case 'shallowInitBox':
    case 'wrapUnsafeBinder':
      return [rv.operand];
    case 'binary':
      return [rv.lhs, rv.rhs];
    case 'aggregate':
      return rv.operands;
    case 'ref':
    case 'rawPtr':
    case 'discriminant':
    case 'copyForDeref':
    case 'threadLocalRef':
    case 'nullary':
      return [];
  }
}

/** Calls `f` with the parameter types, the return type and every local's type of a function. */
export function forEachFnTy(fn: FnItem, f: (t: Ty) => void): void {
  fn.params.forEach((p) => f(p.ty));
  f(fn.ret);
  const scope = (sc: Scope): void => {
    sc.locals.forEach((l) => f(l.ty));
    sc.children.forEach(scope);
  };
  scope(fn.body.root);
}
