// The work-product store: per crate and codegen unit, the unit's fingerprint and its
// objects (content-addressed blobs), plus a build history, in one SQLite file.
// Every build commits in a single transaction so a crash leaves the previous state
// usable, and every blob is re-hashed when read (DESIGN.md, "Incremental semantics").

import { createHash } from 'node:crypto';
import { accessSync, closeSync, constants as fsConstants, existsSync, mkdirSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export const SCHEMA_VERSION = 1;

export type BlobKind = 'pre' | 'post' | 'lto';
export type Reuse = 'No' | 'PreLto' | 'PostLto';

/** An error to show the user as is: `message` is a full sentence naming the cache directory. */
export class CacheError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CacheError';
  }
}

export interface UnitRecord {
  name: string;
  fingerprint: string;
  details: unknown;
  pre?: string;
  post?: string;
  imports?: unknown;
}

export interface BuildUnitRecord { name: string; reuse: Reuse; items: number; ms: number; reason: unknown }

export interface BuildRecord {
  id?: number;
  inputHash: string;
  options: unknown;
  startedAt: number;
  ms: number;
  ok: boolean;
  units: BuildUnitRecord[];
}

export interface CommitChange {
  units: UnitRecord[];
  blobs: { hash: string; kind: BlobKind; bytes: Uint8Array }[];
  build: BuildRecord;
  keepBlobs?: string[];
}

export interface CacheStats {
  dir: string;
  schema: number;
  entries: number;
  blobs: { kind: BlobKind; count: number; bytes: number }[];
  bytes: number;
  maxBytes: number;
  hits: { kind: 'PreLto' | 'PostLto'; count: number }[];
  misses: number;
  corrupt: number;
  evicted: number;
  crates: string[];
  recent: { crate: string; id: number; startedAt: number; ms: number; ok: boolean; units: number; compiled: number; reusedPre: number; reusedPost: number }[];
}

export interface StoreOptions { maxBytes?: number; timeoutMs?: number; readonly?: boolean }

const DB_FILE = 'cache.db';
const DEFAULT_MAX_BYTES = 4 * 1024 ** 3;
const DEFAULT_TIMEOUT_MS = 30_000;
const HISTORY_PER_CRATE = 200;
const RECENT_BUILDS = 10;
const BLOB_KINDS: readonly BlobKind[] = ['pre', 'post', 'lto'];
const REUSES: readonly Reuse[] = ['No', 'PreLto', 'PostLto'];
const COUNTERS = ['clock', 'hits_pre', 'hits_post', 'misses', 'corrupt', 'evicted'] as const;
type Counter = (typeof COUNTERS)[number];

// Blob bytes come last in their row so that scans of the other columns never touch the
// overflow pages that hold the bytes. `kept` holds each crate's `keepBlobs` (the
// fat-LTO object) so another crate's commit does not collect them.
const SCHEMA_V1 = `
CREATE TABLE blobs (
  hash TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('pre', 'post', 'lto')),
  size INTEGER NOT NULL,
  last_used INTEGER NOT NULL,
  bytes BLOB NOT NULL
);
CREATE INDEX blobs_lru ON blobs (last_used, hash);
CREATE TABLE units (
  crate TEXT NOT NULL,
  name TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  details TEXT NOT NULL,
  pre TEXT,
  post TEXT,
  imports TEXT,
  last_used INTEGER NOT NULL,
  PRIMARY KEY (crate, name)
);
CREATE INDEX units_pre ON units (pre);
CREATE INDEX units_post ON units (post);
CREATE TABLE kept (crate TEXT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (crate, hash)) WITHOUT ROWID;
CREATE INDEX kept_hash ON kept (hash);
CREATE TABLE builds (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  crate TEXT NOT NULL,
  input_hash TEXT NOT NULL,
  options TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  ms REAL NOT NULL,
  ok INTEGER NOT NULL
);
CREATE INDEX builds_crate ON builds (crate, id);
CREATE TABLE build_units (
  build INTEGER NOT NULL REFERENCES builds (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  name TEXT NOT NULL,
  reuse TEXT NOT NULL,
  items INTEGER NOT NULL,
  ms REAL NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY (build, seq)
) WITHOUT ROWID;
CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
`;

