// What a body says at an offset: the places and paths it mentions (with their spans),
// its locals (declared type, debug names, scope), and the type of a place
// computed from the printed types alone (the local's declared type, field types as
// printed in `(_1.0: T)`, the pointee of a reference, pointer or Box, the element of
// an array or slice). Hover and definition read these; nothing here needs the crate.

import type {
  Body, Const, DebugVar, Item, Local, LocalDecl, Operand, Path, Place, ProjectionElem, Rvalue, Scope, Statement,
  Terminator, Ty,
} from '../../src/mir/ast.js';
import type { SourceFile, Span } from '../../src/diagnostics.js';
import { type PlaceTy, projectTy } from '../../src/mir/body-types.js';
import { printPlace } from '../../src/mir/printer.js';
import { EMPTY_SUBST } from '../../src/mir/subst.js';
import { assertOperands, rvalueOperands } from '../../src/mir/visit.js';
import { contains } from './position.js';

/** How a path is used: as a value (a function, const or static) or as a type's constructor. */
export type PathRole = 'value' | 'ctor';

interface BodyVisitor {
  place?(place: Place): void;
  path?(path: Path, role: PathRole): void;
}

export function bodyOf(item: Item | undefined): Body | undefined {
  return item && (item.kind === 'fn' || item.kind === 'static' || item.kind === 'const') ? item.body : undefined;
}

function walkBody(body: Body, v: BodyVisitor): void {
  const scope = (s: Scope): void => {
    for (const d of s.debugs) walkDebug(d, v);
    s.children.forEach(scope);
  };
  scope(body.root);
  for (const b of body.blocks) {
    for (const s of b.statements) walkStatement(s, v);
    walkTerminator(b.terminator, v);
  }
}

function walkDebug(d: DebugVar, v: BodyVisitor): void {
  if (d.value.kind === 'place') v.place?.(d.value.place);
  else walkConst(d.value.value, v);
}

function walkStatement(s: Statement, v: BodyVisitor): void {
  switch (s.kind) {
    case 'assign':
      v.place?.(s.place);
      walkRvalue(s.rvalue, v);
      return;
    case 'fakeRead':
    case 'setDiscriminant':
    case 'deinit':
    case 'retag':
    case 'placeMention':
    case 'ascribeUserType':
    case 'backwardIncompatibleDropHint':
      v.place?.(s.place);
      return;
    case 'debugInfo':
      if (s.place) v.place?.(s.place);
      return;
    case 'assume':
      walkOperand(s.operand, v);
      return;
    case 'copyNonOverlapping':
      [s.src, s.dst, s.count].forEach((o) => walkOperand(o, v));
      return;
    case 'storageLive':
    case 'storageDead':
    case 'coverage':
    case 'constEvalCounter':
    case 'nop':
      return;
  }
}

function walkRvalue(r: Rvalue, v: BodyVisitor): void {
  switch (r.kind) {
    case 'ref':
    case 'rawPtr':
    case 'discriminant':
    case 'copyForDeref':
      v.place?.(r.place);
      return;
    case 'threadLocalRef':
      v.path?.(r.path, 'value');
      return;
    case 'aggregate':
      if (r.agg.kind === 'adt') v.path?.(r.agg.path, 'ctor');
      break;
    default:
      break;
  }
  for (const o of rvalueOperands(r)) walkOperand(o, v);
}

function walkTerminator(t: Terminator, v: BodyVisitor): void {
  switch (t.kind) {
    case 'switchInt':
      walkOperand(t.discr, v);
      return;
    case 'drop':
      v.place?.(t.place);
      return;
    case 'call':
      v.place?.(t.dest);
      walkOperand(t.func, v);
      t.args.forEach((a) => walkOperand(a, v));
      return;
    case 'tailCall':
      walkOperand(t.func, v);
      t.args.forEach((a) => walkOperand(a, v));
      return;
    case 'assert':
      walkOperand(t.cond, v);
      assertOperands(t.msg).forEach((o) => walkOperand(o, v));
      return;
    default:
      return;
  }
}

function walkOperand(o: Operand, v: BodyVisitor): void {
  if (o.kind === 'copy' || o.kind === 'move') v.place?.(o.place);
  else if (o.kind === 'const') walkConst(o.value, v);
}

function walkConst(c: Const, v: BodyVisitor): void {
  switch (c.kind) {
    case 'path':
      v.path?.(c.path, 'value');
      return;
    case 'fnPtr':
      v.path?.(c.path, 'value');
      return;
    case 'ctor':
      v.path?.(c.path, 'ctor');
      c.fields.forEach((f) => walkConst(f.value, v));
      return;
    case 'tuple':
    case 'array':
      c.elems.forEach((e) => walkConst(e, v));
      return;
    default:
      return;
  }
}

interface PathRef {
  path: Path;
  role: PathRole;
}

/** The innermost place and path of `body` whose span holds `offset`. */
export function refsAt(body: Body, offset: number): { place?: Place; path?: PathRef } {
  return innermostRefs(offset, (v) => walkBody(body, v));
}

/** The innermost path of a one-line constant's value (`const F: fn() = const foo;`) holding `offset`. */
export function walkConstPaths(c: Const, offset: number): PathRef | undefined {
  return innermostRefs(offset, (v) => walkConst(c, v)).path;
}

