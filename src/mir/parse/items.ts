// Items: `fn`, `static`, `const` (and promoteds), allocation dumps, and codegend's
// declaration extension for hand-written MIR (`struct`, `enum`, `union`,
// `extern "C" { … }`, `#[no_mangle]`, `#[repr(…)]`, `fn f<T>(…)`).
// Each item chunk (see split.ts) is parsed on its own; an error aborts only that chunk.

import type { AdtItem, Body, ConstItem, ExternBlock, ExternFn, FieldDecl, FnItem, Item, MirFile, Param, StaticItem, Ty, VariantDecl } from '../ast.js';
import { type DiagnosticSink, type SourceFile, type Span, span } from '../../diagnostics.js';
import { Tok } from '../lexer.js';
import { splitItems } from '../split.js';
import { parseAlloc } from './alloc.js';
import { parseBody } from './body.js';
import { Cursor, ParseAbort } from './cursor.js';
import { parseConst, parseLocal } from './operand.js';
import { parsePath, parseTy, splitIntLiteral, UNIT_TY } from './types.js';

export interface ParseOptions {
  /**
   * Parse every item's header now and each body the first time it is read, reporting
   * the body's errors to the sink then. A body runs to the end of its chunk. For the
   * incremental front end, which needs every signature but only the bodies that changed.
   */
  lazyBodies?: boolean;
}

export function parseMirFile(file: SourceFile, sink: DiagnosticSink, options: ParseOptions = {}): MirFile {
  const { prelude, items: chunks } = splitItems(file.text);
  const items: Item[] = [];
  checkPrelude(file, sink, prelude.start, prelude.end);
  for (const chunk of chunks) parseChunk(file, sink, chunk.start, chunk.end, items, options);
  return { file, items };
}

/** Parses the items of one chunk of `file` (normally exactly one) into `out`. */
export function parseChunk(file: SourceFile, sink: DiagnosticSink, start: number, end: number, out: Item[], options: ParseOptions = {}): void {
  const p = new Cursor(file, sink, start, end);
  const lazy = options.lazyBodies ? { end, taken: false } : undefined;
  try {
    while (!p.at(Tok.Eof) && !lazy?.taken) out.push(parseItem(p, lazy));
  } catch (e) {
    if (!(e instanceof ParseAbort)) throw e;
  }
}

/** In lazy mode: where the chunk ends, and whether a lazily parsed body has claimed the rest of it. */
interface LazyChunk {
  end: number;
  taken: boolean;
}

const EMPTY_BODY_SPAN = { lo: 0, hi: 0 };

/**
 * `item` with a `body` parsed on first read, from `bodyLo` (its `{`) to the end of the
 * chunk; the item's span then runs to the chunk's last non-blank character. A body
 * that fails to parse reads as empty, its errors in the sink.
 */
function withLazyBody<T extends { body: Body; span: Span }>(p: Cursor, lazy: LazyChunk, item: Omit<T, 'body'>): T {
  const { file, sink } = p;
  const bodyLo = p.start;
  if (!p.at(Tok.LBrace)) p.unexpected('`{` and the body');
  lazy.taken = true;
  let end = lazy.end;
  while (end > bodyLo && /\s/.test(file.text[end - 1]!)) end--;
  let body: Body | undefined;
  const out = { ...item, span: span(item.span.lo, end) } as T;
  Object.defineProperty(out, 'body', {
    enumerable: true,
    get(): Body {
      if (!body) {
        const q = new Cursor(file, sink, bodyLo, lazy.end);
        try {
          body = parseBody(q);
          if (!q.at(Tok.Eof)) q.unexpected('the end of the item');
        } catch (e) {
          if (!(e instanceof ParseAbort)) throw e;
          body ??= { root: { index: 0, locals: [], debugs: [], children: [], span: EMPTY_BODY_SPAN }, blocks: [] };
        }
      }
      return body;
    },
  });
  return out;
}

