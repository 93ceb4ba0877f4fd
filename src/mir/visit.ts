// Small walks over MIR that several phases share: the successors of a terminator, the
// operands an rvalue or an assert message reads, and every type a function spells.

import type { BlockId, FnItem, Operand, Rvalue, Scope, Terminator, Ty } from './ast.js';

/** Successors along edges that do not pass through a call or a drop (nor unwind). */
export function flowSuccessors(t: Terminator): BlockId[] {
  switch (t.kind) {
    case 'goto':
      return [t.target];
    case 'switchInt':
      return [...t.targets.map((x) => x.target), t.otherwise];
    case 'assert':
      return [t.target];
    case 'falseEdge':
      return [t.real, t.imaginary];
    case 'falseUnwind':
      return [t.real];
    default:
      return [];
  }
}

/** Every successor on the normal path: flow edges, and where calls and drops return to. */
export function successors(t: Terminator): BlockId[] {
  const out = flowSuccessors(t);
  if (t.kind === 'call' && t.target !== undefined) out.push(t.target);
  if (t.kind === 'drop') {
    out.push(t.target);
    if (t.dropTarget !== undefined) out.push(t.dropTarget);
  }
  return out;
}

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

/** The operands an assert's failure message prints. */
export function assertOperands(m: Extract<Terminator, { kind: 'assert' }>['msg']): Operand[] {
  switch (m.kind) {
    case 'boundsCheck':
      return [m.len, m.index];
    case 'overflow':
      return m.lhs ? [m.lhs, m.rhs] : [m.rhs];
    case 'overflowNeg':
    case 'divisionByZero':
    case 'remainderByZero':
    case 'invalidEnumConstruction':
      return [m.operand];
    case 'misalignedPointerDereference':
      return [m.required, m.found];
    case 'nullPointerDereference':
    case 'resumedAfter':
      return [];
  }
}
