// Name resolution for a crate: every item by its path, duplicates reported, allocations
// per file (rustc numbers them per dump), explicit discriminants from `E::V::{constant#0}`
// consts, and the classification of named types.
//
// Named types: a path is an ADT when it is declared (hand-written or core) or when the
// crate's MIR shows evidence of it; otherwise it is a generic parameter or a foreign type
// and matches anything. A crate that declares types of its own (any `struct`, `enum`,
// `union` or `extern` block) is checked strictly instead: every single-segment type name
// must then be a declared ADT or a generic parameter of its item.

import type { AllocItem, ConstItem, ExternFn, FnItem, Item, MirFile, Path, StaticItem } from './ast.js';
import { type DiagnosticSink, SourceFile, type Span } from '../diagnostics.js';
import { AdtTable, variantOf } from './adt-table.js';
import { CORE_ADT_DEFAULTS, CORE_ADTS, CORE_ADTS_FILE } from './core-adts.js';
import { parseMirFile } from './parse/items.js';
import { printItem } from './printer.js';
import { identSegments, pathKey } from './ty.js';

export interface Located<T> {
  item: T;
  file: SourceFile;
}

export interface CrateIndex {
  fns: Map<string, Located<FnItem>>;
  ctfeFns: Map<string, Located<FnItem>>;
  consts: Map<string, Located<ConstItem>>;
  statics: Map<string, Located<StaticItem>>;
  externs: Map<string, Located<ExternFn>>;
  adts: AdtTable;
  /** Allocations by file, then by number. */
  allocs: Map<SourceFile, Map<number, AllocItem>>;
  strict: boolean;
}

let coreFile: MirFile | undefined;

function coreAdtFile(sink: DiagnosticSink): MirFile {
  coreFile ??= parseMirFile(new SourceFile(CORE_ADTS_FILE, CORE_ADTS), sink);
  return coreFile;
}

export function buildIndex(files: MirFile[], sink: DiagnosticSink): CrateIndex {
  const index: CrateIndex = {
    fns: new Map(),
    ctfeFns: new Map(),
    consts: new Map(),
    statics: new Map(),
    externs: new Map(),
    adts: new AdtTable(),
    allocs: new Map(),
    strict: files.some((f) => f.items.some((i) => i.kind === 'adt' || i.kind === 'extern')),
  };
  for (const f of files) for (const item of f.items) if (item.kind === 'adt') declareAdt(index, f.file, item, sink);
  for (const item of coreAdtFile(sink).items) {
    if (item.kind !== 'adt') continue;
    const adt = index.adts.declare(item, 'core');
    const defaults = adt && CORE_ADT_DEFAULTS.get(adt.segments[adt.segments.length - 1]!);
    if (adt && defaults) adt.defaults = defaults;
  }
  for (const f of files) {
    const allocs = new Map<number, AllocItem>();
    index.allocs.set(f.file, allocs);
    for (const item of f.items) addItem(index, f.file, item, allocs, sink);
  }
  for (const f of files) for (const item of f.items) if (item.kind === 'const') noteDiscriminant(index, item);
  return index;
}

function declareAdt(index: CrateIndex, file: SourceFile, item: Extract<Item, { kind: 'adt' }>, sink: DiagnosticSink): void {
  const seen = new Set<string>();
  for (const v of item.variants) {
    if (seen.has(v.name)) sink.error(file, v.span, `variant \`${v.name}\` is declared twice`);
    seen.add(v.name);
    const names = new Set<string>();
    for (const f of v.fields) {
      if (f.name && names.has(f.name)) sink.error(file, f.span, `field \`${f.name}\` is declared twice`);
      if (f.name) names.add(f.name);
    }
  }
  if (item.adtKind === 'enum') {
    const discrs = new Map<bigint, string>();
    let next = 0n;
    for (const v of item.variants) {
      const d = v.discriminant ?? next;
      const other = discrs.get(d);
      if (other !== undefined) sink.error(file, v.span, `discriminant ${d} of \`${v.name}\` is already used by \`${other}\``);
      discrs.set(d, v.name);
      next = d + 1n;
    }
  }
  if (!index.adts.declare(item, 'declared')) sink.error(file, item.nameSpan, `the type \`${pathKey(item.name)}\` is declared more than once`);
}

