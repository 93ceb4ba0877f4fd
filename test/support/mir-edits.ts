// Seeded edits of MIR text that keep it valid for codegend, for the incremental property
// tests: change an integer literal in one function, swap a function's item for the same
// function of another (mutated) dump, retarget or add a call between generated functions,
// and edits that change nothing the compiler sees (comments, indentation, blank lines).
// Every edit returns the new text and a description precise enough to replay it by hand.

import { splitItems } from '../../src/mir/split.js';

/** A small deterministic PRNG (mulberry32), the one gen-crate.mjs uses. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = (seed ^ 0x5eed1234) >>> 0;
  }

  u32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** Inclusive bounds. */
  int(lo: number, hi: number): number {
    return lo + (this.u32() % (hi - lo + 1));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.u32() % items.length]!;
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  /** Uniform in [0, 2^bits). */
  bigBits(bits: number): bigint {
    let v = 0n;
    for (let got = 0; got < bits; got += 32) v = (v << 32n) | BigInt(this.u32());
    return v & ((1n << BigInt(bits)) - 1n);
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.u32() % (i + 1);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }
}

export interface FnItem {
  /** The path after `fn `, up to the parameter list: `f12`, `m3::drive`, `main`. */
  name: string;
  start: number;
  end: number;
}

export interface Edit {
  text: string;
  kind: 'literal' | 'bytes' | 'swap' | 'statement' | 'call' | 'comments' | 'indent' | 'blank-lines';
  /** The function the edit touched, when it touched one. */
  fn?: string;
  /** What changed, for failure messages and bug reports. */
  detail: string;
}

/** The function items of a dump (rustc's `// MIR FOR CTFE` copies excluded). */
export function functionItems(text: string): FnItem[] {
  const out: FnItem[] = [];
  for (const c of splitItems(text).items) {
    if (!text.startsWith('fn ', c.start)) continue;
    const open = text.indexOf('(', c.start);
    const eol = text.indexOf('\n', c.start);
    if (open < 0 || (eol >= 0 && open > eol)) continue;
    out.push({ name: text.slice(c.start + 3, open), start: c.start, end: c.end });
  }
  return out;
}

/** The item of function `name` (exactly), or undefined. */
export function functionItem(text: string, name: string): FnItem | undefined {
  return functionItems(text).find((f) => f.name === name);
}

/** The generated functions `f0`…`fN` of a gen-crate dump. */
export function generatedFunctions(text: string): FnItem[] {
  return functionItems(text).filter((f) => /^f\d+$/.test(f.name));
}

const INT_TYPES: Record<string, { bits: number; signed: boolean }> = {
  u8: { bits: 8, signed: false },
  u16: { bits: 16, signed: false },
  u32: { bits: 32, signed: false },
  u64: { bits: 64, signed: false },
  i16: { bits: 16, signed: true },
  i32: { bits: 32, signed: true },
  i64: { bits: 64, signed: true },
};

