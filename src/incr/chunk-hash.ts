// Chunk fingerprints for the incremental layer: every item chunk of a MIR file (split.ts)
// hashed from a normalized form of its text, so that comments, debuginfo, indentation
// and rustc's dump-wide allocation numbering do not count as changes. References to an
// allocation hash by the allocation's content (Merkle; a cycle is named relative to its
// root), so a new string literal in one function leaves the hashes of the others alone.

import { createHash } from 'node:crypto';
import { splitItems } from '../mir/split.js';

export interface ChunkHash {
  /** The chunk's offsets (from splitItems), as JS string indices. */
  start: number;
  end: number;
  /** Hex, 32 chars: the normalized text with allocation references resolved. */
  hash: string;
  kind: 'fn' | 'const' | 'static' | 'alloc' | 'adt' | 'other';
  /** For alloc chunks: the number as printed (the parser's `AllocItem.id`). */
  alloc?: number;
}

export interface FileHashes {
  /** Hash of the normalized prelude (rustc's comment header normalizes to ''). */
  prelude: string;
  chunks: ChunkHash[];
  /** hash of the whole file's normalized content in order, for the "nothing changed" fast path */
  file: string;
  /** Finds the chunk containing byte offset `offset` (binary search over starts); undefined outside any chunk. */
  chunkAt(offset: number): ChunkHash | undefined;
  /** The position of that chunk in `chunks`, or -1. */
  chunkIndexAt(offset: number): number;
}

type Kind = ChunkHash['kind'];

/** `len` characters at `at` of a normalized text name allocation `id`. */
interface Ref {
  at: number;
  len: number;
  id: number;
}

interface Normalized {
  text: string;
  refs: Ref[];
  /** An alloc chunk's own number in its header: dropped when hashing. */
  self?: Ref;
}

const TAB = 9;
const NL = 10;
const CR = 13;
const SPACE = 32;
const QUOTE = 34;
const APOS = 39;
const SLASH = 47;
const BACKSLASH = 92;
const LBRACE = 123;
const RBRACE = 125;
const CTFE_MARKER = '// MIR FOR CTFE';
const ALLOC_ID = 'alloc_id: ';
const BAR = '│';
const RELOC_OPEN = '╾';
const RELOC_CLOSE = '╼';

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB || c === CR;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isIdentChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function hex128(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 32);
}

/** `alloc12` or `ALLOC12` at `p`: the end of its digits, or -1. */
function allocWordEnd(text: string, p: number, limit: number): number {
  if (!text.startsWith('alloc', p) && !text.startsWith('ALLOC', p)) return -1;
  let k = p + 5;
  while (k < limit && isDigit(text.charCodeAt(k))) k++;
  return k > p + 5 ? k : -1;
}

/**
 * An allocation reference starting at `i`, in the two places rustc prints one inside a
 * body: `{alloc12: &T}` (also `+0x8`, `<imm>`) and `alloc_id: alloc12`. Anything else
 * that looks like `alloc12` (a function so named, `fn() {alloc12}`) is left alone.
 */
function refAt(text: string, i: number, limit: number): { lo: number; hi: number; id: number } | undefined {
  const c = text.charCodeAt(i);
  let lo: number;
  if (c === LBRACE) lo = i + 1;
  else if (i >= ALLOC_ID.length && text.startsWith(ALLOC_ID, i - ALLOC_ID.length)) lo = i;
  else return undefined;
  const hi = allocWordEnd(text, lo, limit);
  if (hi < 0) return undefined;
  const next = hi < limit ? text.charCodeAt(hi) : SPACE;
  if (c === LBRACE ? next !== 58 && next !== 43 && next !== 60 : isIdentChar(next)) return undefined; // `:`, `+`, `<`
  const id = Number(text.slice(lo + 5, hi));
  return Number.isSafeInteger(id) ? { lo, hi, id } : undefined;
}

/** The index of the `"` closing the string opened at `i` (escapes skipped), or `limit`. */
function skipString(text: string, i: number, limit: number): number {
  for (let j = i + 1; j < limit; j++) {
    const c = text.charCodeAt(j);
    if (c === BACKSLASH) j++;
    else if (c === QUOTE) return j;
  }
  return limit;
}