/** Text before the first item may hold only comments. */
function checkPrelude(file: SourceFile, sink: DiagnosticSink, start: number, end: number): void {
  const p = new Cursor(file, sink, start, end);
  if (!p.at(Tok.Eof)) sink.error(file, p.currentSpan(), `expected an item (\`fn\`, \`static\`, \`const\`, an allocation or a declaration), found ${p.describeCurrent()}`);
}

interface Attrs {
  ctfe: boolean;
  exported: boolean;
  repr: string[];
}

function parseAttrs(p: Cursor): Attrs {
  const attrs: Attrs = { ctfe: false, exported: false, repr: [] };
  for (;;) {
    if (p.eat(Tok.CtfeComment)) {
      attrs.ctfe = true;
      continue;
    }
    if (!p.at(Tok.Hash)) return attrs;
    const lo = p.start;
    p.bump();
    p.expect(Tok.LBracket);
    const name = p.ident('an attribute name');
    if (name === 'no_mangle') attrs.exported = true;
    else if (name === 'repr') {
      p.expect(Tok.LParen);
      while (!p.at(Tok.RParen)) {
        attrs.repr.push(p.ident('a representation such as `C` or `u8`'));
        if (!p.eat(Tok.Comma)) break;
      }
      p.expect(Tok.RParen);
    } else p.fail(p.spanFrom(lo), `unknown attribute \`${name}\` (codegend knows \`no_mangle\` and \`repr\`)`);
    p.expect(Tok.RBracket);
  }
}

function parseItem(p: Cursor, lazy?: LazyChunk): Item {
  const lo = p.start;
  const attrs = parseAttrs(p);
  const word = p.at(Tok.Ident) ? p.text : '';
  const onlyFor = (what: string, allowed: { ctfe?: boolean; exported?: boolean; repr?: boolean }) => {
    if (attrs.ctfe && !allowed.ctfe) p.fail(span(lo, p.start), `\`// MIR FOR CTFE\` cannot mark ${what}`);
    if (attrs.exported && !allowed.exported) p.fail(span(lo, p.start), `\`#[no_mangle]\` cannot mark ${what}`);
    if (attrs.repr.length > 0 && !allowed.repr) p.fail(span(lo, p.start), `\`#[repr]\` cannot mark ${what}`);
  };
  if (/^(alloc|ALLOC)\d+$/.test(word)) {
    onlyFor('an allocation', {});
    return parseAlloc(p);
  }
  switch (word) {
    case 'fn':
      onlyFor('a function', { ctfe: true, exported: true });
      return parseFn(p, lo, attrs, lazy);
    case 'static': {
      onlyFor('a static', { exported: true });
      p.bump();
      const mutable = p.eatIdent('mut');
      const nameSpan = p.currentSpan();
      const name = parsePath(p, 'value');
      p.expect(Tok.Colon, '`:` and the type of the static');
      const ty = parseTy(p);
      p.expect(Tok.Eq);
      const head = { kind: 'static' as const, name, mutable, ty, exported: attrs.exported, span: p.spanFrom(lo), nameSpan: { lo: nameSpan.lo, hi: name.span.hi } };
      if (lazy) return withLazyBody<StaticItem>(p, lazy, head);
      const body = parseBody(p);
      return { ...head, body, span: p.spanFrom(lo) };
    }
    case 'const': {
      onlyFor('a constant', { ctfe: true });
      p.bump();
      const nameLo = p.start;
      const name = parsePath(p, 'value');
      p.expect(Tok.Colon, '`:` and the type of the constant');
      const ty = parseTy(p);
      p.expect(Tok.Eq);
      const nameSpan = span(nameLo, name.span.hi);
      if (p.eatIdent('const')) {
        const value = parseConst(p);
        p.expect(Tok.Semi, '`;` after a constant');
        return { kind: 'const', name, ty, value, ctfe: attrs.ctfe, span: p.spanFrom(lo), nameSpan };
      }
      if (lazy) return withLazyBody<ConstItem & { body: Body }>(p, lazy, { kind: 'const', name, ty, ctfe: attrs.ctfe, span: p.spanFrom(lo), nameSpan });
      const body = parseBody(p);
      return { kind: 'const', name, ty, body, ctfe: attrs.ctfe, span: p.spanFrom(lo), nameSpan };
    }
    case 'struct':
    case 'union':
    case 'enum':
      onlyFor(`a ${word}`, { repr: true });
      return parseAdt(p, lo, word, attrs.repr);
    case 'extern':
      onlyFor('an extern block', {});
      return parseExtern(p, lo);
  }
  if ((p.at(Tok.Ident) || p.at(Tok.Lt)) && !attrs.exported && attrs.repr.length === 0) {
    // A non-trivial anonymous const (`main::{constant#0}: usize = { … }`) has no keyword.
    const nameLo = p.start;
    const name = parsePath(p, 'value');
    const last = name.segments[name.segments.length - 1]!;
    if (last.kind !== 'disambig' || last.name !== 'constant' || !p.at(Tok.Colon)) {
      p.fail(span(nameLo, p.lastEnd), 'expected an item (`fn`, `static`, `const`, an allocation, `struct`, `enum`, `union` or `extern`)');
    }
    p.expect(Tok.Colon);
    const ty = parseTy(p);
    p.expect(Tok.Eq);
    const head = { kind: 'const' as const, name, ty, ctfe: attrs.ctfe, span: p.spanFrom(lo), nameSpan: span(nameLo, name.span.hi) };
    if (lazy) return withLazyBody<ConstItem & { body: Body }>(p, lazy, head);
    const body = parseBody(p);
    return { ...head, body, span: p.spanFrom(lo) };
  }
  p.unexpected('an item (`fn`, `static`, `const`, an allocation, `struct`, `enum`, `union` or `extern`)');
}

