// The SQLite work-product store on real files: round trips, dedupe, garbage collection,
// the size cap, corrupt blobs and files, schema versions, locking between connections,
// and a process killed inside a transaction leaving the previous state intact.

import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  blobHash,
  CacheError,
  type BlobKind,
  type BuildRecord,
  type CommitChange,
  type Reuse,
  type StoreOptions,
  type UnitRecord,
  WorkProductStore,
} from '../../src/incr/store.js';

let dir: string;
let opened: { close(): void }[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'codegend-store-'));
  opened = [];
});

afterEach(() => {
  for (const s of opened) s.close();
  rmSync(dir, { recursive: true, force: true });
});

function open(options?: StoreOptions, at = dir): WorkProductStore {
  const store = WorkProductStore.open(at, options);
  opened.push(store);
  return store;
}

function raw(options?: Database.Options): Database.Database {
  const db = new Database(join(dir, 'cache.db'), options);
  opened.push(db);
  return db;
}

function blob(kind: BlobKind, text: string) {
  const bytes = new TextEncoder().encode(text);
  return { hash: blobHash(bytes), kind, bytes };
}

function build(units: [string, Reuse][], startedAt = 1000): BuildRecord {
  return {
    inputHash: 'in',
    options: { opt: 2, lto: 'off' },
    startedAt,
    ms: 12.5,
    ok: true,
    units: units.map(([name, reuse]) => ({ name, reuse, items: 3, ms: 1, reason: { changed: [name] } })),
  };
}

/** A commit of units that each own one post-LTO object holding `text`. */
function postUnits(texts: Record<string, string>, reuse: Reuse = 'No'): CommitChange {
  const entries = Object.entries(texts).map(([name, text]) => ({ name, b: blob('post', text) }));
  return {
    units: entries.map(({ name, b }) => ({ name, fingerprint: `fp-${name}`, details: null, post: b.hash })),
    blobs: entries.map(({ b }) => b),
    build: build(entries.map(({ name }) => [name, reuse])),
  };
}

const text = (bytes: Uint8Array | undefined) => (bytes === undefined ? undefined : Buffer.from(bytes).toString());