// Literals that are plain data: an operand of a wrapping arithmetic or bitwise operator,
// or the payload of an enum constructor (`Op::Sub(const 9480_u32)`). Shift amounts, bounds,
// lengths, indices, discriminants, loop steps (small values) and usize/isize are left alone,
// so an edit never turns a loop infinite or an index out of bounds.
const LITERAL_LINE = /^\s+_\d+ = (?:[A-Z][A-Za-z]*::)?(?:Add|Sub|Mul|BitXor|BitOr|BitAnd|Xor)\(/;
const LITERAL = /const (-?\d+)_(u8|u16|u32|u64|i16|i32|i64)\b/g;
const MIN_MAGNITUDE = 1000n;

interface LiteralSite {
  at: number;
  len: number;
  value: bigint;
  type: string;
}

function literalSites(text: string, fn: FnItem): LiteralSite[] {
  const out: LiteralSite[] = [];
  let p = fn.start;
  while (p < fn.end) {
    let eol = text.indexOf('\n', p);
    if (eol < 0 || eol > fn.end) eol = fn.end;
    const line = text.slice(p, eol);
    if (LITERAL_LINE.test(line)) {
      for (const m of line.matchAll(LITERAL)) {
        const value = BigInt(m[1]!);
        const t = INT_TYPES[m[2]!]!;
        if ((value < 0n ? -value : value) < MIN_MAGNITUDE && t.bits > 8) continue;
        if (t.bits === 8 && (value < 0n ? -value : value) < 16n) continue;
        out.push({ at: p + m.index! + 'const '.length, len: m[1]!.length, value, type: m[2]! });
      }
    }
    p = eol + 1;
  }
  return out;
}

/** Another value of the same type and sign, nonzero and of a similar size class. */
function otherValue(rng: Rng, value: bigint, type: string): bigint {
  const { bits, signed } = INT_TYPES[type]!;
  const magBits = signed ? bits - 1 : bits;
  for (;;) {
    let v = rng.bigBits(magBits);
    if (v === 0n) continue;
    if (signed && value < 0n) v = -v;
    if (v !== value) return v;
  }
}

/**
 * (a) Changes one integer literal inside the body of `fnName` (or of a random function
 * that has one) to another value of the same type.
 */
export function changeLiteral(text: string, rng: Rng, fnName?: string): Edit | undefined {
  const candidates = (fnName ? functionItems(text).filter((f) => f.name === fnName) : functionItems(text))
    .map((f) => ({ f, sites: literalSites(text, f) }))
    .filter((c) => c.sites.length > 0);
  if (candidates.length === 0) return undefined;
  const { f, sites } = rng.pick(candidates);
  const site = rng.pick(sites);
  const value = otherValue(rng, site.value, site.type);
  const line = lineAt(text, site.at);
  return {
    text: text.slice(0, site.at) + String(value) + text.slice(site.at + site.len),
    kind: 'literal',
    fn: f.name,
    detail: `in \`${f.name}\` (line ${line}) const ${site.value}_${site.type} -> ${value}_${site.type}`,
  };
}

/**
 * (a') Changes one ASCII letter of a byte-string constant (`const b"checksum=%llu\n\x00"`)
 * in a function body: same length, so the same type; the data symbol is named by content.
 */
export function changeByteString(text: string, rng: Rng): Edit | undefined {
  const sites: { fn: string; at: number }[] = [];
  for (const f of functionItems(text)) {
    const body = text.slice(f.start, f.end);
    for (const m of body.matchAll(/const b"([^"\\]*)/g)) {
      // Letters before any `%`: a printf directive stays intact (`%ln` would write memory).
      const plain = m[1]!.split('%')[0]!;
      for (let i = 0; i < plain.length; i++) {
        if (/[a-z]/.test(plain[i]!)) sites.push({ fn: f.name, at: f.start + m.index! + 'const b"'.length + i });
      }
    }
  }
  if (sites.length === 0) return undefined;
  const site = rng.pick(sites);
  const old = text[site.at]!;
  let now = old;
  while (now === old) now = String.fromCharCode(rng.int(97, 122));
  return {
    text: text.slice(0, site.at) + now + text.slice(site.at + 1),
    kind: 'bytes',
    fn: site.fn,
    detail: `in \`${site.fn}\` (line ${lineAt(text, site.at)}) a byte string's '${old}' -> '${now}'`,
  };
}

/** Text without comments and whitespace: equal for two items that differ by a no-op edit only. */
export function stripTrivia(text: string): string {
  return text.replace(/\/\/[^\n]*/g, '').replace(/\s+/g, '');
}

/** (b) Replaces the item of function `name` with that function's item in `donor`. */
export function swapFunction(text: string, donor: string, name: string): Edit {
  const mine = functionItem(text, name);
  const theirs = functionItem(donor, name);
  if (!mine || !theirs) throw new Error(`swapFunction: \`fn ${name}(\` is missing from ${mine ? 'the donor' : 'the text'}`);
  const body = donor.slice(theirs.start, theirs.end);
  return {
    text: text.slice(0, mine.start) + body + text.slice(mine.end),
    kind: 'swap',
    fn: name,
    detail: `replaced the item of \`${name}\` (line ${lineAt(text, mine.start)}) with the donor's`,
  };
}

