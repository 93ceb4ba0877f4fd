// Crash safety of the incremental cache, with the bundled CLI as real processes:
// builds killed with SIGKILL at seeded random points (from process start to the link and
// the commit), a blob corrupted on disk, and two processes sharing one cache. After each,
// a build must succeed, say nothing unexpected and produce exactly what a build without
// the cache produces (`ar D` makes static libraries byte-comparable). The last test
// replays, with two sessions in one process, the interleaving of two builds' commits
// that loses a work product.

import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IncrementalSession } from '../../src/incr/session.js';
import { blobHash, type BuildRecord, type UnitRecord, WorkProductStore } from '../../src/incr/store.js';
import { generatedCrateMir } from '../support/generated-crate.js';
import { differingMembers, Rng } from '../support/mir-edits.js';
import { REPO_ROOT } from '../support/paths.js';

// Small crates keep a build near a second; specs differ from every other test file's.
const SPEC = { fns: 48, modules: 6, seed: 7 };
const MUTATE = 20;
const KILLS = 50;
const THIN_KILLS = 10;

const ROOT = mkdtempSync(join(tmpdir(), 'codegend-crash-'));
let CLI = '';
/** The two variants' MIR text: the crate and its `--mutate` edit of one function. */
let variants: [string, string];
let mainRs = '';
/** The clean (`--no-cache`) static library of each variant, per LTO mode. */
const clean = new Map<string, Buffer>();

interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

interface Started {
  child: ChildProcess;
  exited: boolean;
  done: Promise<Run>;
}

/** Starts the CLI in its own process group, so a kill takes its `opt`/`llc`/`ar` children too. */
function start(args: string[]): Started {
  const t0 = performance.now();
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const s: Started = {
    child,
    exited: false,
    done: new Promise<Run>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr, ms: performance.now() - t0 }));
    }),
  };
  child.on('exit', () => (s.exited = true));
  return s;
}

function cli(args: string[]): Promise<Run> {
  return start(args).done;
}

/** SIGKILL to the build's whole process group; false when it had already exited. */
function kill(s: Started): boolean {
  if (s.exited || s.child.pid === undefined) return false;
  try {
    process.kill(-s.child.pid, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface BuildJson {
  ok: boolean;
  cgus: { name: string; reuse: 'No' | 'PreLto' | 'PostLto'; reasons?: string[] }[];
  warnings: string[];
}

function parseJson(r: Run): BuildJson {
  try {
    return JSON.parse(r.stdout) as BuildJson;
  } catch {
    throw new Error(`the build printed no JSON (status ${r.status}, signal ${r.signal}):\n${r.stdout}\n${r.stderr}`);
  }
}

/** A work directory holding `crash.mir` (the variant asked for) and the crate's `main.rs`. */
function workDir(name: string): string {
  const dir = join(ROOT, name);
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, 'main.rs'))) writeFileSync(join(dir, 'main.rs'), mainRs);
  return dir;
}

function place(dir: string, variant: 0 | 1): string {
  const path = join(dir, 'crash.mir');
  writeFileSync(path, variants[variant]);
  return path;
}

function buildArgs(mir: string, out: string, cache: string | undefined, lto: 'off' | 'thin'): string[] {
  return ['build', mir, '-o', out, '--emit', 'staticlib', '--lto', lto, ...(cache ? ['--cache', cache] : ['--no-cache']), '--json'];
}

/** Asserts a finished build succeeded silently and produced the clean build's bytes. */
function expectClean(r: Run, out: string, variant: 0 | 1, lto: 'off' | 'thin', context: string): BuildJson {
  expect(r.status, `${context}\n${r.stderr}`).toBe(0);
  const json = parseJson(r);
  expect(json.ok, context).toBe(true);
  expect(json.warnings, context).toEqual([]);
  expect(r.stderr, context).toBe('');
  const got = readFileSync(out);
  const want = clean.get(`${lto}/${variant}`)!;
  if (!got.equals(want)) {
    copyFileSync(out, `${out}.mismatch`);
    expect.fail(`${context}: the output differs from the clean build in ${differingMembers(got, want).join(', ')} (kept ${out}.mismatch)`);
  }
  return json;
}

