// `enum` declarations read from Rust source text. rustc's MIR refers to its source
// (`<impl at shapes.rs:3:1: 9:2>`, `{closure@shapes.rs:12:5: 12:9}`) but never declares
// a type; when a variant is only ever built as a constant and matched by value, the
// MIR cannot show its discriminant, and the declaration order in the source can. This
// is a scanner, not a Rust parser: it finds `enum Name { … }` at any nesting, splits
// the variants at top-level commas, and reads names, `= N` literals and `#[repr(int)]`.

import type { IntTy } from './ast.js';

export interface RustEnumDecl {
  name: string;
  /** `opaque`: an explicit discriminant that is not a literal (`= 1 << 3`, `= BASE`). */
  variants: { name: string; discriminant?: bigint; opaque?: boolean }[];
  repr?: IntTy;
}

const INT_TYS = new Set(['i8', 'i16', 'i32', 'i64', 'i128', 'isize', 'u8', 'u16', 'u32', 'u64', 'u128', 'usize']);

/** Every `enum` declaration in the text; an enum declared twice (in two modules) is left out. */
export function readRustEnums(text: string): Map<string, RustEnumDecl> {
  const out = new Map<string, RustEnumDecl>();
  // Blanking comments and strings costs time on large files: skip it when there is no enum.
  if (!/\benum\b/.test(text)) return out;
  const src = stripCommentsAndStrings(text);
  const twice = new Set<string>();
  const re = /\benum\s+([A-Za-z_][A-Za-z0-9_]*)\s*(<[^{]*>)?\s*(where[^{]*)?\{/g;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    const name = m[1]!;
    const open = m.index + m[0].length - 1;
    const close = matching(src, open);
    if (close < 0) continue;
    const variants = splitTopLevel(src.slice(open + 1, close)).flatMap((v) => {
      const variant = readVariant(v);
      return variant ? [variant] : [];
    });
    const decl: RustEnumDecl = { name, variants, repr: reprBefore(src, m.index) };
    if (out.has(name)) twice.add(name);
    out.set(name, decl);
  }
  for (const n of twice) out.delete(n);
  return out;
}

/** Blanks out comments, string and char literals (keeping offsets), so braces in them do not count. */
function stripCommentsAndStrings(t: string): string {
  const parts: string[] = [];
  let kept = 0;
  const blank = (from: number, to: number) => {
    const end = Math.min(to, t.length);
    parts.push(t.slice(kept, from), t.slice(from, end).replace(/[^\n]/g, ' '));
    kept = end;
  };
  // Only `/`, `"` and `'` can start what is blanked: jump from one to the next.
  const special = /[/"']/g;
  let i = 0;
  while (i < t.length) {
    special.lastIndex = i;
    const m = special.exec(t);
    if (!m) break;
    i = m.index;
    const c = t[i]!;
    if (c === '/' && t[i + 1] === '/') {
      const end = t.indexOf('\n', i);
      blank(i, end < 0 ? t.length : end);
      i = end < 0 ? t.length : end;
    } else if (c === '/' && t[i + 1] === '*') {
      const end = t.indexOf('*/', i + 2);
      blank(i, end < 0 ? t.length : end + 2);
      i = end < 0 ? t.length : end + 2;
    } else if (c === '"') {
      let k = i + 1;
      while (k < t.length && t[k] !== '"') k += t[k] === '\\' ? 2 : 1;
      blank(i, k + 1);
      i = k + 1;
    } else if (c === "'" && /^'(\\.[^']*|[^\\'])'/.test(t.slice(i, i + 12))) {
      // A char literal (a lifetime has no closing quote right after one character).
      const end = t.indexOf("'", i + 2);
      blank(i, end + 1);
      i = end + 1;
    } else {
      i++;
    }
  }
  parts.push(t.slice(kept));
  return parts.join('');
}

function matching(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === '{' || c === '(' || c === '[') depth++;
    else if (c === '}' || c === ')' || c === ']') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function splitTopLevel(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '{' || c === '(' || c === '[' || c === '<') depth++;
    else if (c === '}' || c === ')' || c === ']' || (c === '>' && body[i - 1] !== '-')) depth--;
    else if (c === ',' && depth === 0) {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(body.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

function readVariant(text: string): RustEnumDecl['variants'][number] | undefined {
  // Attributes (`#[default]`, doc attributes) come first.
  const rest = text.replace(/^(\s*#\s*\[[^\]]*\]\s*)*/, '');
  const m = /^([A-Za-z_][A-Za-z0-9_]*)/.exec(rest);
  if (!m) return undefined;
  const eq = /=\s*(-?)\s*(0x[0-9a-fA-F_]+|0o[0-7_]+|0b[01_]+|[0-9][0-9_]*)(?:[iu](?:8|16|32|64|128|size))?\s*$/.exec(rest);
  if (!eq) return /=/.test(rest.replace(/\([^)]*\)|\{[^}]*\}/g, '')) ? { name: m[1]!, opaque: true } : { name: m[1]! };
  const digits = eq[2]!.replace(/_/g, '');
  const value = BigInt(digits);
  return { name: m[1]!, discriminant: eq[1] ? -value : value };
}

/** `#[repr(u8)]` (possibly with other attributes between) right before the enum. */
function reprBefore(src: string, at: number): IntTy | undefined {
  const before = src.slice(Math.max(0, at - 400), at);
  const attrs = /((?:\s*#\s*\[[^\]]*\]\s*)*)(?:pub(?:\([^)]*\))?\s*)?$/.exec(before)?.[1] ?? '';
  for (const m of attrs.matchAll(/repr\s*\(([^)]*)\)/g)) {
    for (const word of m[1]!.split(',').map((w) => w.trim())) if (INT_TYS.has(word)) return word as IntTy;
  }
  return undefined;
}