/** The body lines of a function: offsets of line starts strictly inside its braces. */
function bodyLines(text: string, fn: FnItem): number[] {
  const out: number[] = [];
  let p = text.indexOf('\n', fn.start) + 1;
  while (p > 0 && p < fn.end) {
    const eol = text.indexOf('\n', p);
    if (eol < 0 || eol >= fn.end) break;
    // Only indented lines: the closing `}` at column 0 stays as it is.
    if (text.charCodeAt(p) === 32) out.push(p);
    p = eol + 1;
  }
  return out;
}

/** Applies insertions (offset → text) in one pass. */
function insertAt(text: string, inserts: Map<number, string>): string {
  const offsets = [...inserts.keys()].sort((a, b) => a - b);
  let out = '';
  let prev = 0;
  for (const o of offsets) {
    out += text.slice(prev, o) + inserts.get(o)!;
    prev = o;
  }
  return out + text.slice(prev);
}

function randomFunction(text: string, rng: Rng): FnItem {
  return rng.pick(functionItems(text).filter((f) => bodyLines(text, f).length > 2));
}

/** (c) Comment lines inside a function and trailing comments after statements. */
export function insertComments(text: string, rng: Rng): Edit {
  const fn = randomFunction(text, rng);
  const lines = bodyLines(text, fn);
  const inserts = new Map<number, string>();
  const count = rng.int(1, 4);
  for (let i = 0; i < count; i++) {
    const at = rng.pick(lines);
    inserts.set(at, `${' '.repeat(rng.int(0, 8))}// property-test note ${rng.u32().toString(16)}: bb0 _1 = const 5_u64; }\n`);
  }
  let out = insertAt(text, inserts);
  // A trailing comment on one statement line of the (shifted) function.
  const shifted = functionItem(out, fn.name)!;
  const stmts = bodyLines(out, shifted).filter((p) => /;\s*$/.test(out.slice(p, out.indexOf('\n', p))) && !out.startsWith('//', p + 4));
  if (stmts.length > 0) {
    const p = rng.pick(stmts);
    const eol = out.indexOf('\n', p);
    out = out.slice(0, eol) + ' // trailing note: return;' + out.slice(eol);
  }
  return { text: out, kind: 'comments', fn: fn.name, detail: `${count} comment line(s) and a trailing comment in \`${fn.name}\`` };
}

/** (c) Re-indents the body lines of one function (more spaces, or a tab for four). */
export function reindent(text: string, rng: Rng): Edit {
  const fn = randomFunction(text, rng);
  const style = rng.pick(['deeper', 'tabs', 'mixed'] as const);
  const lines = new Set(bodyLines(text, fn));
  let out = text.slice(0, fn.start);
  let p = fn.start;
  while (p < fn.end) {
    let eol = text.indexOf('\n', p);
    if (eol < 0 || eol >= fn.end) eol = fn.end - 1;
    const line = text.slice(p, eol + 1);
    if (!lines.has(p)) out += line;
    else if (style === 'deeper') out += '  ' + line;
    else if (style === 'tabs') out += line.replace(/^( {4})+/, (s) => '\t'.repeat(s.length / 4));
    else out += line.replace(/^ {4}/, ' \t ');
    p = eol + 1;
  }
  out += text.slice(fn.end);
  return { text: out, kind: 'indent', fn: fn.name, detail: `re-indented \`${fn.name}\` (${style})` };
}

/** (c) Blank and whitespace-only lines inside a function and between items. */
export function insertBlankLines(text: string, rng: Rng): Edit {
  const fn = randomFunction(text, rng);
  const lines = bodyLines(text, fn);
  const inserts = new Map<number, string>();
  for (let i = rng.int(1, 5); i > 0; i--) inserts.set(rng.pick(lines), rng.pick(['\n', '\n\n', '    \n', '\t\n']));
  inserts.set(fn.start, '\n'.repeat(rng.int(1, 3)));
  return { text: insertAt(text, inserts), kind: 'blank-lines', fn: fn.name, detail: `blank lines in and before \`${fn.name}\`` };
}

