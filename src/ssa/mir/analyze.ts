// Which locals can live in SSA values instead of stack slots (rustc's
// `non_ssa_locals`): a scalar or scalar-pair local that is assigned exactly once, as a
// whole, in a place that dominates every use, and is never borrowed, written through
// a projection, downcast or asked for its discriminant. Everything else gets a slot.
// Also the control flow the lowering walks: reverse postorder (definitions before
// uses) and immediate dominators.

import type { BasicBlock, Body, Local, Operand, Place, Rvalue, Statement, Terminator } from '../../mir/ast.js';
import { rvalueOperands, successors } from '../../mir/visit.js';
import type { Layout } from '../layout/layout.js';
import { isZst } from '../layout/layout.js';

interface Site {
  block: number;
  /** Statement index; the terminator is `statements.length`. */
  index: number;
}

export function ssaLocals(body: Body, cfg: ControlFlow, argCount: number, layoutOf: (local: Local) => Layout): Set<Local> {
  const defs = new Map<number, Site[]>();
  const uses = new Map<number, Site[]>();
  const memory = new Set<number>();
  const push = (m: Map<number, Site[]>, l: number, s: Site) => {
    const list = m.get(l);
    if (list) list.push(s);
    else m.set(l, [s]);
  };

  const usePlace = (p: Place, at: Site, mode: 'read' | 'write' | 'borrow') => {
    let i = 0;
    // Leading field projections read part of the value; a deref reads the pointer.
    while (i < p.projection.length && p.projection[i]!.kind === 'field') i++;
    const direct = i === p.projection.length;
    if (mode === 'borrow' && p.projection.findIndex((e) => e.kind === 'deref') === -1) memory.add(p.local);
    else if (mode === 'write' && p.projection.length > 0 && p.projection[0]!.kind !== 'deref') memory.add(p.local);
    else if (mode === 'write' && p.projection.length === 0) push(defs, p.local, at);
    else {
      if (!direct && p.projection[i]!.kind !== 'deref') memory.add(p.local);
      push(uses, p.local, at);
    }
    for (const e of p.projection) if (e.kind === 'index') push(uses, e.local, at);
  };
  const useOperand = (o: Operand, at: Site) => {
    if (o.kind === 'copy' || o.kind === 'move') usePlace(o.place, at, 'read');
  };
  const useRvalue = (r: Rvalue, at: Site) => {
    switch (r.kind) {
      case 'ref':
      case 'rawPtr':
        usePlace(r.place, at, 'borrow');
        return;
      case 'discriminant':
        if (!r.place.projection.some((e) => e.kind === 'deref')) memory.add(r.place.local);
        usePlace(r.place, at, 'read');
        return;
      case 'copyForDeref':
        usePlace(r.place, at, 'read');
        return;
      default:
        for (const o of rvalueOperands(r)) useOperand(o, at);
    }
  };
  const statement = (s: Statement, at: Site) => {
    switch (s.kind) {
      case 'assign':
        useRvalue(s.rvalue, at);
        usePlace(s.place, at, 'write');
        return;
      case 'setDiscriminant':
      case 'deinit':
        memory.add(s.place.local);
        return;
      case 'assume':
        useOperand(s.operand, at);
        return;
      case 'copyNonOverlapping':
        useOperand(s.src, at);
        useOperand(s.dst, at);
        useOperand(s.count, at);
        return;
      default:
        return;
    }
  };
  const terminator = (t: Terminator, at: Site, b: BasicBlock) => {
    switch (t.kind) {
      case 'switchInt':
        useOperand(t.discr, at);
        return;
      case 'call':
        useOperand(t.func, at);
        for (const a of t.args) useOperand(a, at);
        // The result is defined on the edge to the return block.
        if (t.dest.projection.length > 0) memory.add(t.dest.local);
        else if (t.target !== undefined) push(defs, t.dest.local, { block: t.target, index: -1 });
        else push(defs, t.dest.local, { block: b.id, index: b.statements.length + 1 });
        return;
      case 'tailCall':
        useOperand(t.func, at);
        for (const a of t.args) useOperand(a, at);
        return;
      case 'assert':
        useOperand(t.cond, at);
        return;
      case 'drop':
        memory.add(t.place.local);
        return;
      case 'return':
        push(uses, 0, at);
        return;
      default:
        return;
    }
  };
  for (const b of body.blocks) {
    b.statements.forEach((s, i) => statement(s, { block: b.id, index: i }));
    terminator(b.terminator, { block: b.id, index: b.statements.length }, b);
  }
  // A call result defined on an edge into a block that has other predecessors does not dominate.
  const preds = cfg.preds;
  const out = new Set<Local>();
  const all = new Set<number>([...defs.keys(), ...uses.keys()]);
  for (let l = 0; l <= argCount; l++) all.add(l);
  for (const l of all) {
    const local = l as Local;
    if (memory.has(l)) continue;
    let layout: Layout;
    try {
      layout = layoutOf(local);
    } catch {
      continue;
    }
    if (!isZst(layout) && layout.repr.kind !== 'scalar' && layout.repr.kind !== 'scalarPair') continue;
    const d = defs.get(l) ?? [];
    const isArg = l >= 1 && l <= argCount;
    if (isZst(layout)) {
      out.add(local);
      continue;
    }
    if (isArg ? d.length !== 0 : d.length !== 1) continue;
    if (!isArg) {
      const def = d[0]!;
      if (def.index === -1 && (preds.get(def.block)?.length ?? 0) !== 1) continue;
      const ok = (uses.get(l) ?? []).every((u) => dominatesSite(cfg, def, u));
      if (!ok) continue;
    }
    out.add(local);
  }
  return out;
}