beforeAll(async () => {
  // A private copy of the bundle: cli.test.ts may re-bundle dist/ while these tests run.
  // better-sqlite3 stays external, found through a node_modules link beside the copy.
  const bundle = join(REPO_ROOT, 'dist/codegend.mjs');
  if (!existsSync(bundle)) throw new Error('dist/codegend.mjs is missing: run `node scripts/bundle.mjs` first');
  mkdirSync(join(ROOT, 'cli'));
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(ROOT, 'node_modules'));
  CLI = join(ROOT, 'cli', 'codegend.mjs');
  for (let attempt = 0; ; attempt++) {
    copyFileSync(bundle, CLI);
    const r = await cli(['--version']);
    if (r.status === 0) break;
    if (attempt === 5) throw new Error(`the bundled CLI does not start:\n${r.stderr}`);
    await sleep(1000);
  }

  const basePath = generatedCrateMir(SPEC);
  variants = [readFileSync(basePath, 'utf8'), readFileSync(generatedCrateMir({ ...SPEC, mutate: MUTATE }), 'utf8')];
  mainRs = readFileSync(join(dirname(basePath), 'main.rs'), 'utf8');
  expect(variants[0]).not.toBe(variants[1]);

  const dir = workDir('clean');
  for (const lto of ['off', 'thin'] as const) {
    for (const v of [0, 1] as const) {
      const out = join(ROOT, `clean-${lto}-${v}.a`);
      const r = await cli(buildArgs(place(dir, v), out, undefined, lto));
      expect(r.status, r.stderr).toBe(0);
      clean.set(`${lto}/${v}`, readFileSync(out));
    }
  }
  expect(clean.get('off/0')!.equals(clean.get('off/1')!)).toBe(false);
}, 300_000);

afterAll(() => rmSync(ROOT, { recursive: true, force: true }));

/**
 * Kills `count` builds at seeded random points and completes each with a second build.
 * Delays are spread over the measured duration of the build being killed (a cold one
 * when the cache was just wiped): some in the first 150 ms (process start, opening the
 * cache), some in the last quarter, some just after the output appears (`ar` runs right
 * before the commit) or the cache's WAL file first grows (inside the commit
 * transaction), the rest uniform. Every tenth killed build is a cold one.
 */
