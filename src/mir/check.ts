// The front-end pipeline for a crate given as one or more MIR files:
// parse every file, build the crate index (resolve.ts), check every body (typeck.ts)
// while inferring ADTs and external signatures, then finish those inferences
// (adt-evidence.ts, externs.ts). Never throws on bad input; everything wrong is a
// diagnostic.

import { type Diagnostic, DiagnosticSink, type SourceFile, type Span, sortDiagnostics } from '../diagnostics.js';
import { AdtEvidence } from './adt-evidence.js';
import { variantOf } from './adt-table.js';
import type { ConstItem, Item, MirFile, Path } from './ast.js';
import { ExternInference, type InferredExtern } from './externs.js';
import { type BodyTrace, InferenceTrace } from './inference-trace.js';
import { parseMirFile } from './parse/items.js';
import { readRustEnums, type RustEnumDecl } from './rust-enums.js';
import { buildIndex, type CrateIndex } from './resolve.js';
import { compatible, identSegments, pathKey, showTy } from './ty.js';
import { BodyChecker, type BodyOwner } from './typeck.js';

export interface CheckedCrate {
  files: MirFile[];
  index: CrateIndex;
  /** Signatures of the functions called but not defined, inferred from the calls. */
  externs: InferredExtern[];
  /** Per file, per function (by the offset of its name), its `InferenceTrace`, when not empty. */
  traces: BodyTraces;
}

export type BodyTraces = Map<SourceFile, Map<number, BodyTrace>>;

export interface CheckOptions {
  /**
   * The Rust source files the MIR was printed from, when the caller found them (see
   * `companionRustFiles`): they settle the variant order of enums the MIR cannot show.
   */
  rustSources?: SourceFile[];
}

export function checkCrate(sources: SourceFile[], options: CheckOptions = {}): { crate: CheckedCrate; diagnostics: Diagnostic[] } {
  const sink = new DiagnosticSink();
  const files = sources.map((f) => parseMirFile(f, sink));
  const index = buildIndex(files, sink);
  const externs = new ExternInference();
  const evidence = new AdtEvidence(index.adts, sink, rustEnumsOf(options.rustSources ?? []));
  for (const f of files) noteClosureBodies(f, evidence);
  const traces: BodyTraces = new Map();
  for (const f of files) {
    for (const item of f.items) checkItem(index, f, item, externs, evidence, sink, traces);
  }
  for (const f of files) for (const item of f.items) if (item.kind === 'const' && !item.ctfe) noteDiscriminantConst(index, f, item, evidence);
  evidence.finish();
  const inferred = externs.finish(sink, index.adts.classify);
  return { crate: { files, index, externs: inferred, traces }, diagnostics: sortDiagnostics(sink.list) };
}

/**
 * Checks `items` against a crate whose inference has finished (the incremental front
 * end re-checks the bodies that changed this way): their diagnostics go to `sink`, and
 * what they would teach the inferences is dropped, the crate already knowing it, except
 * for their traces, which are returned.
 */
export function checkItems(crate: CheckedCrate, items: { item: Item; file: SourceFile }[], sink: DiagnosticSink): BodyTraces {
  const externs = new ExternInference();
  const evidence = new AdtEvidence(crate.index.adts, sink);
  const traces: BodyTraces = new Map();
  for (const { item, file } of items) checkItem(crate.index, { file, items: [] }, item, externs, evidence, sink, traces);
  return traces;
}

function checkItem(index: CrateIndex, f: MirFile, item: Item, externs: ExternInference, evidence: AdtEvidence, sink: DiagnosticSink, traces: BodyTraces): void {
  const trace = new InferenceTrace();
  checkItemBody(index, f, item, externs, evidence, sink, trace);
  const told = trace.result();
  if (!told || item.kind === 'extern') return;
  let perFile = traces.get(f.file);
  if (!perFile) traces.set(f.file, (perFile = new Map()));
  perFile.set(item.nameSpan.lo, told);
}

