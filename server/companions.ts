// The Rust files a MIR text names in its impl and closure paths, read from beside the
// MIR file when they exist. The library cannot see the file system; the CLI and the
// daemon hand them over, and they settle enum variant orders the MIR cannot show.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SourceFile } from '../src/diagnostics.js';
import { companionRustFiles } from '../src/mir/check.js';

/** `allowed`: which paths may be read (the daemon reads nothing outside its workspace). */
export function readRustCompanions(files: SourceFile[], allowed: (path: string) => boolean = () => true): SourceFile[] {
  const out = new Map<string, SourceFile>();
  for (const f of files) {
    for (const name of companionRustFiles(f.text)) {
      const path = join(dirname(f.name), name);
      if (out.has(path) || !allowed(path)) continue;
      try {
        out.set(path, new SourceFile(path, readFileSync(path, 'utf8')));
      } catch {
        // A missing or unreadable companion is simply not used.
      }
    }
  }
  return [...out.values()];
}