/**
 * Migrations from schema `v` to `v + 1`, keyed by `v`; applied in order inside the
 * opening transaction. None yet: schema 1 is the first.
 */
const MIGRATIONS: Record<number, (db: Database.Database) => void> = {};

/** The key of a blob: the SHA-256 of its bytes, in hex. */
export function blobHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

interface UnitRow { name: string; fingerprint: string; details: string; pre: string | null; post: string | null; imports: string | null }
interface BuildRow { id: number; crate: string; input_hash: string; options: string; started_at: number; ms: number; ok: number }
interface BuildUnitRow { name: string; reuse: Reuse; items: number; ms: number; reason: string }

export class WorkProductStore {
  readonly dir: string;
  readonly warnings: string[];
  private readonly db: Database.Database;
  private readonly maxBytes: number;
  private readonly timeoutMs: number;
  private readonly readonly: boolean;
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(dir: string, db: Database.Database, options: Required<StoreOptions>, warnings: string[]) {
    this.dir = dir;
    this.db = db;
    this.maxBytes = options.maxBytes;
    this.timeoutMs = options.timeoutMs;
    this.readonly = options.readonly;
    this.warnings = warnings;
  }

  /** Opens (creating, migrating or replacing a corrupt file as needed) the store in `dir`. */
  /** Whether `dir` holds a store. */
  static exists(dir: string): boolean {
    return existsSync(join(dir, DB_FILE));
  }

  /** Deletes the store in `dir` (its database and journal files), for a store that cannot be opened to be emptied. */
  static remove(dir: string): void {
    for (const s of ['', '-wal', '-shm']) rmSync(join(dir, DB_FILE + s), { force: true });
  }

  static open(dir: string, options: StoreOptions = {}): WorkProductStore {
    const opts: Required<StoreOptions> = {
      maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      readonly: options.readonly ?? false,
    };
    const warnings: string[] = [];
    const db = opts.readonly ? openReadonly(dir, opts.timeoutMs) : openWritable(dir, opts.timeoutMs, warnings);
    return new WorkProductStore(dir, db, opts, warnings);
  }

  /** The crate's units by name, in name order. */
  units(crate: string): Map<string, UnitRecord> {
    return this.guard('read the units', () => {
      const rows = this.stmt('SELECT name, fingerprint, details, pre, post, imports FROM units WHERE crate = ? ORDER BY name').all(crate) as UnitRow[];
      return new Map(rows.map((r) => [r.name, unitFromRow(r)]));
    });
  }

  /**
   * The blob's bytes, or undefined when it is missing or fails its hash check. A corrupt
   * blob is deleted (and the units pointing at it forgotten) so the next build rebuilds it.
   */
  readBlob(hash: string): Uint8Array | undefined {
    if (!this.db.open) throw new CacheError(`Cannot read a blob: the cache at ${this.dir} is closed.`);
    let row: { bytes: Buffer } | undefined;
    try {
      row = this.stmt('SELECT bytes FROM blobs WHERE hash = ?').get(hash) as { bytes: Buffer } | undefined;
    } catch (e) {
      if (!isCorrupt(e)) throw toCacheError(e, 'read a blob', this.dir, this.timeoutMs);
      // Unreadable pages are bad data like a bad hash: the caller rebuilds.
      this.warnings.push(toCacheError(e, 'read a blob', this.dir, this.timeoutMs).message);
      return undefined;
    }
    if (row === undefined) return undefined;
    if (blobHash(row.bytes) === hash) return row.bytes;
    this.dropCorruptBlob(hash);
    return undefined;
  }

  hasBlob(hash: string): boolean {
    return this.guard('look up a blob', () => this.stmt('SELECT 1 FROM blobs WHERE hash = ?').get(hash) !== undefined);
  }

