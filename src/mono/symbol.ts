// Symbol names, in the manner of rustc's legacy mangling: `_ZN` + the crate name and the
// item's path segments, each length-prefixed, + `17h<16 hex digits>E`, where the hash
// covers the crate name and the instance key (path and substitution), so two
// instantiations of one generic get two symbols and the same inputs always give the same
// symbol, whatever the order of files or items. Characters that are not identifier
// characters are escaped as rustc does (`<` → `$LT$`, ` ` → `$u20$`, …), so
// `<impl at a.rs:3:1: 3:9>::area` becomes `_$LT$impl$u20$at$u20$a.rs$u3a$3…$GT$4area`.
// Exported items (`main`, `rust_eh_personality`, `#[no_mangle]`) keep their own name.

import { createHash } from 'node:crypto';
import type { Path } from '../mir/ast.js';

export function mangle(crateName: string, segments: string[], key: string): string {
  let out = '_ZN';
  for (const s of [crateName, ...segments]) {
    const e = escapeSegment(s);
    out += `${e.length}${e}`;
  }
  return `${out}17h${stableHash(`${crateName}\0${key}`)}E`;
}

/** 16 hex digits of a SHA-256 of `text`: stable across runs and platforms. */
export function stableHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** The segments of an item path as mangling sees them. */
export function pathSegmentsForSymbol(path: Path): string[] {
  return path.segments.map((s) => {
    switch (s.kind) {
      case 'ident':
        return s.name;
      case 'impl':
        return `<${s.text}>`;
      case 'qualified':
        return '<qualified>';
      case 'disambig':
        return `{${s.name}#${s.index}}`;
      case 'promoted':
        return `promoted[${s.index}]`;
    }
  });
}

const ESCAPES: Record<string, string> = { '@': '$SP$', '*': '$BP$', '&': '$RF$', '<': '$LT$', '>': '$GT$', '(': '$LP$', ')': '$RP$', ',': '$C$' };

function escapeSegment(s: string): string {
  let out = '';
  for (const ch of s) {
    if (/[A-Za-z0-9_.$]/.test(ch)) out += ch;
    else if (ESCAPES[ch]) out += ESCAPES[ch];
    else out += `$u${ch.codePointAt(0)!.toString(16)}$`;
  }
  // Underscore-qualify anything that does not start like an identifier.
  return /^[A-Za-z_]/.test(out) ? out : `_${out}`;
}