/** 1-based line of an offset. */
export function lineAt(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** The members of a GNU `ar` archive (`ar crsD`), by name, in order. */
export function archiveMembers(bytes: Uint8Array): Map<string, Buffer> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Map<string, Buffer>();
  if (buf.toString('latin1', 0, 8) !== '!<arch>\n') throw new Error('not an ar archive');
  let longNames = '';
  let p = 8;
  while (p + 60 <= buf.length) {
    const rawName = buf.toString('latin1', p, p + 16).trimEnd();
    const size = Number(buf.toString('latin1', p + 48, p + 58).trim());
    const data = buf.subarray(p + 60, p + 60 + size);
    p += 60 + size + (size % 2);
    if (rawName === '/' || rawName === '/SYM64/') continue;
    if (rawName === '//') {
      longNames = data.toString('latin1');
      continue;
    }
    let name = rawName;
    if (/^\/\d+$/.test(rawName)) {
      const at = Number(rawName.slice(1));
      name = longNames.slice(at, longNames.indexOf('\n', at));
    }
    out.set(name.replace(/\/$/, ''), data);
  }
  return out;
}

/** The names of the members two archives disagree on (present in one only, or different bytes). */
export function differingMembers(a: Uint8Array, b: Uint8Array): string[] {
  const ma = archiveMembers(a);
  const mb = archiveMembers(b);
  const names = new Set([...ma.keys(), ...mb.keys()]);
  return [...names].filter((n) => !ma.get(n) || !mb.get(n) || !ma.get(n)!.equals(mb.get(n)!));
}

/** An assignment of plain-integer arithmetic on locals and literals, the kind no inference reads. */
const ARITH_LINE = /^( +)_\d+ = (BitXor|BitOr|BitAnd|Add|Sub|Mul)\((?:copy|move) _\d+, (?:copy _\d+|const \d+_u64)\);$/gm;

/**
 * (b') A structural edit of one function: one of its integer arithmetic statements is
 * repeated (the body grows by a statement and computes the same), or its operator becomes
 * another bitwise one (the body computes something else). Both keep the MIR valid.
 */
export function editStatement(text: string, rng: Rng): Edit | undefined {
  const candidates = generatedFunctions(text)
    .map((f) => ({ f, lines: [...text.slice(f.start, f.end).matchAll(ARITH_LINE)] }))
    .filter((c) => c.lines.length > 0);
  if (candidates.length === 0) return undefined;
  const { f, lines } = rng.pick(candidates);
  const m = rng.pick(lines);
  const at = f.start + m.index!;
  const line = m[0];
  const repeat = rng.float() < 0.5 || !['BitXor', 'BitOr', 'BitAnd'].includes(m[2]!);
  const replacement = repeat ? `${line}\n${line.replace(/move (_\d+)/, 'copy $1')}` : line.replace(m[2]!, m[2] === 'BitXor' ? 'BitOr' : 'BitXor');
  return {
    text: text.slice(0, at) + replacement + text.slice(at + line.length),
    kind: 'statement',
    fn: f.name,
    detail: `in \`${f.name}\` (line ${lineAt(text, at)}) ${repeat ? 'repeated' : 'changed the operator of'} \`${line.trim()}\``,
  };
}

interface Signature {
  /** Parameter locals and their types, in order: `_1: &Pt` gives { local: '_1', type: '&Pt' }. */
  params: { local: string; type: string }[];
  ret: string;
}

