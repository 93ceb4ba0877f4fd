// Types, paths and generic arguments, in the two spellings rustc prints: type paths
// (`Option<i32>`) and value paths with turbofish (`Option::<i32>::None`), both led
// optionally by a qualified segment (`<impl at x.rs:1:1: 2:2>`, `<T as Trait>`).

import type { ConstArg, FloatTy, FnSig, GenericArg, IntTy, Path, PathSegment, Ty } from '../ast.js';
import { Tok } from '../lexer.js';
import type { Cursor } from './cursor.js';

const INT_TYS = new Set<string>(['i8', 'i16', 'i32', 'i64', 'i128', 'isize', 'u8', 'u16', 'u32', 'u64', 'u128', 'usize']);
const FLOAT_TYS = new Set<string>(['f16', 'f32', 'f64', 'f128']);

export function isIntTy(s: string): s is IntTy {
  return INT_TYS.has(s);
}

export function isFloatTy(s: string): s is FloatTy {
  return FLOAT_TYS.has(s);
}

export const UNIT_TY: Ty = { kind: 'tuple', elems: [] };

/**
 * Primitive types are shared objects: a 40 MB file names `i32` hundreds of thousands of
 * times, and nothing mutates a parsed type.
 */
const PRIMITIVES = new Map<string, Ty>([
  ...[...INT_TYS].map((name): [string, Ty] => [name, { kind: 'int', name: name as IntTy }]),
  ...[...FLOAT_TYS].map((name): [string, Ty] => [name, { kind: 'float', name: name as FloatTy }]),
  ['bool', { kind: 'bool' }],
  ['char', { kind: 'char' }],
  ['str', { kind: 'str' }],
]);
const PRIMITIVE_WORDS = [...PRIMITIVES.keys()];
const PRIMITIVE_TYS = [...PRIMITIVES.values()];
const NEVER_TY: Ty = { kind: 'never' };
const INFER_TY: Ty = { kind: 'infer' };

export function parseTy(p: Cursor): Ty {
  p.enter();
  const ty = parseTyInner(p);
  p.leave();
  return ty;
}

function parseTyInner(p: Cursor): Ty {
  const lo = p.start;
  switch (p.kind) {
    case Tok.Bang:
      p.bump();
      return NEVER_TY;
    case Tok.LParen: {
      p.bump();
      if (p.eat(Tok.RParen)) return UNIT_TY;
      const elems: Ty[] = [];
      while (!p.at(Tok.RParen)) {
        elems.push(parseTy(p));
        if (!p.eat(Tok.Comma)) break;
      }
      p.expect(Tok.RParen);
      return { kind: 'tuple', elems };
    }
    case Tok.LBracket: {
      p.bump();
      const elem = parseTy(p);
      if (p.eat(Tok.Semi)) {
        const len = parseConstArg(p);
        p.expect(Tok.RBracket);
        return { kind: 'array', elem, len };
      }
      p.expect(Tok.RBracket);
      return { kind: 'slice', elem };
    }
    case Tok.Amp: {
      p.bump();
      let region: string | undefined;
      if (p.at(Tok.Lifetime)) {
        region = p.text;
        p.bump();
      }
      const mutable = p.eatIdent('mut');
      return { kind: 'ref', region, mutable, pointee: parseTy(p) };
    }
    case Tok.Star: {
      p.bump();
      let mutable: boolean;
      if (p.eatIdent('mut')) mutable = true;
      else if (p.eatIdent('const')) mutable = false;
      else p.unexpected('`const` or `mut` after `*`');
      return { kind: 'ptr', mutable, pointee: parseTy(p) };
    }
    case Tok.LBrace: {
      // `{closure@x.rs:1:2: 3:4}`, `{coroutine@…}`, `{async block@…}`.
      p.bump();
      const text = p.rawUntilBalanced(Tok.LBrace, Tok.RBrace, 'a closure type');
      p.expect(Tok.RBrace);
      if (!text.includes('@')) p.fail(p.spanFrom(lo), 'expected a closure type such as `{closure@file.rs:1:2: 1:8}`');
      return { kind: 'closure', text };
    }
    case Tok.Lt:
      return qualifiedTy(p);
    case Tok.Ident:
      break;
    default:
      p.unexpected('a type');
  }
  const prim = p.matchIdent(PRIMITIVE_WORDS);
  if (prim >= 0 && !p.peekIs(Tok.PathSep)) {
    p.bump();
    return PRIMITIVE_TYS[prim]!;
  }
  switch (p.text) {
    case '_':
      p.bump();
      return INFER_TY;
    case 'fn':
    case 'unsafe':
    case 'extern':
    case 'for':
      return fnPtrTy(p);
    case 'dyn': {
      p.bump();
      const { bounds, region } = parseBounds(p);
      return { kind: 'dyn', bounds, region };
    }
    case 'impl': {
      p.bump();
      return { kind: 'impl', bounds: parseBounds(p).bounds };
    }
  }
  return { kind: 'named', path: parsePath(p, 'type') };
}

