// The LLVM-specific work of fat and thin LTO on serialized modules (printed IR text):
// merging modules with `llvm-link` (fat), and for thin LTO each module's summary and the
// module text with `available_externally` copies of its imports, which opt may inline but
// never emits. backend.ts runs opt and llc on the results, as for any module.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SerializedModule, ThinImport, ThinSummary } from '../../ssa/traits/write.js';
import { declarationOf, instructionCount, mentions, readModule, type TextFunction, type TextModule } from './ir-text.js';
import { requireLlvmLink, runTool, type LlvmTools } from './tools.js';

const decode = (m: SerializedModule): string => new TextDecoder().decode(m.bytes);

/**
 * Writes the modules into `dir` and links them, in the given order, into one bitcode file
 * (returned). llvm-link renames internal symbols that clash (`f`, `f.1`).
 */
export async function linkModules(tools: LlvmTools, dir: string, modules: SerializedModule[], what: string): Promise<string> {
  requireLlvmLink(tools);
  // Files are numbered, not named after units: unit names need not be valid file names.
  const files = modules.map((_, i) => join(dir, `input${i}.ll`));
  await Promise.all(modules.map((m, i) => writeFile(files[i]!, m.bytes)));
  const out = join(dir, 'linked.bc');
  const shown = modules.map((m, i): [string, string] => [files[i]!, `${m.name}.ll`]);
  await runTool(tools.llvmLink, [...tools.extraFlags, ...files, '-o', out], what, shown);
  return out;
}

export function thinSummary(module: SerializedModule): ThinSummary {
  const m = readModule(decode(module), module.name);
  const exports: ThinSummary['exports'] = [];
  const references: string[] = [];
  for (const f of m.functions.values()) {
    if (f.defined && !f.internal) exports.push({ symbol: f.symbol, size: instructionCount(m, f), importable: !mentionsInternal(m, mentions(m, f)) });
    else if (!f.defined && !f.symbol.startsWith('llvm.')) references.push(f.symbol);
  }
  exports.sort((a, b) => byString(a.symbol, b.symbol));
  return { exports, references: references.sort(byString) };
}

/**
 * The text thin LTO optimizes for `module`: each import's definition copied from its
 * module as `available_externally`, in place of the module's `declare` line for it (or at
 * the end), followed by the declarations the copies need that the module lacks: functions
 * (as declared by the exporting module) and data (`external global [0 x i8]`; opaque
 * pointers make the type irrelevant).
 */
export function thinModuleText(module: SerializedModule, imports: ThinImport[]): string {
  const m = readModule(decode(module), module.name);
  const copies: { from: TextModule; f: TextFunction; needed: string[] }[] = [];
  const imported = new Set<string>();
  for (const imp of imports) {
    const from = readModule(decode(imp.from), imp.from.name);
    for (const symbol of imp.symbols) {
      const f = from.functions.get(symbol);
      if (!f || !f.defined || f.internal) throw new Error(`thin LTO of unit '${module.name}': '${symbol}' is not an external function of unit '${imp.from.name}'`);
      const needed = mentions(from, f);
      if (mentionsInternal(from, needed)) throw new Error(`thin LTO of unit '${module.name}': '${symbol}' of unit '${imp.from.name}' refers to internal symbols and cannot be imported`);
      if (m.functions.get(symbol)?.defined || imported.has(symbol)) continue;
      // A name the module has as internal would bind the copy to the module's own symbol, not the exporter's.
      if (mentionsInternal(m, needed)) continue;
      imported.add(symbol);
      copies.push({ from, f, needed });
    }
  }
  const replaced = new Map<number, string[]>();
  const appended: string[] = [];
  const declared = new Set<string>();
  for (const { from, f, needed } of copies) {
    const lines = from.lines.slice(f.start, f.end);
    lines[0] = lines[0]!.replace(/^define /, 'define available_externally ');
    const own = m.functions.get(f.symbol);
    if (own) replaced.set(own.start, lines);
    else appended.push('', ...lines);
    for (const s of needed) {
      if (m.functions.has(s) || m.globals.has(s) || imported.has(s) || declared.has(s)) continue;
      declared.add(s);
      const callee = from.functions.get(s);
      const data = from.globals.get(s);
      if (callee) appended.push(declarationOf(from, callee));
      else if (data) appended.push(`${data.token} = external global [0 x i8]`);
    }
  }
  const out: string[] = [];
  m.lines.forEach((line, i) => out.push(...(replaced.get(i) ?? [line])));
  // The module text ends with a newline: keep that empty last line last.
  if (out[out.length - 1] === '') out.pop();
  return [...out, ...appended, ''].join('\n');
}

/** Whether any of `symbols` is internal in `m` (a copy elsewhere could not refer to it). */
function mentionsInternal(m: TextModule, symbols: string[]): boolean {
  return symbols.some((s) => (m.functions.get(s) ?? m.globals.get(s))?.internal === true);
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