function dominatesSite(cfg: ControlFlow, def: Site, use: Site): boolean {
  if (def.block === use.block) return def.index < use.index;
  return dominates(cfg, def.block, use.block);
}

function predecessors(body: Body): Map<number, number[]> {
  const preds = new Map<number, number[]>();
  for (const b of body.blocks) {
    for (const s of successors(b.terminator)) {
      const list = preds.get(s);
      if (list) list.push(b.id);
      else preds.set(s, [b.id]);
    }
  }
  return preds;
}

/** The control-flow facts the lowering needs of a body, computed once. */
export interface ControlFlow {
  /** Reachable blocks in reverse postorder, then the unreachable ones. */
  order: number[];
  preds: Map<number, number[]>;
  /** Immediate dominators of the reachable blocks (bb0 is its own). */
  idom: Map<number, number>;
}

export function controlFlow(body: Body): ControlFlow {
  const order = reversePostorder(body);
  const preds = predecessors(body);
  return { order, preds, idom: immediateDominators(order, preds) };
}

/** Cooper, Harvey and Kennedy's iterative algorithm over the reverse postorder. */
function immediateDominators(order: number[], preds: Map<number, number[]>): Map<number, number> {
  const rank = new Map(order.map((b, i) => [b, i]));
  const idom = new Map<number, number>([[0, 0]]);
  const intersect = (a: number, b: number): number => {
    while (a !== b) {
      while (rank.get(a)! > rank.get(b)!) a = idom.get(a)!;
      while (rank.get(b)! > rank.get(a)!) b = idom.get(b)!;
    }
    return a;
  };
  let changed = true;
  while (changed) {
    changed = false;
    for (const b of order) {
      if (b === 0) continue;
      let next: number | undefined;
      for (const p of preds.get(b) ?? []) {
        if (!idom.has(p)) continue;
        next = next === undefined ? p : intersect(p, next);
      }
      if (next !== undefined && idom.get(b) !== next) {
        idom.set(b, next);
        changed = true;
      }
    }
  }
  return idom;
}

/** Whether block `a` dominates block `b` (unreachable blocks are dominated by nothing). */
export function dominates(cfg: ControlFlow, a: number, b: number): boolean {
  if (!cfg.idom.has(b)) return false;
  for (let x = b; ; x = cfg.idom.get(x)!) {
    if (x === a) return true;
    if (x === 0) return false;
  }
}

/** Blocks in reverse postorder from bb0, then the unreachable ones: SSA definitions come before their uses. */
function reversePostorder(body: Body): number[] {
  const byId = new Map(body.blocks.map((b) => [b.id as number, b]));
  const seen = new Set<number>();
  const post: number[] = [];
  // Iterative DFS: deep bodies must not overflow the stack.
  const stack: { id: number; next: number; succ: number[] }[] = [];
  const push = (id: number) => {
    seen.add(id);
    const b = byId.get(id);
    stack.push({ id, next: 0, succ: b ? successors(b.terminator) : [] });
  };
  if (byId.has(0)) push(0);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next < top.succ.length) {
      const s = top.succ[top.next++]!;
      if (!seen.has(s) && byId.has(s)) push(s);
    } else {
      post.push(top.id);
      stack.pop();
    }
  }
  const order = post.reverse();
  for (const b of body.blocks) if (!seen.has(b.id)) order.push(b.id);
  return order;
}