function checkItemBody(index: CrateIndex, f: MirFile, item: Item, externs: ExternInference, evidence: AdtEvidence, sink: DiagnosticSink, trace: InferenceTrace): void {
  const run = (owner: BodyOwner, body: NonNullable<Extract<Item, { kind: 'fn' }>['body']>, paramSpans: Span[] = []) => {
    const checker = new BodyChecker(index, f.file, sink, externs, evidence, owner, trace);
    owner.params.forEach((ty, i) => checker.resolveTy(ty, paramSpans[i] ?? owner.span));
    checker.resolveTy(owner.ret, owner.span);
    checker.check(body);
  };
  switch (item.kind) {
    case 'fn': {
      const what = `function \`${pathKey(item.name)}\``;
      item.params.forEach((p, i) => {
        if (p.local !== i + 1) sink.error(f.file, p.span, `parameter ${i + 1} of ${what} must be \`_${i + 1}\`, found \`_${p.local}\``);
      });
      run({ params: item.params.map((p) => p.ty), ret: item.ret, generics: item.generics, key: pathKey(item.name), what, span: item.nameSpan }, item.body, item.params.map((p) => p.span));
      return;
    }
    case 'static':
      run({ params: [], ret: item.ty, key: pathKey(item.name), what: `static \`${pathKey(item.name)}\``, span: item.nameSpan }, item.body);
      return;
    case 'const': {
      const what = `constant \`${pathKey(item.name)}\``;
      if (item.body) {
        run({ params: [], ret: item.ty, key: pathKey(item.name), what, span: item.nameSpan }, item.body);
        return;
      }
      // A one-line constant: its value must have the declared type.
      const checker = new BodyChecker(index, f.file, sink, externs, evidence, { params: [], ret: item.ty, key: pathKey(item.name), what, span: item.nameSpan }, trace);
      const ty = checker.operandTy({ kind: 'const', value: item.value!, span: item.nameSpan });
      if (ty && !compatible(item.ty, ty, index.adts.classify)) sink.error(f.file, item.nameSpan, `mismatched types for ${what}: declared \`${showTy(item.ty)}\`, value is \`${showTy(ty)}\``);
      return;
    }
    case 'alloc':
      checkAllocRefs(index, f, item, sink);
      return;
    case 'extern':
    case 'adt':
      return;
  }
}

/** Relocations point at allocations of the same file; `(static: X)` names a static. */
function checkAllocRefs(index: CrateIndex, f: MirFile, item: Extract<Item, { kind: 'alloc' }>, sink: DiagnosticSink): void {
  const allocs = index.allocs.get(f.file)!;
  if (item.alloc.kind === 'memory') {
    for (const r of item.alloc.relocs) {
      if (!allocs.has(r.alloc)) sink.error(f.file, item.nameSpan, `alloc${item.id} points to alloc${r.alloc}, which is not in this file`);
      if (r.offset + 8 > item.alloc.size) sink.error(f.file, item.nameSpan, `a pointer at offset ${r.offset} runs past the end of alloc${item.id}`);
    }
  }
  const name = item.alloc.kind === 'memory' ? item.alloc.static : item.alloc.kind === 'static' ? item.alloc.name : undefined;
  if (name !== undefined && !index.statics.has(name) && !/^<|::/.test(name)) {
    sink.error(f.file, item.nameSpan, `alloc${item.id} belongs to the static \`${name}\`, which is not defined`);
  }
}

/** `fn f::{closure#0}(_1: &{closure@…}, …)`: where each closure's body and defining function are. */
function noteClosureBodies(f: MirFile, evidence: AdtEvidence): void {
  for (const item of f.items) {
    if (item.kind !== 'fn' || item.ctfe) continue;
    const segs = item.name.segments;
    const last = segs[segs.length - 1];
    if (segs.length < 2 || last?.kind !== 'disambig' || last.name !== 'closure') continue;
    let self = item.params[0]?.ty;
    if (self?.kind === 'ref') self = self.pointee;
    if (self?.kind !== 'closure') continue;
    const parent: Path = { segments: segs.slice(0, -1), span: item.name.span };
    evidence.closures.noteBody(self.text, pathKey(item.name), pathKey(parent));
  }
}

/** `const Light::Red::{constant#0}: u8 = const 0_u8;` (a discriminant, see resolve.ts): its type is the enum's discriminant type. */
function noteDiscriminantConst(index: CrateIndex, f: MirFile, item: ConstItem, evidence: AdtEvidence): void {
  const segs = item.name.segments;
  const last = segs[segs.length - 1];
  const variant = segs[segs.length - 2];
  if (segs.length < 3 || last?.kind !== 'disambig' || last.name !== 'constant' || variant?.kind !== 'ident' || item.value?.kind !== 'int') return;
  const enumPath: Path = { segments: segs.slice(0, -2), span: item.name.span };
  if (!identSegments(enumPath)) return;
  const adt = index.adts.lookup(enumPath);
  if (adt?.kind !== 'enum' || variantOf(adt, variant.name)?.discriminant !== item.value.value) return;
  evidence.enums.noteTy(enumPath, item.ty, { file: f.file, at: item.nameSpan });
}

/** The enum declarations of the Rust sources; a name declared in two files is left out. */
function rustEnumsOf(files: SourceFile[]): Map<string, RustEnumDecl> | undefined {
  if (files.length === 0) return undefined;
  const out = new Map<string, RustEnumDecl>();
  const twice = new Set<string>();
  for (const f of files) {
    for (const [name, decl] of readRustEnums(f.text)) {
      if (out.has(name)) twice.add(name);
      out.set(name, decl);
    }
  }
  for (const n of twice) out.delete(n);
  return out;
}

/**
 * The Rust files a MIR text names in its impl and closure paths (`<impl at a.rs:3:1: 9:2>`,
 * `{closure@a.rs:1:2: 1:9}`): the caller reads those that exist beside the MIR file.
 */
export function companionRustFiles(mirText: string): string[] {
  const names = new Set<string>();
  for (const m of mirText.matchAll(/(?:<impl at |\{closure@|\{coroutine@)([^\s:<>{}]+\.rs):\d/g)) names.add(m[1]!);
  return [...names].sort();
}
