// The right-hand side of `place = …`: an rvalue, or the callee and arguments of a
// call terminator (rustc prints calls as assignments followed by `-> …`, so the
// caller decides which it is once it sees whether an arrow follows).

import {
  type AggregateKind, BIN_OPS, type BinOp, type BorrowKind, type Cast, type CastKind, NULLARY_OPS, type NullaryOp,
  type Operand, type Path, type Rvalue, type Ty, UN_OPS, type UnOp,
} from '../ast.js';
import { Tok } from '../lexer.js';
import type { Cursor } from './cursor.js';
import { atLocal, atOperand, parseOperand, parsePlace, runtimeCheck } from './operand.js';
import { parseConstArg, parsePath, parseTy } from './types.js';

export type Rhs =
  | { kind: 'rvalue'; rvalue: Rvalue }
  /** `f(args)`: an aggregate unless `->` follows, then a call. */
  | { kind: 'callable'; path: Path; args: Operand[]; rvalue: Rvalue }
  /** `move _3(args)`: a call through a function pointer. */
  | { kind: 'call'; func: Operand; args: Operand[] };

const BIN_OP_SET = new Set<string>(BIN_OPS);
const UN_OP_SET = new Set<string>(UN_OPS);
const NULLARY_SET = new Set<string>(NULLARY_OPS);
const CAST_KINDS = new Set<string>([
  'IntToInt', 'IntToFloat', 'FloatToInt', 'FloatToFloat', 'PtrToPtr', 'FnPtrToPtr', 'Transmute',
  'PointerExposeProvenance', 'PointerWithExposedProvenance', 'Subtype', 'PointerCoercion',
]);

export function parseRhs(p: Cursor): Rhs {
  const lo = p.start;
  switch (p.kind) {
    case Tok.LBracket:
      return rv(arrayOrRepeat(p));
    case Tok.LParen: {
      const operands = parenOperands(p);
      return rv({ kind: 'aggregate', agg: { kind: 'tuple' }, operands });
    }
    case Tok.Amp:
      return rv(reference(p));
    case Tok.Star: {
      // `*const [T] from (copy _1, copy _2)`.
      const ty = parseTy(p);
      if (ty.kind !== 'ptr') p.fail(p.spanFrom(lo), 'expected a raw pointer type');
      p.expectIdent('from');
      const operands = parenOperands(p);
      return rv({ kind: 'aggregate', agg: { kind: 'rawPtr', ty: ty.pointee, mutable: ty.mutable }, operands });
    }
    case Tok.LBrace: {
      // `{closure@x.rs:1:2: 1:9} { k: copy _1 }`.
      const ty = parseTy(p);
      if (ty.kind !== 'closure') p.fail(p.spanFrom(lo), 'expected a closure type');
      // A closure without captures prints without braces.
      const { names, operands } = p.at(Tok.LBrace) ? bracedFields(p) : { names: [], operands: [] };
      const agg: AggregateKind = { kind: ty.text.startsWith('closure') ? 'closure' : 'coroutine', text: ty.text, fieldNames: names };
      return rv({ kind: 'aggregate', agg, operands });
    }
    case Tok.Lt:
      return pathRhs(p);
    case Tok.Ident:
      break;
    default:
      p.unexpected('an rvalue');
  }
  const check = runtimeCheck(p);
  if (check) return rv({ kind: 'use', operand: { kind: 'runtimeChecks', check, span: p.spanFrom(lo) } });
  if (atOperand(p)) {
    const operand = parseOperand(p);
    if (p.eatIdent('as')) return rv(cast(p, operand));
    if (p.at(Tok.LParen) && operand.kind !== 'const') return { kind: 'call', func: operand, args: parenOperands(p) };
    return rv({ kind: 'use', operand });
  }
  const word = p.text;
  if (p.peekIs(Tok.LParen)) {
    if (BIN_OP_SET.has(word)) {
      const path = parsePath(p, 'value');
      const args = parenOperands(p);
      if (args.length !== 2) return { kind: 'callable', path, args, rvalue: badArity(p, lo, word, 2) };
      return { kind: 'callable', path, args, rvalue: { kind: 'binary', op: word as BinOp, lhs: args[0]!, rhs: args[1]! } };
    }
    if (UN_OP_SET.has(word)) {
      const path = parsePath(p, 'value');
      const args = parenOperands(p);
      if (args.length !== 1) return { kind: 'callable', path, args, rvalue: badArity(p, lo, word, 1) };
      return { kind: 'callable', path, args, rvalue: { kind: 'unary', op: word as UnOp, operand: args[0]! } };
    }
    if (word === 'discriminant') {
      p.bump();
      p.expect(Tok.LParen);
      const place = parsePlace(p);
      p.expect(Tok.RParen);
      return rv({ kind: 'discriminant', place });
    }
    if (NULLARY_SET.has(word)) return rv(nullary(p));
    if (word === 'ShallowInitBox') {
      p.bump();
      return rv({ kind: 'shallowInitBox', ...operandAndTy(p, Tok.Comma) });
    }
  }
  if (word === 'wrap_binder' && p.peekIs(Tok.Bang)) {
    p.bump();
    p.bump();
    return rv({ kind: 'wrapUnsafeBinder', ...operandAndTy(p, Tok.Semi) });
  }
  if (word === 'deref_copy') {
    p.bump();
    return rv({ kind: 'copyForDeref', place: parsePlace(p) });
  }
  return pathRhs(p);
}

