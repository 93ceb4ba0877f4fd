// The front-end pipeline for a crate given as one or more MIR files:
// parse every file, then resolve names and type-check (see resolve.ts, typeck.ts).
// Never throws on bad input; everything wrong is a diagnostic.

import { type Diagnostic, DiagnosticSink, type SourceFile, sortDiagnostics } from '../diagnostics.js';
import type { MirFile } from './ast.js';
import { parseMirFile } from './parse/items.js';

export interface CheckedCrate {
  files: MirFile[];
}

export function checkCrate(sources: SourceFile[]): { crate: CheckedCrate; diagnostics: Diagnostic[] } {
  const sink = new DiagnosticSink();
  const files = sources.map((f) => parseMirFile(f, sink));
  return { crate: { files }, diagnostics: sortDiagnostics(sink.list) };
}