/** The closing `'` of a char literal opened at `i` (`'"'`, `'\''`), or `i` for a lifetime. */
function skipChar(text: string, i: number, limit: number): number {
  if (text.charCodeAt(i + 1) === BACKSLASH) {
    const j = text.indexOf("'", i + 3);
    return j === -1 || j >= limit ? i : j;
  }
  if (i + 2 < limit && text.charCodeAt(i + 2) === APOS) return i + 2;
  const hi = text.charCodeAt(i + 1);
  if (hi >= 0xd800 && hi <= 0xdbff && i + 3 < limit && text.charCodeAt(i + 3) === APOS) return i + 3;
  return i;
}

/**
 * The careful form of one trimmed line [a, b): a trailing `//` comment cut, blank runs
 * collapsed to one space, allocation references recorded (at `base` + their offset in
 * the result). String and char literals are copied untouched.
 */
function cleanLine(text: string, a: number, b: number, refs: Ref[], base: number): string {
  let out = '';
  let seg = a; // start of the text not yet copied to `out`
  let end = b;
  for (let i = a; i < b; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) i = skipString(text, i, b);
    else if (c === APOS) i = skipChar(text, i, b);
    else if (c === SLASH && text.charCodeAt(i + 1) === SLASH) {
      end = i;
      break;
    } else if (c === SPACE || c === TAB) {
      let k = i + 1;
      while (k < b && isBlank(text.charCodeAt(k))) k++;
      if (c === TAB || k > i + 1) {
        out += text.slice(seg, i) + ' ';
        seg = k;
      }
      i = k - 1;
    } else if (c === LBRACE || c === 97 || c === 65) {
      const r = refAt(text, i, b);
      if (r) {
        refs.push({ at: base + out.length + (r.lo - seg), len: r.hi - r.lo, id: r.id });
        i = r.hi - 1;
      }
    }
  }
  out += text.slice(seg, end);
  return end < b ? out.trimEnd() : out;
}

/** Lines dropped whole: `}`, comments other than the CTFE marker, `debug …`, `scope N {`. */
function droppedLine(text: string, a: number, b: number): boolean {
  switch (text.charCodeAt(a)) {
    case RBRACE:
      return b === a + 1;
    case SLASH:
      return text.charCodeAt(a + 1) === SLASH && !text.startsWith(CTFE_MARKER, a);
    case 100: // d
      return text.startsWith('debug ', a);
    case 115: // s
      return text.startsWith('scope ', a) && isDigit(text.charCodeAt(a + 6)) && text.charCodeAt(b - 1) === LBRACE;
    default:
      return false;
  }
}

/**
 * What makes a line need `cleanLine`. Each pattern's next occurrence is cached, so the
 * rare ones cost one native search per file rather than one per line; `'  '` is searched
 * again on every line (the next line's indentation is a match), which is about the cost
 * of reading the line once. Lines must be asked about in ascending order.
 */
const SLOW_PATTERNS = ['//', '\t', '{alloc', '{ALLOC', ALLOC_ID, '  '];

class SlowLines {
  private readonly next: number[];

  constructor(private readonly text: string) {
    this.next = SLOW_PATTERNS.map(() => -1);
  }

  /** True when the trimmed line [a, b) holds a comment, a blank run or an allocation reference. */
  test(a: number, b: number): boolean {
    const next = this.next;
    for (let k = 0; k < next.length; k++) {
      if (next[k]! < a) {
        const at = this.text.indexOf(SLOW_PATTERNS[k]!, a);
        next[k] = at === -1 ? this.text.length : at;
      }
      if (next[k]! < b) return true;
    }
    return false;
  }
}

/** Calls `line(a, b)` for each non-blank line of [start, end), trimmed. */
function forEachLine(text: string, start: number, end: number, line: (a: number, b: number) => void): void {
  let p = start;
  while (p < end) {
    let nl = text.indexOf('\n', p);
    if (nl === -1 || nl > end) nl = end;
    let a = p;
    while (a < nl && isBlank(text.charCodeAt(a))) a++;
    let b = nl;
    while (b > a && isBlank(text.charCodeAt(b - 1))) b--;
    if (a < b) line(a, b);
    p = nl + 1;
  }
}

