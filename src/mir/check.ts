// The front-end pipeline for a crate given as one or more MIR files:
// parse every file, build the crate index (resolve.ts), check every body (typeck.ts)
// while inferring ADTs and external signatures, then finish those inferences.
// Never throws on bad input; everything wrong is a diagnostic.

import { type Diagnostic, DiagnosticSink, type SourceFile, type Span, sortDiagnostics } from '../diagnostics.js';
import type { Item, MirFile } from './ast.js';
import { ExternInference, type InferredExtern } from './externs.js';
import { parseMirFile } from './parse/items.js';
import { buildIndex, type CrateIndex } from './resolve.js';
import { compatible, pathKey, showTy } from './ty.js';
import { BodyChecker, type BodyOwner } from './typeck.js';

export interface CheckedCrate {
  files: MirFile[];
  index: CrateIndex;
  /** Signatures of the functions called but not defined, inferred from the calls. */
  externs: InferredExtern[];
}

export function checkCrate(sources: SourceFile[]): { crate: CheckedCrate; diagnostics: Diagnostic[] } {
  const sink = new DiagnosticSink();
  const files = sources.map((f) => parseMirFile(f, sink));
  const index = buildIndex(files, sink);
  const externs = new ExternInference();
  for (const f of files) {
    for (const item of f.items) checkItem(index, f, item, externs, sink);
  }
  const inferred = externs.finish(sink, index.adts.classify);
  return { crate: { files, index, externs: inferred }, diagnostics: sortDiagnostics(sink.list) };
}

function checkItem(index: CrateIndex, f: MirFile, item: Item, externs: ExternInference, sink: DiagnosticSink): void {
  const run = (owner: BodyOwner, body: NonNullable<Extract<Item, { kind: 'fn' }>['body']>, paramSpans: Span[] = []) => {
    const checker = new BodyChecker(index, f.file, sink, externs, owner);
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
      run({ params: item.params.map((p) => p.ty), ret: item.ret, generics: item.generics, what, span: item.nameSpan }, item.body, item.params.map((p) => p.span));
      return;
    }
    case 'static':
      run({ params: [], ret: item.ty, what: `static \`${pathKey(item.name)}\``, span: item.nameSpan }, item.body);
      return;
    case 'const': {
      const what = `constant \`${pathKey(item.name)}\``;
      if (item.body) {
        run({ params: [], ret: item.ty, what, span: item.nameSpan }, item.body);
        return;
      }
      // A one-line constant: its value must have the declared type.
      const checker = new BodyChecker(index, f.file, sink, externs, { params: [], ret: item.ty, what, span: item.nameSpan });
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
