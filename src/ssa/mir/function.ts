// One function (rustc's `codegen_mir`): decide where each local lives, receive the
// parameters as the ABI passes them, then lower every block. Cleanup blocks are never
// reached (codegend compiles with panic=abort) and become `unreachable`.

import type { Body, Local } from '../../mir/ast.js';
import { BodyTypes } from '../../mir/body-types.js';
import type { SourceFile } from '../../diagnostics.js';
import { type Instance, MonoError } from '../../mono/types.js';
import { LayoutError } from '../layout/layout-cx.js';
import type { Layout } from '../layout/layout.js';
import { isZst } from '../layout/layout.js';
import type { BackendTypes, SourceLoc } from '../traits/index.js';
import { controlFlow, ssaLocals } from './analyze.js';
import { codegenTerminator, storeCastRegs } from './block.js';
import { finishPanicBlock } from './panic.js';
import { fnRef } from './declare.js';
import { CodegenError, type FunctionCx, type LocalRef, type UnitCx } from './function-cx.js';
import { fromImmediates, type PlaceRef, storeOperand } from './operand.js';
import { codegenStatement } from './statement.js';

export function codegenFunction<B extends BackendTypes>(ucx: UnitCx<B>, instance: Instance, body: Body, file: SourceFile): void {
  const f = fnRef(ucx, instance);
  const bx = ucx.cx.defineFn(f.fn);
  const params = instance.def.kind === 'item' ? instance.def.item.item.params.map((p) => p.ty) : [];
  const types = new BodyTypes(ucx.index, body, instance.subst, params);
  const fx: FunctionCx<B> = { ucx, bx, instance, body, file, types, abi: f.abi, locals: new Map(), blocks: [] };
  const layoutOf = (l: Local): Layout => ucx.layouts.layoutOf(types.localTy(l));
  const argCount = f.abi.args.length;
  const cfg = controlFlow(body);
  const ssa = ssaLocals(body, cfg, argCount, layoutOf);
  const staticSlots = instance.def.kind === 'constBody';
  bx.setSourceLoc(headerLoc(instance, file));

  const slot = (layout: Layout): PlaceRef<B> => {
    if (!staticSlots) return { ptr: bx.alloca(Math.max(1, layout.size), layout.align), layout };
    // A const body's borrowed locals outlive the call: they live in static storage.
    const sym = `${instance.symbol}.slot${fx.locals.size}`;
    const g = ucx.cx.declareData(sym, 'internal');
    ucx.cx.defineData(g, { bytes: new Uint8Array(Math.max(1, layout.size)), relocs: [], align: layout.align, mutable: true });
    return { ptr: bx.dataAddress(g, 0), layout };
  };

  let param = 0;
  // The return place.
  const retLayout = layoutOf(0 as Local);
  if (f.abi.ret.mode.kind === 'indirect') fx.locals.set(0 as Local, { kind: 'place', place: { ptr: bx.param(param++), layout: retLayout } });
  else fx.locals.set(0 as Local, ssa.has(0 as Local) ? { kind: 'operand' } : { kind: 'place', place: slot(retLayout) });

  // The function-pointer form of a closure has no receiver: `_1` is a dangling but
  // well-aligned stand-in (the closure captures nothing, so it is never read).
  const receiverless = instance.def.kind === 'item' && instance.def.shim === 'closureFnPointer';
  if (receiverless) {
    const layout = layoutOf(1 as Local);
    const stand = bx.alloca(8, 8);
    const op = layout.repr.kind === 'scalar' ? fromImmediates<B>(layout, [stand]) : { layout, val: { kind: 'zst' as const } };
    fx.locals.set(1 as Local, ssa.has(1 as Local) ? { kind: 'operand', op } : { kind: 'place', place: { ptr: stand, layout } });
  }
  // Parameters, as the ABI delivers them.
  for (let i = 0; i < argCount; i++) {
    const local = (i + 1 + (receiverless ? 1 : 0)) as Local;
    const arg = f.abi.args[i]!;
    const layout = arg.layout;
    let ref: LocalRef<B>;
    switch (arg.mode.kind) {
      case 'ignore':
        ref = ssa.has(local) ? { kind: 'operand', op: { layout, val: { kind: 'zst' } } } : { kind: 'place', place: slot(layout) };
        break;
      case 'direct':
      case 'pair': {
        const n = arg.mode.kind === 'pair' ? 2 : 1;
        const values: B['Value'][] = [];
        for (let k = 0; k < n; k++) values.push(bx.param(param++));
        const op = fromImmediates<B>(layout, values);
        if (ssa.has(local)) ref = { kind: 'operand', op };
        else {
          const place = slot(layout);
          storeOperand(bx, op, place);
          ref = { kind: 'place', place };
        }
        break;
      }
      case 'cast': {
        const values = arg.mode.regs.map(() => bx.param(param++));
        ref = { kind: 'place', place: storeCastRegs(fx, values, layout) };
        break;
      }
      case 'indirect':
        ref = { kind: 'place', place: { ptr: bx.param(param++), layout } };
        break;
    }
    fx.locals.set(local, ref);
  }

  // The other locals.
  for (const local of types.localList()) {
    if (fx.locals.has(local)) continue;
    const layout = layoutOf(local);
    if (ssa.has(local)) fx.locals.set(local, isZst(layout) ? { kind: 'operand', op: { layout, val: { kind: 'zst' } } } : { kind: 'operand' });
    else fx.locals.set(local, { kind: 'place', place: slot(layout) });
  }

  for (const b of body.blocks) fx.blocks[b.id] = bx.appendBlock(`bb${b.id}`);
  const entry = fx.blocks[0];
  if (entry === undefined) throw new CodegenError('a body without blocks');
  bx.br(entry);
  const byId = new Map(body.blocks.map((b) => [b.id as number, b]));
  for (const id of cfg.order) {
    const b = byId.get(id)!;
    bx.positionAtEnd(fx.blocks[b.id]!);
    if (b.cleanup) {
      bx.setSourceLoc(undefined);
      bx.unreachable();
      continue;
    }
    for (const s of b.statements) {
      bx.setSourceLoc({ file, span: s.span });
      try {
        codegenStatement(fx, s);
      } catch (e) {
        throw located(e, s.span);
      }
    }
    bx.setSourceLoc({ file, span: b.terminator.span });
    try {
      codegenTerminator(fx, b);
    } catch (e) {
      throw located(e, b.terminator.span);
    }
  }
  finishPanicBlock(fx);
}

/**
 * Where the prologue comes from (rustc gives it the body's span): the function's header,
 * from the start of its line (`fn`, at column 1 in any dump) to the end of its name.
 */
function headerLoc(instance: Instance, file: SourceFile): SourceLoc | undefined {
  const def = instance.def;
  if (def.kind !== 'item' && def.kind !== 'constBody') return undefined;
  const name = def.item.item.nameSpan;
  return { file, span: { lo: file.text.lastIndexOf('\n', name.lo - 1) + 1, hi: name.hi } };
}

/** Gives an error without a location the span of the statement being lowered. */
function located(e: unknown, span: import('../../diagnostics.js').Span): unknown {
  if (e instanceof CodegenError) return e.span ? e : new CodegenError(e.message, span);
  if (e instanceof LayoutError || e instanceof MonoError) return new CodegenError(e.message, span);
  return e;
}