/** The normalized text of a chunk that is not an allocation (also of the prelude). */
function normalizeBody(text: string, start: number, end: number, slow: SlowLines): Normalized {
  let out = '';
  const refs: Ref[] = [];
  forEachLine(text, start, end, (a, b) => {
    if (droppedLine(text, a, b)) return;
    // The common case, and the CTFE marker: copy the line, with its newline when nothing trails it.
    if (text.charCodeAt(a) === SLASH || !slow.test(a, b)) {
      out += b < text.length && text.charCodeAt(b) === NL ? text.slice(a, b + 1) : text.slice(a, b) + '\n';
      return;
    }
    out = appendCleaned(out, text, a, b, refs);
  });
  return { text: out, refs };
}

/** `out` with the careful form of line [a, b) appended, unless that form is to be dropped. */
function appendCleaned(out: string, text: string, a: number, b: number, refs: Ref[]): string {
  const mark = refs.length;
  const line = cleanLine(text, a, b, refs, out.length);
  if (line === '' || droppedLine(line, 0, line.length)) {
    refs.length = mark;
    return out;
  }
  return out + line + '\n';
}

/**
 * An allocation, normalized: the header up to `{`, then its bytes as one line of tokens.
 * The offset column and the derived ASCII column are dropped, and each relocation is
 * reduced to `╾label╼`: its dashes, its line break and the ` (8 ptr bytes)` note all
 * depend on how many digits the label has, which renumbering changes.
 */
function normalizeAlloc(text: string, start: number, end: number): Normalized {
  let out = '';
  const refs: Ref[] = [];
  let self: Ref | undefined;
  let hex = ''; // hex columns not yet tokenized (a relocation may continue on the next line)
  const flush = () => {
    if (hex === '') return;
    out += relocTokens(hex, refs, out.length) + '\n';
    hex = '';
  };
  const plain = (a: number, b: number) => {
    flush();
    out = appendCleaned(out, text, a, b, refs);
  };
  forEachLine(text, start, end, (a, b) => {
    if (droppedLine(text, a, b)) return;
    if (self === undefined) {
      const digitsEnd = allocWordEnd(text, a, b);
      const id = digitsEnd < 0 ? NaN : Number(text.slice(a + 5, digitsEnd));
      if (!Number.isSafeInteger(id)) return plain(a, b);
      self = { at: out.length + 5, len: digitsEnd - a - 5, id };
      const open = text.indexOf(') {', a);
      const headerEnd = open === -1 || open >= b ? b : open + 3;
      out += cleanLine(text, a, headerEnd, refs, out.length) + '\n';
      if (headerEnd < b) bodyLine(headerEnd, b);
      return;
    }
    bodyLine(a, b);
  });
  function bodyLine(a: number, b: number): void {
    while (a < b && isBlank(text.charCodeAt(a))) a++;
    if (a === b) return;
    const last = text.lastIndexOf(BAR, b - 1);
    if (last < a) return plain(a, b);
    const first = text.indexOf(BAR, a);
    const from = first < last && text.startsWith('0x', a) ? first + 1 : a;
    hex += ' ' + text.slice(from, last);
  }
  flush();
  return self ? { text: out, refs, self } : { text: out, refs };
}

const RELOC_LABEL = /^╾([0-9a-fA-F]{2})?(alloc|ALLOC|a)(\d+)/;

/** Joined hex columns with blank runs collapsed and relocations reduced, labels recorded. */
function relocTokens(hex: string, refs: Ref[], base: number): string {
  let out = '';
  let i = 0;
  while (i < hex.length) {
    const open = hex.indexOf(RELOC_OPEN, i);
    out = joinTokens(out, hex.slice(i, open === -1 ? hex.length : open).trim().replace(/\s+/g, ' '));
    if (open === -1) break;
    const close = hex.indexOf(RELOC_CLOSE, open);
    i = close === -1 ? hex.length : close + 1;
    const token = hex.slice(open, i).replace(/ \(\d+ ptr bytes\)/, '').replace(/[─\s]/g, '');
    const m = RELOC_LABEL.exec(token);
    const id = m ? Number(m[3]) : NaN;
    if (m && Number.isSafeInteger(id)) {
      const at = (out === '' ? 0 : out.length + 1) + RELOC_OPEN.length + (m[1]?.length ?? 0);
      refs.push({ at: base + at, len: m[2]!.length + m[3]!.length, id });
    }
    out = joinTokens(out, token);
  }
  return out;
}

