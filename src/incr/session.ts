// One build's view of the work-product store: what the last build of this crate left
// (unit fingerprints and work products), reading cached blobs with their hashes checked,
// and the single commit at the end. A cache that cannot be opened turns into a warning
// and a build without reuse: the cache speeds builds up, it never stops one.

import { resolve } from 'node:path';
import type { SourceFile } from '../diagnostics.js';
import type { ObjectFile, SerializedModule } from '../ssa/traits/write.js';
import { readRustEnums } from '../mir/rust-enums.js';
import { encode } from './codec.js';
import { VERSION } from '../version.js';
import { type BuildMemo, textDigest } from './memo.js';
import { hashFile, type FileHashes } from './chunk-hash.js';
import { hashStrings, type UnitFingerprint } from './fingerprint.js';
import type { LtoMode, PreviousUnit } from './reuse.js';
import { blobHash, type BlobKind, type BuildRecord, CacheError, type CommitChange, type UnitRecord, WorkProductStore } from './store.js';

/** The pseudo-unit that records the fat LTO object of the last build. */
export const FAT_LTO_UNIT = '<fat-lto>';
/** The pseudo-unit whose record holds the front end's snapshot (front-end.ts). */
export const FRONT_END_UNIT = '<front-end>';

export interface CodegenOptionsKey {
  /** The backend's name and identity (tool versions). */
  backend: string;
  opt: number;
  lto: LtoMode;
  cgus: number;
}

/** Everything outside the crate's text that shapes an object. */
export function optionsKey(o: CodegenOptionsKey): string {
  return JSON.stringify({ version: VERSION, target: 'x86_64-unknown-linux-gnu', backend: o.backend, opt: o.opt, lto: o.lto });
}

/** The store's name for a crate: its name plus where its files are, so two crates can share a cache. */
export function crateKey(crateName: string, sources: SourceFile[]): string {
  return `${crateName}-${hashStrings(sources.map((s) => resolve(s.name)).sort()).slice(0, 8)}`;
}

export function hashSources(sources: SourceFile[], memo?: BuildMemo): Map<SourceFile, FileHashes> {
  return new Map(sources.map((s) => [s, hashFile(s.text, memo?.chunkMemo(s.name))]));
}

const byName = (a: SourceFile, b: SourceFile) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * The hash of every input of a build, the MIR normalized (comments and whitespace do not
 * count): when it matches the last good build's, nothing needs even parsing.
 */
export function inputHash(o: CodegenOptionsKey, crateName: string, hashes: Map<SourceFile, FileHashes>, enumsKey: string): string {
  const parts = [optionsKey(o), String(o.cgus), crateName];
  for (const [s, h] of [...hashes].sort(([a], [b]) => byName(a, b))) parts.push(s.name, h.file);
  parts.push(enumsKey);
  return hashStrings(parts);
}

/**
 * What the Rust sources beside the MIR contribute to a build: the `enum` declarations
 * that settle variant orders (check.ts). Edits elsewhere in them change nothing.
 */
export function rustEnumsKey(rustSources: SourceFile[]): string {
  const parts: string[] = [];
  for (const r of [...rustSources].sort(byName)) parts.push(r.name, encode([...readRustEnums(r.text)]));
  return hashStrings(parts);
}

/** The same over the exact text: cheaper than normalizing, and what warnings' positions depend on. */
export function exactInputHash(o: CodegenOptionsKey, crateName: string, sources: SourceFile[], rustSources: SourceFile[], memo?: BuildMemo): string {
  const parts = [optionsKey(o), String(o.cgus), crateName];
  for (const s of [...sources].sort(byName)) parts.push(s.name, memo ? memo.digest(s) : textDigest(s));
  for (const r of [...rustSources].sort(byName)) parts.push(r.name, r.text);
  return hashStrings(parts);
}

