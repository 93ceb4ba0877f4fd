// Places, operands and constants: `(*_1)`, `((_2 as Some).0: i32)`, `_3[_4]`,
// `copy _1`, `move _2`, and every constant form rustc prints after `const`.

import type { Const, ConstField, IntTy, Local, Path, RuntimeCheck, Operand, Place, ProjectionElem } from '../ast.js';
import { NO_SPAN, span } from '../../diagnostics.js';
import { Tok } from '../lexer.js';
import type { Cursor } from './cursor.js';
import { isFloatTy, isIntTy, parsePath, parseTy, splitIntLiteral } from './types.js';

/** Shared by every bare local (most places); never mutated. */
const NO_PROJECTION: ProjectionElem[] = [];

export function parseLocal(p: Cursor): Local {
  const v = p.localAt();
  if (v < 0) p.unexpected('a local such as `_1`');
  p.bump();
  return v as Local;
}

export function atLocal(p: Cursor): boolean {
  return p.localAt() >= 0;
}

export function parsePlace(p: Cursor): Place {
  p.enter();
  const place = parsePlaceInner(p);
  p.leave();
  return place;
}

function parsePlaceInner(p: Cursor): Place {
  const lo = p.start;
  let place: Place;
  if (p.at(Tok.LParen)) {
    p.bump();
    if (p.eat(Tok.Star)) {
      const inner = parsePlace(p);
      p.expect(Tok.RParen, '`)` after a dereferenced place');
      place = project(inner, { kind: 'deref' });
    } else {
      const inner = parsePlace(p);
      if (p.eat(Tok.Dot)) {
        const index = p.smallInt('a field index');
        p.expect(Tok.Colon, '`:` and the field type');
        const ty = parseTy(p);
        place = project(inner, { kind: 'field', index, ty });
      } else if (p.eatIdent('as')) {
        place = project(inner, downcastOrCast(p));
      } else {
        p.unexpected('`.` or `as` in a place');
      }
      p.expect(Tok.RParen);
    }
  } else {
    place = { local: parseLocal(p), projection: NO_PROJECTION, span: NO_SPAN };
  }
  // `place.projection` is this place's own array (fresh or from `project`): append in place,
  // so a long run of indexes stays linear.
  if (p.at(Tok.LBracket) && place.projection === NO_PROJECTION) place.projection = [];
  while (p.at(Tok.LBracket)) place.projection.push(indexElem(p));
  place.span = p.spanFrom(lo);
  return place;
}

function project(base: Place, elem: ProjectionElem): Place {
  return { local: base.local, projection: [...base.projection, elem], span: base.span };
}

/** After `as`: a variant name (`Some`, `variant#3`), or `subtype T` / `opaque T`. */
function downcastOrCast(p: Cursor): ProjectionElem {
  if (p.atIdent('subtype') && !p.peekIs(Tok.RParen)) {
    p.bump();
    return { kind: 'subtype', ty: parseTy(p) };
  }
  if (p.atIdent('opaque') && !p.peekIs(Tok.RParen)) {
    p.bump();
    return { kind: 'opaqueCast', ty: parseTy(p) };
  }
  const name = p.ident('a variant name');
  if (name === 'variant' && p.at(Tok.Hash)) {
    p.bump();
    return { kind: 'downcast', variant: `variant#${p.smallInt('a variant index')}` };
  }
  return { kind: 'downcast', variant: name };
}

/** `[_2]`, `[3 of 5]`, `[-1 of 5]`, `[1:3]`, `[1:-1]`. */
function indexElem(p: Cursor): ProjectionElem {
  p.expect(Tok.LBracket);
  let elem: ProjectionElem;
  if (atLocal(p)) {
    elem = { kind: 'index', local: parseLocal(p) };
  } else {
    if (p.eat(Tok.Colon)) {
      // `[:-2]`: a slice's subslice from the start.
      p.expect(Tok.Minus, '`-` in a subslice such as `[:-1]`');
      elem = { kind: 'subslice', from: 0, to: p.smallInt('a subslice end'), fromEnd: true };
    } else {
      const fromEnd = p.eat(Tok.Minus);
      const first = p.smallInt('an index');
      if (p.eatIdent('of')) {
        elem = { kind: 'constIndex', offset: first, minLength: p.smallInt('a minimum length'), fromEnd };
      } else if (!fromEnd && p.eat(Tok.DotDot)) {
        // `[1..3]`: an array's subslice.
        elem = { kind: 'subslice', from: first, to: p.smallInt('a subslice end'), fromEnd: false };
      } else if (!fromEnd && p.eat(Tok.Colon)) {
        // `[1:]`, `[1:-2]`: a slice's subslice counted from the end.
        const to = p.eat(Tok.Minus) ? p.smallInt('a subslice end') : 0;
        elem = { kind: 'subslice', from: first, to, fromEnd: true };
      } else {
        p.unexpected('`of`, `..` or `:` in a constant index');
      }
    }
  }
  p.expect(Tok.RBracket);
  return elem;
}