function joinTokens(a: string, b: string): string {
  return b === '' ? a : a === '' ? b : a + ' ' + b;
}

/** The first line of an item, past attributes and the CTFE marker. */
function headerLine(text: string, start: number, end: number): { a: number; b: number } | undefined {
  let found: { a: number; b: number } | undefined;
  let p = start;
  while (p < end && !found) {
    let nl = text.indexOf('\n', p);
    if (nl === -1 || nl > end) nl = end;
    let a = p;
    while (a < nl && isBlank(text.charCodeAt(a))) a++;
    if (a < nl && !text.startsWith('#[', a) && !text.startsWith('//', a)) found = { a, b: nl };
    p = nl + 1;
  }
  return found;
}

/** Past `pub ` or `pub(crate) ` at `a`, if any. */
function afterPub(text: string, a: number, b: number): number {
  if (!text.startsWith('pub', a)) return a;
  let p = a + 3;
  if (text.charCodeAt(p) === 40) {
    const close = text.indexOf(')', p);
    if (close === -1 || close >= b) return a;
    p = close + 1;
  } else if (text.charCodeAt(p) !== SPACE) return a;
  while (p < b && isBlank(text.charCodeAt(p))) p++;
  return p;
}

function kindOf(text: string, start: number, end: number): Kind {
  const h = headerLine(text, start, end);
  if (!h) return 'other';
  const a = afterPub(text, h.a, h.b);
  if (text.startsWith('fn ', a)) return 'fn';
  if (text.startsWith('const ', a)) return 'const';
  if (text.startsWith('static ', a)) return 'static';
  if (allocWordEnd(text, a, h.b) > 0) return 'alloc';
  if (text.startsWith('struct ', a) || text.startsWith('enum ', a) || text.startsWith('union ', a)) return 'adt';
  const line = text.slice(a, h.b).trimEnd();
  return line.includes('{constant#') && line.endsWith('= {') ? 'const' : 'other';
}

/** The normalized text of chunk [start, end) before allocation references are resolved (for tests and debugging). */
export function normalizeChunk(text: string, start: number, end: number): string {
  return normalizeWith(text, start, end, kindOf(text, start, end), new SlowLines(text)).text;
}

function normalizeWith(text: string, start: number, end: number, kind: Kind, slow: SlowLines): Normalized {
  return kind === 'alloc' ? normalizeAlloc(text, start, end) : normalizeBody(text, start, end, slow);
}

/** `n.text` with each reference replaced by `name(id)` (kept when undefined) and its own number dropped. */
function resolve(n: Normalized, name: (id: number) => string | undefined): string {
  if (n.refs.length === 0 && !n.self) return n.text;
  const edits: (Ref & { to: string })[] = n.self ? [{ ...n.self, to: '' }] : [];
  for (const r of n.refs) edits.push({ ...r, to: name(r.id) ?? n.text.slice(r.at, r.at + r.len) });
  let out = '';
  let p = 0;
  for (const e of edits) {
    out += n.text.slice(p, e.at) + e.to;
    p = e.at + e.len;
  }
  return out + n.text.slice(p);
}

/**
 * Content hashes of a file's allocations by number. Each number's canonical text is its
 * longest chunk (rustc prints an allocation once per body that uses it, sometimes as just
 * `allocN (static: X)`), so which copy comes first does not matter.
 */
function allocContents(allocs: Map<number, Normalized>): Map<number, string> {
  const edges = new Map<number, number[]>();
  for (const [id, n] of allocs) edges.set(id, n.refs.map((r) => r.id).filter((t) => allocs.has(t)));
  const content = new Map<number, string>();
  const named = (id: number) => (content.has(id) ? '@' + content.get(id) : undefined);
  for (const comp of stronglyConnected([...allocs.keys()], edges)) {
    const first = comp[0]!;
    if (comp.length === 1 && !edges.get(first)!.includes(first)) {
      content.set(first, hex128(resolve(allocs.get(first)!, named)));
      continue;
    }
    const members = new Set(comp);
    const hashes = comp.map((root) => hex128(rootedCycle(root, members, allocs, edges, named)));
    comp.forEach((id, k) => content.set(id, hashes[k]!));
  }
  return content;
}

