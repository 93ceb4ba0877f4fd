// `codegend/emit`: the generated code of one function of the workspace (by its path, or
// the function at a position of a .mir document), with the map from each output line to
// the MIR it came from. Results are kept in a small LRU cache keyed by everything they
// depend on (the sources' text, the options, the function, the form), so an editor that
// asks again after moving the cursor within a function gets them at once.

import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { type CancellationToken, ErrorCodes, LSPErrorCodes, ResponseError } from 'vscode-languageserver';
import { DiagnosticSink, renderDiagnostic, SourceFile } from '../src/diagnostics.js';
import { emitFunction, type EmitResult as Emitted } from '../src/emit.js';
import { parseMirFile } from '../src/mir/parse/items.js';
import { pathKey } from '../src/mir/ty.js';
import { readRustCompanions } from './companions.js';
import type { EmitParams, EmitResult } from './protocol.js';
import { pathOf } from './uri.js';
import type { Workspace } from './workspace.js';

const cache = new LRUCache<string, EmitResult>({ max: 64, maxSize: 64 * 1024 * 1024, sizeCalculation: (r) => Math.max(1, r.text.length * 2) });

export async function emitForWorkspace(workspace: Workspace, params: EmitParams, token: CancellationToken): Promise<EmitResult> {
  const config = workspace.config;
  if (!config) throw new ResponseError(ErrorCodes.InvalidRequest, 'the workspace has no valid configuration (see codegend/status)');
  const form = params.form ?? 'llvm-ir';
  const sources = workspace.sources();
  const name = params.function ?? functionAt(workspace, params.uri!, params.position!);
  const key = createHash('sha256')
    .update(JSON.stringify([name, form, config.backend, config.opt, config.cgus]))
    .update(sources.map((s) => `${s.name}\0${s.text}`).join('\0'))
    .digest('hex');
  const known = cache.get(key);
  if (known) return known;
  const r = await emitFunction(sources, { backend: config.backend, opt: config.opt, cgus: config.cgus, function: name, form, rustSources: readRustCompanions(sources, (p) => workspace.contains(p)) });
  if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
  if (r.text === undefined) {
    const why = r.diagnostics.map((d) => renderDiagnostic(d).trimEnd()).join('\n') || `no code for \`${name}\``;
    throw new ResponseError(ErrorCodes.InvalidRequest, why);
  }
  const result = emitResult({ ...r, text: r.text }, name, form);
  cache.set(key, result);
  return result;
}

/** What the library emitted, as `codegend/emit` answers and `codegend emit --json` prints it. */
export function emitResult(r: Emitted & { text: string }, name: string, form: EmitResult['form']): EmitResult {
  return { function: r.function ?? name, unit: r.unit ?? '', form, text: r.text, lines: r.lines ?? [] };
}

/** The path of the function whose item contains the position. */
function functionAt(workspace: Workspace, uri: string, position: { line: number; character: number }): string {
  const path = pathOf(uri);
  const text = path === undefined ? undefined : workspace.textOf(path);
  if (path === undefined || text === undefined) throw new ResponseError(ErrorCodes.InvalidParams, `cannot read ${uri}`);
  const file = new SourceFile(path, text);
  const offset = file.offsetAt(position.line + 1, position.character + 1);
  const parsed = parseMirFile(file, new DiagnosticSink(), { lazyBodies: true });
  const item = parsed.items.find((i) => i.kind === 'fn' && i.span.lo <= offset && offset <= i.span.hi);
  if (!item || item.kind !== 'fn') throw new ResponseError(ErrorCodes.InvalidParams, `no function at ${path}:${position.line + 1}:${position.character + 1}`);
  return pathKey(item.name);
}