export function atOperand(p: Cursor): boolean {
  return p.atIdent('copy') || p.atIdent('move') || p.atIdent('const');
}

export function parseOperand(p: Cursor): Operand {
  const lo = p.start;
  if (p.eatIdent('copy')) return { kind: 'copy', place: parsePlace(p) };
  if (p.eatIdent('move')) return { kind: 'move', place: parsePlace(p) };
  if (p.eatIdent('const')) {
    const value = parseConst(p);
    return { kind: 'const', value, span: p.spanFrom(lo) };
  }
  if (p.at(Tok.Ident) || p.at(Tok.Lt)) {
    const check = runtimeCheck(p);
    if (check) return { kind: 'runtimeChecks', check, span: p.spanFrom(lo) };
    // rustc prints function items without `const`.
    const path = parsePath(p, 'value');
    return { kind: 'const', value: { kind: 'path', path }, span: p.spanFrom(lo), bare: true };
  }
  p.unexpected('an operand (`copy`, `move` or `const`)');
}

/** `UbChecks`, `ContractChecks` or `OverflowChecks` standing alone, consumed. */
export function runtimeCheck(p: Cursor): RuntimeCheck | undefined {
  if (!p.at(Tok.Ident)) return undefined;
  const w = p.text;
  if ((w === 'UbChecks' || w === 'ContractChecks' || w === 'OverflowChecks') && !p.peekIs(Tok.PathSep) && !p.peekIs(Tok.LParen)) {
    p.bump();
    return w;
  }
  return undefined;
}

const INT_LIMITS: Record<IntTy, [bigint, bigint]> = {
  i8: [-(1n << 7n), (1n << 7n) - 1n],
  i16: [-(1n << 15n), (1n << 15n) - 1n],
  i32: [-(1n << 31n), (1n << 31n) - 1n],
  i64: [-(1n << 63n), (1n << 63n) - 1n],
  i128: [-(1n << 127n), (1n << 127n) - 1n],
  isize: [-(1n << 63n), (1n << 63n) - 1n],
  u8: [0n, (1n << 8n) - 1n],
  u16: [0n, (1n << 16n) - 1n],
  u32: [0n, (1n << 32n) - 1n],
  u64: [0n, (1n << 64n) - 1n],
  u128: [0n, (1n << 128n) - 1n],
  usize: [0n, (1n << 64n) - 1n],
};

/** The range of an integer type on x86-64. */
export function intLimits(ty: IntTy): [bigint, bigint] {
  return INT_LIMITS[ty];
}

/** The constant after `const` (or inside a valtree). */
export function parseConst(p: Cursor): Const {
  p.enter();
  const c = parseConstInner(p);
  p.leave();
  return c;
}