/**
 * A cycle as seen from `root`: its members in depth-first order from the root, following
 * references in text order, each printed with references inside the cycle as `@#k` (k
 * the target's position in that order). Numbers never appear, so renumbering is invisible.
 */
function rootedCycle(
  root: number,
  members: Set<number>,
  allocs: Map<number, Normalized>,
  edges: Map<number, number[]>,
  named: (id: number) => string | undefined,
): string {
  const order = new Map<number, number>([[root, 0]]);
  const stack: { id: number; next: number }[] = [{ id: root, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const out = edges.get(top.id)!;
    if (top.next >= out.length) {
      stack.pop();
      continue;
    }
    const to = out[top.next++]!;
    if (members.has(to) && !order.has(to)) {
      order.set(to, order.size);
      stack.push({ id: to, next: 0 });
    }
  }
  const inCycle = (id: number) => (members.has(id) ? `@#${order.get(id)}` : named(id));
  return [...order.keys()].map((id) => resolve(allocs.get(id)!, inCycle)).join('@@\n');
}

/** Tarjan's strongly connected components, iteratively; each comes after those it reaches. */
function stronglyConnected(nodes: number[], edges: Map<number, number[]>): number[][] {
  const index = new Map<number, number>();
  const low = new Map<number, number>();
  const onStack = new Set<number>();
  const stack: number[] = [];
  const comps: number[][] = [];
  const enter = (v: number) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
  };
  for (const root of nodes) {
    if (index.has(root)) continue;
    enter(root);
    const work: { v: number; next: number }[] = [{ v: root, next: 0 }];
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      const out = edges.get(top.v)!;
      if (top.next < out.length) {
        const w = out[top.next++]!;
        if (!index.has(w)) {
          enter(w);
          work.push({ v: w, next: 0 });
        } else if (onStack.has(w)) low.set(top.v, Math.min(low.get(top.v)!, index.get(w)!));
        continue;
      }
      work.pop();
      const v = top.v;
      if (work.length > 0) {
        const u = work[work.length - 1]!.v;
        low.set(u, Math.min(low.get(u)!, low.get(v)!));
      }
      if (low.get(v) !== index.get(v)) continue;
      const comp: number[] = [];
      let w: number;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      comps.push(comp);
    }
  }
  return comps;
}

/** A chunk whose hash waits for the allocation contents. */
interface Pending {
  chunk: ChunkHash;
  norm: Normalized;
}

/** Fingerprints of every chunk of a MIR file, allocations per file (rustc numbers them per dump). */
/**
 * What hashing a file leaves for hashing its next version: each chunk's normalization
 * (and its hash, when that depends on no allocation) by the chunk's exact text. A
 * chunk's normalization depends on its text alone, so an unchanged chunk is not
 * normalized or hashed again. Holds one version of the file: each use replaces it.
 */
export type ChunkMemo = Map<string, { kind: Kind; norm: Normalized; hash?: string }>;

export function hashFile(text: string, memo?: ChunkMemo): FileHashes {
  const { prelude, items } = splitItems(text);
  const slow = new SlowLines(text);
  const chunks: ChunkHash[] = [];
  const pending: Pending[] = [];
  const allocs = new Map<number, Normalized>();
  const preludeNorm = normalizeBody(text, prelude.start, prelude.end, slow);
  const next: ChunkMemo | undefined = memo && new Map();
  for (const { start, end } of items) {
    const raw = memo && text.slice(start, end);
    const known = raw === undefined ? undefined : memo!.get(raw);
    const kind = known?.kind ?? kindOf(text, start, end);
    const norm = known?.norm ?? normalizeWith(text, start, end, kind, slow);
    const chunk: ChunkHash = { start, end, hash: '', kind };
    chunks.push(chunk);
    if (norm.self) {
      chunk.alloc = norm.self.id;
      const seen = allocs.get(norm.self.id);
      if (!seen || seen.text.length < norm.text.length) allocs.set(norm.self.id, norm);
    }
    if (norm.refs.length === 0 && !norm.self) chunk.hash = known?.hash ?? hex128(norm.text);
    else pending.push({ chunk, norm });
    if (next && raw !== undefined) next.set(raw, { kind, norm, hash: chunk.hash || undefined });
  }
  if (memo && next) {
    memo.clear();
    for (const [k, v] of next) memo.set(k, v);
  }
  const content = allocContents(allocs);
  const named = (id: number) => (content.has(id) ? '@' + content.get(id) : undefined);
  for (const { chunk, norm } of pending) {
    const canonical = norm.self && allocs.get(norm.self.id)!.text === norm.text;
    chunk.hash = canonical ? content.get(norm.self!.id)! : hex128(resolve(norm, named));
  }
  const preludeHash = hex128(resolve(preludeNorm, named));
  const file = hex128(preludeHash + '\n' + chunks.map((c) => c.hash).join('\n'));
  return { prelude: preludeHash, chunks, file, chunkAt: (offset) => chunks[chunkIndexAt(chunks, offset)], chunkIndexAt: (offset) => chunkIndexAt(chunks, offset) };
}