function parseFn(p: Cursor, lo: number, attrs: Attrs, lazy?: LazyChunk): Item {
  p.expectIdent('fn');
  const nameLo = p.start;
  const name = parsePath(p, 'value');
  const nameSpan = span(nameLo, name.span.hi);
  const generics = p.at(Tok.Lt) ? genericParams(p) : undefined;
  p.expect(Tok.LParen, '`(` and the parameters');
  const params: Param[] = [];
  while (!p.at(Tok.RParen)) {
    const plo = p.start;
    const local = parseLocal(p);
    p.expect(Tok.Colon, '`:` and the parameter type');
    const ty = parseTy(p);
    params.push({ local, ty, span: p.spanFrom(plo) });
    if (!p.eat(Tok.Comma)) break;
  }
  p.expect(Tok.RParen, '`,` or `)` after a parameter');
  const ret = p.eat(Tok.Arrow) ? parseTy(p) : UNIT_TY;
  const head = { kind: 'fn' as const, name, generics, params, ret, ctfe: attrs.ctfe, exported: attrs.exported, span: p.spanFrom(lo), nameSpan };
  if (lazy) return withLazyBody<FnItem>(p, lazy, head);
  const body = parseBody(p);
  return { ...head, body, span: p.spanFrom(lo) };
}

/** `<T, U, const N: usize>` after a hand-written item name. */
function genericParams(p: Cursor): string[] {
  p.expect(Tok.Lt);
  const out: string[] = [];
  while (!p.at(Tok.Gt)) {
    if (p.eatIdent('const')) {
      out.push(p.ident('a const parameter name'));
      p.expect(Tok.Colon);
      parseTy(p);
    } else out.push(p.ident('a generic parameter name'));
    if (!p.eat(Tok.Comma)) break;
  }
  p.expect(Tok.Gt, '`,` or `>` after a generic parameter');
  return out;
}