function parseConstInner(p: Cursor): Const {
  switch (p.kind) {
    case Tok.Int:
      return intConst(p, false);
    case Tok.Float:
      return floatConst(p, '');
    case Tok.Minus:
    case Tok.Plus: {
      const sign = p.at(Tok.Minus) ? '-' : '+';
      p.bump();
      if (p.at(Tok.Int) && sign === '-') return intConst(p, true);
      if (p.at(Tok.Float)) return floatConst(p, sign);
      if (p.at(Tok.Ident) && /^(Inf|NaN)_?f(16|32|64|128)$/.test(p.text)) return floatConst(p, sign);
      p.unexpected('a number');
    }
    case Tok.Star: {
      // `*b"…"`: a byte array by value.
      p.bump();
      if (!p.at(Tok.ByteStr)) p.unexpected('a byte string after `*`');
      const bytes = decodeString(p, p.text.slice(2, -1), true) as Uint8Array;
      p.bump();
      return { kind: 'byteStr', bytes, byValue: true };
    }
    case Tok.Str: {
      const value = decodeString(p, p.text.slice(1, -1), false) as string;
      p.bump();
      return { kind: 'str', value };
    }
    case Tok.ByteStr: {
      const bytes = decodeString(p, p.text.slice(2, -1), true) as Uint8Array;
      p.bump();
      return { kind: 'byteStr', bytes };
    }
    case Tok.Char: {
      const s = decodeString(p, p.text.slice(1, -1), false) as string;
      const cp = s.codePointAt(0);
      if (cp === undefined || String.fromCodePoint(cp) !== s) p.fail(p.currentSpan(), 'a char literal must hold one character');
      p.bump();
      return { kind: 'char', value: cp };
    }
    case Tok.LParen: {
      p.bump();
      const elems: Const[] = [];
      while (!p.at(Tok.RParen)) {
        elems.push(parseConst(p));
        if (!p.eat(Tok.Comma)) break;
      }
      p.expect(Tok.RParen);
      return elems.length === 0 ? { kind: 'unit' } : { kind: 'tuple', elems };
    }
    case Tok.LBracket: {
      p.bump();
      const elems: Const[] = [];
      while (!p.at(Tok.RBracket)) {
        elems.push(parseConst(p));
        if (!p.eat(Tok.Comma)) break;
      }
      p.expect(Tok.RBracket);
      return { kind: 'array', elems };
    }
    case Tok.LBrace:
      return bracedConst(p);
    case Tok.Lt:
      if (p.peekIsIdent('uninit')) {
        p.bump();
        p.bump();
        p.expect(Tok.Gt);
        return { kind: 'uninit' };
      }
      return pathConst(p);
    case Tok.Ident:
      break;
    default:
      p.unexpected('a constant');
  }
  const word = p.text;
  if (word === 'true' || word === 'false') {
    p.bump();
    return { kind: 'bool', value: word === 'true' };
  }
  if (/^(Inf|NaN)_?f(16|32|64|128)$/.test(word)) return floatConst(p, '');
  if (word === 'ZeroSized' && p.peekIs(Tok.Colon)) {
    p.bump();
    p.bump();
    return { kind: 'zst', ty: parseTy(p) };
  }
  if (word === 'Indirect' && p.peekIs(Tok.LBrace)) return indirectConst(p);
  return pathConst(p);
}

function intConst(p: Cursor, negative: boolean): Const {
  const { value, suffix } = splitIntLiteral(p, p.text);
  p.bump();
  return { kind: 'int', value: negative ? -value : value, ty: suffix };
}

/** `1.5f64`, `-3.0E+9f64`, `16777216f32`, `+Inf_f64`, `NaN_f32`. */
function floatConst(p: Cursor, sign: string): Const {
  const raw = p.text;
  const m = /^(.*?)_?(f16|f32|f64|f128)$/.exec(raw);
  if (!m || !isFloatTy(m[2]!)) p.fail(p.currentSpan(), `a float constant needs a type suffix such as \`f64\`: \`${raw}\``);
  const body = m[1]!.replace(/_/g, '');
  let value: number;
  if (body === 'Inf') value = Infinity;
  else if (body === 'NaN') value = NaN;
  else value = Number(body);
  if (Number.isNaN(value) && body !== 'NaN') p.fail(p.currentSpan(), `malformed float literal \`${raw}\``);
  if (sign === '-') value = -value;
  p.bump();
  return { kind: 'float', text: sign + raw, value, ty: m[2] as 'f64' };
}

