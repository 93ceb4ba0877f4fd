// Code lenses above every function header of a .mir file: where the last build put the
// function (`unit main.m3 · PostLto`, `not compiled`), which runs `codegend.explain`
// with the function's path, and `Show generated code`, which runs
// `codegend.showGeneratedCode` with the document's URI and the path. The extension
// implements both commands. Compile-time copies of const fns (`MIR FOR CTFE`) are never
// compiled and get no lens.

import type { CodeLens } from 'vscode-languageserver';
import type { SourceFile } from '../../src/diagnostics.js';
import { pathKey } from '../../src/mir/ty.js';
import { fileItems } from './outline.js';
import { placementTitle, type PlacementInfo } from './placement.js';
import { rangeOf } from './position.js';

/** Arguments: `[functionPath: string]`. */
export const EXPLAIN_COMMAND = 'codegend.explain';
/** Arguments: `[uri: string, functionPath: string]`. */
export const SHOW_GENERATED_CODE_COMMAND = 'codegend.showGeneratedCode';

/**
 * Two lenses per function, on its name: the placement lens (only when `context` is
 * given, i.e. after a build) and `Show generated code` (left out when the last build
 * compiled no instance of the function).
 */
export function codeLensesOf(file: SourceFile, context: PlacementInfo | undefined, uri: string): CodeLens[] {
  const out: CodeLens[] = [];
  for (const item of fileItems(file)) {
    if (item.kind !== 'fn' || item.ctfe) continue;
    const path = pathKey(item.name);
    const range = rangeOf(file, item.nameSpan);
    const placements = context?.functions.get(path);
    if (context) out.push({ range, command: { title: placementTitle(placements), command: EXPLAIN_COMMAND, arguments: [path] } });
    if (!context || (placements && placements.length > 0)) {
      out.push({ range, command: { title: 'Show generated code', command: SHOW_GENERATED_CODE_COMMAND, arguments: [uri, path] } });
    }
  }
  return out;
}