function innermostRefs(offset: number, walk: (v: BodyVisitor) => void): { place?: Place; path?: PathRef } {
  let place: Place | undefined;
  let path: PathRef | undefined;
  const narrower = (s: Span, than: Span | undefined) => contains(s, offset) && (!than || s.hi - s.lo < than.hi - than.lo);
  walk({
    place(p) {
      if (narrower(p.span, place?.span)) place = p;
    },
    path(p, role) {
      if (narrower(p.span, path?.path.span)) path = { path: p, role };
    },
  });
  return { place, path };
}

// ---------------------------------------------------------------- locals

export interface LocalInfo {
  local: Local;
  ty: Ty;
  mutable: boolean;
  /** The parameter's `_1: T` or the `let` declaration. */
  span: Span;
  param: boolean;
  /** The scope that declares it (0 for the parameters and the function's own scope). */
  scope: number;
  /** The callee whose inlined scope declares it. */
  inlined?: string;
  /** `debug` names that show it: `x`, `iter.1` (a fragment), `x = (*_3)` (a projection). */
  debugNames: string[];
}

/** Every local of `item`: its parameters, then the locals its body's scopes declare. */
export function localsOf(item: Item): Map<number, LocalInfo> {
  const out = new Map<number, LocalInfo>();
  if (item.kind === 'fn') {
    for (const p of item.params) out.set(p.local, { local: p.local, ty: p.ty, mutable: false, span: p.span, param: true, scope: 0, debugNames: [] });
  }
  const body = bodyOf(item);
  if (!body) return out;
  const debugs: DebugVar[] = [];
  const visit = (s: Scope, inlined: string | undefined): void => {
    const here = s.inlined ?? inlined;
    for (const d of s.locals) out.set(d.local, declInfo(d, s.index, here));
    debugs.push(...s.debugs);
    for (const c of s.children) visit(c, here);
  };
  visit(body.root, undefined);
  for (const d of debugs) {
    if (d.value.kind !== 'place') continue;
    const info = out.get(d.value.place.local);
    if (!info) continue;
    const name = d.composite ? [d.name, ...d.composite.path.map((f) => f.index)].join('.') : d.name;
    info.debugNames.push(d.value.place.projection.length === 0 ? name : `${name} = ${printPlace(d.value.place)}`);
  }
  return out;
}

function declInfo(d: LocalDecl, scope: number, inlined: string | undefined): LocalInfo {
  return { local: d.local, ty: d.ty, mutable: d.mutable, span: d.span, param: false, scope, inlined, debugNames: [] };
}

// ---------------------------------------------------------------- place types

/** The type of `local` followed by `projection`, or undefined when the printed types do not tell. */
export function placeType(localTy: Ty, projection: readonly ProjectionElem[]): PlaceTy | undefined {
  let cur: PlaceTy = { ty: localTy };
  for (const e of projection) {
    const next = project(cur, e);
    if (!next) return undefined;
    cur = next;
  }
  return cur;
}

/** `projectTy` without a substitution, plus the deref of a `Box<T>`; undefined where it fails. */
function project(cur: PlaceTy, e: ProjectionElem): PlaceTy | undefined {
  const t = cur.ty;
  if (e.kind === 'deref' && t.kind === 'named') {
    const last = t.path.segments[t.path.segments.length - 1];
    const arg = last?.kind === 'ident' && last.name === 'Box' ? last.args?.[0] : undefined;
    return arg?.kind === 'type' ? { ty: arg.ty } : undefined;
  }
  // An array of unknown length has no known length after a subslice from its end.
  if (e.kind === 'subslice' && e.fromEnd && t.kind === 'array' && t.len.kind !== 'value') return undefined;
  try {
    const next = projectTy(cur, e, EMPTY_SUBST);
    // Only a downcast views the place as a variant (a subslice of a slice keeps `cur`'s).
    return e.kind === 'downcast' ? next : { ty: next.ty };
  } catch {
    return undefined;
  }
}

/**
 * The part of `place` the cursor is in: rustc wraps each deref, field, downcast and
 * cast in parentheses, opened at the start of the place (`((*_1).0: i32)`), so the
 * innermost pair of those parentheses around `offset` names a prefix of the projection.
 * Outside every pair (on an index, or a bare local) it is the whole place.
 */
export function subPlaceAt(file: SourceFile, place: Place, offset: number): Place {
  const text = file.text;
  const parenElems: number[] = [];
  place.projection.forEach((e, i) => {
    if (e.kind !== 'index' && e.kind !== 'constIndex' && e.kind !== 'subslice') parenElems.push(i);
  });
  // The openers, outermost first: `(` and `*` before the local.
  const openers: number[] = [];
  let i = place.span.lo;
  while (i < place.span.hi && (text[i] === '(' || text[i] === '*' || text[i] === ' ')) {
    if (text[i] === '(') openers.push(i);
    i++;
  }
  if (openers.length !== parenElems.length) return place;
  let inner = -1;
  openers.forEach((open, k) => {
    const close = matchingParen(text, open, place.span.hi);
    if (close >= 0 && open <= offset && offset <= close) inner = k;
  });
  if (inner < 0) return place;
  const elem = parenElems[parenElems.length - 1 - inner]!;
  return { local: place.local, projection: place.projection.slice(0, elem + 1), span: { lo: openers[inner]!, hi: matchingParen(text, openers[inner]!, place.span.hi) + 1 } };
}

function matchingParen(text: string, open: number, limit: number): number {
  let depth = 0;
  for (let i = open; i < limit; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}