/** `{alloc3<imm>: &[u8; 3]}`, `{transmute(0x…): T}`, `{0x8 as *mut u8}`. */
function bracedConst(p: Cursor): Const {
  const lo = p.start;
  p.expect(Tok.LBrace);
  let c: Const;
  if (p.at(Tok.Ident) && /^(alloc|ALLOC)\d+$/.test(p.text)) {
    const alloc = Number(p.text.slice(5));
    p.bump();
    let offset: number | undefined;
    if (p.eat(Tok.Plus)) {
      if (!p.at(Tok.Int)) p.unexpected('an offset such as `0x8`');
      offset = Number(splitIntLiteral(p, p.text).value);
      p.bump();
    }
    let imm = false;
    if (p.at(Tok.Lt)) {
      p.bump();
      p.expectIdent('imm');
      p.expect(Tok.Gt);
      imm = true;
    }
    p.expect(Tok.Colon);
    c = { kind: 'alloc', alloc, imm, offset, ty: parseTy(p) };
  } else if (p.atIdent('transmute')) {
    p.bump();
    p.expect(Tok.LParen);
    if (!p.at(Tok.Int) || !p.text.startsWith('0x')) p.unexpected('the bits of a transmuted constant, such as `0x0005`');
    const digits = p.text.length - 2;
    const bits = splitIntLiteral(p, p.text).value;
    p.bump();
    p.expect(Tok.RParen);
    p.expect(Tok.Colon);
    c = { kind: 'transmute', bits, digits, ty: parseTy(p) };
  } else if (p.at(Tok.Int)) {
    const value = splitIntLiteral(p, p.text).value;
    p.bump();
    p.expectIdent('as');
    c = { kind: 'intPtr', value, ty: parseTy(p) };
  } else if (p.at(Tok.Ident) || p.at(Tok.Lt)) {
    const path = parsePath(p, 'value');
    p.expectIdent('as');
    c = { kind: 'fnPtr', path, ty: parseTy(p) };
  } else {
    p.fail(p.spanFrom(lo), `expected \`{allocN: T}\`, \`{transmute(0x…): T}\` or \`{0x… as T}\`, found ${p.describeCurrent()}`);
  }
  p.expect(Tok.RBrace);
  return c;
}

/** `Indirect { alloc_id: alloc1, offset: Size(0 bytes) }`. */
function indirectConst(p: Cursor): Const {
  p.bump();
  p.expect(Tok.LBrace);
  p.expectIdent('alloc_id');
  p.expect(Tok.Colon);
  const id = p.ident('an allocation such as `alloc1`');
  if (!/^(alloc|ALLOC)\d+$/.test(id)) p.fail(p.spanFrom(p.start), `expected an allocation such as \`alloc1\`, found \`${id}\``);
  p.expect(Tok.Comma);
  p.expectIdent('offset');
  p.expect(Tok.Colon);
  p.expectIdent('Size');
  p.expect(Tok.LParen);
  const offset = p.smallInt('a byte offset');
  p.expectIdent('bytes');
  p.expect(Tok.RParen);
  p.expect(Tok.RBrace);
  p.expect(Tok.Colon, '`:` and the type of the constant');
  return { kind: 'indirect', alloc: Number(id.slice(5)), offset, ty: parseTy(p) };
}

/** `T::MIN`/`T::MAX` of an integer type `T`, spelled `u8::MAX` or `core::num::<impl u8>::MAX`. */
function intExtreme(path: Path): Const | undefined {
  const segs = path.segments;
  const last = segs[segs.length - 1];
  const owner = segs[segs.length - 2];
  if (last?.kind !== 'ident' || last.args || (last.name !== 'MIN' && last.name !== 'MAX')) return undefined;
  let ty: string | undefined;
  let spelled: Path | undefined;
  if (segs.length === 2 && owner?.kind === 'ident' && !owner.args) ty = owner.name;
  else if (owner?.kind === 'ident' && owner.args?.length === 1) {
    spelled = path;
    // `core::num::<impl i64>` reads as the segment `num` with the argument `impl i64`.
    const arg = owner.args[0]!;
    const bound = arg.kind === 'type' && arg.ty.kind === 'impl' && arg.ty.bounds.length === 1 ? arg.ty.bounds[0]!.segments : undefined;
    if (bound?.length === 1 && bound[0]!.kind === 'ident' && !bound[0]!.args) ty = bound[0]!.name;
  }
  if (ty === undefined || !isIntTy(ty)) return undefined;
  const value = intLimits(ty as IntTy)[last.name === 'MIN' ? 0 : 1];
  return spelled ? { kind: 'int', value, ty: ty as IntTy, spelled } : { kind: 'int', value, ty: ty as IntTy };
}