/** The parameters and return type of a function item, from its header line. */
function signatureOf(text: string, fn: FnItem): Signature {
  const header = text.slice(fn.start, text.indexOf('\n', fn.start));
  const m = /^fn [^(]*\((.*)\) -> (.+?) \{\s*$/.exec(header);
  if (!m) throw new Error(`signatureOf: cannot read the header \`${header}\``);
  const params: Signature['params'] = [];
  // Commas at bracket depth 0 separate parameters (`(u8, bool)` is one type).
  let depth = 0;
  let from = 0;
  const list = m[1]!;
  for (let i = 0; i <= list.length; i++) {
    const c = list[i];
    if (c === '(' || c === '[' || c === '<') depth++;
    else if (c === ')' || c === ']' || c === '>') depth--;
    else if ((c === ',' && depth === 0) || c === undefined) {
      const one = list.slice(from, i).trim();
      from = i + 1;
      if (one === '') continue;
      const colon = one.indexOf(': ');
      params.push({ local: one.slice(0, colon), type: one.slice(colon + 2) });
    }
  }
  return { params, ret: m[2]! };
}

function sameSignature(a: Signature, b: Signature): boolean {
  return a.ret === b.ret && a.params.length === b.params.length && a.params.every((p, i) => p.type === b.params[i]!.type);
}

function fnIndex(f: FnItem): number {
  return Number(f.name.slice(1));
}

/** The lines of a function item as [offset, text] pairs (the header included). */
function itemLines(text: string, fn: FnItem): [number, string][] {
  const out: [number, string][] = [];
  let p = fn.start;
  while (p < fn.end) {
    let eol = text.indexOf('\n', p);
    if (eol < 0 || eol > fn.end) eol = fn.end;
    out.push([p, text.slice(p, eol)]);
    p = eol + 1;
  }
  return out;
}

// Lines of the shapes the call edits read, whatever the indentation and with a trailing
// comment allowed (earlier no-op edits leave both behind).
const CALL_LINE = /^([ \t]*_\d+ = )(f\d+)(\(.*\) -> \[return: bb\d+, unwind [a-z]+\];)[ \t]*(?:\/\/.*)?$/;
const GOTO_LINE = /^([ \t]*)goto -> (bb\d+);[ \t]*(?:\/\/.*)?$/;
const LET_LINE = /^([ \t]*)let (?:mut )?_\d+: .*;[ \t]*(?:\/\/.*)?$/;
const INT_TYPE = /^[iu](?:8|16|32|64|128|size)$/;

/**
 * In gen-crate.mjs's crates `fN` calls only `fK` with K < N (the plan draws callees from
 * the functions before it), so the call graph is acyclic by index. The call edits keep
 * it so: a call in `fN` only ever gets a callee `fJ` with J < N, which also rules out J = N.
 */
function lowerCallees(fns: FnItem[], caller: FnItem): FnItem[] {
  return fns.filter((f) => fnIndex(f) < fnIndex(caller));
}

/** Retargets one call of `fn` to another lower function of the same signature. */
function retargetCall(text: string, rng: Rng, fn: FnItem, fns: FnItem[], sigs: Map<string, Signature>): Edit | undefined {
  const sites: { at: number; line: string; callee: string; choices: FnItem[] }[] = [];
  for (const [at, line] of itemLines(text, fn)) {
    const m = CALL_LINE.exec(line);
    if (!m || !sigs.has(m[2]!)) continue;
    const callee = m[2]!;
    const choices = lowerCallees(fns, fn).filter((f) => f.name !== callee && sameSignature(sigs.get(f.name)!, sigs.get(callee)!));
    if (choices.length > 0) sites.push({ at: at + m[1]!.length, line: line.trim(), callee, choices });
  }
  if (sites.length === 0) return undefined;
  const site = rng.pick(sites);
  const to = rng.pick(site.choices);
  return {
    text: text.slice(0, site.at) + to.name + text.slice(site.at + site.callee.length),
    kind: 'call',
    fn: fn.name,
    detail: `in \`${fn.name}\` (line ${lineAt(text, site.at)}) retargeted \`${site.line}\` from ${site.callee} to ${to.name} (both ${describeSignature(sigs.get(to.name)!)})`,
  };
}

function describeSignature(sig: Signature): string {
  return `(${sig.params.map((p) => p.type).join(', ')}) -> ${sig.ret}`;
}

/**
 * The arguments `fn` can pass to a function of signature `callee`: a literal for an integer
 * parameter, a copy of one of its own parameters of the same type otherwise (a parameter
 * is initialized everywhere in the body). gen-crate's by-value types (`Acc`, `Op`) and
 * shared references are Copy; a `&mut` parameter is not, so one is never supplied.
 */
function argumentsFor(rng: Rng, mine: Signature, callee: Signature): string[] | undefined {
  const args: string[] = [];
  for (const p of callee.params) {
    if (INT_TYPE.test(p.type)) {
      args.push(`const ${rng.int(1, 99)}_${p.type}`);
      continue;
    }
    const own = p.type.startsWith('&mut ') ? [] : mine.params.filter((q) => q.type === p.type);
    if (own.length === 0) return undefined;
    args.push(`copy ${rng.pick(own).local}`);
  }
  return args;
}

/**
 * Replaces one `goto -> bbX;` terminator of `fn` with a call of a lower generated function
 * that returns to bbX, its result in a new local `_M` declared after `fn`'s last top-level
 * `let` (M one past the largest local `fn` uses). The result is never read.
 */
function addCall(text: string, rng: Rng, fn: FnItem, fns: FnItem[], sigs: Map<string, Signature>): Edit | undefined {
  const gotos: { at: number; line: string; indent: string; target: string }[] = [];
  let block = '';
  let declarations = true;
  let lastLet: [number, string] | undefined;
  let maxLocal = 0;
  for (const [at, line] of itemLines(text, fn)) {
    const code = line.replace(/\/\/.*$/, '');
    for (const m of code.matchAll(/(?<![\w'])_(\d+)\b/g)) maxLocal = Math.max(maxLocal, Number(m[1]));
    // Top-level `let`s come before the first scope and the first block.
    if (/^[ \t]*(?:scope \d+|bb\d+.*:) \{/.test(code)) declarations = false;
    if (declarations && LET_LINE.test(line)) lastLet = [at, line];
    const header = /^[ \t]*(bb\d+)( \(cleanup\))?: \{/.exec(code);
    if (header) block = header[2] ? '' : header[1]!;
    const g = GOTO_LINE.exec(line);
    if (g && block) gotos.push({ at, line: line.trim(), indent: g[1]!, target: g[2]! });
  }
  if (gotos.length === 0 || !lastLet) return undefined;
  const mine = sigs.get(fn.name)!;
  const callees = rng.shuffle(lowerCallees(fns, fn));
  for (const callee of callees) {
    const sig = sigs.get(callee.name)!;
    const args = argumentsFor(rng, mine, sig);
    if (!args) continue;
    const site = rng.pick(gotos);
    const local = `_${maxLocal + 1}`;
    const call = `${local} = ${callee.name}(${args.join(', ')}) -> [return: ${site.target}, unwind unreachable];`;
    const decl = `let mut ${local}: ${sig.ret};`;
    const [letAt, letLine] = lastLet;
    const letIndent = /^[ \t]*/.exec(letLine)![0];
    const letEnd = letAt + letLine.length;
    const gotoEnd = site.at + site.indent.length + site.line.length;
    return {
      text: text.slice(0, letEnd) + `\n${letIndent}${decl}` + text.slice(letEnd, site.at) + site.indent + call + text.slice(gotoEnd),
      kind: 'call',
      fn: fn.name,
      detail: `in \`${fn.name}\` (line ${lineAt(text, site.at)}) replaced \`${site.line}\` with \`${call}\`, and declared \`${decl}\` after line ${lineAt(text, letAt)}`,
    };
  }
  return undefined;
}

export type CallEditMode = 'retarget' | 'add';

/**
 * (b'') A change to the call graph in one generated function `fN`: one of its calls of a
 * generated function gets another callee of the same signature (`retarget`), or one of its
 * `goto` terminators becomes a call of a generated function whose result is unused (`add`).
 * The mode is `mode`, or random; when no function allows it, the other mode is made.
 * Callees always come before `fN` (see `lowerCallees`), so no edit makes a recursion.
 */
export function editCall(text: string, rng: Rng, mode?: CallEditMode): Edit {
  const fns = generatedFunctions(text);
  const sigs = new Map(fns.map((f) => [f.name, signatureOf(text, f)]));
  const order = rng.shuffle([...fns]);
  const first = mode ?? (rng.chance(0.5) ? 'retarget' : 'add');
  const modes = first === 'retarget' ? [retargetCall, addCall] : [addCall, retargetCall];
  for (const make of modes) {
    for (const fn of order) {
      const edit = make(text, rng, fn, fns, sigs);
      if (edit) return edit;
    }
  }
  throw new Error('editCall: no generated function has a call to retarget or a `goto` to replace');
}
