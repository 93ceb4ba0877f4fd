// The MIR lexer: a pull lexer over char codes that the parser drives one token at a
// time (no token array, so a 40 MB file costs no per-token allocation). Comments are
// skipped except the two that carry meaning: `// DBG:` (a debuginfo statement) and
// `// MIR FOR CTFE` (the next item is the compile-time copy of a const fn).

export const enum Tok {
  Eof,
  Ident, // also `_3` locals and `bb4` blocks: the parser tells them apart
  Int, // 12, 0x1f, 5_i32, 7usize
  Float, // 1.5f64, -3.0E+9f64 (sign lexed separately), 0f32
  Str, // "…"
  ByteStr, // b"…"
  Char, // 'a', '\u{10ffff}'
  Lifetime, // '_, 'static, 'a
  DbgComment, // `// DBG:` (the statement follows as ordinary tokens)
  CtfeComment, // `// MIR FOR CTFE`
  LParen,
  RParen,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
  Lt,
  Gt,
  Comma,
  Semi,
  Colon,
  PathSep, // ::
  Eq,
  Arrow, // ->
  FatArrow, // =>
  Amp,
  Star,
  Bang,
  Dot,
  DotDot,
  Plus,
  Minus,
  Hash,
  At,
  Pipe,
  Question,
  Slash,
  Percent,
  Caret,
  Tilde,
  Dollar,
  /** A character that starts no token; the parser reports it. */
  Unknown,
  /** A string or char literal that never ends, or a bad escape. */
  BadLiteral,
}

const TOK_NAMES: Record<number, string> = {
  [Tok.Eof]: 'end of file',
  [Tok.Ident]: 'identifier',
  [Tok.Int]: 'integer',
  [Tok.Float]: 'float',
  [Tok.Str]: 'string literal',
  [Tok.ByteStr]: 'byte string literal',
  [Tok.Char]: 'char literal',
  [Tok.Lifetime]: 'lifetime',
  [Tok.DbgComment]: '`// DBG:`',
  [Tok.CtfeComment]: '`// MIR FOR CTFE`',
  [Tok.LParen]: '`(`',
  [Tok.RParen]: '`)`',
  [Tok.LBracket]: '`[`',
  [Tok.RBracket]: '`]`',
  [Tok.LBrace]: '`{`',
  [Tok.RBrace]: '`}`',
  [Tok.Lt]: '`<`',
  [Tok.Gt]: '`>`',
  [Tok.Comma]: '`,`',
  [Tok.Semi]: '`;`',
  [Tok.Colon]: '`:`',
  [Tok.PathSep]: '`::`',
  [Tok.Eq]: '`=`',
  [Tok.Arrow]: '`->`',
  [Tok.FatArrow]: '`=>`',
  [Tok.Amp]: '`&`',
  [Tok.Star]: '`*`',
  [Tok.Bang]: '`!`',
  [Tok.Dot]: '`.`',
  [Tok.DotDot]: '`..`',
  [Tok.Plus]: '`+`',
  [Tok.Minus]: '`-`',
  [Tok.Hash]: '`#`',
  [Tok.At]: '`@`',
  [Tok.Pipe]: '`|`',
  [Tok.Question]: '`?`',
  [Tok.Slash]: '`/`',
  [Tok.Percent]: '`%`',
  [Tok.Caret]: '`^`',
  [Tok.Tilde]: '`~`',
  [Tok.Dollar]: '`$`',
  [Tok.Unknown]: 'unknown character',
  [Tok.BadLiteral]: 'malformed literal',
};

export function tokName(t: Tok): string {
  return TOK_NAMES[t] ?? 'token';
}

const SINGLE: Int8Array = (() => {
  const t = new Int8Array(128).fill(-1);
  const set = (c: string, k: Tok) => (t[c.charCodeAt(0)] = k);
  set('(', Tok.LParen);
  set(')', Tok.RParen);
  set('[', Tok.LBracket);
  set(']', Tok.RBracket);
  set('{', Tok.LBrace);
  set('}', Tok.RBrace);
  set('<', Tok.Lt);
  set('>', Tok.Gt);
  set(',', Tok.Comma);
  set(';', Tok.Semi);
  set('&', Tok.Amp);
  set('*', Tok.Star);
  set('!', Tok.Bang);
  set('+', Tok.Plus);
  set('#', Tok.Hash);
  set('@', Tok.At);
  set('|', Tok.Pipe);
  set('?', Tok.Question);
  set('%', Tok.Percent);
  set('^', Tok.Caret);
  set('~', Tok.Tilde);
  set('$', Tok.Dollar);
  return t;
})();

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (c > 127 && isUnicodeIdent(c));
}

function isIdentContinue(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || (c > 127 && isUnicodeIdent(c));
}

