// Text inside allocation headers, read with the MIR parser: the function of
// `allocN (fn: op_add)` and the type and trait of `allocN (vtable: impl Shape for Circle)`.

import type { Path, Ty } from '../mir/ast.js';
import { DiagnosticSink, SourceFile } from '../diagnostics.js';
import { Cursor, ParseAbort } from '../mir/parse/cursor.js';
import { parsePath, parseTy } from '../mir/parse/types.js';

/** Parses text that rustc printed inside an allocation header, with the MIR parser. */
function parseText<T>(text: string, f: (p: Cursor) => T): T | undefined {
  const file = new SourceFile('<alloc>', text);
  const sink = new DiagnosticSink();
  try {
    const p = new Cursor(file, sink, 0, text.length);
    const out = f(p);
    return sink.list.length === 0 ? out : undefined;
  } catch (e) {
    if (e instanceof ParseAbort) return undefined;
    throw e;
  }
}

export function parsePathText(text: string): Path | undefined {
  return parseText(text, (p) => parsePath(p, 'value'));
}

/** `impl Instrument + Sync for Cash` → the type and the `dyn` type. */
export function parseVtableText(text: string): { ty: Ty; dyn: Ty } | undefined {
  const m = /^impl (.*?) for (.*)$/s.exec(text.trim());
  if (!m) return undefined;
  const dyn = parseText(`dyn ${m[1]}`, parseTy);
  const ty = parseText(m[2]!, parseTy);
  return dyn && ty ? { ty, dyn } : undefined;
}