function chunkIndexAt(chunks: ChunkHash[], offset: number): number {
  let lo = 0;
  let hi = chunks.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (chunks[mid]!.start <= offset) lo = mid + 1;
    else hi = mid - 1;
  }
  const c = chunks[hi];
  return c && offset < c.end ? hi : -1;
}

// ---------------------------------------------------------------- shapes

/** Lines whose literal operands can feed inference: comparisons (enum discriminants) and switches. */
const KEEPS_LITERALS = /= (?:Eq|Ne|Lt|Le|Gt|Ge|Cmp)\(|switchInt\(/;
/** A number's value (its type suffix stays), `true`/`false`, or a `&str` literal (the type of any of them). */
const LITERAL_VALUE = /const (?:-?[0-9][0-9_]*?(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?(?=_?(?:[iu](?:8|16|32|64|128|size)|f(?:32|64))\b)|true\b|false\b|"(?:[^"\\]|\\.)*")/g;
const ALLOC_NUMBER = /\b(alloc|ALLOC)[0-9]+/g;

/** What stands for an erased literal: its kind, so a `bool` cannot pass for a `&str`. */
function erasedLiteral(m: string): string {
  return m.endsWith('"') ? 'const #str' : m === 'const true' || m === 'const false' ? 'const #bool' : 'const #';
}

/**
 * What crate-wide inference and collection can read of a function chunk, in two
 * strengths. `typed`: the typed view (below) of its normalized text with literal values
 * erased, their types kept (numbers keep their suffix; a `&str` literal is `&str` whatever
 * it says, while a byte string's length is part of its type, so byte strings stay), and
 * allocation numbers erased too. Comparisons and switches, where discriminant evidence
 * comes from, keep their literals. A changed allocation is a changed chunk of its own,
 * which the shape does not need to see. `calls`: the same without the locals' types and
 * without plain calls (a local assigned the result of a path or local called with plain
 * operands), which only checking's external-call sites and collection read: two bodies
 * with the same `calls` shape differ in what they call and in the types of their locals.
 */
export interface ChunkShapes {
  typed: string;
  calls: string;
}

export function chunkShapes(text: string, chunk: ChunkHash): ChunkShapes {
  // On the chunk's own text: normalizing looks ahead for rare patterns, to the end of its text.
  const own = text.slice(chunk.start, chunk.end);
  const lines = normalizeChunk(own, 0, own.length).split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.includes('const ') && !KEEPS_LITERALS.test(l)) lines[i] = l.replace(LITERAL_VALUE, erasedLiteral);
    if (l.includes('lloc') || l.includes('LLOC')) lines[i] = lines[i]!.replace(ALLOC_NUMBER, '$1#');
  }
  const view = typedView(lines);
  return { typed: 'T' + hex128(view.typed), calls: 'C' + hex128(view.calls) };
}

// ---------------------------------------------------------------- typed views

const LOCAL = '(?:copy|move) _[0-9]+';
const OPERAND = `(?:${LOCAL}|const #(?:_?[a-z0-9]+|str|bool)?)`;
const ARITH = '(?:Add|Sub|Mul|Div|Rem|BitXor|BitAnd|BitOr|Shl|Shr|AddWithOverflow|SubWithOverflow|MulWithOverflow|AddUnchecked|SubUnchecked|MulUnchecked|ShlUnchecked|ShrUnchecked)';
/**
 * Lines no inference or collection reads (after literal erasure): storage markers, jumps,
 * and arithmetic, moves and asserts on plain locals and literals. Typing them only checks
 * types that the locals' declarations already give. Tested by the line's first word.
 */
