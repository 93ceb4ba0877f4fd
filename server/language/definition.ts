// Go to definition in .mir files: a callee, `const foo` fn value or constructor to the
// item that defines it in whichever file of the crate (several locations for a method
// whose instance monomorphization chooses), `allocN` to the allocation's header in the
// same file (rustc numbers allocations per file), a local to its `let` or parameter
// declaration, `bbN` to the block's label, an item's own name to itself.

import type { Location } from 'vscode-languageserver';
import type { SourceFile, Span } from '../../src/diagnostics.js';
import { CrateDefs } from './crate-defs.js';
import { rangeOf } from './position.js';
import { allocHeader, targetAt } from './target.js';

/** The `file://` URI of a file of the crate, supplied by the daemon, which knows where it read each file. */
export type UriOf = (file: SourceFile) => string;

export function definitionAt(files: readonly SourceFile[], file: SourceFile, offset: number, uriOf: UriOf): Location[] {
  const target = targetAt(file, offset);
  if (!target) return [];
  const here = (at: Span | undefined): Location[] => (at ? [{ uri: uriOf(file), range: rangeOf(file, at) }] : []);
  switch (target.kind) {
    case 'itemName':
      return here(target.item.nameSpan);
    case 'path': {
      return new CrateDefs(files, file).resolve(target.path, target.role).map((d) => ({ uri: uriOf(d.file), range: rangeOf(d.file, d.item.nameSpan) }));
    }
    case 'local':
      return here(target.info?.span ?? target.textual?.declSpan);
    case 'place':
      return [];
    case 'block':
      return here(target.label);
    case 'alloc':
      return here(allocHeader(file, target.id));
  }
}
