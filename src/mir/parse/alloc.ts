// Allocation dumps at the end of a MIR file:
//   alloc1 (size: 3, align: 1) { 68 69 0a │ hi. }            (small, one line)
//   alloc4 (static: OPS, size: 72, align: 8) {                (large: `0x00 │` offsets)
//       0x00 │ ╾─────alloc1<imm>─────╼ 04 00 00 00 00 00 00 00 │ ╾──────╼........
//   alloc7 (vtable: impl Instrument + Sync for Cash)          (no bytes)
// Bytes are read from the hex column; the ASCII column is derived and only checked for
// presence. A relocation `╾──allocN──╼` covers one pointer (its dashes say how many bytes).

import type { AllocItem, AllocKind, AllocReloc } from '../ast.js';
import { Tok } from '../lexer.js';
import type { Cursor } from './cursor.js';
import { parsePath } from './types.js';

/** Parses an allocation; the cursor is on `allocN`. */
export function parseAlloc(p: Cursor): AllocItem {
  const lo = p.start;
  const name = p.text;
  const nameSpan = p.currentSpan();
  const id = Number(name.slice(5));
  if (!Number.isSafeInteger(id)) p.fail(nameSpan, 'allocation number is too large');
  p.bump();
  p.expect(Tok.LParen, '`(` and the allocation header');
  const headerLo = p.start;
  const key = p.ident('`size`, `static`, `vtable` or `fn`');
  if (key === 'typeid' || key === 'extern') {
    // `(typeid for T)`, `(extern static: PATH)`.
    if (key === 'typeid') p.expectIdent('for');
    else {
      p.expectIdent('static');
      p.expect(Tok.Colon);
    }
    const text = p.rawUntilBalanced(Tok.LParen, Tok.RParen, 'the allocation header');
    p.expect(Tok.RParen);
    const alloc: AllocKind = key === 'typeid' ? { kind: 'typeId', text } : { kind: 'externStatic', text };
    return { kind: 'alloc', id, alloc, span: p.spanFrom(lo), nameSpan };
  }
  p.expect(Tok.Colon);
  if (key === 'vtable' || key === 'fn') {
    const text = p.rawUntilBalanced(Tok.LParen, Tok.RParen, 'the allocation header');
    p.expect(Tok.RParen);
    const alloc: AllocKind = key === 'vtable' ? { kind: 'vtable', text } : { kind: 'fn', text };
    return { kind: 'alloc', id, alloc, span: p.spanFrom(lo), nameSpan };
  }
  let staticName: string | undefined;
  let k = key;
  if (k === 'static') {
    const nameLo = p.start;
    parsePath(p, 'value');
    staticName = p.file.text.slice(nameLo, p.lastEnd);
    if (p.eat(Tok.RParen)) return { kind: 'alloc', id, alloc: { kind: 'static', name: staticName }, span: p.spanFrom(lo), nameSpan };
    p.expect(Tok.Comma);
    k = p.ident('`size`');
    p.expect(Tok.Colon);
  }
  if (k !== 'size') p.fail(p.spanFrom(headerLo), `expected \`size:\` in the allocation header, found \`${k}:\``);
  const size = p.smallInt('a size');
  p.expect(Tok.Comma);
  const alignLo = p.start;
  p.expectIdent('align');
  p.expect(Tok.Colon);
  const align = p.smallInt('an alignment');
  if (align === 0 || 2 ** Math.round(Math.log2(align)) !== align) p.fail(p.spanFrom(alignLo), `alignment ${align} is not a power of two`);
  p.expect(Tok.RParen);
  if (!p.at(Tok.LBrace)) p.unexpected('`{` and the allocation bytes');
  const contents = readBytes(p, p.start + 1, size);
  return {
    kind: 'alloc',
    id,
    alloc: { kind: 'memory', size, align, static: staticName, ...contents },
    span: p.spanFrom(lo),
    nameSpan,
  };
}

const RELOC_OPEN = '╾';
const RELOC_CLOSE = '╼';
const DASH = '─';
const BAR = '│';

/**
 * Reads the hex column from just after `{` to the closing `}`, then moves the cursor
 * past it. `size` is the header's size, which the bytes must match.
 */
