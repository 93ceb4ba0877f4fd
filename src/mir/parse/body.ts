// Bodies: the declaration part (`let`, `debug`, nested `scope` blocks) and the basic
// blocks with their statements and one terminator each.

import type {
  AssertMessage, BasicBlock, BinOp, BlockId, Body, DebugVar, LocalDecl, Operand, Scope, Statement,
  SwitchTarget, Terminator, UnwindAction,
} from '../ast.js';
import type { Span } from '../../diagnostics.js';
import { Tok } from '../lexer.js';
import type { Cursor } from './cursor.js';
import { atLocal, parseConst, parseLocal, parseOperand, parsePlace } from './operand.js';
import { parseRhs } from './rvalue.js';
import { parseTy, splitIntLiteral } from './types.js';

/** Parses `{ decls… blocks… }`; the cursor is on the `{`. */
export function parseBody(p: Cursor): Body {
  const lo = p.start;
  p.expect(Tok.LBrace);
  const root: Scope = { index: 0, locals: [], debugs: [], children: [], span: { lo, hi: lo } };
  parseScopeContents(p, root);
  const blocks: BasicBlock[] = [];
  while (!p.at(Tok.RBrace)) {
    if (p.blockAt() < 0) {
      if (p.atIdent('let') || p.atIdent('debug') || p.atIdent('scope')) {
        p.fail(p.currentSpan(), 'declarations must come before the first basic block');
      }
      p.unexpected('a basic block such as `bb0: {` or `}`');
    }
    blocks.push(parseBlock(p));
  }
  p.expect(Tok.RBrace);
  root.span = p.spanFrom(lo);
  return { root, blocks };
}

function parseScopeContents(p: Cursor, scope: Scope): void {
  for (;;) {
    if (p.atIdent('let')) scope.locals.push(parseLet(p));
    else if (p.atIdent('debug')) scope.debugs.push(parseDebug(p));
    else if (p.atIdent('scope')) scope.children.push(parseScope(p));
    else return;
  }
}

function parseScope(p: Cursor): Scope {
  p.enter();
  const scope = parseScopeInner(p);
  p.leave();
  return scope;
}

function parseScopeInner(p: Cursor): Scope {
  const lo = p.start;
  p.expectIdent('scope');
  const index = p.smallInt('a scope number');
  let inlined: string | undefined;
  if (p.eat(Tok.LParen)) {
    p.expectIdent('inlined');
    inlined = p.rawUntilBalanced(Tok.LParen, Tok.RParen, 'an inlined scope');
    p.expect(Tok.RParen);
  }
  p.expect(Tok.LBrace);
  const scope: Scope = { index, inlined, locals: [], debugs: [], children: [], span: { lo, hi: lo } };
  parseScopeContents(p, scope);
  p.expect(Tok.RBrace, '`let`, `debug`, `scope` or `}` in a scope');
  scope.span = p.spanFrom(lo);
  return scope;
}

function parseLet(p: Cursor): LocalDecl {
  const lo = p.start;
  p.expectIdent('let');
  const mutable = p.eatIdent('mut');
  const local = parseLocal(p);
  p.expect(Tok.Colon, '`:` and the type of the local');
  const ty = parseTy(p);
  p.expect(Tok.Semi, '`;` after a local declaration');
  return { local, mutable, ty, span: p.spanFrom(lo) };
}

/** `debug x => _1;`, `debug x => const 5_i32;`, `debug ((it: T).1: U) => …;`. */
function parseDebug(p: Cursor): DebugVar {
  const lo = p.start;
  p.expectIdent('debug');
  let name: string;
  let composite: DebugVar['composite'];
  if (p.at(Tok.LParen)) composite = debugFragment(p, (n) => (name = n));
  else name = p.ident('a variable name');
  p.expect(Tok.FatArrow, '`=>`');
  let value: DebugVar['value'];
  if (p.eatIdent('const')) value = { kind: 'const', value: parseConst(p) };
  else value = { kind: 'place', place: parsePlace(p) };
  p.expect(Tok.Semi, '`;` after a debug line');
  return { name: name!, composite, value, span: p.spanFrom(lo) };
}

/** `((iter: T).1: U)` → the variable, its type, and the field path into it. */
function debugFragment(p: Cursor, setName: (n: string) => void): DebugVar['composite'] {
  p.enter();
  const fragment = debugFragmentInner(p, setName);
  p.leave();
  return fragment;
}