/** `(operand, T)` of `ShallowInitBox` or `(operand; T)` of `wrap_binder!`. */
function operandAndTy(p: Cursor, separator: Tok): { operand: Operand; ty: Ty } {
  p.expect(Tok.LParen);
  const operand = parseOperand(p);
  p.expect(separator);
  const ty = parseTy(p);
  p.expect(Tok.RParen);
  return { operand, ty };
}

function rv(rvalue: Rvalue): Rhs {
  return { kind: 'rvalue', rvalue };
}

function badArity(p: Cursor, lo: number, op: string, n: number): never {
  p.fail(p.spanFrom(lo), `\`${op}\` takes ${n} operand${n === 1 ? '' : 's'}`);
}

function parenOperands(p: Cursor): Operand[] {
  p.expect(Tok.LParen);
  const ops: Operand[] = [];
  while (!p.at(Tok.RParen)) {
    ops.push(parseOperand(p));
    if (!p.eat(Tok.Comma)) break;
  }
  p.expect(Tok.RParen, '`,` or `)` after an operand');
  return ops;
}

function bracedFields(p: Cursor): { names: string[]; operands: Operand[] } {
  p.expect(Tok.LBrace);
  const names: string[] = [];
  const operands: Operand[] = [];
  while (!p.at(Tok.RBrace)) {
    names.push(p.ident('a field name'));
    p.expect(Tok.Colon);
    operands.push(parseOperand(p));
    if (!p.eat(Tok.Comma)) break;
  }
  p.expect(Tok.RBrace, '`,` or `}` after a field');
  return { names, operands };
}

function arrayOrRepeat(p: Cursor): Rvalue {
  p.expect(Tok.LBracket);
  if (p.eat(Tok.RBracket)) return { kind: 'aggregate', agg: { kind: 'array' }, operands: [] };
  const first = parseOperand(p);
  if (p.eat(Tok.Semi)) {
    const count = parseConstArg(p);
    p.expect(Tok.RBracket);
    return { kind: 'repeat', operand: first, count };
  }
  const operands = [first];
  while (p.eat(Tok.Comma)) {
    if (p.at(Tok.RBracket)) break;
    operands.push(parseOperand(p));
  }
  p.expect(Tok.RBracket, '`,` or `]` in an array');
  return { kind: 'aggregate', agg: { kind: 'array' }, operands };
}