function parseAdt(p: Cursor, lo: number, word: 'struct' | 'union' | 'enum', repr: string[]): AdtItem {
  p.bump();
  const nameLo = p.start;
  const nameText = p.ident('a type name');
  const name = { segments: [{ kind: 'ident' as const, name: nameText }], span: span(nameLo, p.lastEnd) };
  const generics = p.at(Tok.Lt) ? genericParams(p) : [];
  const variants: VariantDecl[] = [];
  if (word === 'enum') {
    p.expect(Tok.LBrace);
    while (!p.at(Tok.RBrace)) {
      const vlo = p.start;
      const vname = p.ident('a variant name');
      const { fields, braced } = variantFields(p, false);
      let discriminant: bigint | undefined;
      if (p.eat(Tok.Eq)) {
        const neg = p.eat(Tok.Minus);
        if (!p.at(Tok.Int)) p.unexpected('a discriminant value');
        discriminant = splitIntLiteral(p, p.text).value;
        if (neg) discriminant = -discriminant;
        p.bump();
      }
      variants.push({ name: vname, fields, braced, discriminant, span: p.spanFrom(vlo) });
      if (!p.eat(Tok.Comma)) break;
    }
    p.expect(Tok.RBrace, '`,` or `}` after a variant');
  } else {
    const vlo = p.start;
    const { fields, braced } = variantFields(p, true);
    if (word === 'union' && !braced) p.fail(p.spanFrom(vlo), 'a union needs named fields: `union U { a: u32, b: f32 }`');
    variants.push({ name: nameText, fields, braced, span: p.spanFrom(vlo) });
  }
  return { kind: 'adt', adtKind: word, name, generics, repr, variants, span: p.spanFrom(lo), nameSpan: name.span };
}

/** `{ a: T, b: U }`, `(T, U)` or nothing; a struct's tuple or unit form ends with `;`. */
function variantFields(p: Cursor, isStruct: boolean): { fields: FieldDecl[]; braced: boolean } {
  const fields: FieldDecl[] = [];
  if (p.eat(Tok.LBrace)) {
    while (!p.at(Tok.RBrace)) {
      const flo = p.start;
      const name = p.ident('a field name');
      p.expect(Tok.Colon);
      fields.push({ name, ty: parseTy(p), span: p.spanFrom(flo) });
      if (!p.eat(Tok.Comma)) break;
    }
    p.expect(Tok.RBrace, '`,` or `}` after a field');
    return { fields, braced: true };
  }
  if (p.eat(Tok.LParen)) {
    while (!p.at(Tok.RParen)) {
      const flo = p.start;
      fields.push({ ty: parseTy(p), span: p.spanFrom(flo) });
      if (!p.eat(Tok.Comma)) break;
    }
    p.expect(Tok.RParen, '`,` or `)` after a field');
  }
  if (isStruct) p.expect(Tok.Semi, '`;` after a tuple or unit struct');
  return { fields, braced: false };
}

/** `extern "C" { fn printf(*const u8, ...) -> i32; fn exit(_1: i32) -> !; }`. */
function parseExtern(p: Cursor, lo: number): ExternBlock {
  p.expectIdent('extern');
  let abi = 'C';
  const abiLo = p.start;
  if (p.at(Tok.Str)) {
    abi = p.text.slice(1, -1);
    p.bump();
  }
  if (abi !== 'C' && abi !== 'system' && abi !== 'sysv64') p.fail(p.spanFrom(abiLo), `unsupported ABI "${abi}" (codegend supports "C")`);
  p.expect(Tok.LBrace);
  const fns: ExternFn[] = [];
  while (!p.at(Tok.RBrace)) {
    const flo = p.start;
    p.expectIdent('fn');
    const name = p.ident('a function name');
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
      // `name: T` or a bare `T`.
      if (p.at(Tok.Ident) && p.peekIs(Tok.Colon)) {
        p.bump();
        p.bump();
      }
      params.push(parseTy(p));
      if (!p.eat(Tok.Comma)) break;
    }
    p.expect(Tok.RParen, '`,`, `...` or `)` in a parameter list');
    if (variadic && params.length === 0) p.fail(p.spanFrom(flo), 'a variadic function needs at least one named parameter');
    const ret = p.eat(Tok.Arrow) ? parseTy(p) : UNIT_TY;
    p.expect(Tok.Semi, '`;` after an extern function');
    fns.push({ name, params, variadic, ret, span: p.spanFrom(flo) });
  }
  p.expect(Tok.RBrace);
  return { kind: 'extern', abi, fns, span: p.spanFrom(lo) };
}