async function killLoop(lto: 'off' | 'thin', count: number, seed: number): Promise<string> {
  const dir = workDir(`kill-${lto}`);
  const cache = join(ROOT, `cache-${lto}`);
  const out = join(ROOT, `out-${lto}.a`);
  const wal = join(cache, 'cache.db-wal');
  const rng = new Rng(seed);

  // Measure a cold build and an incremental one (one unit to rebuild).
  const cold = await cli(buildArgs(place(dir, 0), out, cache, lto));
  expectClean(cold, out, 0, lto, `${lto}: the cold build`);
  const warm = await cli(buildArgs(place(dir, 1), out, cache, lto));
  expectClean(warm, out, 1, lto, `${lto}: the first incremental build`);
  const coldMs = cold.ms;
  let incMs = warm.ms;

  const stats = { killed: 0, finished: 0, early: 0, late: 0, wal: 0, output: 0, uniform: 0, triggered: 0, coldKills: 0, killedAfterCommit: 0 };
  for (let i = 0; i < count; i++) {
    const variant = (i % 2) as 0 | 1;
    const wipe = i % 10 === 9;
    if (wipe) rmSync(cache, { recursive: true, force: true });
    const window = wipe ? coldMs : incMs;
    const r = rng.float();
    const mode = r < 0.15 ? 'early' : r < 0.35 ? 'late' : r < 0.5 ? 'wal' : r < 0.65 ? 'output' : 'uniform';
    stats[mode]++;
    if (wipe) stats.coldKills++;
    const mir = place(dir, variant);
    rmSync(out, { force: true });
    const walBefore = existsSync(wal) ? statSync(wal).size : 0;
    const b = start(buildArgs(mir, out, cache, lto));
    const t0 = performance.now();
    if (mode === 'wal' || mode === 'output') {
      // Wait for the first write to the WAL (the commit transaction; for a new cache, the
      // schema) or for the output to appear (the link, right before the commit).
      const reached = mode === 'wal' ? () => existsSync(wal) && statSync(wal).size > walBefore : () => existsSync(out);
      while (!b.exited && performance.now() - t0 < window * 3) {
        if (reached()) {
          stats.triggered++;
          break;
        }
        await sleep(1);
      }
      await sleep(rng.int(0, 5));
    } else {
      await sleep(mode === 'early' ? rng.int(0, 150) : mode === 'late' ? window * (0.75 + 0.3 * rng.float()) : window * 1.05 * rng.float());
    }
    const killedAt = performance.now() - t0;
    const hit = kill(b);
    const killedRun = await b.done;
    const killed = hit && killedRun.signal === 'SIGKILL';
    if (killed) stats.killed++;
    else {
      stats.finished++;
      expect(killedRun.status, `iteration ${i}: the build that was not killed failed\n${killedRun.stderr}`).toBe(0);
    }

    const context = `${lto} iteration ${i} (variant ${variant}, ${wipe ? 'cold, ' : ''}${mode}, killed after ${Math.round(killedAt)} ms of ~${Math.round(window)} ms)`;
    const done = await cli(buildArgs(mir, out, cache, lto));
    const json = expectClean(done, out, variant, lto, context);
    const rebuilt = json.cgus.filter((u) => u.reuse === 'No').length;
    if (rebuilt === 0 && killed) stats.killedAfterCommit++;
    if (rebuilt > 0 && !wipe) incMs = 0.7 * incMs + 0.3 * done.ms;
  }

  // The cache is whole: SQLite's own check, and the statistics command.
  const db = new Database(join(cache, 'cache.db'), { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  } finally {
    db.close();
  }
  const s = await cli(['stats', '--cache', cache, '--json']);
  expect(s.status, s.stderr).toBe(0);
  expect((JSON.parse(s.stdout) as { corrupt: number }).corrupt).toBe(0);
  // At least half the kills must have hit a running build. (A kill timed on the output
  // or the WAL can come after a short incremental build has exited, more so under load.)
  expect(stats.killed, JSON.stringify(stats)).toBeGreaterThanOrEqual(Math.ceil(count * 0.5));
  return `${lto}: ${count} kills, cold ${Math.round(coldMs)} ms, incremental ~${Math.round(incMs)} ms: ${JSON.stringify(stats)}`;
}

describe('crash safety of the cache', () => {
  it(`survives ${KILLS} SIGKILLs at random points of a build`, { timeout: 400_000 }, async () => {
    console.log(await killLoop('off', KILLS, 0x5eed07));
  });

  it(`survives ${THIN_KILLS} SIGKILLs of thin LTO builds`, { timeout: 300_000 }, async () => {
    console.log(await killLoop('thin', THIN_KILLS, 0x5eed17));
  });

  it('rebuilds a blob that fails its hash check, with a warning', { timeout: 120_000 }, async () => {
    const dir = workDir('corrupt');
    const cache = join(ROOT, 'cache-corrupt');
    const out = join(ROOT, 'out-corrupt.a');
    const mir = place(dir, 0);
    expectClean(await cli(buildArgs(mir, out, cache, 'off')), out, 0, 'off', 'the first build');

    // Find the blob table and its bytes column from the schema rather than assuming them.
    const db = new Database(join(cache, 'cache.db'));
    let unit: string;
    try {
      const tables = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table'").all() as { name: string; sql: string }[];
      expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['blobs', 'units']));
      const columns = db.prepare("SELECT name, type FROM pragma_table_info('blobs')").all() as { name: string; type: string }[];
      const data = columns.find((c) => c.type.toUpperCase() === 'BLOB')!.name;
      expect(columns.map((c) => c.name)).toEqual(expect.arrayContaining(['hash', 'kind', data]));
      const row = db
        .prepare(`SELECT u.name AS unit, b.hash AS hash, b.${data} AS bytes FROM units u JOIN blobs b ON b.hash = u.post WHERE b.kind = 'post' AND u.name LIKE '%.m3'`)
        .get() as { unit: string; hash: string; bytes: Buffer };
      expect(row, 'no post-LTO object for unit m3').toBeDefined();
      unit = row.unit;
      const bad = Buffer.from(row.bytes);
      bad[bad.length >> 1] ^= 0x5a;
      db.prepare(`UPDATE blobs SET ${data} = ? WHERE hash = ?`).run(bad, row.hash);
    } finally {
      db.close();
    }

    // The same inputs again: the corrupt object is noticed, rebuilt, and reported.
    const r = await cli(buildArgs(mir, out, cache, 'off'));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^warning: /m);
    expect(r.stderr).toContain('hash check');
    expect(r.stderr).toContain(unit);
    const json = parseJson(r);
    expect(json.cgus.filter((u) => u.reuse === 'No').map((u) => u.name)).toEqual([unit]);
    expect(readFileSync(out).equals(clean.get('off/0')!)).toBe(true);

    // The repair was saved: the next build is silent and reuses everything.
    const again = await cli(buildArgs(mir, out, cache, 'off'));
    const j = expectClean(again, out, 0, 'off', 'the build after the repair');
    expect(j.cgus.every((u) => u.reuse === 'PostLto')).toBe(true);
    const s = await cli(['stats', '--cache', cache, '--json']);
    expect(s.status, s.stderr).toBe(0);
    expect((JSON.parse(s.stdout) as { corrupt: number }).corrupt).toBe(1);
  });

  it('keeps the cache consistent with two processes building at once', { timeout: 180_000 }, async () => {
    const cache = join(ROOT, 'cache-shared');
    const dirs = [workDir('shared-a'), workDir('shared-b')];
    const outs = [join(ROOT, 'out-shared-a.a'), join(ROOT, 'out-shared-b.a')];
    // Round 1: both cold; round 2: each switches to the other's variant (one unit each,
    // whose object the other crate's unit holds), both committing at about the same time.
    for (const [round, assignment] of [[1, [0, 1]], [2, [1, 0]]] as const) {
      const mirs = dirs.map((d, i) => place(d, assignment[i]!));
      const runs = await Promise.all(mirs.map((m, i) => cli(buildArgs(m, outs[i]!, cache, 'off'))));
      runs.forEach((r, i) => expectClean(r, outs[i]!, assignment[i]!, 'off', `round ${round}, process ${i}`));
    }

    // The store is consistent: SQLite's check, no pointer to a missing blob, statistics.
    const db = new Database(join(cache, 'cache.db'), { readonly: true });
    let lost: { crate: string; name: string }[];
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const dangling = db.prepare('SELECT count(*) AS n FROM units WHERE post IS NOT NULL AND post NOT IN (SELECT hash FROM blobs)').get() as { n: number };
      expect(dangling.n).toBe(0);
      // Pseudo-units (`<front-end>`, the front end's snapshot) hold no object.
      lost = db.prepare("SELECT crate, name FROM units WHERE post IS NULL AND name NOT LIKE '<%' ORDER BY crate, name").all() as { crate: string; name: string }[];
    } finally {
      db.close();
    }
    const s = await cli(['stats', '--cache', cache, '--json']);
    expect(s.status, s.stderr).toBe(0);
    const stats = JSON.parse(s.stdout) as { crates: string[]; corrupt: number };
    expect(stats.crates).toHaveLength(2);
    expect(stats.corrupt).toBe(0);

    // Every unit kept the object its build made (see the next test for the interleaving
    // that loses one), and each crate's next build is correct, silent and fully reused.
    expect.soft(lost, 'units whose object a concurrent commit garbage-collected').toEqual([]);
    for (const [i, v] of [[0, 1], [1, 0]] as const) {
      const r = await cli(buildArgs(join(dirs[i], 'crash.mir'), outs[i], cache, 'off'));
      const json = expectClean(r, outs[i], v, 'off', `the build after the concurrent ones, process ${i}`);
      const rebuilt = json.cgus.filter((u) => u.reuse !== 'PostLto').map((u) => `${u.name}: ${u.reuse} (${(u.reasons ?? []).join('; ')})`);
      expect.soft(rebuilt, `process ${i}'s next build`).toEqual([]);
    }
  });

  // The interleaving behind a lost object, made deterministic with two sessions: each
  // build `put`s an object that is already stored (referenced by the other crate's unit),
  // so the blob is left out of its commit; the first commit then garbage-collects the
  // blob the second commit points at, and the second commit's unit loses its object.
  it('keeps a work product that another process garbage-collects between put and commit', () => {
    const dir = join(ROOT, 'cache-interleaved');
    const bytes = [new TextEncoder().encode('object of variant 0'), new TextEncoder().encode('object of variant 1')];
    const hashes = bytes.map((b) => blobHash(b));
    const record = (): BuildRecord => ({ inputHash: 'in', options: {}, startedAt: 0, ms: 0, ok: true, units: [{ name: 'u', reuse: 'No', items: 1, ms: 0, reason: [] }] });
    const unit = (post: string): UnitRecord => ({ name: 'u', fingerprint: post, details: null, post });

    // Crate x's unit holds object 0, crate y's object 1.
    for (const [crate, v] of [['x', 0], ['y', 1]] as const) {
      const s = IncrementalSession.open(dir, crate);
      s.commit([unit(s.put('post', bytes[v]!))], record());
      s.close();
    }
    // Each switches to the other's variant: both builds start, both put, then both commit.
    const x = IncrementalSession.open(dir, 'x');
    const y = IncrementalSession.open(dir, 'y');
    try {
      const xPost = x.put('post', bytes[1]!);
      const yPost = y.put('post', bytes[0]!);
      x.commit([unit(xPost)], record());
      y.commit([unit(yPost)], record());
      expect([...x.warnings, ...y.warnings]).toEqual([]);
    } finally {
      x.close();
      y.close();
    }
    const store = WorkProductStore.open(dir, { readonly: true });
    try {
      expect(store.units('x').get('u')?.post).toBe(hashes[1]);
      expect(store.units('y').get('u')?.post, "crate y's unit lost the object its build committed").toBe(hashes[0]);
      expect(store.readBlob(hashes[0]!)).toEqual(Buffer.from(bytes[0]!));
    } finally {
      store.close();
    }
  });
});