  lastBuild(crate: string): BuildRecord | undefined {
    return this.builds(crate, 1)[0];
  }

  /** The crate's last `limit` builds, newest first. */
  builds(crate: string, limit: number): BuildRecord[] {
    return this.guard('read the build history', () => {
      const rows = this.stmt('SELECT * FROM builds WHERE crate = ? ORDER BY id DESC LIMIT ?').all(crate, Math.max(0, Math.floor(limit))) as BuildRow[];
      return rows.map((r) => this.buildFromRow(r));
    });
  }

  /** Records one build of `crate` atomically; returns `change.build` with its id. */
  commit(crate: string, change: CommitChange): BuildRecord {
    this.assertWritable('commit a build');
    const prepared = prepareCommit(this.dir, change);
    return this.guard('commit the build', () =>
      this.db.transaction(() => this.commitInTransaction(crate, change, prepared)).immediate(),
    );
  }

  stats(): CacheStats {
    return this.guard('read the statistics', () => {
      const counters = this.counters();
      const blobs = this.blobTotals();
      return {
        dir: this.dir,
        schema: this.db.pragma('user_version', { simple: true }) as number,
        entries: (this.stmt('SELECT count(*) AS n FROM units').get() as { n: number }).n,
        blobs,
        bytes: blobs.reduce((sum, b) => sum + b.bytes, 0),
        maxBytes: this.maxBytes,
        hits: [
          { kind: 'PreLto', count: counters.hits_pre },
          { kind: 'PostLto', count: counters.hits_post },
        ],
        misses: counters.misses,
        corrupt: counters.corrupt,
        evicted: counters.evicted,
        crates: (this.stmt('SELECT crate FROM units UNION SELECT crate FROM builds ORDER BY crate').all() as { crate: string }[]).map((r) => r.crate),
        recent: this.recentBuilds(),
      };
    });
  }