function debugFragmentInner(p: Cursor, setName: (n: string) => void): DebugVar['composite'] {
  p.expect(Tok.LParen);
  if (p.at(Tok.LParen)) {
    const inner = debugFragment(p, setName)!;
    p.expect(Tok.Dot);
    const index = p.smallInt('a field index');
    p.expect(Tok.Colon);
    const ty = parseTy(p);
    p.expect(Tok.RParen);
    return { ty: inner.ty, path: [...inner.path, { index, ty }] };
  }
  setName(p.ident('a variable name'));
  p.expect(Tok.Colon);
  const ty = parseTy(p);
  p.expect(Tok.RParen);
  return { ty, path: [] };
}

function blockId(p: Cursor): BlockId {
  const v = p.blockAt();
  if (v < 0) p.unexpected('a basic block such as `bb1`');
  p.bump();
  return v as BlockId;
}

function parseBlock(p: Cursor): BasicBlock {
  const lo = p.start;
  const id = blockId(p);
  let cleanup = false;
  if (p.eat(Tok.LParen)) {
    p.expectIdent('cleanup');
    p.expect(Tok.RParen);
    cleanup = true;
  }
  p.expect(Tok.Colon, '`:` after the block name');
  p.expect(Tok.LBrace);
  const statements: Statement[] = [];
  let terminator: Terminator | undefined;
  while (!p.at(Tok.RBrace)) {
    if (p.at(Tok.Eof)) p.unexpected(`\`}\` to close basic block bb${id}`);
    if (terminator) p.fail(p.currentSpan(), 'nothing may follow the terminator of a basic block');
    const node = parseStatementOrTerminator(p);
    if (isTerminator(node)) terminator = node;
    else statements.push(node);
  }
  if (!terminator) p.fail(p.currentSpan(), `basic block bb${id} has no terminator`);
  p.expect(Tok.RBrace);
  return { id, cleanup, statements, terminator, span: p.spanFrom(lo) };
}

type Parsed = Statement | Terminator;

const TERMINATOR_KINDS: ReadonlySet<string> = new Set<Terminator['kind']>([
  'goto', 'switchInt', 'unwindResume', 'unwindTerminate', 'return', 'unreachable', 'drop', 'call', 'tailCall', 'assert', 'falseEdge', 'falseUnwind',
]);

function isTerminator(node: Parsed): node is Terminator {
  return TERMINATOR_KINDS.has(node.kind);
}

/** Expects the closing `;` and gives the node its span. */
function finish(p: Cursor, lo: number, node: Parsed): Parsed {
  p.expect(Tok.Semi, '`;`');
  node.span = p.spanFrom(lo);
  return node;
}

const STORAGE_WORDS = ['StorageLive', 'StorageDead'] as const;