/** `<T as Trait>::Name` (a projection) or a qualified path used as a type. */
function qualifiedTy(p: Cursor): Ty {
  const path = parsePath(p, 'type');
  const first = path.segments[0]!;
  const last = path.segments[path.segments.length - 1]!;
  if (first.kind === 'qualified' && first.trait && path.segments.length === 2 && last.kind === 'ident' && !last.args) {
    return { kind: 'projection', self: first.self, trait: first.trait, name: last.name };
  }
  return { kind: 'named', path };
}

function fnPtrTy(p: Cursor): Ty {
  let binder: string[] | undefined;
  if (p.eatIdent('for')) {
    p.expect(Tok.Lt);
    binder = [];
    while (!p.at(Tok.Gt)) {
      if (!p.at(Tok.Lifetime)) p.unexpected('a lifetime');
      binder.push(p.text);
      p.bump();
      if (!p.eat(Tok.Comma)) break;
    }
    p.expect(Tok.Gt);
  }
  const sig = parseFnSigAfterQualifiers(p);
  // A function item type: `fn(i64) -> i64 {double}`; but in `fn f() -> fn(i64) -> i64 {`
  // the brace opens the body, which starts with `debug`, `let`, `scope` or `bb0`.
  if (p.at(Tok.LBrace) && !['let', 'debug', 'scope', 'bb0'].some((w) => p.peekIsIdent(w))) {
    p.bump();
    const item = parsePath(p, 'value');
    p.expect(Tok.RBrace);
    return { kind: 'fnDef', sig, item };
  }
  return { kind: 'fnPtr', sig, binder };
}

/** `[unsafe] [extern "abi"] fn(params[, ...]) [-> ret]`. */
export function parseFnSigAfterQualifiers(p: Cursor): FnSig {
  const unsafe = p.eatIdent('unsafe');
  let abi: string | undefined;
  if (p.eatIdent('extern')) {
    abi = 'C';
    if (p.at(Tok.Str)) {
      abi = JSON.parse(p.text) as string;
      p.bump();
    }
  }
  p.expectIdent('fn');
  p.expect(Tok.LParen);
  const params: Ty[] = [];
  let variadic = false;
  while (!p.at(Tok.RParen)) {
    if (p.at(Tok.DotDot) && p.peekIs(Tok.Dot)) {
      p.bump();
      p.bump();
      variadic = true;
      break;
    }
    params.push(parseTy(p));
    if (!p.eat(Tok.Comma)) break;
  }
  p.expect(Tok.RParen);
  const ret = p.eat(Tok.Arrow) ? parseTy(p) : UNIT_TY;
  return { unsafe, abi, params, variadic, ret };
}