/** A path constant, optionally a constructor valtree: `Kg(12_u32)`, `Bird {{ grams: 300_u32 }}`. */
function pathConst(p: Cursor): Const {
  const path = parsePath(p, 'value');
  // `u128::MAX`, `i32::MIN`, `core::num::<impl i64>::MAX`: rustc names the extremes of integer types.
  const extreme = intExtreme(path);
  if (extreme) return extreme;
  if (p.at(Tok.LParen)) {
    p.bump();
    const fields: ConstField[] = [];
    while (!p.at(Tok.RParen)) {
      fields.push({ value: parseConst(p) });
      if (!p.eat(Tok.Comma)) break;
    }
    p.expect(Tok.RParen);
    return { kind: 'ctor', path, fields, braced: false };
  }
  if (p.at(Tok.LBrace) && p.peekIs(Tok.LBrace)) {
    p.bump();
    p.bump();
    const fields: ConstField[] = [];
    while (!p.at(Tok.RBrace)) {
      const name = p.ident('a field name');
      p.expect(Tok.Colon);
      fields.push({ name, value: parseConst(p) });
      if (!p.eat(Tok.Comma)) break;
    }
    p.expect(Tok.RBrace);
    p.expect(Tok.RBrace, '`}}` to close a constant struct');
    return { kind: 'ctor', path, fields, braced: true };
  }
  return { kind: 'path', path };
}

/**
 * Decodes Rust escapes. Strings yield a JS string; byte strings yield bytes (non-ASCII
 * characters in a byte string are an error, as in Rust).
 */
export function decodeString(p: Cursor, raw: string, bytes: boolean): string | Uint8Array {
  // `raw` is the current token without its prefix and closing quote; errors point into it.
  const base = p.start + p.text.length - 1 - raw.length;
  const bad: (from: number, to: number, message: string) => never = (from, to, message) => p.fail(span(base + from, base + Math.max(to, from + 1)), message);
  const out: number[] = [];
  let s = '';
  const push = (cp: number) => {
    if (bytes) out.push(cp);
    else s += String.fromCodePoint(cp);
  };
  for (let i = 0; i < raw.length; ) {
    const c = raw.codePointAt(i)!;
    if (c !== 92) {
      if (bytes && c > 127) bad(i, i + (c > 0xffff ? 2 : 1), 'non-ASCII character in a byte string literal');
      push(c);
      i += c > 0xffff ? 2 : 1;
      continue;
    }
    const e = raw[i + 1];
    const esc = i;
    i += 2;
    switch (e) {
      case 'n': push(10); break;
      case 'r': push(13); break;
      case 't': push(9); break;
      case '0': push(0); break;
      case '\\': push(92); break;
      case "'": push(39); break;
      case '"': push(34); break;
      case 'x': {
        const hex = raw.slice(i, i + 2);
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) bad(esc, i + hex.length, `invalid \`\\x\` escape in a literal`);
        const v = parseInt(hex, 16);
        if (!bytes && v > 0x7f) bad(esc, i + 2, 'a `\\x` escape in a string must be at most \\x7f');
        push(v);
        i += 2;
        break;
      }
      case 'u': {
        const m = /^\{([0-9a-fA-F_]{1,8})\}/.exec(raw.slice(i));
        if (!m || bytes) bad(esc, i + (m ? m[0].length : 0), 'invalid `\\u{…}` escape in a literal');
        const v = parseInt(m[1]!.replace(/_/g, ''), 16);
        if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) bad(esc, i + m[0].length, 'invalid unicode escape: not a scalar value');
        push(v);
        i += m[0].length;
        break;
      }
      case '\n': {
        // Line continuation: skip the newline and leading whitespace.
        while (i < raw.length && /\s/.test(raw[i]!)) i++;
        break;
      }
      default: {
        const cp = raw.codePointAt(esc + 1);
        const shown = cp === undefined ? '' : String.fromCodePoint(cp);
        bad(esc, esc + 1 + shown.length, `unknown escape \`\\${shown}\` in a literal`);
      }
    }
  }
  return bytes ? Uint8Array.from(out) : s;
}