function parseStatementOrTerminator(p: Cursor): Parsed {
  const lo = p.start;
  if (p.at(Tok.DbgComment)) {
    p.bump();
    const local = parseLocal(p);
    p.expect(Tok.Eq);
    p.expect(Tok.Amp, '`&` (a `// DBG:` line records a reference)');
    if (p.eat(Tok.Question)) return finish(p, lo, { kind: 'debugInfo', local, span: NO });
    return finish(p, lo, { kind: 'debugInfo', local, place: parsePlace(p), span: NO });
  }
  if (atLocal(p) || p.at(Tok.LParen)) return parseAssignLike(p, lo);
  if (!p.at(Tok.Ident)) p.unexpected('a statement or terminator');
  const storage = p.matchIdent(STORAGE_WORDS);
  if (storage >= 0) {
    // The most common statements, matched without reading the word out.
    p.bump();
    p.expect(Tok.LParen);
    const local = parseLocal(p);
    p.expect(Tok.RParen);
    return finish(p, lo, { kind: storage === 0 ? 'storageLive' : 'storageDead', local, span: NO });
  }
  const word = p.text;
  switch (word) {
    case 'discriminant': {
      // `discriminant(_1) = 2;` (SetDiscriminant).
      p.bump();
      p.expect(Tok.LParen);
      const place = parsePlace(p);
      p.expect(Tok.RParen);
      p.expect(Tok.Eq);
      const variant = p.smallInt('a variant index');
      return finish(p, lo, { kind: 'setDiscriminant', place, variant, span: NO });
    }
    case 'Deinit':
    case 'PlaceMention': {
      p.bump();
      p.expect(Tok.LParen);
      const place = parsePlace(p);
      p.expect(Tok.RParen);
      return finish(p, lo, { kind: word === 'Deinit' ? 'deinit' : 'placeMention', place, span: NO });
    }
    case 'FakeRead': {
      p.bump();
      p.expect(Tok.LParen);
      const cause = rawUntilTopLevelComma(p);
      p.expect(Tok.Comma);
      const place = parsePlace(p);
      p.expect(Tok.RParen);
      return finish(p, lo, { kind: 'fakeRead', cause, place, span: NO });
    }
    case 'Retag': {
      p.bump();
      p.expect(Tok.LParen);
      let retagKind: string | undefined;
      if (p.eat(Tok.LBracket)) {
        retagKind = p.rawUntilBalanced(Tok.LBracket, Tok.RBracket, 'a retag kind');
        p.expect(Tok.RBracket);
      }
      const place = parsePlace(p);
      p.expect(Tok.RParen);
      return finish(p, lo, { kind: 'retag', retagKind, place, span: NO });
    }
    case 'AscribeUserType': {
      p.bump();
      p.expect(Tok.LParen);
      const place = parsePlace(p);
      p.expect(Tok.Comma);
      const text = p.rawUntilBalanced(Tok.LParen, Tok.RParen, 'a user type');
      p.expect(Tok.RParen);
      return finish(p, lo, { kind: 'ascribeUserType', place, text, span: NO });
    }
    case 'Coverage': {
      // `Coverage::VirtualCounter(bcb0);`: kept as text after `Coverage`.
      p.bump();
      const text = rawUntilSemi(p);
      return finish(p, lo, { kind: 'coverage', text, span: NO });
    }
    case 'assume': {
      p.bump();
      p.expect(Tok.LParen);
      const operand = parseOperand(p);
      p.expect(Tok.RParen);
      return finish(p, lo, { kind: 'assume', operand, span: NO });
    }
    case 'copy_nonoverlapping': {
      p.bump();
      p.expect(Tok.LParen);
      const named = (key: string, last: boolean): Operand => {
        p.expectIdent(key);
        p.expect(Tok.Eq);
        const op = parseOperand(p);
        if (!last) p.expect(Tok.Comma);
        return op;
      };
      const dst = named('dst', false);
      const src = named('src', false);
      const count = named('count', true);
      p.expect(Tok.RParen);
      return finish(p, lo, { kind: 'copyNonOverlapping', src, dst, count, span: NO });
    }
    case 'ConstEvalCounter':
      p.bump();
      return finish(p, lo, { kind: 'constEvalCounter', span: NO });
    case 'nop':
      p.bump();
      return finish(p, lo, { kind: 'nop', span: NO });
    case 'BackwardIncompatibleDropHint': {
      // An edition-migration lint hint; no codegen.
      p.bump();
      p.expect(Tok.LParen);
      const place = parsePlace(p);
      p.expect(Tok.RParen);
      return finish(p, lo, { kind: 'backwardIncompatibleDropHint', place, span: NO });
    }
    // ------------------------------------------------------------ terminators
    case 'goto': {
      p.bump();
      p.expect(Tok.Arrow);
      return finish(p, lo, { kind: 'goto', target: blockId(p), span: NO });
    }
    case 'return':
      p.bump();
      return finish(p, lo, { kind: 'return', span: NO });
    case 'unreachable':
      p.bump();
      return finish(p, lo, { kind: 'unreachable', span: NO });
    case 'resume':
      p.bump();
      return finish(p, lo, { kind: 'unwindResume', span: NO });
    case 'terminate':
    case 'abort': {
      p.bump();
      let reason = 'abi';
      if (p.eat(Tok.LParen)) {
        reason = p.ident('a reason');
        p.expect(Tok.RParen);
      }
      return finish(p, lo, { kind: 'unwindTerminate', reason, span: NO });
    }
    case 'switchInt':
      return finish(p, lo, parseSwitch(p));
    case 'drop':
      return finish(p, lo, parseDrop(p));
    case 'assert':
      return finish(p, lo, parseAssert(p));
    case 'falseEdge': {
      p.bump();
      p.expect(Tok.Arrow);
      p.expect(Tok.LBracket);
      p.expectIdent('real');
      p.expect(Tok.Colon);
      const real = blockId(p);
      p.expect(Tok.Comma);
      p.expectIdent('imaginary');
      p.expect(Tok.Colon);
      const imaginary = blockId(p);
      p.expect(Tok.RBracket);
      return finish(p, lo, { kind: 'falseEdge', real, imaginary, span: NO });
    }
    case 'falseUnwind': {
      p.bump();
      p.expect(Tok.Arrow);
      p.expect(Tok.LBracket);
      p.expectIdent('real');
      p.expect(Tok.Colon);
      const real = blockId(p);
      p.expect(Tok.Comma);
      const unwind = unwindAction(p);
      p.expect(Tok.RBracket);
      return finish(p, lo, { kind: 'falseUnwind', real, unwind, span: NO });
    }
    case 'tailcall':
    case 'tail': {
      p.bump();
      if (word === 'tail') p.expectIdent('call');
      const rhs = parseRhs(p);
      if (rhs.kind === 'rvalue') p.fail(p.spanFrom(lo), 'expected a call after `tail call`');
      const func: Operand = rhs.kind === 'call' ? rhs.func : { kind: 'const', value: { kind: 'path', path: rhs.path }, span: rhs.path.span };
      return finish(p, lo, { kind: 'tailCall', func, args: rhs.args, span: NO });
    }
    case 'asm':
      p.fail(p.currentSpan(), 'inline assembly (`asm!`) is not supported');
    case 'coroutine_drop':
    case 'yield':
      p.fail(p.currentSpan(), 'coroutines are not supported');
  }
  p.unexpected('a statement or terminator');
}