  /** Forgets one crate (its units and history, then unreferenced blobs), or everything. */
  clean(crate?: string): void {
    this.assertWritable('clean the cache');
    this.guard('clean the cache', () => {
      if (crate !== undefined) {
        this.db.transaction(() => this.cleanCrate(crate)).immediate();
        return;
      }
      this.db.transaction(() => this.cleanAll()).immediate();
      // Gives the space back to the file system; not possible inside a transaction.
      this.db.exec('VACUUM');
    });
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private commitInTransaction(crate: string, change: CommitChange, p: PreparedCommit): BuildRecord {
    const clock = this.counters().clock + 1;
    this.bump('clock', 1);
    this.insertBlobs(change.blobs, clock);
    this.replaceUnits(crate, p.units, clock);
    this.replaceKept(crate, change.keepBlobs ?? []);
    const id = this.insertBuild(crate, change.build, p);
    this.countReuse(change.build.units);
    this.stmt(`UPDATE blobs SET last_used = ? WHERE hash IN (${CRATE_REFS})`).run(clock, crate, crate, crate);
    this.collectGarbage();
    this.enforceCap(crate);
    this.trimHistory(crate);
    return { ...change.build, id };
  }

  /**
   * Writes the blobs the store lacks. The check runs inside the commit's write
   * transaction, so no other process can collect a blob between the check and the commit.
   */
  private insertBlobs(blobs: CommitChange['blobs'], clock: number): void {
    const has = this.stmt('SELECT 1 FROM blobs WHERE hash = ?').pluck();
    const insert = this.stmt('INSERT INTO blobs (hash, kind, size, last_used, bytes) VALUES (?, ?, ?, ?, ?)');
    for (const b of blobs) if (!has.get(b.hash)) insert.run(b.hash, b.kind, b.bytes.byteLength, clock, asBuffer(b.bytes));
  }

  private replaceUnits(crate: string, units: PreparedUnit[], clock: number): void {
    this.stmt('DELETE FROM units WHERE crate = ?').run(crate);
    const insert = this.stmt('INSERT INTO units (crate, name, fingerprint, details, pre, post, imports, last_used) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    for (const u of units) insert.run(crate, u.name, u.fingerprint, u.details, u.pre, u.post, u.imports, clock);
    // A pointer must name a stored blob, so that `units()` never promises what is gone.
    this.stmt('UPDATE units SET pre = NULL WHERE crate = ? AND pre NOT IN (SELECT hash FROM blobs)').run(crate);
    this.stmt('UPDATE units SET post = NULL WHERE crate = ? AND post NOT IN (SELECT hash FROM blobs)').run(crate);
  }

  private replaceKept(crate: string, hashes: string[]): void {
    this.stmt('DELETE FROM kept WHERE crate = ?').run(crate);
    const insert = this.stmt('INSERT OR IGNORE INTO kept (crate, hash) SELECT ?, hash FROM blobs WHERE hash = ?');
    for (const h of hashes) insert.run(crate, h);
  }

  private insertBuild(crate: string, build: BuildRecord, p: PreparedCommit): number {
    const info = this.stmt('INSERT INTO builds (crate, input_hash, options, started_at, ms, ok) VALUES (?, ?, ?, ?, ?, ?)')
      .run(crate, build.inputHash, p.options, build.startedAt, build.ms, build.ok ? 1 : 0);
    const id = Number(info.lastInsertRowid);
    const insert = this.stmt('INSERT INTO build_units (build, seq, name, reuse, items, ms, reason) VALUES (?, ?, ?, ?, ?, ?, ?)');
    build.units.forEach((u, seq) => insert.run(id, seq, u.name, u.reuse, u.items, u.ms, p.reasons[seq]));
    return id;
  }

  private countReuse(units: BuildUnitRecord[]): void {
    const count = (reuse: Reuse) => units.filter((u) => u.reuse === reuse).length;
    this.bump('hits_pre', count('PreLto'));
    this.bump('hits_post', count('PostLto'));
    this.bump('misses', count('No'));
  }

  /** Deletes blobs that no unit references and no crate keeps. */
  private collectGarbage(): void {
    this.stmt(`DELETE FROM blobs WHERE ${UNREFERENCED}`).run();
  }

  /** Evicts least-recently-used blobs the crate does not use until the total fits. */
  private enforceCap(crate: string): void {
    let total = this.totalBytes();
    if (total <= this.maxBytes) return;
    const candidates = this.stmt(`SELECT hash, size FROM blobs WHERE hash NOT IN (${CRATE_REFS}) ORDER BY last_used, hash`)
      .all(crate, crate, crate) as { hash: string; size: number }[];
    for (const c of candidates) {
      if (total <= this.maxBytes) break;
      this.forgetBlob(c.hash);
      this.bump('evicted', 1);
      total -= c.size;
    }
  }

  private trimHistory(crate: string): void {
    this.stmt('DELETE FROM builds WHERE crate = ? AND id NOT IN (SELECT id FROM builds WHERE crate = ? ORDER BY id DESC LIMIT ?)')
      .run(crate, crate, HISTORY_PER_CRATE);
  }

  /** Deletes a blob and every pointer to it. */
  private forgetBlob(hash: string): void {
    this.stmt('DELETE FROM blobs WHERE hash = ?').run(hash);
    this.stmt('UPDATE units SET pre = NULL WHERE pre = ?').run(hash);
    this.stmt('UPDATE units SET post = NULL WHERE post = ?').run(hash);
    this.stmt('DELETE FROM kept WHERE hash = ?').run(hash);
  }

  private dropCorruptBlob(hash: string): void {
    if (this.readonly) return;
    try {
      this.guard('discard a corrupt blob', () =>
        this.db.transaction(() => {
          this.forgetBlob(hash);
          this.bump('corrupt', 1);
        }).immediate(),
      );
    } catch (e) {
      // The read already failed safely; a later build retries the repair.
      this.warnings.push((e as Error).message);
    }
  }

  private cleanCrate(crate: string): void {
    this.stmt('DELETE FROM units WHERE crate = ?').run(crate);
    this.stmt('DELETE FROM kept WHERE crate = ?').run(crate);
    this.stmt('DELETE FROM builds WHERE crate = ?').run(crate);
    this.collectGarbage();
  }

  private cleanAll(): void {
    for (const table of ['build_units', 'builds', 'units', 'kept', 'blobs']) this.db.prepare(`DELETE FROM ${table}`).run();
    this.stmt('UPDATE counters SET value = 0').run();
  }

  private buildFromRow(r: BuildRow): BuildRecord {
    const units = (this.stmt('SELECT name, reuse, items, ms, reason FROM build_units WHERE build = ? ORDER BY seq').all(r.id) as BuildUnitRow[])
      .map((u) => ({ name: u.name, reuse: u.reuse, items: u.items, ms: u.ms, reason: JSON.parse(u.reason) as unknown }));
    return { id: r.id, inputHash: r.input_hash, options: JSON.parse(r.options) as unknown, startedAt: r.started_at, ms: r.ms, ok: r.ok !== 0, units };
  }

  private recentBuilds(): CacheStats['recent'] {
    const rows = this.stmt(`
      SELECT b.crate, b.id, b.started_at, b.ms, b.ok, count(u.seq) AS units,
        coalesce(sum(u.reuse = 'No'), 0) AS compiled,
        coalesce(sum(u.reuse = 'PreLto'), 0) AS pre,
        coalesce(sum(u.reuse = 'PostLto'), 0) AS post
      FROM builds b LEFT JOIN build_units u ON u.build = b.id
      GROUP BY b.id ORDER BY b.id DESC LIMIT ?`).all(RECENT_BUILDS) as (BuildRow & { units: number; compiled: number; pre: number; post: number })[];
    return rows.map((r) => ({
      crate: r.crate, id: r.id, startedAt: r.started_at, ms: r.ms, ok: r.ok !== 0,
      units: r.units, compiled: r.compiled, reusedPre: r.pre, reusedPost: r.post,
    }));
  }

  private blobTotals(): CacheStats['blobs'] {
    const rows = this.stmt('SELECT kind, count(*) AS count, sum(size) AS bytes FROM blobs GROUP BY kind').all() as { kind: BlobKind; count: number; bytes: number }[];
    return BLOB_KINDS.map((kind) => {
      const row = rows.find((r) => r.kind === kind);
      return { kind, count: row?.count ?? 0, bytes: row?.bytes ?? 0 };
    });
  }

  private totalBytes(): number {
    return (this.stmt('SELECT coalesce(sum(size), 0) AS n FROM blobs').get() as { n: number }).n;
  }

  private counters(): Record<Counter, number> {
    const rows = this.stmt('SELECT name, value FROM counters').all() as { name: Counter; value: number }[];
    const out = Object.fromEntries(COUNTERS.map((c) => [c, 0])) as Record<Counter, number>;
    for (const r of rows) out[r.name] = r.value;
    return out;
  }

  private bump(counter: Counter, by: number): void {
    if (by !== 0) this.stmt('UPDATE counters SET value = value + ? WHERE name = ?').run(by, counter);
  }

  private stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (s === undefined) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  private assertWritable(what: string): void {
    if (this.readonly) throw new CacheError(`Cannot ${what}: the cache at ${this.dir} was opened read-only.`);
  }

  /** Runs `fn`, turning SQLite's errors into a CacheError that says what failed and where. */
  private guard<T>(what: string, fn: () => T): T {
    if (!this.db.open) throw new CacheError(`Cannot ${what}: the cache at ${this.dir} is closed.`);
    try {
      return fn();
    } catch (e) {
      throw toCacheError(e, what, this.dir, this.timeoutMs);
    }
  }
}

// The blobs one crate uses: its units' objects and the blobs it keeps. Parameters: crate ×3.
const CRATE_REFS = `
  SELECT pre FROM units WHERE crate = ? AND pre IS NOT NULL
  UNION SELECT post FROM units WHERE crate = ? AND post IS NOT NULL
  UNION SELECT hash FROM kept WHERE crate = ?`;

const UNREFERENCED = `
  hash NOT IN (SELECT pre FROM units WHERE pre IS NOT NULL)
  AND hash NOT IN (SELECT post FROM units WHERE post IS NOT NULL)
  AND hash NOT IN (SELECT hash FROM kept)`;

interface PreparedUnit { name: string; fingerprint: string; details: string; pre: string | null; post: string | null; imports: string | null }
interface PreparedCommit { units: PreparedUnit[]; options: string; reasons: string[] }

/**
 * Checks a change and serializes its JSON before the transaction starts, so that a
 * caller's mistake fails fast and never holds the write lock.
 */
function prepareCommit(dir: string, change: CommitChange): PreparedCommit {
  const bug = (what: string) => new CacheError(`Refusing to commit to the cache at ${dir}: ${what} (a codegend bug).`);
  for (const b of change.blobs) {
    if (!BLOB_KINDS.includes(b.kind)) throw bug(`blob ${b.hash} has unknown kind '${String(b.kind)}'`);
    if (blobHash(b.bytes) !== b.hash) throw bug(`blob ${b.hash} does not match the SHA-256 of its bytes`);
  }
  const names = new Set<string>();
  for (const u of change.units) {
    if (names.has(u.name)) throw bug(`unit ${u.name} appears twice`);
    names.add(u.name);
  }
  for (const u of change.build.units) {
    if (!REUSES.includes(u.reuse)) throw bug(`unit ${u.name} has unknown reuse '${String(u.reuse)}'`);
  }
  const json = (value: unknown, what: string): string => {
    try {
      return JSON.stringify(value) ?? 'null';
    } catch (e) {
      throw bug(`${what} is not JSON-serializable (${(e as Error).message})`);
    }
  };
  return {
    units: change.units.map((u) => ({
      name: u.name,
      fingerprint: u.fingerprint,
      details: json(u.details, `the details of unit ${u.name}`),
      pre: u.pre ?? null,
      post: u.post ?? null,
      imports: u.imports === undefined ? null : json(u.imports, `the imports of unit ${u.name}`),
    })),
    options: json(change.build.options, 'the build options'),
    reasons: change.build.units.map((u) => json(u.reason, `the reason for unit ${u.name}`)),
  };
}

function unitFromRow(r: UnitRow): UnitRecord {
  const unit: UnitRecord = { name: r.name, fingerprint: r.fingerprint, details: JSON.parse(r.details) as unknown };
  if (r.pre !== null) unit.pre = r.pre;
  if (r.post !== null) unit.post = r.post;
  if (r.imports !== null) unit.imports = JSON.parse(r.imports) as unknown;
  return unit;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

// ---- opening ----

function openReadonly(dir: string, timeoutMs: number): Database.Database {
  const path = join(dir, DB_FILE);
  if (!existsSync(path)) throw new CacheError(`There is no cache at ${dir}.`);
  if (!hasSqliteHeader(path)) throw new CacheError(`The cache file ${path} is not a valid database; run \`codegend clean\` or a build to replace it.`);
  const db = connect(dir, path, { readonly: true, fileMustExist: true, timeout: timeoutMs });
  try {
    const { version, tables } = inspect(db);
    rejectNewer(dir, version);
    if (version === 0 && tables === 0) throw new CacheError(`There is no cache at ${dir}.`);
    if (version === 0) throw new CacheError(`The file ${path} is not a codegend cache; run a build with --cache ${dir} to replace it, or choose another directory with --cache DIR.`);
    if (version < SCHEMA_VERSION) throw new CacheError(`The cache at ${dir} uses an older schema (${version}); run a build to upgrade it.`);
    return db;
  } catch (e) {
    db.close();
    if (isCorrupt(e)) throw new CacheError(`The cache at ${dir} is damaged (${(e as Error).message}); run \`codegend clean\` or a build to replace it.`);
    throw toCacheError(e, 'open the cache', dir, timeoutMs);
  }
}

/** Opens the cache for writing; a damaged or foreign file is moved aside, once. */
function openWritable(dir: string, timeoutMs: number, warnings: string[]): Database.Database {
  ensureDirectory(dir);
  const path = join(dir, DB_FILE);
  // Checked before SQLite sees the file: on close SQLite would delete a -wal beside garbage.
  if (!hasSqliteHeader(path)) setAside(dir, path, 'is not a valid database', warnings);
  try {
    return connectWithSchema(dir, path, timeoutMs);
  } catch (e) {
    const reason = e instanceof ForeignDatabase ? 'is not a codegend cache' : isCorrupt(e) ? 'is not a valid database' : undefined;
    if (reason === undefined) throw toCacheError(e, 'open the cache', dir, timeoutMs);
    setAside(dir, path, reason, warnings);
  }
  try {
    return connectWithSchema(dir, path, timeoutMs);
  } catch (e) {
    throw toCacheError(e, 'open the cache', dir, timeoutMs);
  }
}

/**
 * Connects and makes sure the schema is there. Two processes opening a new cache at once
 * can deadlock switching it to WAL, which SQLite reports as busy at once rather than
 * waiting: one of them then tries again, after a short random pause, until the timeout.
 */
/** The switch to WAL did not happen yet (another connection was reading). */
class WalPending extends Error {}

function connectWithSchema(dir: string, path: string, timeoutMs: number): Database.Database {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const db = connect(dir, path, { timeout: timeoutMs });
    try {
      prepareSchema(dir, db);
      return db;
    } catch (e) {
      db.close();
      const busy = e instanceof WalPending || sqliteCode(e)?.startsWith('SQLITE_BUSY');
      if (!busy || Date.now() >= deadline) throw e instanceof WalPending ? busyError(dir, 'open the cache', timeoutMs) : e;
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20 + Math.floor(Math.random() * 80));
  }
}

function setAside(dir: string, path: string, reason: string, warnings: string[]): void {
  const aside = moveAside(dir, path);
  warnings.push(`The cache file ${path} ${reason}; moved it to ${aside} and started an empty cache.`);
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/** True for a missing or empty file (SQLite starts those fresh) and for SQLite's magic. */
function hasSqliteHeader(path: string): boolean {
  try {
    if (!existsSync(path) || statSync(path).size === 0) return true;
    const head = Buffer.alloc(SQLITE_MAGIC.length);
    const fd = openSync(path, 'r');
    try {
      readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
    return head.equals(SQLITE_MAGIC);
  } catch {
    // Unreadable (a directory, no permission): SQLite reports it, and that is wrapped.
    return true;
  }
}

class ForeignDatabase extends Error {}

function ensureDirectory(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new CacheError(`Cannot create the cache directory ${dir}: ${describeFsError(e)}. Choose another with --cache DIR.`);
  }
  try {
    accessSync(dir, fsConstants.W_OK);
  } catch (e) {
    throw new CacheError(`The cache directory ${dir} is not writable: ${describeFsError(e)}. Choose another with --cache DIR.`);
  }
}

function connect(dir: string, path: string, options: Database.Options): Database.Database {
  try {
    return new Database(path, options);
  } catch (e) {
    throw new CacheError(`Cannot open the cache at ${dir}: ${(e as Error).message}.`);
  }
}

/** Reads the version first: a newer codegend's file must not be touched, not even its journal mode. */
function prepareSchema(dir: string, db: Database.Database): void {
  const { version, tables } = inspect(db);
  rejectNewer(dir, version);
  if (version === 0 && tables > 0) throw new ForeignDatabase();
  // Another connection mid-read can keep the switch from happening: SQLite then stays in
  // its old mode and says so, and the caller tries again.
  if (db.pragma('journal_mode = WAL', { simple: true }) !== 'wal') throw new WalPending();
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  if (version === SCHEMA_VERSION) return;
  // Another process may be creating or migrating the same file: decide under the lock.
  db.transaction(() => {
    const current = inspect(db);
    rejectNewer(dir, current.version);
    if (current.version === 0 && current.tables > 0) throw new ForeignDatabase();
    if (current.version === 0) createSchema(db);
    else if (current.version < SCHEMA_VERSION) migrate(dir, db, current.version);
  }).immediate();
}

function inspect(db: Database.Database): { version: number; tables: number } {
  const version = db.pragma('user_version', { simple: true }) as number;
  const tables = (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }).n;
  return { version, tables };
}

function rejectNewer(dir: string, version: number): void {
  if (version > SCHEMA_VERSION) {
    throw new CacheError(
      `The cache at ${dir} was written by a newer codegend (schema ${version}); this codegend reads schema ${SCHEMA_VERSION}. ` +
        `Run \`codegend clean\` to empty it, or use another cache directory with --cache DIR.`,
    );
  }
}

function createSchema(db: Database.Database): void {
  db.exec(SCHEMA_V1);
  const insert = db.prepare('INSERT INTO counters (name, value) VALUES (?, 0)');
  for (const c of COUNTERS) insert.run(c);
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
}

function migrate(dir: string, db: Database.Database, from: number): void {
  for (let v = from; v < SCHEMA_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (step === undefined) throw new CacheError(`The cache at ${dir} has schema ${v}, which this codegend cannot upgrade; run \`codegend clean\`.`);
    step(db);
  }
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
}

/** Renames `cache.db` (and its -wal/-shm) to the first free `cache.db.corrupt-<n>`. */
function moveAside(dir: string, path: string): string {
  const suffixes = ['', '-wal', '-shm'];
  let n = 1;
  while (suffixes.some((s) => existsSync(`${path}.corrupt-${n}${s}`))) n++;
  const aside = `${path}.corrupt-${n}`;
  try {
    for (const s of suffixes) if (existsSync(path + s)) renameSync(path + s, aside + s);
  } catch (e) {
    throw new CacheError(`The cache file ${path} is damaged and could not be moved aside: ${describeFsError(e)}. Run \`codegend clean\` or choose another cache with --cache DIR (in ${dir}).`);
  }
  return aside;
}

// ---- errors ----

function sqliteCode(e: unknown): string | undefined {
  return e instanceof Database.SqliteError ? e.code : undefined;
}

function isCorrupt(e: unknown): boolean {
  const code = sqliteCode(e);
  return code !== undefined && (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT'));
}

function busyError(dir: string, what: string, timeoutMs: number): CacheError {
  return new CacheError(`The cache at ${dir} is in use by another codegend process; waited ${timeoutMs / 1000} s (cannot ${what}).`);
}

function toCacheError(e: unknown, what: string, dir: string, timeoutMs: number): CacheError {
  if (e instanceof CacheError) return e;
  const code = sqliteCode(e);
  if (code === undefined) {
    // A closed connection or a bad argument from better-sqlite3; never a raw stack.
    return new CacheError(`Cannot ${what} in the cache at ${dir}: ${e instanceof Error ? e.message : String(e)}.`);
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return busyError(dir, what, timeoutMs);
  }
  if (isCorrupt(e)) return new CacheError(`The cache at ${dir} is damaged (cannot ${what}: ${(e as Error).message}); run \`codegend clean\`.`);
  if (code.startsWith('SQLITE_FULL')) return new CacheError(`Cannot ${what}: the disk holding the cache at ${dir} is full.`);
  if (code.startsWith('SQLITE_READONLY')) return new CacheError(`Cannot ${what}: the cache at ${dir} is not writable.`);
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR')) {
    return new CacheError(`Cannot ${what}: the cache at ${dir} could not be read or written (${(e as Error).message}).`);
  }
  return new CacheError(`Cannot ${what} in the cache at ${dir}: ${(e as Error).message} (${code}).`);
}

function describeFsError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (!err.code) return String(e);
  return `${err.message.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '')} (${err.code})`;
}