const UNICODE_IDENT = /[\p{L}\p{N}_]/u;
function isUnicodeIdent(c: number): boolean {
  return c < 0xd800 || c > 0xdfff ? UNICODE_IDENT.test(String.fromCharCode(c)) : false;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export interface LexerState {
  pos: number;
  kind: Tok;
  start: number;
  end: number;
  prev: Tok;
  prevEnd: number;
}

/**
 * Scans `text` on demand. `kind/start/end` describe the current token; `next()`
 * advances. `restore()` returns to a saved position.
 */
export class Lexer {
  kind: Tok = Tok.Eof;
  start = 0;
  end = 0;
  /** Kind and end of the token before the current one. */
  prev: Tok = Tok.Eof;
  prevEnd = 0;
  private pos: number;

  constructor(
    readonly text: string,
    from = 0,
    private readonly limit = text.length,
  ) {
    this.pos = from;
    this.next();
  }

  restore(s: LexerState): void {
    this.pos = s.pos;
    this.kind = s.kind;
    this.start = s.start;
    this.end = s.end;
    this.prev = s.prev;
    this.prevEnd = s.prevEnd;
  }

  // One token of lookahead without allocating: the state is parked in fields.
  private parked = { pos: 0, kind: Tok.Eof, start: 0, end: 0, prev: Tok.Eof, prevEnd: 0 };

  private stepAhead(): void {
    const s = this.parked;
    s.pos = this.pos;
    s.kind = this.kind;
    s.start = this.start;
    s.end = this.end;
    s.prev = this.prev;
    s.prevEnd = this.prevEnd;
    this.next();
  }

  private stepBack(): void {
    this.restore(this.parked);
  }

  /** The kind of the token after the current one, without moving. */
  peekKind(): Tok {
    this.stepAhead();
    const k = this.kind;
    this.stepBack();
    return k;
  }

  /** Whether the token after the current one is the identifier `word`. */
  peekIsIdent(word: string): boolean {
    this.stepAhead();
    const ok = this.kind === Tok.Ident && this.end - this.start === word.length && this.text.startsWith(word, this.start);
    this.stepBack();
    return ok;
  }

  get tokenText(): string {
    return this.text.slice(this.start, this.end);
  }

  /** Moves the cursor to `offset` and reads the token there. */
  seek(offset: number): void {
    this.pos = offset;
    this.next();
  }

  next(): void {
    this.prev = this.kind;
    this.prevEnd = this.end;
    const text = this.text;
    const limit = this.limit;
    let p = this.pos;
    for (;;) {
      while (p < limit) {
        const c = text.charCodeAt(p);
        if (c === 32 || c === 10 || c === 9 || c === 13) p++;
        else break;
      }
      if (p + 1 < limit && text.charCodeAt(p) === 47 && text.charCodeAt(p + 1) === 47) {
        if (text.startsWith('// DBG:', p)) {
          this.set(Tok.DbgComment, p, p + 7);
          return;
        }
        if (text.startsWith('// MIR FOR CTFE', p)) {
          this.set(Tok.CtfeComment, p, p + 15);
          return;
        }
        const nl = text.indexOf('\n', p);
        p = nl === -1 || nl > limit ? limit : nl + 1;
        continue;
      }
      if (p + 1 < limit && text.charCodeAt(p) === 47 && text.charCodeAt(p + 1) === 42) {
        p = this.skipBlockComment(p);
        continue;
      }
      break;
    }
    if (p >= limit) {
      this.set(Tok.Eof, limit, limit);
      return;
    }
    const c = text.charCodeAt(p);
    if (c < 128) {
      const single = SINGLE[c]!;
      if (single >= 0) {
        this.set(single as Tok, p, p + 1);
        return;
      }
    }
    if (isIdentStart(c)) {
      if (c === 98 && p + 1 < limit) {
        const c1 = text.charCodeAt(p + 1);
        if (c1 === 34) return this.quoted(Tok.ByteStr, p, p + 1, 34);
      }
      let q = p + 1;
      while (q < limit && isIdentContinue(text.charCodeAt(q))) q++;
      this.set(Tok.Ident, p, q);
      return;
    }
    if (isDigit(c)) return this.number(p);
    switch (c) {
      case 34: // "
        return this.quoted(Tok.Str, p, p, 34);
      case 39: // '
        return this.quote(p);
      case 58: // :
        if (text.charCodeAt(p + 1) === 58 && p + 1 < limit) return this.set(Tok.PathSep, p, p + 2);
        return this.set(Tok.Colon, p, p + 1);
      case 61: // =
        if (text.charCodeAt(p + 1) === 62 && p + 1 < limit) return this.set(Tok.FatArrow, p, p + 2);
        return this.set(Tok.Eq, p, p + 1);
      case 45: // -
        if (text.charCodeAt(p + 1) === 62 && p + 1 < limit) return this.set(Tok.Arrow, p, p + 2);
        return this.set(Tok.Minus, p, p + 1);
      case 46: // .
        if (text.charCodeAt(p + 1) === 46 && p + 1 < limit) return this.set(Tok.DotDot, p, p + 2);
        return this.set(Tok.Dot, p, p + 1);
      case 47: // /
        return this.set(Tok.Slash, p, p + 1);
    }
    // One unknown character (a whole surrogate pair when there is one).
    const width = c >= 0xd800 && c <= 0xdbff && p + 1 < limit ? 2 : 1;
    this.set(Tok.Unknown, p, p + width);
  }

  private set(kind: Tok, start: number, end: number): void {
    this.kind = kind;
    this.start = start;
    this.end = end;
    this.pos = end;
  }

  private skipBlockComment(p: number): number {
    const text = this.text;
    let depth = 0;
    while (p < this.limit) {
      if (text.startsWith('/*', p)) {
        depth++;
        p += 2;
      } else if (text.startsWith('*/', p)) {
        depth--;
        p += 2;
        if (depth === 0) return p;
      } else p++;
    }
    return this.limit;
  }

  /**
   * Integers and floats: `12`, `0x1f`, `5_i32`, `1.5f64`, `3.0E+9f64`, `1e-7`.
   * A fraction is taken only when a digit follows the dot and the token before was
   * not a `.`, so the field path `_1.0.1` lexes as fields, not as the float `0.1`.
   */
  private number(p: number): void {
    const text = this.text;
    const limit = this.limit;
    let q = p;
    let float = false;
    if (text.charCodeAt(q) === 48 && (text.charCodeAt(q + 1) === 120 || text.charCodeAt(q + 1) === 98 || text.charCodeAt(q + 1) === 111)) {
      q += 2;
      while (q < limit && (isIdentContinue(text.charCodeAt(q)))) q++;
      return this.set(Tok.Int, p, q);
    }
    while (q < limit && (isDigit(text.charCodeAt(q)) || text.charCodeAt(q) === 95)) q++;
    if (this.kind !== Tok.Dot && text.charCodeAt(q) === 46 && q + 1 < limit && isDigit(text.charCodeAt(q + 1))) {
      float = true;
      q++;
      while (q < limit && (isDigit(text.charCodeAt(q)) || text.charCodeAt(q) === 95)) q++;
    }
    const e = text.charCodeAt(q);
    if ((e === 101 || e === 69) && q + 1 < limit) {
      let r = q + 1;
      const s = text.charCodeAt(r);
      if ((s === 43 || s === 45) && r + 1 < limit) r++;
      if (isDigit(text.charCodeAt(r))) {
        float = true;
        q = r;
        while (q < limit && isDigit(text.charCodeAt(q))) q++;
      }
    }
    // Suffix: `_i32`, `usize`, `f64`.
    while (q < limit && isIdentContinue(text.charCodeAt(q))) q++;
    const tail = text.slice(p, q);
    if (/(^|[0-9_])f(16|32|64|128)$/.test(tail)) float = true;
    this.set(float ? Tok.Float : Tok.Int, p, q);
  }

  /** A `"…"` literal starting at `quoteAt`; escapes are checked by the parser's decoder. */
  private quoted(kind: Tok, start: number, quoteAt: number, close: number): void {
    const text = this.text;
    let q = quoteAt + 1;
    while (q < this.limit) {
      const c = text.charCodeAt(q);
      if (c === 92) q += 2;
      else if (c === close) return this.set(kind, start, q + 1);
      else q++;
    }
    this.set(Tok.BadLiteral, start, this.limit);
  }

  /** `'a'`, `'\n'`, `'\u{1F600}'` are chars; `'_`, `'static`, `'a` are lifetimes. */
  private quote(p: number): void {
    const text = this.text;
    const limit = this.limit;
    const c1 = text.charCodeAt(p + 1);
    if (p + 1 >= limit) return this.set(Tok.BadLiteral, p, limit);
    if (c1 === 92) {
      // Escaped char literal: find the closing quote on this line.
      let q = p + 2;
      while (q < limit && text.charCodeAt(q) !== 39 && text.charCodeAt(q) !== 10) q++;
      if (q < limit && text.charCodeAt(q) === 39) return this.set(Tok.Char, p, q + 1);
      return this.set(Tok.BadLiteral, p, q);
    }
    const width = c1 >= 0xd800 && c1 <= 0xdbff ? 2 : 1;
    if (text.charCodeAt(p + 1 + width) === 39 && p + 1 + width < limit) return this.set(Tok.Char, p, p + 2 + width);
    if (isIdentStart(c1)) {
      let q = p + 2;
      while (q < limit && isIdentContinue(text.charCodeAt(q))) q++;
      return this.set(Tok.Lifetime, p, q);
    }
    this.set(Tok.BadLiteral, p, p + 1 + width);
  }
}