function readBytes(p: Cursor, from: number, size: number): { bytes: Uint8Array; init: Uint8Array; relocs: AllocReloc[] } {
  const text = p.file.text;
  // Every byte takes at least one character of text, so a size beyond what is left of the
  // item cannot be met (the count check at `}` reports it); do not allocate for it.
  const capacity = Math.min(size, Math.max(0, p.limit - from));
  const bytes = new Uint8Array(capacity);
  const init = new Uint8Array(capacity);
  const relocs: AllocReloc[] = [];
  let n = 0; // bytes read
  let open: { start: number; label: string } | undefined; // relocation continuing on the next line
  let pos = from;
  const fail: (lo: number, hi: number, msg: string) => never = (lo, hi, msg) => p.fail({ lo, hi: Math.max(hi, lo + 1) }, msg);
  const putByte = (lo: number, value: number, isInit: boolean) => {
    if (n >= size) fail(lo, lo + 2, `allocation has more bytes than its header's size: ${size}`);
    bytes[n] = value;
    init[n] = isInit ? 1 : 0;
    n++;
  };
  const closeReloc = (lo: number, hi: number, start: number, label: string) => {
    const m = /^(alloc|ALLOC|a)(\d+)(\+0x([0-9a-fA-F]+))?(<imm>)?$/.exec(label);
    if (!m) fail(lo, hi, `malformed relocation \`${label}\``);
    relocs.push({ offset: start, alloc: Number(m[2]), addend: m[4] ? parseInt(m[4], 16) : 0, imm: m[5] !== undefined });
  };
  const limit = p.limit;
  let first = true;
  for (;;) {
    // The rest of the header line (one-line form), then whole lines until a lone `}`.
    let eol = text.indexOf('\n', pos);
    if (eol === -1 || eol > limit) eol = limit;
    let line = text.slice(pos, eol);
    const lineLo = pos;
    let closeAt = -1;
    const trimmed = line.trim();
    if (trimmed.startsWith('}') && (first || trimmed === '}')) {
      closeAt = lineLo + line.indexOf('}');
      line = '';
    } else if (first && trimmed !== '') {
      // One-line form: the last `}` on the line closes it (the ASCII column may hold `}` too).
      const close = line.lastIndexOf('}');
      if (close === -1) fail(lineLo, eol, 'allocation is not closed with `}`');
      closeAt = lineLo + close;
      line = line.slice(0, close);
    }
    first = false;
    if (line.trim() !== '') {
      const parts = line.split(BAR);
      let hexPart: string;
      let hexLo: number;
      if (parts.length === 3) {
        if (!/^\s*0x[0-9a-fA-F]+\s*$/.test(parts[0]!)) fail(lineLo, eol, 'expected an offset such as `0x00 │` at the start of an allocation line');
        const off = parseInt(parts[0]!.trim().slice(2), 16);
        if (off !== n) fail(lineLo, eol, `allocation line starts at offset 0x${off.toString(16)} but ${n} bytes came before it`);
        hexPart = parts[1]!;
        hexLo = lineLo + parts[0]!.length + 1;
      } else if (parts.length === 2) {
        hexPart = parts[0]!;
        hexLo = lineLo;
      } else {
        fail(lineLo, eol, 'expected the hex and ASCII columns of an allocation, separated by `│`');
      }
      let i = 0;
      while (i < hexPart.length) {
        const c = hexPart[i]!;
        if (c === ' ' || c === '\t' || c === '\r') {
          i++;
          continue;
        }
        let j = i;
        while (j < hexPart.length && hexPart[j] !== ' ') j++;
        const tok = hexPart.slice(i, j);
        const tokLo = hexLo + i;
        if (tok.startsWith(RELOC_OPEN) || (open && tok.startsWith(DASH))) {
          // A relocation spans 3 characters per byte, minus the final space.
          const width = Math.round((tok.length + 1) / 3);
          const start = open ? open.start : n;
          const label = (open ? open.label : '') + tok.replace(/[╾╼─]/g, '');
          for (let b = 0; b < width; b++) putByte(tokLo, 0, true);
          if (tok.endsWith(RELOC_CLOSE)) {
            closeReloc(tokLo, hexLo + j, start, label);
            open = undefined;
          } else open = { start, label };
        } else if (tok === '__') {
          putByte(tokLo, 0, false);
        } else if (/^[0-9a-fA-F]{2}$/.test(tok)) {
          putByte(tokLo, parseInt(tok, 16), true);
        } else {
          fail(tokLo, hexLo + j, `expected a hex byte, \`__\` or a relocation in an allocation, found \`${tok}\``);
        }
        i = j;
      }
    }
    if (closeAt >= 0) {
      if (open) fail(closeAt, closeAt + 1, 'relocation is not closed with `╼`');
      if (n !== size) fail(closeAt, closeAt + 1, `allocation has ${n} bytes but its header says size: ${size}`);
      p.lx.seek(closeAt + 1);
      return { bytes, init, relocs };
    }
    if (eol >= limit) fail(from - 1, from, 'allocation is not closed with `}`');
    pos = eol + 1;
  }
}
