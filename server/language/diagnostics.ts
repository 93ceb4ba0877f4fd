// The library's diagnostics of one file as LSP diagnostics: 0-based ranges in UTF-16
// code units (see position.ts), the notes appended to the message (they carry no
// location of their own), `source: 'codegend'`.

import { type Diagnostic as LspDiagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import type { Diagnostic, Severity, SourceFile } from '../../src/diagnostics.js';
import { rangeOf } from './position.js';

const DIAGNOSTIC_SOURCE = 'codegend';

/**
 * The diagnostics of `diags` that belong to `file` (the same object, or a file of the
 * same name: the daemon may have re-read it), in the order given. An empty span is
 * widened to the character it points at, so that the editor has something to underline.
 */
export function toLspDiagnostics(diags: readonly Diagnostic[], file: SourceFile): LspDiagnostic[] {
  const out: LspDiagnostic[] = [];
  for (const d of diags) {
    if (d.file !== file && d.file?.name !== file.name) continue;
    let { lo, hi } = d.span;
    if (hi <= lo && lo < file.text.length && file.text[lo] !== '\n' && file.text[lo] !== '\r') hi = lo + 1;
    const notes = (d.notes ?? []).map((n) => `\nnote: ${n}`).join('');
    out.push({ range: rangeOf(file, { lo, hi }), severity: severityOf(d.severity), source: DIAGNOSTIC_SOURCE, message: d.message + notes });
  }
  return out;
}

function severityOf(s: Severity): DiagnosticSeverity {
  switch (s) {
    case 'error':
      return DiagnosticSeverity.Error;
    case 'warning':
      return DiagnosticSeverity.Warning;
    case 'note':
      return DiagnosticSeverity.Information;
  }
}