const NO: Span = { lo: 0, hi: 0 };

/** `place = rvalue;` or `place = f(args) -> targets;` (a call). */
function parseAssignLike(p: Cursor, lo: number): Parsed {
  const place = parsePlace(p);
  p.expect(Tok.Eq, '`=`');
  const rhsLo = p.start;
  const rhs = parseRhs(p);
  if (p.at(Tok.Arrow)) {
    let func: Operand;
    if (rhs.kind === 'call') func = rhs.func;
    else if (rhs.kind === 'callable') func = { kind: 'const', value: { kind: 'path', path: rhs.path }, span: rhs.path.span };
    else p.fail({ lo: rhsLo, hi: p.lastEnd }, 'expected a function call before `->`');
    p.bump();
    const { target, unwind } = callTargets(p);
    return finish(p, lo, { kind: 'call', dest: place, func, args: rhs.args, target, unwind, span: NO });
  }
  if (rhs.kind === 'call') p.unexpected('`->` and the targets of the call, such as `-> [return: bb1, unwind continue]`');
  return finish(p, lo, { kind: 'assign', place, rvalue: rhs.rvalue, span: NO });
}

/**
 * After a call's `->`: `[return: bb1, unwind …]`, `unwind …` (diverging), or `bb1`
 * (diverging with a cleanup block: rustc prints a lone successor without its label).
 */
function callTargets(p: Cursor): { target?: BlockId; unwind: UnwindAction } {
  if (p.eat(Tok.LBracket)) {
    p.expectIdent('return');
    p.expect(Tok.Colon);
    const target = blockId(p);
    p.expect(Tok.Comma);
    const unwind = unwindAction(p);
    p.expect(Tok.RBracket);
    return { target, unwind };
  }
  if (p.atIdent('unwind')) return { unwind: unwindAction(p) };
  return { unwind: { kind: 'cleanup', block: blockId(p) } };
}

/** `unwind: bb4`, `unwind continue`, `unwind unreachable`, `unwind terminate(cleanup)`. */
function unwindAction(p: Cursor): UnwindAction {
  p.expectIdent('unwind');
  if (p.eat(Tok.Colon)) return { kind: 'cleanup', block: blockId(p) };
  if (p.eatIdent('continue')) return { kind: 'continue' };
  if (p.eatIdent('unreachable')) return { kind: 'unreachable' };
  if (p.eatIdent('terminate')) {
    let reason = 'abi';
    if (p.eat(Tok.LParen)) {
      reason = p.ident('a reason');
      p.expect(Tok.RParen);
    }
    return { kind: 'terminate', reason };
  }
  p.unexpected('`: bbN`, `continue`, `unreachable` or `terminate` after `unwind`');
}

