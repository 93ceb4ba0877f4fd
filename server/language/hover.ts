// Hover for .mir files, in markdown: a local's declared type, debug names and scope; a
// place's type as far as the printed types tell; a function's signature (in its header
// or at a call site) with, from the last build, the unit, symbol and reuse of each of
// its instances; a constant's or static's type; an allocation's header.

import { type Hover, MarkupKind } from 'vscode-languageserver';
import type { SourceFile, Span } from '../../src/diagnostics.js';
import type { FnItem, Path } from '../../src/mir/ast.js';
import { printItem, printPath, printPlace, printTy } from '../../src/mir/printer.js';
import { pathKey } from '../../src/mir/ty.js';
import { type LocalInfo, localsOf, placeType } from './body-walk.js';
import { CrateDefs, type Def, type DefItem } from './crate-defs.js';
import { placementMarkdown, placementTitle, type PlacementInfo } from './placement.js';
import { lineSpanAt, rangeOf } from './position.js';
import { signatureText } from './symbols.js';
import { allocHeader, type Target, targetAt, type TextualLocal } from './target.js';

/** At most this many candidates of a method call are shown. */
const MAX_CANDIDATES = 5;

export function hoverAt(file: SourceFile, offset: number, context: PlacementInfo | undefined, crate: readonly SourceFile[]): Hover | null {
  const target = targetAt(file, offset);
  if (!target) return null;
  const value = hoverText(file, target, context, crate);
  if (value === undefined) return null;
  return { contents: { kind: MarkupKind.Markdown, value }, range: rangeOf(file, target.span) };
}

function hoverText(file: SourceFile, t: Target, context: PlacementInfo | undefined, crate: readonly SourceFile[]): string | undefined {
  switch (t.kind) {
    case 'itemName':
      return t.item.kind === 'alloc' ? allocText(file, t.item.nameSpan) : defText({ item: t.item, file }, context, false);
    case 'path': {
      const defs = new CrateDefs(crate, file).resolve(t.path, t.role);
      const shown = code(printPath(t.path, 'value'));
      if (defs.length === 0 && t.path.segments[0]?.kind === 'qualified') return `${shown}\n\nA trait method: the function that runs depends on the instance, and the crate defines no candidate.`;
      if (defs.length === 0) return `${shown}\n\nNot defined in this crate: an external, core or intrinsic item.`;
      if (defs.length === 1) return defText(defs[0]!, context, true);
      return candidatesText(t.path, defs, context);
    }
    case 'local':
      return t.info ? localText(t.info) : t.textual ? textualLocalText(t.local, t.textual) : undefined;
    case 'place': {
      const pt = t.localInfo && placeType(t.localInfo.ty, t.place.projection);
      const head = code(printPlace(t.place));
      if (!pt) return `${head}\n\nThe printed types do not tell this place's type.`;
      return `${head}\n\ntype ${inline(printTy(pt.ty))}${pt.variant ? `, viewed as variant ${inline(pt.variant)}` : ''}`;
    }
    case 'block':
      return undefined;
    case 'alloc': {
      const header = allocHeader(file, t.id);
      return header ? allocText(file, header) : `${inline(`alloc${t.id}`)} is not in this file (allocations are numbered per file).`;
    }
  }
}

function code(text: string): string {
  return `\`\`\`mir\n${text}\n\`\`\``;
}

function inline(text: string): string {
  const ticks = text.includes('`') ? '``' : '`';
  return `${ticks}${ticks.length > 1 ? ' ' : ''}${text}${ticks.length > 1 ? ' ' : ''}${ticks}`;
}

/** The candidates of a method call: their headers, then where each is and its placement. */
function candidatesText(path: Path, defs: Def[], context: PlacementInfo | undefined): string {
  const shown = defs.slice(0, MAX_CANDIDATES);
  const heads = shown.map((d) => headerText(d.item));
  const lines = shown.map((d) => {
    const where = inline(`${baseName(d.file.name)}:${d.file.position(d.item.nameSpan.lo).line}`);
    const placed = d.item.kind === 'fn' && !d.item.ctfe && context ? ` · ${placementTitle(context.functions.get(pathKey(d.item.name)))}` : '';
    return `- ${where}${placed}`;
  });
  if (defs.length > shown.length) lines.push(`- …and ${defs.length - shown.length} more`);
  return `One of ${defs.length} candidates for ${inline(printPath(path, 'value'))}, chosen by monomorphization:\n\n${code(heads.join('\n'))}\n\n${lines.join('\n')}`;
}

