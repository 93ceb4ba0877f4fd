// What a process that builds the same crate again and again (the daemon) keeps from one
// build to the next, so that text which did not change is not hashed again: per file,
// the digest of its last text, and its chunks' normalizations (chunk-hash.ts). A one-shot
// build has none and computes everything. Nothing here changes a result, only its cost.

import type { SourceFile } from '../diagnostics.js';
import type { ChunkMemo } from './chunk-hash.js';
import { hashStrings } from './fingerprint.js';

export class BuildMemo {
  private readonly chunks = new Map<string, ChunkMemo>();
  private readonly digests = new Map<string, { text: string; digest: string }>();

  /** The chunk memo of the file named `name`, created empty. */
  chunkMemo(name: string): ChunkMemo {
    let m = this.chunks.get(name);
    if (!m) this.chunks.set(name, (m = new Map()));
    return m;
  }

  /** The digest of a file's text; the last one when the text is the same. */
  digest(file: SourceFile): string {
    const known = this.digests.get(file.name);
    if (known && known.text === file.text) return known.digest;
    const digest = textDigest(file);
    this.digests.set(file.name, { text: file.text, digest });
    return digest;
  }

  /** Forgets the files that are no longer part of the crate. */
  retain(names: readonly string[]): void {
    const keep = new Set(names);
    for (const n of [...this.chunks.keys()]) if (!keep.has(n)) this.chunks.delete(n);
    for (const n of [...this.digests.keys()]) if (!keep.has(n)) this.digests.delete(n);
  }
}

export function textDigest(file: SourceFile): string {
  return hashStrings([file.text]);
}
