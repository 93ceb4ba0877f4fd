// The parser's cursor: the lexer plus expectation helpers and error reporting.
// A syntax error records one diagnostic and aborts the current item (ParseAbort is
// caught by the item loop, never seen outside the parser), so a mistake costs one
// message, not a cascade.

import { type DiagnosticSink, type SourceFile, type Span, span } from '../../diagnostics.js';
import { Lexer, Tok, tokName } from '../lexer.js';

/** Unwinds to the item loop after a syntax error has been reported. */
export class ParseAbort {
  constructor(readonly at: number) {}
}

/** How deeply types, places, constants and scopes may nest before the input is refused. */
export const MAX_NESTING = 256;

export class Cursor {
  readonly lx: Lexer;
  private depth = 0;

  constructor(
    readonly file: SourceFile,
    readonly sink: DiagnosticSink,
    from: number,
    readonly limit: number,
  ) {
    this.lx = new Lexer(file.text, from, limit);
  }

  get kind(): Tok {
    return this.lx.kind;
  }

  get start(): number {
    return this.lx.start;
  }

  get text(): string {
    return this.lx.tokenText;
  }

  /** End offset of the last token consumed. */
  get lastEnd(): number {
    return this.lx.prevEnd;
  }

  /**
   * Enters one level of nesting; `leave()` undoes it. Deeply nested input is an error
   * rather than a stack overflow here or in the phases that walk the tree. (An abort
   * leaves the count raised, but an aborted item's cursor is not used again.)
   */
  enter(): void {
    if (++this.depth > MAX_NESTING) this.fail(this.currentSpan(), `nesting is too deep (more than ${MAX_NESTING} levels)`);
  }

  leave(): void {
    this.depth--;
  }

  spanFrom(lo: number): Span {
    return span(lo, Math.max(lo, this.lx.prevEnd));
  }

  bump(): void {
    this.lx.next();
  }

  at(kind: Tok): boolean {
    return this.lx.kind === kind;
  }

  atIdent(word: string): boolean {
    return this.lx.kind === Tok.Ident && this.lx.end - this.lx.start === word.length && this.lx.text.startsWith(word, this.lx.start);
  }