/** `Trait + Trait<…> + 'a` after `dyn` or `impl`. */
function parseBounds(p: Cursor): { bounds: Path[]; region?: string } {
  const bounds: Path[] = [];
  let region: string | undefined;
  for (;;) {
    if (p.at(Tok.Lifetime)) {
      region = p.text;
      p.bump();
    } else {
      if (p.eatIdent('for')) {
        // Higher-ranked bound: `for<'a> Fn(&'a u8)`; the binder is implied by the lifetimes used.
        p.expect(Tok.Lt);
        p.rawUntilBalanced(Tok.Lt, Tok.Gt, 'a `for<…>` binder');
        p.expect(Tok.Gt);
      }
      bounds.push(parsePath(p, 'type'));
    }
    if (!p.eat(Tok.Plus)) break;
  }
  return { bounds, region };
}

/**
 * A path. In 'type' mode generic arguments follow a segment directly (`Vec<T>`); in
 * 'value' mode they follow `::` (`Vec::<T>::new`). Both accept the other spelling,
 * since hand-written MIR mixes them.
 */
export function parsePath(p: Cursor, mode: 'type' | 'value'): Path {
  const lo = p.start;
  const segments: PathSegment[] = [];
  if (p.at(Tok.Lt)) segments.push(leadingQualified(p));
  else segments.push(pathSegment(p, mode));
  while (p.at(Tok.PathSep)) {
    p.bump();
    if (p.at(Tok.Lt)) {
      // Turbofish on the previous segment: `Option::<i32>`.
      const prev = segments[segments.length - 1]!;
      const args = genericArgs(p);
      if (prev.kind !== 'ident' || prev.args) p.fail(p.spanFrom(lo), 'generic arguments are not allowed here');
      prev.args = args;
      continue;
    }
    segments.push(pathSegment(p, mode));
  }
  return { segments, span: p.spanFrom(lo) };
}

function leadingQualified(p: Cursor): PathSegment {
  const lo = p.start;
  p.expect(Tok.Lt);
  if (p.atIdent('impl') && p.peekIsIdent('at')) {
    const text = p.rawUntilBalanced(Tok.Lt, Tok.Gt, 'an impl path');
    p.expect(Tok.Gt);
    return { kind: 'impl', text };
  }
  const self = parseTy(p);
  let trait: Path | undefined;
  if (p.eatIdent('as')) trait = parsePath(p, 'type');
  if (!p.at(Tok.Gt)) p.fail(p.spanFrom(lo), 'expected `>` to close a qualified path');
  p.bump();
  return { kind: 'qualified', self, trait };
}

function pathSegment(p: Cursor, mode: 'type' | 'value'): PathSegment {
  if (p.at(Tok.LBrace)) {
    // `{closure#0}`, `{constant#1}`, `{shim:vtable#0}`.
    const lo = p.start;
    p.bump();
    const text = p.rawUntilBalanced(Tok.LBrace, Tok.RBrace, 'a path segment');
    p.expect(Tok.RBrace);
    const m = /^([A-Za-z_][\w: ]*)#(\d+)$/.exec(text.replace(/\s+/g, ''));
    if (!m) p.fail(p.spanFrom(lo), `expected a disambiguated segment such as \`{closure#0}\`, found \`{${text}}\``);
    return { kind: 'disambig', name: m[1]!, index: Number(m[2]) };
  }
  const name = p.ident('a path');
  if (name === 'promoted' && p.at(Tok.LBracket)) {
    p.bump();
    const index = p.smallInt('a promoted index');
    p.expect(Tok.RBracket);
    return { kind: 'promoted', index };
  }
  if (mode === 'type' && p.at(Tok.Lt)) return { kind: 'ident', name, args: genericArgs(p) };
  if (mode === 'type' && p.at(Tok.LParen) && isFnTrait(name)) return fnSugarSegment(p, name);
  return { kind: 'ident', name };
}

function isFnTrait(name: string): boolean {
  return name === 'Fn' || name === 'FnMut' || name === 'FnOnce' || name === 'AsyncFn' || name === 'AsyncFnMut' || name === 'AsyncFnOnce';
}

