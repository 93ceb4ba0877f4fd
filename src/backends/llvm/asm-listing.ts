// One function cut out of the assembly llc writes for a whole module printed with debug
// locations (debug-info.ts), each instruction mapped to the MIR position of the `.loc`
// before it. The function is what llc's verbose output brackets with `-- Begin function`
// and `-- End function` (its constant pools and jump tables included), plus the section
// switch just before that. What only the debug locations added is left out, so the text
// reads as the build's own assembly: `.loc` and `.file` directives, the labels only debug
// info refers to, and, when the build writes no unwind tables, the `.cfi_*` directives
// llc adds for `.debug_frame`.

import type { SourceLoc } from '../../ssa/traits/builder.js';
import type { FunctionListing, ListingLine } from '../../ssa/traits/write.js';

type SourceFile = SourceLoc['file'];

/** The source file a `.file N "directory" "filename"` directive names (directory '' when absent). */
export type FileLookup = (directory: string, filename: string) => SourceFile | undefined;

const BEGIN = '# -- Begin function ';
const END = '# -- End function';
const LOC = /^\s*\.loc\s+(\d+)\s+(\d+)\s+(\d+)/;
const FILE = /^\s*\.file\s+(\d+)\s+"((?:[^"\\]|\\.)*)"(?:\s+"((?:[^"\\]|\\.)*)")?/;
/** Labels that only debug info refers to. */
const DEBUG_LABEL = /^(\.Ltmp\d+|\.Lfunc_begin\d+):/;
/** An instruction (a directive starts with a dot, a comment with `#`). */
const INSTRUCTION = /^\s+[a-z]/;

/** `symbol`'s part of `asm`, mapped; undefined when llc wrote no code for it. */
export function asmListing(asm: string, symbol: string, files: FileLookup): FunctionListing | undefined {
  const all = asm.split('\n');
  const begin = all.findIndex((l) => {
    const at = l.indexOf(BEGIN);
    return at >= 0 && l.slice(at + BEGIN.length).trim() === symbol;
  });
  if (begin < 0) return undefined;
  let end = all.findIndex((l, i) => i > begin && l.includes(END));
  if (end < 0) end = all.length - 1;
  const start = begin > 0 && /^\s*\.section\s/.test(all[begin - 1]!) ? begin - 1 : begin;

  // `.file` directives name each file once, wherever it is first used.
  const fileNumbers = new Map<string, SourceFile | undefined>();
  for (const l of all) {
    const m = FILE.exec(l);
    if (m) fileNumbers.set(m[1]!, m[3] === undefined ? files('', unquote(m[2]!)) : files(unquote(m[2]!), unquote(m[3])));
  }
  const debugFrameOnly = all.some((l) => /^\s*\.cfi_sections\s+\.debug_frame\s*$/.test(l));

  const region = all.slice(start, end + 1);
  const uses = labelUses(region);
  const kept: string[] = [];
  const lines: ListingLine[] = [];
  let loc: Omit<ListingLine, 'output'> | undefined;
  for (const l of region) {
    const m = LOC.exec(l);
    if (m) {
      const file = fileNumbers.get(m[1]!);
      const line = Number(m[2]);
      // Line 0 is code of no statement.
      loc = file && line > 0 ? { file, line, column: Math.max(1, Number(m[3])) } : undefined;
      continue;
    }
    if (FILE.test(l)) continue;
    if (debugFrameOnly && /^\s*\.cfi_/.test(l)) continue;
    const label = DEBUG_LABEL.exec(l);
    // Its definition is one use: kept when something else refers to it.
    if (label && uses.get(label[1]!)! < 2) continue;
    if (loc && INSTRUCTION.test(l)) lines.push({ output: kept.length, ...loc });
    kept.push(l);
  }
  return { text: kept.join('\n') + '\n', lines };
}

/** How often each label of the kind only debug info refers to occurs in `lines`, definitions included. */
function labelUses(lines: string[]): Map<string, number> {
  const uses = new Map<string, number>();
  for (const l of lines) for (const [name] of l.matchAll(/\.L(?:tmp|func_begin)\d+(?![0-9A-Za-z_])/g)) uses.set(name, (uses.get(name) ?? 0) + 1);
  return uses;
}

/** A string as llc quotes it: `\"`, `\\`, octal `\NNN` and the C escapes. */
function unquote(s: string): string {
  const bytes: number[] = [];
  const enc = new TextEncoder();
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '\\') {
      bytes.push(...enc.encode(c));
      continue;
    }
    const oct = /^[0-7]{3}/.exec(s.slice(i + 1));
    if (oct) {
      bytes.push(parseInt(oct[0], 8));
      i += 3;
      continue;
    }
    const e = s[++i] ?? '';
    bytes.push(...enc.encode(({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' } as Record<string, string>)[e] ?? e));
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}
