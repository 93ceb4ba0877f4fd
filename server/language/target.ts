// What the cursor is on in a .mir file, for hover and definition: an item's name in its
// header, a path in a body (a callee, a `const foo` fn value, a constructor), a local,
// a place, a basic block, or an allocation. The file's headers are parsed once
// (outline.ts); of the bodies, only the one under the cursor.

import type { SourceFile, Span } from '../../src/diagnostics.js';
import type { AdtItem, AllocItem, ConstItem, FnItem, Path, Place, StaticItem } from '../../src/mir/ast.js';
import type { ItemChunk } from '../../src/mir/split.js';
import { bodyOf, type LocalInfo, localsOf, type PathRole, refsAt, subPlaceAt, walkConstPaths } from './body-walk.js';
import { itemAt } from './outline.js';
import { contains, wordAt } from './position.js';

export type Target =
  | { kind: 'itemName'; item: FnItem | StaticItem | ConstItem | AdtItem | AllocItem; span: Span }
  | { kind: 'path'; path: Path; role: PathRole; span: Span }
  | { kind: 'local'; local: number; info?: LocalInfo; textual?: TextualLocal; span: Span }
  /** A place with a projection; `place` is the part the cursor is in. */
  | { kind: 'place'; place: Place; localInfo?: LocalInfo; span: Span }
  | { kind: 'block'; id: number; label?: Span; span: Span }
  | { kind: 'alloc'; id: number; span: Span };

/** A local read from the text of a body that does not parse: `let mut _3: T;`, `debug x => _3;`. */
export interface TextualLocal {
  declSpan: Span;
  mutable: boolean;
  ty: string;
  debugNames: string[];
}

export function targetAt(file: SourceFile, offset: number): Target | undefined {
  const text = file.text;
  const word = wordAt(text, offset);
  const alloc = word && /^(?:alloc|ALLOC)(\d+)$/.exec(word.text);
  if (word && alloc) return { kind: 'alloc', id: Number(alloc[1]), span: word.span };
  const found = itemAt(file, offset);
  const item = found?.item;
  if (!found || !item) return undefined;
  if (item.kind !== 'extern' && (contains(item.nameSpan, offset) || (word && contains(item.nameSpan, word.span.lo)))) {
    return { kind: 'itemName', item, span: item.nameSpan };
  }
  const body = bodyOf(item);
  const local = word && /^_(\d+)$/.exec(word.text);
  const refs = body ? refsAt(body, offset) : {};
  // A cursor just after a name (`foo|(`) is on the name.
  const probe = word ? word.span.lo : offset;
  const path = refs.path ?? (body && probe !== offset ? refsAt(body, probe).path : undefined) ?? (item.kind === 'const' && item.value ? walkConstPaths(item.value, probe) : undefined);
  if (path && !local) return { kind: 'path', path: path.path, role: path.role, span: path.path.span };
  if (word && local) {
    const n = Number(local[1]);
    const info = localsOf(item).get(n);
    if (info) return { kind: 'local', local: n, info, span: word.span };
    const textual = textualLocal(file, found.chunk, n);
    return textual ? { kind: 'local', local: n, textual, span: word.span } : undefined;
  }
  const block = word && /^bb(\d+)$/.exec(word.text);
  if (word && block && body) {
    const id = Number(block[1]);
    const b = body.blocks.find((x) => x.id === id);
    return { kind: 'block', id, label: b && { lo: b.span.lo, hi: b.span.lo + word.text.length }, span: word.span };
  }
  if (refs.place && refs.place.projection.length > 0) {
    const sub = subPlaceAt(file, refs.place, offset);
    return { kind: 'place', place: sub, localInfo: localsOf(item).get(sub.local), span: sub.span };
  }
  return undefined;
}

/** `let mut _3: T;` and `debug x => _3;` lines of a chunk, for a body that does not parse. */
function textualLocal(file: SourceFile, chunk: ItemChunk, local: number): TextualLocal | undefined {
  const text = file.text.slice(chunk.start, chunk.end);
  const decl = new RegExp(`^([ \\t]*)let (mut )?_${local}: ([^;\\n]*);`, 'm').exec(text);
  if (!decl) return undefined;
  const lo = chunk.start + decl.index + decl[1]!.length;
  const debugNames = [...text.matchAll(new RegExp(`^[ \\t]*debug (\\w+) => _${local};`, 'gm'))].map((m) => m[1]!);
  return { declSpan: { lo, hi: chunk.start + decl.index + decl[0].length - 1 }, mutable: decl[2] !== undefined, ty: decl[3]!, debugNames };
}

/** The header line of `allocN` in `file` (allocations are numbered per file), as the span of its name. */
export function allocHeader(file: SourceFile, id: number): Span | undefined {
  const text = file.text;
  for (const name of [`alloc${id}`, `ALLOC${id}`]) {
    for (let at = text.indexOf(`${name} (`); at >= 0; at = text.indexOf(`${name} (`, at + 1)) {
      if (at === 0 || text[at - 1] === '\n') return { lo: at, hi: at + name.length };
    }
  }
  return undefined;
}