/** `Fn(i64) -> i64` is `Fn<(i64,), Output = i64>`; kept in its sugared form. */
function fnSugarSegment(p: Cursor, name: string): PathSegment {
  p.expect(Tok.LParen);
  const inputs: Ty[] = [];
  while (!p.at(Tok.RParen)) {
    inputs.push(parseTy(p));
    if (!p.eat(Tok.Comma)) break;
  }
  p.expect(Tok.RParen);
  const args: GenericArg[] = [{ kind: 'type', ty: { kind: 'tuple', elems: inputs } }];
  if (p.eat(Tok.Arrow)) args.push({ kind: 'binding', name: 'Output', ty: parseTy(p) });
  return { kind: 'ident', name, args, sugar: true };
}

export function genericArgs(p: Cursor): GenericArg[] {
  p.expect(Tok.Lt);
  const args: GenericArg[] = [];
  while (!p.at(Tok.Gt)) {
    args.push(genericArg(p));
    if (!p.eat(Tok.Comma)) break;
  }
  p.expect(Tok.Gt, '`,` or `>` in generic arguments');
  return args;
}

function genericArg(p: Cursor): GenericArg {
  if (p.at(Tok.Lifetime)) {
    const name = p.text;
    p.bump();
    return { kind: 'lifetime', name };
  }
  if (p.at(Tok.Int) || p.at(Tok.Minus) || (p.at(Tok.LBrace) && !looksLikeClosureTy(p))) return { kind: 'const', value: parseConstArg(p) };
  if (p.atIdent('true') || p.atIdent('false')) {
    const text = p.text;
    p.bump();
    return { kind: 'const', value: { kind: 'opaque', text } };
  }
  if (p.at(Tok.Ident) && p.peekIs(Tok.Eq)) {
    const name = p.ident();
    p.expect(Tok.Eq);
    return { kind: 'binding', name, ty: parseTy(p) };
  }
  return { kind: 'type', ty: parseTy(p) };
}

/** `{closure@…}` rather than `{ N + 1 }`: an `@` comes before the first `}` (scanning stops there, so this stays linear). */
function looksLikeClosureTy(p: Cursor): boolean {
  const t = p.lx.text;
  for (let i = p.start + 1; i < p.limit; i++) {
    const c = t.charCodeAt(i);
    if (c === 64) return true;
    if (c === 125) return false;
  }
  return false;
}

/** An array length or const generic: `4`, `4_usize`, `N`, `_`, `{ N + 1 }`. */
export function parseConstArg(p: Cursor): ConstArg {
  const lo = p.start;
  if (p.at(Tok.Int)) {
    const { value, suffix } = splitIntLiteral(p, p.text);
    p.bump();
    return { kind: 'value', value, suffix };
  }
  if (p.at(Tok.Minus)) {
    p.bump();
    if (!p.at(Tok.Int)) p.unexpected('an integer');
    const { value, suffix } = splitIntLiteral(p, p.text);
    p.bump();
    return { kind: 'value', value: -value, suffix };
  }
  if (p.at(Tok.LBrace)) {
    p.bump();
    const text = p.rawUntilBalanced(Tok.LBrace, Tok.RBrace, 'a const argument');
    p.expect(Tok.RBrace);
    return { kind: 'opaque', text: `{${text}}` };
  }
  if (p.at(Tok.Ident)) {
    const name = p.ident();
    if (name === '_') return { kind: 'opaque', text: '_' };
    return { kind: 'param', name };
  }
  p.fail(p.spanFrom(lo), `expected an array length, found ${p.describeCurrent()}`);
}

/** `12`, `0x1f`, `5_i32`, `7usize` → value and optional integer type suffix. */
export function splitIntLiteral(p: Cursor, text: string): { value: bigint; suffix?: IntTy } {
  const m = /^(0x[0-9a-fA-F_]+|0o[0-7_]+|0b[01_]+|[0-9][0-9_]*?)_?((?:i|u)(?:8|16|32|64|128|size))?$/.exec(text);
  if (!m) p.fail(p.currentSpan(), `malformed integer literal \`${text}\``);
  const digits = m[1]!.replace(/_/g, '');
  let value: bigint;
  try {
    value = BigInt(digits);
  } catch {
    p.fail(p.currentSpan(), `malformed integer literal \`${text}\``);
  }
  return { value, suffix: m[2] as IntTy | undefined };
}