describe('WorkProductStore', () => {
  it('round-trips units, blobs and builds across reopening', () => {
    const pre = blob('pre', 'bitcode of a');
    const post = blob('post', 'object of a');
    const postB = blob('post', 'object of b');
    const unitA: UnitRecord = { name: 'a', fingerprint: 'f1', details: { items: [['main', 'h1']] }, pre: pre.hash, post: post.hash, imports: ['b::f'] };
    const unitB: UnitRecord = { name: 'b', fingerprint: 'f2', details: [], post: postB.hash };
    const store = open();
    const first = store.commit('app', { units: [unitA, unitB], blobs: [pre, post, postB], build: build([['a', 'No'], ['b', 'No']]) });
    const second = store.commit('app', { units: [unitA, unitB], blobs: [], build: build([['a', 'PostLto'], ['b', 'PostLto']], 2000) });
    expect(second.id).toBeGreaterThan(first.id!);
    store.close();

    const again = open();
    expect(again.warnings).toEqual([]);
    expect([...again.units('app').values()]).toEqual([unitA, unitB]);
    expect(again.units('other').size).toBe(0);
    expect(text(again.readBlob(pre.hash))).toBe('bitcode of a');
    expect(text(again.readBlob(postB.hash))).toBe('object of b');
    expect(again.readBlob(blobHash(new Uint8Array([1])))).toBeUndefined();
    expect(again.hasBlob(post.hash)).toBe(true);
    expect(again.lastBuild('app')).toEqual(second);
    expect(again.builds('app', 10)).toEqual([second, first]);
    expect(again.builds('app', 1)).toEqual([second]);
    expect(again.lastBuild('other')).toBeUndefined();
  });

  it('stores identical bytes once', () => {
    const shared = blob('post', 'same object');
    const store = open();
    store.commit('app', {
      units: [
        { name: 'a', fingerprint: 'fa', details: null, post: shared.hash },
        { name: 'b', fingerprint: 'fb', details: null, post: shared.hash },
      ],
      blobs: [shared, { ...shared }],
      build: build([['a', 'No'], ['b', 'No']]),
    });
    store.commit('lib', { ...postUnits({ c: 'same object' }) });
    const stats = store.stats();
    expect(stats.blobs.find((b) => b.kind === 'post')).toEqual({ kind: 'post', count: 1, bytes: 11 });
    expect(stats.entries).toBe(3);
  });

  it('collects units that leave a commit and blobs nobody references', () => {
    const store = open();
    const lto = blob('lto', 'fat object');
    store.commit('app', { ...postUnits({ a: 'a1', b: 'b1' }), keepBlobs: [lto.hash] });
    expect(store.hasBlob(lto.hash)).toBe(false); // keeping a blob that was never stored keeps nothing

    store.commit('app', { ...postUnits({ a: 'a1', b: 'b1' }), blobs: [...postUnits({ a: 'a1', b: 'b1' }).blobs, lto], keepBlobs: [lto.hash] });
    expect(store.hasBlob(lto.hash)).toBe(true);
    store.commit('other', postUnits({ x: 'x1' }));
    expect(store.hasBlob(lto.hash)).toBe(true); // another crate's commit leaves app's kept blobs alone

    store.commit('app', postUnits({ a: 'a2' }));
    expect([...store.units('app').keys()]).toEqual(['a']);
    expect(store.hasBlob(blob('post', 'a1').hash)).toBe(false);
    expect(store.hasBlob(blob('post', 'b1').hash)).toBe(false);
    expect(store.hasBlob(lto.hash)).toBe(false);
    expect(store.hasBlob(blob('post', 'a2').hash)).toBe(true);
    expect(store.hasBlob(blob('post', 'x1').hash)).toBe(true);
  });

  it('nulls pointers to blobs the store does not hold', () => {
    const store = open();
    const missing = blob('pre', 'never stored').hash;
    store.commit('app', { units: [{ name: 'a', fingerprint: 'f', details: null, pre: missing }], blobs: [], build: build([['a', 'No']]) });
    expect(store.units('app').get('a')).toEqual({ name: 'a', fingerprint: 'f', details: null });
  });

  it('evicts least-recently-used blobs of other crates past maxBytes, never the current crate\'s', () => {
    const store = open({ maxBytes: 250 });
    const hundred = (c: string) => c.repeat(100);
    store.commit('old', postUnits({ a: hundred('a'), b: hundred('b') }));
    store.commit('new', postUnits({ c: hundred('c') }));

    // 300 bytes > 250: one of old's blobs (same age, so the smaller hash) goes.
    const [first, second] = [blob('post', hundred('a')), blob('post', hundred('b'))].sort((x, y) => (x.hash < y.hash ? -1 : 1));
    expect(store.hasBlob(first!.hash)).toBe(false);
    expect(store.hasBlob(second!.hash)).toBe(true);
    const old = store.units('old');
    expect([...old.values()].filter((u) => u.post === undefined).length).toBe(1);
    expect(store.stats().evicted).toBe(1);
    expect(store.stats().bytes).toBe(200);

    // A crate bigger than the cap keeps all of its blobs; everything else goes.
    store.commit('new', postUnits({ c: hundred('c'), d: hundred('d'), e: hundred('e') }));
    expect(store.hasBlob(second!.hash)).toBe(false);
    expect([...store.units('old').values()].every((u) => u.post === undefined)).toBe(true);
    expect([...store.units('new').values()].every((u) => u.post !== undefined && store.hasBlob(u.post))).toBe(true);
    expect(store.stats()).toMatchObject({ bytes: 300, evicted: 2 });
  });

  it('prefers evicting the blob used longest ago', () => {
    const store = open({ maxBytes: 250 });
    store.commit('one', postUnits({ a: 'a'.repeat(100) }));
    store.commit('two', postUnits({ b: 'b'.repeat(100) }));
    store.commit('one', postUnits({ a: 'a'.repeat(100) }, 'PostLto')); // one's blob is now newer than two's
    store.commit('three', postUnits({ c: 'c'.repeat(100) }));
    expect(store.hasBlob(blob('post', 'b'.repeat(100)).hash)).toBe(false);
    expect(store.hasBlob(blob('post', 'a'.repeat(100)).hash)).toBe(true);
  });

  it('detects a blob corrupted on disk, deletes it and counts it', () => {
    const good = blob('post', 'good object');
    const store = open();
    store.commit('app', { units: [{ name: 'a', fingerprint: 'f', details: null, post: good.hash }], blobs: [good], build: build([['a', 'No']]) });

    raw().prepare('UPDATE blobs SET bytes = ? WHERE hash = ?').run(Buffer.from('evil object'), good.hash);
    expect(store.hasBlob(good.hash)).toBe(true);
    expect(store.readBlob(good.hash)).toBeUndefined();
    expect(store.hasBlob(good.hash)).toBe(false);
    expect(store.units('app').get('a')!.post).toBeUndefined();
    expect(store.readBlob(good.hash)).toBeUndefined();
    expect(store.stats()).toMatchObject({ corrupt: 1, bytes: 0 });
  });

  it('refuses a cache written by a newer codegend and leaves the file untouched', () => {
    const future = raw();
    future.exec('CREATE TABLE future_things (x)');
    future.pragma('user_version = 7');
    future.close();
    const before = readFileSync(join(dir, 'cache.db'));

    expect(() => open()).toThrow(CacheError);
    expect(() => open()).toThrow(/newer codegend \(schema 7\).*codegend clean.*--cache DIR/);
    expect(() => open({ readonly: true })).toThrow(/newer codegend \(schema 7\)/);
    expect(readFileSync(join(dir, 'cache.db')).equals(before)).toBe(true);
  });

  it('moves a file that is not a database aside and starts fresh', () => {
    const garbage = randomBytes(8192);
    writeFileSync(join(dir, 'cache.db'), garbage);
    writeFileSync(join(dir, 'cache.db-wal'), 'stale wal');
    writeFileSync(join(dir, 'cache.db.corrupt-1'), 'an earlier one');

    const store = open();
    expect(store.warnings).toHaveLength(1);
    expect(store.warnings[0]).toMatch(/cache\.db is not a valid database; moved it to .*cache\.db\.corrupt-2/);
    expect(readFileSync(join(dir, 'cache.db.corrupt-2')).equals(garbage)).toBe(true);
    expect(readFileSync(join(dir, 'cache.db.corrupt-2-wal'), 'utf8')).toBe('stale wal');
    expect(readFileSync(join(dir, 'cache.db.corrupt-1'), 'utf8')).toBe('an earlier one');

    store.commit('app', postUnits({ a: 'fresh' }));
    expect(text(store.readBlob(blob('post', 'fresh').hash))).toBe('fresh');
    expect(open().warnings).toEqual([]);
  });

  it('moves aside a SQLite file whose pages are garbage', () => {
    open().commit('app', postUnits({ a: 'a' }));
    opened.pop()!.close();
    const path = join(dir, 'cache.db');
    const damaged = readFileSync(path);
    randomBytes(4096 - 100).copy(damaged, 100); // keep the header, ruin the schema page
    writeFileSync(path, damaged);

    expect(() => open({ readonly: true })).toThrow(/is damaged.*codegend clean/);
    const store = open();
    expect(store.warnings[0]).toMatch(/is not a valid database; moved it to .*cache\.db\.corrupt-1/);
    expect(readFileSync(join(dir, 'cache.db.corrupt-1')).equals(damaged)).toBe(true);
    expect(store.units('app').size).toBe(0);
  });

  it('refuses to read a garbage file when opened read-only, leaving it in place', () => {
    writeFileSync(join(dir, 'cache.db'), 'not a database at all');
    expect(() => open({ readonly: true })).toThrow(/is not a valid database/);
    expect(readFileSync(join(dir, 'cache.db'), 'utf8')).toBe('not a database at all');
  });

  it('moves a SQLite file that is not a codegend cache aside', () => {
    raw().exec('CREATE TABLE someone_elses (x)');
    const store = open();
    expect(store.warnings[0]).toMatch(/is not a codegend cache; moved it to .*cache\.db\.corrupt-1/);
    expect(existsSync(join(dir, 'cache.db.corrupt-1'))).toBe(true);
  });

  it('waits for another connection\'s write lock, fails with a CacheError, and succeeds once released', () => {
    const one = open({ timeoutMs: 200 });
    const two = open({ timeoutMs: 200 });
    const holder = raw();
    holder.exec('BEGIN IMMEDIATE');

    const started = performance.now();
    expect(() => two.commit('app', postUnits({ a: 'a' }))).toThrow(CacheError);
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
    expect(() => two.commit('app', postUnits({ a: 'a' }))).toThrow(/in use by another codegend process; waited 0\.2 s/);
    expect(one.units('app').size).toBe(0); // readers are not blocked by the writer

    holder.exec('ROLLBACK');
    two.commit('app', postUnits({ a: 'a' }));
    expect([...one.units('app').keys()]).toEqual(['a']);
  });

  it('keeps the previous state when a process is killed inside a transaction', () => {
    const store = open();
    store.commit('app', postUnits({ a: 'object a', b: 'object b' }));
    const units = store.units('app');
    const stats = store.stats();
    store.close();

    const marker = join(dir, 'in-transaction');
    const sqlite = pathToFileURL(createRequire(import.meta.url).resolve('better-sqlite3')).href;
    const script = `
      import Database from ${JSON.stringify(sqlite)};
      import { writeFileSync } from 'node:fs';
      const db = new Database(${JSON.stringify(join(dir, 'cache.db'))});
      db.pragma('cache_size = 50'); // a small page cache: uncommitted pages spill into the WAL
      db.exec('BEGIN IMMEDIATE');
      db.exec('DELETE FROM units');
      db.exec('DELETE FROM blobs');
      db.prepare("INSERT INTO blobs (hash, kind, size, last_used, bytes) VALUES ('x', 'pre', 4000000, 99, ?)").run(Buffer.alloc(4000000, 7));
      db.exec('UPDATE counters SET value = value + 1000');
      writeFileSync(${JSON.stringify(marker)}, 'yes');
      process.kill(process.pid, 'SIGKILL');
    `;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(child.signal).toBe('SIGKILL');
    expect(existsSync(marker)).toBe(true);
    expect(statSync(join(dir, 'cache.db-wal')).size).toBeGreaterThan(1_000_000);

    const after = open();
    expect(after.warnings).toEqual([]);
    expect(after.units('app')).toEqual(units);
    expect(after.stats()).toEqual(stats);
    expect(text(after.readBlob(units.get('a')!.post!))).toBe('object a');
    after.commit('app', postUnits({ a: 'object a2' }));
    expect(text(after.readBlob(after.units('app').get('a')!.post!))).toBe('object a2');
  });

  it('reports exact statistics', () => {
    const store = open({ maxBytes: 1000 });
    const pre = blob('pre', 'pre-a'); // 5 bytes
    const post = blob('post', 'post-a'); // 6 bytes
    const lto = blob('lto', 'fat'); // 3 bytes
    const b1 = store.commit('app', {
      units: [{ name: 'a', fingerprint: 'f', details: null, pre: pre.hash, post: post.hash }],
      blobs: [pre, post, lto],
      keepBlobs: [lto.hash],
      build: build([['a', 'No']], 100),
    });
    const b2 = store.commit('app', {
      units: [{ name: 'a', fingerprint: 'f', details: null, pre: pre.hash, post: post.hash }],
      blobs: [],
      keepBlobs: [lto.hash],
      build: { ...build([['a', 'PreLto']], 200), ok: false },
    });
    const b3 = store.commit('lib', postUnits({ x: 'xx', y: 'yyy' }, 'PostLto'));
    expect(store.stats()).toEqual({
      dir,
      schema: 1,
      entries: 3,
      blobs: [
        { kind: 'pre', count: 1, bytes: 5 },
        { kind: 'post', count: 3, bytes: 11 },
        { kind: 'lto', count: 1, bytes: 3 },
      ],
      bytes: 19,
      maxBytes: 1000,
      hits: [
        { kind: 'PreLto', count: 1 },
        { kind: 'PostLto', count: 2 },
      ],
      misses: 1,
      corrupt: 0,
      evicted: 0,
      crates: ['app', 'lib'],
      recent: [
        { crate: 'lib', id: b3.id, startedAt: 1000, ms: 12.5, ok: true, units: 2, compiled: 0, reusedPre: 0, reusedPost: 2 },
        { crate: 'app', id: b2.id, startedAt: 200, ms: 12.5, ok: false, units: 1, compiled: 0, reusedPre: 1, reusedPost: 0 },
        { crate: 'app', id: b1.id, startedAt: 100, ms: 12.5, ok: true, units: 1, compiled: 1, reusedPre: 0, reusedPost: 0 },
      ],
    });
  });

  it('keeps the last 200 builds of each crate', () => {
    const store = open();
    const change = postUnits({ a: 'a' });
    for (let i = 0; i < 205; i++) store.commit('app', { ...change, build: build([['a', 'No']], i) });
    store.commit('lib', postUnits({ b: 'b' }));
    const history = store.builds('app', 1000);
    expect(history).toHaveLength(200);
    expect(history[0]!.startedAt).toBe(204);
    expect(history[199]!.startedAt).toBe(5);
    expect(store.builds('lib', 1000)).toHaveLength(1);
    expect(store.stats().recent).toHaveLength(10);
  });

  it('cleans one crate or everything', () => {
    const store = open();
    store.commit('app', postUnits({ a: 'a' }));
    store.commit('lib', postUnits({ b: 'b', c: 'c' }));
    store.clean('app');
    expect(store.units('app').size).toBe(0);
    expect(store.lastBuild('app')).toBeUndefined();
    expect(store.hasBlob(blob('post', 'a').hash)).toBe(false);
    expect(store.units('lib').size).toBe(2);
    expect(store.stats()).toMatchObject({ crates: ['lib'], entries: 2, misses: 3 });

    store.clean();
    expect(store.stats()).toMatchObject({ crates: [], entries: 0, bytes: 0, misses: 0, recent: [] });
    expect(existsSync(join(dir, 'cache.db'))).toBe(true);
    store.commit('lib', postUnits({ b: 'b' }));
    expect(store.units('lib').size).toBe(1);
  });

  it('refuses a blob whose hash does not match its bytes, changing nothing', () => {
    const store = open();
    store.commit('app', postUnits({ a: 'a' }));
    const change = postUnits({ b: 'b' });
    change.blobs[0] = { ...change.blobs[0]!, bytes: new TextEncoder().encode('not b') };
    expect(() => store.commit('app', change)).toThrow(/does not match the SHA-256/);
    expect([...store.units('app').keys()]).toEqual(['a']);
  });

  it('opens read-only without creating anything', () => {
    const missing = join(dir, 'nowhere');
    expect(() => open({ readonly: true }, missing)).toThrow(new CacheError(`There is no cache at ${missing}.`));
    expect(existsSync(missing)).toBe(false);

    open().commit('app', postUnits({ a: 'a' }));
    const reader = open({ readonly: true });
    expect([...reader.units('app').keys()]).toEqual(['a']);
    expect(reader.stats().entries).toBe(1);
    expect(() => reader.commit('app', postUnits({ b: 'b' }))).toThrow(/opened read-only/);
    expect(() => reader.clean()).toThrow(CacheError);
  });

  it('reports a directory it cannot create as a CacheError naming it', () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const target = join(file, 'cache');
    expect(() => open({}, target)).toThrow(CacheError);
    expect(() => open({}, target)).toThrow(`Cannot create the cache directory ${target}`);
  });

  it('throws a CacheError, not a SQLite error, once closed', () => {
    const store = open();
    store.close();
    expect(() => store.units('app')).toThrow(CacheError);
    expect(() => store.readBlob('x')).toThrow(/is closed/);
  });
});
