// A build as JSON: what `codegend build --json` prints and what `codegend/build` answers
// (protocol.ts), made from the library's BuildResult in one place so the two never drift.

import type { BuildResult } from '../src/build.js';
import type { Diagnostic } from '../src/diagnostics.js';
import type { BuildReport, DiagnosticReport } from './protocol.js';

export function buildReport(r: BuildResult): BuildReport {
  return {
    ok: r.ok,
    frontEnd: r.frontEnd,
    frontEndReason: r.frontEndReason ?? null,
    output: r.output ?? null,
    ms: r.ms,
    cgus: r.units.map((u) => ({ name: u.name, reuse: u.reuse, items: u.items, ms: u.ms, reasons: u.reasons })),
    diagnostics: r.diagnostics.map(diagnosticReport),
    errors: r.toolErrors,
    warnings: r.warnings,
  };
}

function diagnosticReport(d: Diagnostic): DiagnosticReport {
  const start = d.file.position(d.span.lo);
  const end = d.file.position(Math.max(d.span.lo, d.span.hi));
  return { severity: d.severity, file: d.file.name, line: start.line, column: start.col, endLine: end.line, endColumn: end.col, message: d.message };
}
