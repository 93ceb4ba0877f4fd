// Offsets of a SourceFile and LSP positions. Spans are indices into the file's text, a
// JS string, so they count UTF-16 code units, as LSP characters do: a column is the
// offset from the start of the line and non-ASCII text (the box drawing of allocation
// dumps, string literals) needs no conversion. Lines end at `\n` (a `\r` before it is
// part of no column an editor shows); a lone `\r`, which rustc never prints, is not a
// line break here.

import type { Position, Range } from 'vscode-languageserver';
import type { SourceFile, Span } from '../../src/diagnostics.js';

function positionAt(file: SourceFile, offset: number): Position {
  const o = Math.max(0, Math.min(offset, file.text.length));
  const { line, col } = file.position(o);
  return { line: line - 1, character: col - 1 };
}

export function rangeOf(file: SourceFile, at: Span): Range {
  const lo = Math.max(0, Math.min(at.lo, file.text.length));
  return { start: positionAt(file, lo), end: positionAt(file, Math.max(lo, at.hi)) };
}

/**
 * The offset of an LSP position; a character past the end of its line means the end of
 * the line, a line past the end of the file the end of the file, as LSP asks.
 */
export function offsetAt(file: SourceFile, pos: Position): number {
  const line = Math.max(0, Math.floor(pos.line)) + 1;
  if (file.position(file.text.length).line < line) return file.text.length;
  const length = file.lineText(line).length;
  return file.offsetAt(line, 1) + Math.max(0, Math.min(Math.floor(pos.character), length));
}

/** The span of the line holding `offset`, without its line break. */
export function lineSpanAt(file: SourceFile, offset: number): Span {
  const { line } = file.position(Math.max(0, offset));
  const lo = file.offsetAt(line, 1);
  return { lo, hi: lo + file.lineText(line).length };
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/**
 * The identifier-like word (`_3`, `bb4`, `alloc12`, `foo`) under `offset`, or just
 * before it (a cursor placed after the word).
 */
export function wordAt(text: string, offset: number): { text: string; span: Span } | undefined {
  let at = offset;
  if (!isWordChar(text.charCodeAt(at))) {
    if (at > 0 && isWordChar(text.charCodeAt(at - 1))) at--;
    else return undefined;
  }
  let lo = at;
  let hi = at + 1;
  while (lo > 0 && isWordChar(text.charCodeAt(lo - 1))) lo--;
  while (hi < text.length && isWordChar(text.charCodeAt(hi))) hi++;
  return { text: text.slice(lo, hi), span: { lo, hi } };
}

export function contains(at: Span, offset: number): boolean {
  return at.lo <= offset && offset < at.hi;
}
