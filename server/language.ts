// The Language Server Protocol features of the daemon for .mir files, as pure functions
// of the sources (and of the last build's placement of functions): no I/O, no
// connection. The daemon's handlers call these and send the results as they are.
// Every function is total: input it cannot make sense of gives an empty result (an
// internal error too: an editor request must never take the daemon down), never a throw.
// Positions are LSP's: 0-based lines, characters in UTF-16 code units.
//
// One concept per file under language/: positions (position.ts), parsing only what a
// request needs (outline.ts), what the cursor is on (target.ts, body-walk.ts), where
// the crate defines a path (crate-defs.ts), the last build's placement (placement.ts),
// and one file per feature.

import type { CodeLens, Diagnostic as LspDiagnostic, DocumentSymbol, Hover, Location, Position } from 'vscode-languageserver';
import type { Diagnostic, SourceFile } from '../src/diagnostics.js';
import { codeLensesOf } from './language/code-lens.js';
import { definitionAt, type UriOf } from './language/definition.js';
import { toLspDiagnostics as convertDiagnostics } from './language/diagnostics.js';
import { hoverAt } from './language/hover.js';
import type { PlacementInfo } from './language/placement.js';
import { offsetAt } from './language/position.js';
import { documentSymbols as symbolsOf } from './language/symbols.js';

export { EXPLAIN_COMMAND, SHOW_GENERATED_CODE_COMMAND } from './language/code-lens.js';
export type { FunctionPlacement, PlacementInfo } from './language/placement.js';
export type { UriOf } from './language/definition.js';

/** Runs `f`; an internal error gives `fallback`. */
function total<T>(fallback: T, f: () => T): T {
  try {
    return f();
  } catch {
    return fallback;
  }
}

/**
 * The diagnostics of `diags` that belong to `file` (by identity or name), as LSP
 * diagnostics: `source: 'codegend'`, notes appended to the message.
 */
export function toLspDiagnostics(diags: readonly Diagnostic[], file: SourceFile): LspDiagnostic[] {
  return total([], () => convertDiagnostics(diags, file));
}

/**
 * The outline of a file: functions (impl methods and closures too, named as the MIR
 * prints them), statics, constants (promoteds and anonymous constants too), allocations,
 * and hand-written ADT and extern declarations, in file order. Headers only are parsed;
 * an item whose header does not parse is named from its first line.
 */
export function documentSymbols(file: SourceFile): DocumentSymbol[] {
  return total([], () => symbolsOf(file));
}

/**
 * Hover at `position`: a local (declared type, debug names, scope), a place (its type
 * as far as the printed types tell), a function's name in its header or at a call site
 * (its signature and, from `context`, the unit, symbol and reuse of each instance), a
 * constant, static, constructor or allocation. `crate` is every file of the crate, for
 * callees defined in another file; it defaults to `file` alone.
 */
export function hover(file: SourceFile, position: Position, context?: PlacementInfo, crate: readonly SourceFile[] = [file]): Hover | null {
  return total(null, () => hoverAt(file, offsetAt(file, position), context, crate));
}

/**
 * Go to definition at `position` of `file`, one of `files` (the crate): a callee to the
 * function that defines it (every candidate for a method call through a trait), `allocN`
 * to the allocation, a local to its declaration, `bbN` to the block. `uriOf` gives the
 * `file://` URI of any file of the crate.
 */
export function definition(files: readonly SourceFile[], file: SourceFile, position: Position, uriOf: UriOf): Location[] {
  return total([], () => definitionAt(files, file, offsetAt(file, position), uriOf));
}

/**
 * Lenses on every function's name: its placement in the last build, running
 * `codegend.explain` with `[functionPath]` (only when `context` is given), and
 * `Show generated code`, running `codegend.showGeneratedCode` with `[uri, functionPath]`
 * (not for a function the last build did not compile). `uri` is the document's.
 */
export function codeLenses(file: SourceFile, context: PlacementInfo | undefined, uri: string): CodeLens[] {
  return total([], () => codeLensesOf(file, context, uri));
}
