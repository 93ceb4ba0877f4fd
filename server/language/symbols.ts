// The outline of a .mir file: every item with `range` = the whole item and
// `selectionRange` = its name. Headers only are parsed (bodies lazily, and never read
// here), so a 40 MB file costs what its headers cost. A chunk whose header does not
// parse still gets a symbol, named from its first line, so the outline does not lose an
// item while its header is being edited.

import { type DocumentSymbol, SymbolKind } from 'vscode-languageserver';
import type { SourceFile, Span } from '../../src/diagnostics.js';
import type { AdtItem, AllocItem, ExternBlock, FnItem, Item } from '../../src/mir/ast.js';
import { printPath, printTy } from '../../src/mir/printer.js';
import type { ItemChunk } from '../../src/mir/split.js';
import { externFnNameSpan, outlineFile } from './outline.js';
import { rangeOf } from './position.js';

export function documentSymbols(file: SourceFile): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  for (const { chunk, items } of outlineFile(file)) {
    if (items.length === 0) {
      const broken = brokenChunkSymbol(file, chunk);
      if (broken) out.push(broken);
    }
    for (const item of items) out.push(itemSymbol(file, item));
  }
  return out;
}

/** `(_1: i32, _2: &str) -> bool`: a function's header after its name. */
export function signatureText(fn: FnItem): string {
  const generics = fn.generics ? `<${fn.generics.join(', ')}>` : '';
  return `${generics}(${fn.params.map((p) => `_${p.local}: ${printTy(p.ty)}`).join(', ')}) -> ${printTy(fn.ret)}`;
}

function symbol(file: SourceFile, name: string, kind: SymbolKind, range: Span, selection: Span, detail?: string, children?: DocumentSymbol[]): DocumentSymbol {
  const sel = selection.lo >= range.lo && selection.hi <= range.hi ? selection : range;
  const s: DocumentSymbol = { name: name || '?', kind, range: rangeOf(file, range), selectionRange: rangeOf(file, sel) };
  if (detail) s.detail = detail;
  if (children) s.children = children;
  return s;
}

function itemSymbol(file: SourceFile, item: Item): DocumentSymbol {
  switch (item.kind) {
    case 'fn':
      return symbol(file, printPath(item.name, 'value'), SymbolKind.Function, item.span, item.nameSpan, `${item.ctfe ? 'MIR FOR CTFE ' : ''}${signatureText(item)}`);
    case 'static':
      return symbol(file, printPath(item.name, 'value'), item.mutable ? SymbolKind.Variable : SymbolKind.Constant, item.span, item.nameSpan, `static ${item.mutable ? 'mut ' : ''}${printTy(item.ty)}`);
    case 'const':
      return symbol(file, printPath(item.name, 'value'), SymbolKind.Constant, item.span, item.nameSpan, `${item.ctfe ? 'MIR FOR CTFE ' : ''}const ${printTy(item.ty)}`);
    case 'alloc':
      return symbol(file, `alloc${item.id}`, SymbolKind.Object, item.span, item.nameSpan, allocDetail(item));
    case 'adt':
      return adtSymbol(file, item);
    case 'extern':
      return externSymbol(file, item);
  }
}

function allocDetail(a: AllocItem): string {
  const al = a.alloc;
  switch (al.kind) {
    case 'memory':
      return `${al.static !== undefined ? `static: ${al.static}, ` : ''}size: ${al.size}, align: ${al.align}`;
    case 'vtable':
      return `vtable: ${al.text}`;
    case 'typeId':
      return `typeid for ${al.text}`;
    case 'static':
      return `static: ${al.name}`;
    case 'fn':
      return `fn: ${al.text}`;
    case 'externStatic':
      return `extern static: ${al.text}`;
  }
}