function headerText(item: DefItem): string {
  switch (item.kind) {
    case 'fn':
      return `${item.exported ? '#[no_mangle]\n' : ''}fn ${printPath(item.name, 'value')}${signatureText(item)}`;
    case 'static':
      return `static ${item.mutable ? 'mut ' : ''}${printPath(item.name, 'value')}: ${printTy(item.ty)}`;
    case 'const':
      return item.value ? printItem(item).trimEnd() : `const ${printPath(item.name, 'value')}: ${printTy(item.ty)}`;
    case 'adt':
      return printItem(item).trimEnd();
    case 'externFn': {
      const params = item.decl.params.map(printTy);
      if (item.decl.variadic) params.push('...');
      return `extern "${item.abi}" fn ${item.decl.name}(${params.join(', ')}) -> ${printTy(item.decl.ret)}`;
    }
  }
}

/** A definition: its header, where it is (when `where`), and for a function its placement. */
function defText(def: Def, context: PlacementInfo | undefined, where: boolean): string {
  const item = def.item;
  const parts = [code(headerText(item))];
  if (item.kind === 'fn') {
    const names = paramNames(item);
    if (names) parts.push(names);
    if (item.ctfe) parts.push('The compile-time copy of a `const fn` (`MIR FOR CTFE`): never compiled.');
  }
  if (where) {
    const { line } = def.file.position(item.nameSpan.lo);
    parts.push(`Defined in ${inline(`${baseName(def.file.name)}:${line}`)}`);
  }
  if (item.kind === 'fn' && !item.ctfe && context) parts.push(`**Codegen** (last build)\n\n${placementMarkdown(context.functions.get(pathKey(item.name)))}`);
  return parts.join('\n\n');
}

/** `` `_1` self · `_2` o ``: the parameters' debug names, when the body names them. */
function paramNames(fn: FnItem): string | undefined {
  const locals = localsOf(fn);
  const named = fn.params.flatMap((p) => {
    const names = locals.get(p.local)?.debugNames ?? [];
    return names.length > 0 ? [`${inline(`_${p.local}`)} ${names.join(', ')}`] : [];
  });
  return named.length > 0 ? named.join(' · ') : undefined;
}

function localText(info: LocalInfo): string {
  const head = info.param ? `_${info.local}: ${printTy(info.ty)}` : `let ${info.mutable ? 'mut ' : ''}_${info.local}: ${printTy(info.ty)}`;
  const facts: string[] = [];
  if (info.param) facts.push(`parameter ${info.local}`);
  if (info.local === 0) facts.push('the return place');
  if (info.debugNames.length > 0) facts.push(`debug ${info.debugNames.map(inline).join(', ')}`);
  if (info.scope > 0) facts.push(`scope ${info.scope}`);
  if (info.inlined) facts.push(`inlined from ${inline(info.inlined)}`);
  return facts.length > 0 ? `${code(head)}\n\n${facts.join(' · ')}` : code(head);
}

function textualLocalText(local: number, t: TextualLocal): string {
  const head = code(`let ${t.mutable ? 'mut ' : ''}_${local}: ${t.ty}`);
  const debug = t.debugNames.length > 0 ? `debug ${t.debugNames.map(inline).join(', ')} · ` : '';
  return `${head}\n\n${debug}read from the text: the body does not parse`;
}

/** At most this many lines of an allocation's dump are shown. */
const MAX_DUMP_LINES = 8;

/** An allocation's header line and the first lines of its dump. */
function allocText(file: SourceFile, header: Span): string {
  const text = file.text;
  const first = lineSpanAt(file, header.lo);
  const lines = [text.slice(first.lo, first.hi)];
  let at = text.indexOf('\n', first.hi) + 1;
  let dump = 0;
  while (at > 0 && at < text.length) {
    const line = lineSpanAt(file, at);
    const s = text.slice(line.lo, line.hi);
    if (s === '}') {
      lines.push(s);
      break;
    }
    if (!/^\s+\S/.test(s)) break;
    if (++dump > MAX_DUMP_LINES) {
      lines.push('    …', '}');
      break;
    }
    lines.push(s);
    at = text.indexOf('\n', line.hi) + 1;
  }
  return code(lines.join('\n'));
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