const FREE_ASSIGN = new RegExp(`^_[0-9]+ = (?:${OPERAND}|${ARITH}\\(${OPERAND}, ${OPERAND}\\)|(?:Not|Neg)\\(${OPERAND}\\));$`);
const FREE_ASSERT = new RegExp(`^assert\\(!?${LOCAL}, "(?:[^"\\\\]|\\\\.)*"(?:, ${OPERAND})*\\) -> \\[success: bb[0-9]+, unwind [a-z]+\\];$`);
const FREE_OTHER = /^(?:Storage(?:Live|Dead)\(_[0-9]+\);|goto -> bb[0-9]+;|return;|unreachable;|bb[0-9]+: \{)$/;

function evidenceFree(l: string): boolean {
  switch (l.charCodeAt(0)) {
    case 95: // _
      return FREE_ASSIGN.test(l);
    case 97: // a
      return l.startsWith('assert(') && FREE_ASSERT.test(l);
    default:
      return FREE_OTHER.test(l);
  }
}

const LET = /^let (?:mut )?_([0-9]+): (.*);$/;

/** `_1: T` pairs of a function header's parameter list, split at top-level commas. */
function headerParams(header: string): [string, string][] {
  const open = header.indexOf('(');
  const out: [string, string][] = [];
  let depth = 0;
  let from = open + 1;
  for (let i = from; i < header.length && open >= 0; i++) {
    const c = header[i]!;
    if (c === '(' || c === '<' || c === '[') depth++;
    else if ((c === ')' || (c === '>' && header[i - 1] !== '-') || c === ']') && depth > 0) depth--;
    else if ((c === ',' || c === ')') && depth === 0) {
      const m = /^\s*_([0-9]+): (.*)$/.exec(header.slice(from, i));
      if (m) out.push([m[1]!, m[2]!.trim()]);
      from = i + 1;
      if (c === ')') break;
    }
  }
  return out;
}

/** `_5 = f::<T>(move _3, const #u32) -> [return: bb2, unwind continue];` after literal erasure. */
const PLAIN_CALL = new RegExp(`^_[0-9]+ = .+?\\((?:${OPERAND}(?:, ${OPERAND})*)?\\) -> (?:\\[return: bb[0-9]+, unwind(?: [a-z]+|: bb[0-9]+)\\]|unwind [a-z]+);$`);

function plainCall(l: string): boolean {
  return l.charCodeAt(0) === 95 && l.includes(') -> ') && PLAIN_CALL.test(l);
}

/**
 * A body as inference and collection see it, whatever its local and block numbering:
 * its locals' distinct types, then every line that is not evidence-free, each local
 * written as its type and block numbers erased. Two versions of a function with the same
 * view type-check to the same facts (but for discriminant facts, which follow control
 * flow and are compared apart) and reference the same items, however many statements or
 * temporaries they add, move or drop. `calls` leaves out the types and the plain calls.
 */
function typedView(lines: string[]): { typed: string; calls: string } {
  const types = new Map<string, string>();
  const header = lines[0] ?? '';
  for (const [local, ty] of headerParams(header)) types.set(local, ty);
  const ret = /-> (.*) \{$/.exec(header);
  types.set('0', ret ? ret[1]! : '()');
  const kept: string[] = [];
  const calls: boolean[] = [];
  for (const l of lines.slice(1)) {
    const let_ = l.startsWith('let ') ? LET.exec(l) : null;
    if (let_) types.set(let_[1]!, let_[2]!);
    else if (!evidenceFree(l)) {
      kept.push(l);
      calls.push(plainCall(l));
    }
  }
  const named = kept.map((l) => l.replace(/\b_([0-9]+)\b/g, (m, n: string) => (types.has(n) ? `{${types.get(n)}}` : m)).replace(/\bbb[0-9]+\b/g, 'bb#'));
  // Types in order of first declaration: inference meets them in that order.
  return {
    typed: [header, [...new Set(types.values())].join('\n'), ...named].join('\n'),
    calls: [header, ...named.filter((_, i) => !calls[i])].join('\n'),
  };
}