function adtSymbol(file: SourceFile, adt: AdtItem): DocumentSymbol {
  const fieldSymbols = (v: AdtItem['variants'][number]) =>
    v.fields.map((f, i) => symbol(file, f.name ?? String(i), SymbolKind.Field, f.span, f.span, printTy(f.ty)));
  const children =
    adt.adtKind === 'enum'
      ? adt.variants.map((v) => symbol(file, v.name, SymbolKind.EnumMember, v.span, { lo: v.span.lo, hi: v.span.lo + v.name.length }, v.discriminant !== undefined ? `= ${v.discriminant}` : undefined, fieldSymbols(v)))
      : fieldSymbols(adt.variants[0] ?? { name: '', fields: [], braced: false, span: adt.span });
  const generics = adt.generics.length > 0 ? `<${adt.generics.join(', ')}>` : '';
  return symbol(file, `${printPath(adt.name, 'type')}${generics}`, adt.adtKind === 'enum' ? SymbolKind.Enum : SymbolKind.Struct, adt.span, adt.nameSpan, adt.adtKind, children);
}

function externSymbol(file: SourceFile, block: ExternBlock): DocumentSymbol {
  const children = block.fns.map((f) => {
    const params = f.params.map(printTy);
    if (f.variadic) params.push('...');
    return symbol(file, f.name, SymbolKind.Function, f.span, externFnNameSpan(file, f), `extern "${block.abi}" fn(${params.join(', ')}) -> ${printTy(f.ret)}`);
  });
  const head = { lo: block.span.lo, hi: Math.min(block.span.hi, lineEnd(file.text, block.span.lo)) };
  return symbol(file, `extern "${block.abi}"`, SymbolKind.Namespace, block.span, head, undefined, children);
}

function lineEnd(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl < 0 ? text.length : nl;
}

const BROKEN_HEAD = /^(fn|static(?:\s+mut)?|const|struct|enum|union)\s+/;

/** A symbol for a chunk that does not parse, from the keyword and name on its item line. */
function brokenChunkSymbol(file: SourceFile, chunk: ItemChunk): DocumentSymbol | undefined {
  const text = file.text;
  // Skip attribute and `// MIR FOR CTFE` lines: the item line is the first other one.
  let lo = chunk.start;
  while (lo < chunk.end && (text.startsWith('#[', lo) || text.startsWith('//', lo))) lo = lineEnd(text, lo) + 1;
  if (lo >= chunk.end) return undefined;
  const line = text.slice(lo, Math.min(lineEnd(text, lo), chunk.end));
  const head = BROKEN_HEAD.exec(line);
  if (!head) return undefined;
  const nameLo = head[0].length;
  const nameHi = nameEnd(line, nameLo);
  if (nameHi <= nameLo) return undefined;
  let end = chunk.end;
  while (end > lo && /\s/.test(text[end - 1]!)) end--;
  const kind = head[1] === 'fn' ? SymbolKind.Function : head[1]!.startsWith('static mut') ? SymbolKind.Variable : head[1] === 'struct' || head[1] === 'union' ? SymbolKind.Struct : head[1] === 'enum' ? SymbolKind.Enum : SymbolKind.Constant;
  return symbol(file, line.slice(nameLo, nameHi), kind, { lo: chunk.start, hi: end }, { lo: lo + nameLo, hi: lo + nameHi }, '(does not parse)');
}

/**
 * Where a path printed at `from` in `line` ends: at `(`, `:` (not `::`), `=`, `;` or
 * whitespace outside `<…>` and `{…}` (`<impl at a.rs:1:1: 2:2>::f`, `f::{closure#0}`).
 */
function nameEnd(line: string, from: number): number {
  let depth = 0;
  for (let i = from; i < line.length; i++) {
    const c = line[i]!;
    if (c === '<' || c === '{') depth++;
    else if ((c === '>' || c === '}') && depth > 0) depth--;
    else if (depth === 0) {
      if (c === '(' || c === '=' || c === ';' || c === ' ' || c === '\t') return i;
      if (c === ':' && line[i + 1] !== ':' && line[i - 1] !== ':') return i;
    }
  }
  return line.length;
}