function addItem(index: CrateIndex, file: SourceFile, item: Item, allocs: Map<number, AllocItem>, sink: DiagnosticSink): void {
  const dup = <T>(map: Map<string, Located<T>>, key: string, value: T, at: Span, what: string) => {
    if (map.has(key)) sink.error(file, at, `the ${what} \`${key}\` is defined more than once`);
    else map.set(key, { item: value, file });
  };
  switch (item.kind) {
    case 'fn':
      dup(item.ctfe ? index.ctfeFns : index.fns, pathKey(item.name), item, item.nameSpan, 'function');
      break;
    case 'const':
      if (!item.ctfe) dup(index.consts, pathKey(item.name), item, item.nameSpan, 'constant');
      break;
    case 'static':
      dup(index.statics, pathKey(item.name), item, item.nameSpan, 'static');
      break;
    case 'extern':
      for (const f of item.fns) dup(index.externs, f.name, f, f.span, 'external function');
      break;
    case 'alloc': {
      // rustc prints an allocation after every item that uses it: repeats must agree.
      const prev = allocs.get(item.id);
      if (!prev) allocs.set(item.id, item);
      else if (printItem(prev) !== printItem(item)) {
        if (prev.alloc.kind === 'static' && item.alloc.kind === 'memory') allocs.set(item.id, item);
        else if (!(item.alloc.kind === 'static' && prev.alloc.kind === 'memory')) {
          sink.error(file, item.nameSpan, `allocation alloc${item.id} is defined twice with different contents`);
        }
      }
      break;
    }
    case 'adt':
      break;
  }
}

/** `const Color::Blue::{constant#0}: isize = const 4_isize;` is Blue's explicit discriminant. */
function noteDiscriminant(index: CrateIndex, item: ConstItem): void {
  const segs = item.name.segments;
  const last = segs[segs.length - 1];
  if (segs.length < 3 || last?.kind !== 'disambig' || last.name !== 'constant' || item.value?.kind !== 'int') return;
  const variantSeg = segs[segs.length - 2]!;
  // Array lengths in field types (`Stats::hist::{constant#0}: usize`) look alike; variants are CamelCase.
  if (variantSeg.kind !== 'ident' || !/^[A-Z]/.test(variantSeg.name)) return;
  if (item.ty.kind === 'int' && item.ty.name === 'usize') return;
  const enumPath: Path = { segments: segs.slice(0, -2), span: item.name.span };
  if (!identSegments(enumPath)) return;
  // A const that belongs to a function (`main::{constant#0}`) is not a discriminant.
  if (index.fns.has(pathKey({ segments: segs.slice(0, -1), span: item.name.span }))) return;
  const adt = index.adts.infer(enumPath)!;
  if (adt.kind === 'unknown') adt.kind = 'enum';
  if (adt.kind !== 'enum') return;
  let v = variantOf(adt, variantSeg.name);
  if (!v) adt.variants.push((v = { name: variantSeg.name, fields: [] }));
  v.discriminant = item.value.value;
}


/** A static's path as allocation headers name it (`static: CATALOG`, `static: m::TABLE`). */
export function staticName(st: StaticItem): string {
  return st.name.segments.map((s) => (s.kind === 'ident' ? s.name : '')).join('::');
}

/** The allocation rustc dumped for a static (the last one whose `static:` names it), if any. */
export function staticAllocation(index: CrateIndex, file: SourceFile, st: StaticItem): AllocItem | undefined {
  const name = staticName(st);
  let found: AllocItem | undefined;
  for (const a of index.allocs.get(file)?.values() ?? []) {
    const owner = a.alloc.kind === 'memory' ? a.alloc.static : undefined;
    if (owner !== undefined && (owner === name || name.endsWith(`::${owner}`) || owner.endsWith(`::${name}`))) found = a;
  }
  return found;
}
