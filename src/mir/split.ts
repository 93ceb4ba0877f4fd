// Splits MIR text into item chunks without parsing them: a linear scan for lines that
// start, at column 0, with an item keyword. The parser parses each chunk on its own
// (an error in one item cannot swallow the next), and the incremental layer hashes
// chunks to re-parse only the items that changed.

export interface ItemChunk {
  /** Offset of the chunk's first character (a `// MIR FOR CTFE` line belongs to its item). */
  start: number;
  /** Offset just past the chunk (the next chunk's start, or the end of the text). */
  end: number;
}

const CTFE_MARKER = '// MIR FOR CTFE';

/** True when an item begins at `p`, which is the start of a line. */
function startsItem(text: string, p: number): boolean {
  switch (text.charCodeAt(p)) {
    case 102: // f
      return text.startsWith('fn ', p);
    case 115: // s
      return text.startsWith('static ', p) || text.startsWith('struct ', p);
    case 99: // c
      return text.startsWith('const ', p);
    case 97: // a
      return text.startsWith('alloc', p) && isDigitAt(text, p + 5);
    case 65: // A
      return text.startsWith('ALLOC', p) && isDigitAt(text, p + 5);
    case 101: // e
      return text.startsWith('enum ', p) || text.startsWith('extern ', p);
    case 117: // u
      return text.startsWith('union ', p);
    case 35: // #
      return text.startsWith('#[', p);
    case 112: // p
      return text.startsWith('pub ', p);
    default:
      return startsAnonConst(text, p);
  }
}

/** `sz::{constant#0}: usize = {`: a non-trivial anonymous const prints without `const`. */
function startsAnonConst(text: string, p: number): boolean {
  const c = text.charCodeAt(p);
  const identStart = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 60;
  if (!identStart) return false;
  let eol = text.indexOf('\n', p);
  if (eol === -1) eol = text.length;
  const line = text.slice(p, eol).trimEnd();
  return line.endsWith('= {') && line.includes('{constant#') && line.includes(': ');
}

function isDigitAt(text: string, p: number): boolean {
  const c = text.charCodeAt(p);
  return c >= 48 && c <= 57;
}

/**
 * The chunks of `text`. Text before the first item (the comment header rustc prints)
 * is returned as `prelude` so the parser can check it holds nothing but comments.
 * Attributes (`#[…]` lines) and a CTFE marker stay with the item they precede.
 */
export function splitItems(text: string): { prelude: ItemChunk; items: ItemChunk[] } {
  const items: ItemChunk[] = [];
  let pending = -1; // start of attribute / CTFE lines waiting for their item
  let current = -1;
  let p = 0;
  const n = text.length;
  while (p < n) {
    const c = text.charCodeAt(p);
    const isMarker = c === 47 && text.startsWith(CTFE_MARKER, p);
    const isAttr = c === 35 && text.startsWith('#[', p);
    if (isMarker || isAttr) {
      if (pending < 0) pending = p;
    } else if (c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 125 && c !== 47 && startsItem(text, p)) {
      const start = pending >= 0 ? pending : p;
      if (current >= 0) items.push({ start: current, end: start });
      current = start;
      pending = -1;
    } else if (pending >= 0 && c !== 10 && c !== 13 && c !== 32 && c !== 9 && c !== 47) {
      // Something other than an item follows the attributes: they belong to the current chunk.
      pending = -1;
    }
    const nl = text.indexOf('\n', p);
    if (nl === -1) break;
    p = nl + 1;
  }
  if (current >= 0) items.push({ start: current, end: n });
  const firstStart = items.length > 0 ? items[0]!.start : pending >= 0 ? pending : n;
  if (items.length === 0 && pending >= 0) items.push({ start: pending, end: n });
  return { prelude: { start: 0, end: firstStart }, items };
}
