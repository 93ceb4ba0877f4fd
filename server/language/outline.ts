// What the language features read of a file: its items with headers only (each body
// parses the first time it is read), the one item whose chunk holds an offset, and the
// name of an extern function, whose span the parser does not keep.
// Parsing goes through a throwaway sink: the diagnostics are the daemon's business
// (`checkCrate`), and a chunk that does not parse simply yields no item.
//
// The outline is kept per SourceFile, as the file keeps its own line index: a
// SourceFile's text never changes, so the memo is invisible but for speed, and it goes
// when the daemon drops the file. A body read once stays parsed with it.

import { DiagnosticSink, type SourceFile, type Span } from '../../src/diagnostics.js';
import type { ExternFn, Item } from '../../src/mir/ast.js';
import { parseChunk } from '../../src/mir/parse/items.js';
import { type ItemChunk, splitItems } from '../../src/mir/split.js';

export interface ChunkItems {
  chunk: ItemChunk;
  /** Empty when the chunk's header does not parse. */
  items: Item[];
}

const outlines = new WeakMap<SourceFile, readonly ChunkItems[]>();

/** Every chunk of `file` with its items, bodies parsed lazily. */
export function outlineFile(file: SourceFile): readonly ChunkItems[] {
  let outline = outlines.get(file);
  if (!outline) {
    const sink = new DiagnosticSink();
    outline = splitItems(file.text).items.map((chunk) => {
      const items: Item[] = [];
      parseChunk(file, sink, chunk.start, chunk.end, items, { lazyBodies: true });
      return { chunk, items };
    });
    outlines.set(file, outline);
  }
  return outline;
}

/** The items of `file` (bodies parsed lazily), in file order. */
export function fileItems(file: SourceFile): Item[] {
  return outlineFile(file).flatMap((c) => c.items);
}

/**
 * The chunk holding `offset` and its item, if it parses. A body that does not parse
 * reads as empty (no scopes, no blocks); the header is still there.
 */
export function itemAt(file: SourceFile, offset: number): { chunk: ItemChunk; item?: Item } | undefined {
  const chunks = outlineFile(file);
  let lo = 0;
  let hi = chunks.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (chunks[mid]!.chunk.start <= offset) lo = mid;
    else hi = mid - 1;
  }
  const found = chunks[lo];
  if (!found || offset < found.chunk.start || offset > found.chunk.end) return undefined;
  const item = found.items.find((i) => i.span.lo <= offset && offset <= i.span.hi) ?? found.items[0];
  return { chunk: found.chunk, item };
}

/** The name of a function of an `extern` block (the parser keeps only the declaration's span). */
export function externFnNameSpan(file: SourceFile, f: ExternFn): Span {
  const lo = file.text.indexOf(f.name, f.span.lo + 2);
  return lo >= 0 && lo < f.span.hi ? { lo, hi: lo + f.name.length } : f.span;
}