function parseSwitch(p: Cursor): Terminator {
  p.expectIdent('switchInt');
  p.expect(Tok.LParen);
  const discr = parseOperand(p);
  p.expect(Tok.RParen);
  p.expect(Tok.Arrow);
  const targets: SwitchTarget[] = [];
  if (!p.at(Tok.LBracket)) return { kind: 'switchInt', discr, targets, otherwise: blockId(p), span: NO };
  p.expect(Tok.LBracket);
  let otherwise: BlockId | undefined;
  while (!p.at(Tok.RBracket)) {
    if (p.atIdent('otherwise')) {
      p.bump();
      p.expect(Tok.Colon);
      otherwise = blockId(p);
      p.eat(Tok.Comma);
      break;
    }
    const value = switchValue(p);
    p.expect(Tok.Colon);
    targets.push({ value, target: blockId(p) });
    if (!p.eat(Tok.Comma)) break;
  }
  if (otherwise === undefined) p.unexpected('`otherwise: bbN` as the last switch target');
  p.expect(Tok.RBracket);
  return { kind: 'switchInt', discr, targets, otherwise, span: NO };
}

function switchValue(p: Cursor): bigint {
  const neg = p.eat(Tok.Minus);
  if (p.at(Tok.Int)) {
    const v = splitIntLiteral(p, p.text).value;
    p.bump();
    return neg ? -v : v;
  }
  if (!neg && p.atIdent('false')) return p.bump(), 0n;
  if (!neg && p.atIdent('true')) return p.bump(), 1n;
  if (!neg && p.at(Tok.Char)) {
    const c = parseConst(p);
    if (c.kind === 'char') return BigInt(c.value);
  }
  p.unexpected('a switch value');
}

/**
 * `drop(_1) -> [return: bb1, unwind: bb2]`, `[return: bb1, unwind continue]`, and the
 * async forms `[return: bb1, unwind: bb2, drop: bb3]`, `[return: bb1, drop: bb3, unwind continue]`.
 */
function parseDrop(p: Cursor): Terminator {
  p.bump();
  p.expect(Tok.LParen);
  const place = parsePlace(p);
  p.expect(Tok.RParen);
  p.expect(Tok.Arrow);
  p.expect(Tok.LBracket);
  p.expectIdent('return');
  p.expect(Tok.Colon);
  const target = blockId(p);
  let unwind: UnwindAction | undefined;
  let dropTarget: BlockId | undefined;
  while (p.eat(Tok.Comma)) {
    if (p.atIdent('drop') && dropTarget === undefined) {
      p.bump();
      p.expect(Tok.Colon);
      dropTarget = blockId(p);
    } else if (unwind === undefined) unwind = unwindAction(p);
    else p.unexpected('`]`');
  }
  p.expect(Tok.RBracket);
  if (!unwind) p.unexpected('an unwind action');
  return { kind: 'drop', place, target, unwind, dropTarget, span: NO };
}

/** `assert(!move _9, "attempt to compute `{} + {}`, which would overflow", move _8, const 1_i64) -> …`. */
function parseAssert(p: Cursor): Terminator {
  p.expectIdent('assert');
  p.expect(Tok.LParen);
  const expected = !p.eat(Tok.Bang);
  const cond = parseOperand(p);
  p.expect(Tok.Comma);
  if (!p.at(Tok.Str)) p.unexpected('the assert message string');
  const msgSpan = p.currentSpan();
  const template = p.text;
  p.bump();
  const args: Operand[] = [];
  while (p.eat(Tok.Comma)) args.push(parseOperand(p));
  p.expect(Tok.RParen);
  const msg = assertMessage(p, template, args, msgSpan);
  p.expect(Tok.Arrow);
  let target: BlockId;
  let unwind: UnwindAction = { kind: 'continue' };
  if (p.eat(Tok.LBracket)) {
    p.expectIdent('success');
    p.expect(Tok.Colon);
    target = blockId(p);
    p.expect(Tok.Comma);
    unwind = unwindAction(p);
    p.expect(Tok.RBracket);
  } else target = blockId(p);
  return { kind: 'assert', cond, expected, msg, target, unwind, span: NO };
}