// `&_1`, `&mut _1`, `&fake shallow _1`, `&raw const _1`, `&raw const (fake) _1`, `&'a _1`,
// and thread-local references, which rustc marks with a `tls` block comment after the `&`.
function reference(p: Cursor): Rvalue {
  const ampEnd = p.start + 1;
  p.expect(Tok.Amp);
  if (p.file.text.startsWith('/*tls*/', ampEnd)) {
    const mutable = p.eatIdent('mut');
    return { kind: 'threadLocalRef', mutable, path: parsePath(p, 'value') };
  }
  let region: string | undefined;
  if (p.at(Tok.Lifetime)) {
    region = p.text;
    p.bump();
  }
  if (p.atIdent('raw') && !region) {
    p.bump();
    let mutability: 'const' | 'mut' | 'fake';
    if (p.eatIdent('const')) {
      mutability = 'const';
      if (p.at(Tok.LParen) && p.peekIsIdent('fake')) {
        p.bump();
        p.bump();
        p.expect(Tok.RParen);
        mutability = 'fake';
      }
    } else if (p.eatIdent('mut')) mutability = 'mut';
    else p.unexpected('`const` or `mut` after `&raw`');
    return { kind: 'rawPtr', mutability, place: parsePlace(p) };
  }
  let borrow: BorrowKind = 'shared';
  if (p.eatIdent('mut')) borrow = 'mut';
  else if (p.atIdent('fake') && !atLocal(p)) {
    p.bump();
    borrow = p.eatIdent('shallow') ? 'fakeShallow' : 'fakeDeep';
  }
  return { kind: 'ref', borrow, region, place: parsePlace(p) };
}

/** After `operand as`: `T (Kind)` or `T (PointerCoercion(Unsize, Implicit))`. */
function cast(p: Cursor, operand: Operand): Rvalue {
  const ty = parseTy(p);
  p.expect(Tok.LParen, '`(` and the cast kind');
  const name = p.ident('a cast kind');
  if (!CAST_KINDS.has(name)) p.fail(p.spanFrom(p.lastEnd - name.length), `unknown cast kind \`${name}\``);
  const c: Cast = { kind: name as CastKind };
  if (name === 'PointerCoercion') {
    p.expect(Tok.LParen);
    c.coercion = coercionText(p);
    if (p.eat(Tok.Comma)) c.source = p.ident('`Implicit` or `AsCast`');
    p.expect(Tok.RParen);
  }
  p.expect(Tok.RParen);
  return { kind: 'cast', cast: c, operand, ty };
}

/** `Unsize`, `ReifyFnPointer(Safe)`, `ClosureFnPointer(Safe)`, `MutToConstPointer`, … */
function coercionText(p: Cursor): string {
  let s = p.ident('a pointer coercion');
  if (p.at(Tok.LParen)) {
    p.bump();
    const inner = p.ident('a safety');
    p.expect(Tok.RParen);
    s += `(${inner})`;
  }
  return s;
}

/** `SizeOf(T)`, `AlignOf(T)`, `OffsetOf(T, [(0, 1)])`, `UbChecks()`, `ContractChecks()`. */
function nullary(p: Cursor): Rvalue {
  const op = p.ident() as NullaryOp;
  p.expect(Tok.LParen);
  let ty: Ty = { kind: 'tuple', elems: [] };
  let fields: string | undefined;
  if (op === 'UbChecks' || op === 'ContractChecks') {
    if (!p.at(Tok.RParen)) p.unexpected('`)`');
  } else {
    ty = parseTy(p);
    if (op === 'OffsetOf') {
      p.expect(Tok.Comma);
      p.expect(Tok.LBracket);
      fields = p.rawUntilBalanced(Tok.LBracket, Tok.RBracket, 'field list');
      p.expect(Tok.RBracket);
    }
  }
  p.expect(Tok.RParen);
  return { kind: 'nullary', op, ty, fields };
}

/** A path rvalue: an ADT aggregate, a unit variant, a callee, or a cast function item. */
function pathRhs(p: Cursor): Rhs {
  const path = parsePath(p, 'value');
  if (p.atIdent('as')) {
    // `mix_u64 as fn(u64, u64) -> u64 (PointerCoercion(ReifyFnPointer(Safe), Implicit))`.
    p.bump();
    return rv(cast(p, { kind: 'const', value: { kind: 'path', path }, span: path.span, bare: true }));
  }
  if (p.at(Tok.LParen)) {
    const args = parenOperands(p);
    return { kind: 'callable', path, args, rvalue: { kind: 'aggregate', agg: { kind: 'adt', path, braced: false }, operands: args } };
  }
  if (p.at(Tok.LBrace)) {
    const { names, operands } = bracedFields(p);
    return rv({ kind: 'aggregate', agg: { kind: 'adt', path, fieldNames: names, braced: true }, operands });
  }
  return rv({ kind: 'aggregate', agg: { kind: 'adt', path, braced: false }, operands: [] });
}