export class IncrementalSession {
  readonly warnings: string[] = [];
  private readonly previous: Map<string, UnitRecord>;
  private readonly blobs = new Map<string, { kind: BlobKind; bytes: Uint8Array }>();
  /** Blobs read from the store this build, by their checked hash: not hashed again when they go back. */
  private readonly verified = new WeakMap<Uint8Array, string>();
  /** Blobs whose hash check failed during this build. */
  readonly corrupt: string[] = [];

  private constructor(
    readonly store: WorkProductStore | undefined,
    readonly crate: string,
  ) {
    this.previous = store?.units(crate) ?? new Map();
  }

  /** Opens the store at `dir` (capped at `maxBytes`); failures become warnings and a session without a store. */
  static open(dir: string | undefined, crate: string, maxBytes?: number): IncrementalSession {
    if (dir === undefined) return new IncrementalSession(undefined, crate);
    try {
      const store = WorkProductStore.open(dir, { maxBytes });
      const s = new IncrementalSession(store, crate);
      s.warnings.push(...store.warnings);
      return s;
    } catch (e) {
      if (!(e instanceof CacheError)) throw e;
      const s = new IncrementalSession(undefined, crate);
      s.warnings.push(`${e.message}; building without the incremental cache`);
      return s;
    }
  }

  get enabled(): boolean {
    return this.store !== undefined;
  }

  lastBuild(): BuildRecord | undefined {
    return this.store?.lastBuild(this.crate);
  }

  record(name: string): UnitRecord | undefined {
    return this.previous.get(name);
  }

  /** Every unit record the last build left for this crate. */
  records(): UnitRecord[] {
    return [...this.previous.values()];
  }

  previousUnit(name: string): PreviousUnit | undefined {
    const r = this.previous.get(name);
    if (!r || !this.store) return undefined;
    return { fingerprint: r.fingerprint, details: r.details as UnitFingerprint | undefined, hasPre: r.pre !== undefined && this.store.hasBlob(r.pre), hasPost: r.post !== undefined && this.store.hasBlob(r.post) };
  }

  /** A cached work product of a unit, its hash checked; undefined (and noted) when missing or corrupt. */
  read(name: string, kind: 'pre' | 'post'): Uint8Array | undefined {
    const r = this.previous.get(name);
    const hash = kind === 'pre' ? r?.pre : r?.post;
    if (!hash || !this.store) return undefined;
    const bytes = this.store.readBlob(hash);
    if (!bytes) this.corrupt.push(`${name} (${kind === 'pre' ? 'pre-LTO module' : 'object'})`);
    else this.verified.set(bytes, hash);
    return bytes;
  }

  readModule(name: string): SerializedModule | undefined {
    const bytes = this.read(name, 'pre');
    return bytes && { name, bytes };
  }

  /** A unit's cached object, named `objectName` (default: the unit's name). */
  readObject(name: string, objectName = name): ObjectFile | undefined {
    const bytes = this.read(name, 'post');
    return bytes && { name: objectName, bytes };
  }

  /**
   * Adds a blob to the coming commit; returns its hash. Blobs the store already has are
   * sent too: another process's commit may collect them before ours lands.
   */
  put(kind: BlobKind, bytes: Uint8Array): string {
    const hash = this.verified.get(bytes) ?? blobHash(bytes);
    if (this.store) this.blobs.set(hash, { kind, bytes });
    return hash;
  }

  /** Commits the build atomically; a failure to write the cache is a warning, never a failed build. */
  commit(units: UnitRecord[], build: BuildRecord, keepBlobs: string[] = []): BuildRecord | undefined {
    if (!this.store) return undefined;
    const change: CommitChange = { units, blobs: [...this.blobs].map(([hash, b]) => ({ hash, ...b })), build, keepBlobs };
    try {
      return this.store.commit(this.crate, change);
    } catch (e) {
      if (!(e instanceof CacheError)) throw e;
      this.warnings.push(`${e.message}; this build's work products were not saved`);
      return undefined;
    } finally {
      this.blobs.clear();
    }
  }

  close(): void {
    this.store?.close();
  }
}
