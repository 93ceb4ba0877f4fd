// Statements (rustc's `codegen_statement`): assignments write an rvalue to a place or
// define an SSA local; `SetDiscriminant` and `CopyNonOverlapping` touch memory; the
// rest (storage markers, retags, debug info, coverage) generate nothing.

import type { Local, Place, Statement } from '../../mir/ast.js';
import type { BackendTypes } from '../traits/index.js';
import { I64 } from '../traits/index.js';
import { writeDiscriminant } from './discriminant.js';
import { CodegenError, type FunctionCx } from './function-cx.js';
import { immediateOf, loadOperand, type OperandRef, type PlaceRef } from './operand.js';
import { codegenPlace, localLayout } from './place.js';
import { codegenOperand, codegenRvalueInto, codegenRvalueOperand } from './rvalue.js';

export function codegenStatement<B extends BackendTypes>(fx: FunctionCx<B>, s: Statement): void {
  switch (s.kind) {
    case 'assign': {
      const local = ssaTarget(fx, s.place);
      if (local !== undefined) {
        const layout = localLayout(fx, local);
        if (s.rvalue.kind === 'aggregate' || s.rvalue.kind === 'repeat') {
          const slot: PlaceRef<B> = { ptr: fx.bx.alloca(Math.max(1, layout.size), layout.align), layout };
          codegenRvalueInto(fx, slot, s.rvalue);
          defineLocal(fx, local, loadOperand(fx.bx, slot));
        } else {
          defineLocal(fx, local, codegenRvalueOperand(fx, s.rvalue, layout));
        }
        return;
      }
      codegenRvalueInto(fx, codegenPlace(fx, s.place), s.rvalue);
      return;
    }
    case 'setDiscriminant': {
      const place = codegenPlace(fx, s.place);
      writeDiscriminant(fx, place, s.variant);
      return;
    }
    case 'copyNonOverlapping': {
      const src = codegenOperand(fx, s.src);
      const dst = codegenOperand(fx, s.dst);
      const count = codegenOperand(fx, s.count);
      const pointee = src.layout.ty.kind === 'ptr' || src.layout.ty.kind === 'ref' ? src.layout.ty.pointee : undefined;
      const size = pointee ? fx.ucx.layouts.layoutOf(pointee).size : 1;
      const bytes = fx.bx.intBinary('mul', immediateOf(fx.bx, count), fx.bx.constInt(I64, BigInt(size)));
      fx.bx.memcpy(immediateOf(fx.bx, dst), immediateOf(fx.bx, src), bytes, 1);
      return;
    }
    case 'assume':
    case 'fakeRead':
    case 'deinit':
    case 'storageLive':
    case 'storageDead':
    case 'retag':
    case 'placeMention':
    case 'ascribeUserType':
    case 'coverage':
    case 'constEvalCounter':
    case 'nop':
    case 'backwardIncompatibleDropHint':
    case 'debugInfo':
      return;
  }
}

/** The local a whole-local assignment defines, when that local lives in registers. */
export function ssaTarget<B extends BackendTypes>(fx: FunctionCx<B>, place: Place): Local | undefined {
  if (place.projection.length > 0) return undefined;
  return fx.locals.get(place.local)?.kind === 'operand' ? place.local : undefined;
}

export function defineLocal<B extends BackendTypes>(fx: FunctionCx<B>, local: Local, op: OperandRef<B>): void {
  const ref = fx.locals.get(local);
  if (ref?.kind !== 'operand') throw new CodegenError(`internal: _${local} is not an SSA local`);
  // A value still in memory is loaded now, so later writes to that memory cannot change it.
  ref.op = op.val.kind === 'ref' ? loadOperand(fx.bx, { ptr: op.val.ptr, layout: op.layout }) : { layout: localLayout(fx, local), val: op.val };
}