/** Message templates (as printed, quotes included) → assert kinds. `{}` marks an operand. */
const OVERFLOW_TEMPLATES: [string, BinOp][] = [
  ['"attempt to compute `{} + {}`, which would overflow"', 'Add'],
  ['"attempt to compute `{} - {}`, which would overflow"', 'Sub'],
  ['"attempt to compute `{} * {}`, which would overflow"', 'Mul'],
  ['"attempt to compute `{} / {}`, which would overflow"', 'Div'],
  ['"attempt to compute the remainder of `{} % {}`, which would overflow"', 'Rem'],
  ['"attempt to shift left by `{}`, which would overflow"', 'Shl'],
  ['"attempt to shift right by `{}`, which would overflow"', 'Shr'],
];

export const ASSERT_TEMPLATES = {
  boundsCheck: '"index out of bounds: the length is {} but the index is {}"',
  overflowNeg: '"attempt to negate `{}`, which would overflow"',
  divisionByZero: '"attempt to divide `{}` by zero"',
  remainderByZero: '"attempt to calculate the remainder of `{}` with a divisor of zero"',
  misaligned: '"misaligned pointer dereference: address must be a multiple of {} but is {}"',
  nullPointer: '"null pointer dereference occurred"',
  invalidEnum: '"trying to construct an enum from an invalid value {}"',
  overflow: OVERFLOW_TEMPLATES,
} as const;

function assertMessage(p: Cursor, template: string, args: Operand[], at: Span): AssertMessage {
  const want = (n: number) => {
    if (args.length !== n) p.fail(at, `this assert message takes ${n} operand${n === 1 ? '' : 's'}, found ${args.length}`);
  };
  for (const [t, op] of OVERFLOW_TEMPLATES) {
    if (t !== template) continue;
    if (op === 'Shl' || op === 'Shr') {
      // rustc prints only the shift amount; the left operand is not part of the message.
      want(1);
      return { kind: 'overflow', op, rhs: args[0]! };
    }
    want(2);
    return { kind: 'overflow', op, lhs: args[0]!, rhs: args[1]! };
  }
  switch (template) {
    case ASSERT_TEMPLATES.boundsCheck:
      want(2);
      return { kind: 'boundsCheck', len: args[0]!, index: args[1]! };
    case ASSERT_TEMPLATES.overflowNeg:
      want(1);
      return { kind: 'overflowNeg', operand: args[0]! };
    case ASSERT_TEMPLATES.divisionByZero:
      want(1);
      return { kind: 'divisionByZero', operand: args[0]! };
    case ASSERT_TEMPLATES.remainderByZero:
      want(1);
      return { kind: 'remainderByZero', operand: args[0]! };
    case ASSERT_TEMPLATES.misaligned:
      want(2);
      return { kind: 'misalignedPointerDereference', required: args[0]!, found: args[1]! };
    case ASSERT_TEMPLATES.nullPointer:
      want(0);
      return { kind: 'nullPointerDereference' };
    case ASSERT_TEMPLATES.invalidEnum:
      want(1);
      return { kind: 'invalidEnumConstruction', operand: args[0]! };
  }
  const resumed = /^"`(async fn|async gen fn|gen fn|coroutine)` resumed after (completion|panicking)"$/.exec(template);
  if (resumed) {
    want(0);
    return { kind: 'resumedAfter', what: template.slice(1, -1) };
  }
  p.fail(at, `unknown assert message ${template}`);
}

function rawUntilTopLevelComma(p: Cursor): string {
  const lo = p.start;
  let depth = 0;
  while (!(depth === 0 && p.at(Tok.Comma))) {
    if (p.at(Tok.Eof) || p.at(Tok.Semi)) p.unexpected('`,`');
    if (p.at(Tok.LParen)) depth++;
    if (p.at(Tok.RParen)) {
      if (depth === 0) p.unexpected('`,`');
      depth--;
    }
    p.bump();
  }
  return p.file.text.slice(lo, p.start).trim();
}

function rawUntilSemi(p: Cursor): string {
  const lo = p.start;
  while (!p.at(Tok.Semi)) {
    if (p.at(Tok.Eof) || p.at(Tok.RBrace)) p.unexpected('`;`');
    p.bump();
  }
  return p.file.text.slice(lo, p.start).trim();
}