  /** The index in `words` of the current identifier, or -1; compares in place, no substring. */
  matchIdent(words: readonly string[]): number {
    if (this.lx.kind !== Tok.Ident) return -1;
    const len = this.lx.end - this.lx.start;
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      if (w.length === len && this.lx.text.startsWith(w, this.lx.start)) return i;
    }
    return -1;
  }

  eat(kind: Tok): boolean {
    if (this.lx.kind !== kind) return false;
    this.lx.next();
    return true;
  }

  eatIdent(word: string): boolean {
    if (!this.atIdent(word)) return false;
    this.lx.next();
    return true;
  }

  expect(kind: Tok, what?: string): void {
    if (this.lx.kind !== kind) {
      // A missing `;` is reported where it belongs, after the previous token, as rustc does.
      if (kind === Tok.Semi && this.afterLineBreak()) this.failAfterPrevious(`expected ${what ?? tokName(kind)}, found ${this.describeCurrent()}`);
      this.unexpected(what ?? tokName(kind));
    }
    this.lx.next();
  }

  expectIdent(word: string): void {
    if (!this.atIdent(word)) this.unexpected(`\`${word}\``);
    this.lx.next();
  }

  /** An identifier's text, consumed. */
  ident(what = 'identifier'): string {
    if (this.lx.kind !== Tok.Ident) this.unexpected(what);
    const t = this.lx.tokenText;
    this.lx.next();
    return t;
  }

  /** A plain decimal integer (block numbers, indices, sizes). */
  smallInt(what = 'integer'): number {
    if (this.lx.kind !== Tok.Int || !/^[0-9]+$/.test(this.lx.tokenText)) this.unexpected(what);
    const v = Number(this.lx.tokenText);
    if (!Number.isSafeInteger(v)) this.fail(this.currentSpan(), `${what} is too large`);
    this.lx.next();
    return v;
  }

  /** The number of the current token when it is `_N` (a local), else -1; reads no substring. */
  localAt(): number {
    return this.lx.kind === Tok.Ident ? numberAfterPrefix(this.lx.text, this.lx.start, this.lx.end, 1, 95) : -1;
  }

  /** The number of the current token when it is `bbN` (a block), else -1. */
  blockAt(): number {
    const t = this.lx.text;
    const s = this.lx.start;
    return this.lx.kind === Tok.Ident && t.charCodeAt(s) === 98 ? numberAfterPrefix(t, s + 1, this.lx.end, 1, 98) : -1;
  }

  peekIs(kind: Tok): boolean {
    return this.lx.peekKind() === kind;
  }

  peekIsIdent(word: string): boolean {
    return this.lx.peekIsIdent(word);
  }

  currentSpan(): Span {
    return span(this.lx.start, Math.max(this.lx.end, this.lx.start + (this.lx.kind === Tok.Eof ? 0 : 1)));
  }

  /**
   * Reports `expected X, found Y` at the current token and aborts the item. At the end of
   * an item the error points just past its last token, not at the next item; a literal
   * the lexer could not close is reported as such, whatever was expected.
   */
  unexpected(expected: string): never {
    if (this.lx.kind === Tok.BadLiteral) this.fail(this.currentSpan(), this.badLiteralMessage());
    const message = `expected ${expected}, found ${this.describeCurrent()}`;
    if (this.lx.kind === Tok.Eof) this.failAfterPrevious(message);
    this.fail(this.currentSpan(), message);
  }

  /** True at the end of the item or when the current token starts a later line than the previous one. */
  private afterLineBreak(): boolean {
    if (this.lx.prev === Tok.Eof) return false;
    return this.lx.kind === Tok.Eof || this.file.text.slice(this.lx.prevEnd, this.lx.start).includes('\n');
  }

  /** Fails with an empty span just past the previous token (or at the current one when there is none). */
  private failAfterPrevious(message: string): never {
    if (this.lx.prev === Tok.Eof) this.fail(this.currentSpan(), message);
    this.fail(span(this.lx.prevEnd, this.lx.prevEnd), message);
  }

  private badLiteralMessage(): string {
    const t = this.lx.tokenText;
    if (t.startsWith('"') || t.startsWith('b"')) return `unterminated ${t.startsWith('b') ? 'byte string' : 'string'} literal`;
    const text = this.file.text;
    const end = this.lx.end;
    const open = end >= this.limit || t.includes('\n') || text.charCodeAt(end) === 10 || text.charCodeAt(end) === 13;
    return open ? 'unterminated char literal' : 'malformed char literal';
  }

  describeCurrent(): string {
    switch (this.lx.kind) {
      case Tok.Eof:
        return this.lx.start >= this.file.text.length ? 'end of file' : 'end of item';
      case Tok.Ident:
      case Tok.Int:
      case Tok.Float:
        return `\`${clip(this.lx.tokenText)}\``;
      case Tok.Unknown:
        return `unknown character \`${this.lx.tokenText}\``;
      case Tok.BadLiteral:
        return `an ${this.badLiteralMessage()}`;
      default:
        return tokName(this.lx.kind);
    }
  }

  fail(at: Span, message: string): never {
    this.sink.error(this.file, at, message);
    throw new ParseAbort(at.lo);
  }

  /** Reports without aborting (for errors that leave the tree well-formed). */
  error(at: Span, message: string): void {
    this.sink.error(this.file, at, message);
  }

  /**
   * The raw text from the current token up to (not including) the closer that balances
   * `open`/`close` at depth 0; the cursor is left on the closer.
   */
  rawUntilBalanced(open: Tok, close: Tok, what: string): string {
    const lo = this.lx.start;
    let depth = 0;
    for (;;) {
      const k = this.lx.kind;
      if (k === Tok.Eof) this.unexpected(`${tokName(close)} to close ${what}`);
      if (k === open) depth++;
      else if (k === close) {
        if (depth === 0) break;
        depth--;
      }
      this.lx.next();
    }
    return this.file.text.slice(lo, this.lx.start).trim();
  }
}

/**
 * For `text[start, end)` = a `prefixLen`-char prefix ending in `prefixChar` followed by
 * decimal digits without a leading zero (`_12`, `b12` of `bb12`): the number, else -1.
 */
function numberAfterPrefix(text: string, start: number, end: number, prefixLen: number, prefixChar: number): number {
  const first = start + prefixLen;
  if (end <= first || end - first > 15 || text.charCodeAt(first - 1) !== prefixChar) return -1;
  if (end - first > 1 && text.charCodeAt(first) === 48) return -1;
  let v = 0;
  for (let i = first; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    v = v * 10 + (c - 48);
  }
  return v;
}

function clip(s: string): string {
  return s.length > 40 ? s.slice(0, 37) + '…' : s;
}
