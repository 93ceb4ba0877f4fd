// The daemon over its Unix socket, with real processes and files: two clients connect,
// a source file is edited on disk, and the watcher's rebuild compiles only the unit that
// holds the edited function; both clients see its progress and its result, and the
// cache statistics and the explanation reflect it. Also: the socket is the owner's
// alone, the CLI finds the daemon, and `codegend/shutdown` stops it cleanly.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildFinishedParams, CacheStatsResult, ExplainResult, StatusResult, UnitsResult } from '../../server/protocol.js';
import { CORPUS_DIR } from '../support/paths.js';
import { CLI, corpusWorkspace, type DaemonProcess, socketClient, startDaemon, type TestClient } from '../support/daemon.js';

const PROGRAM = 't4_dyn_traits';
let root: string;
let daemon: DaemonProcess;
let a: TestClient;
let b: TestClient;

beforeAll(async () => {
  root = corpusWorkspace([PROGRAM], { sources: ['*.mir'], output: 'out/prog', cgus: 4 });
  daemon = await startDaemon(root, ['--socket', join(root, 'daemon.sock')]);
  a = await socketClient(daemon.socket);
  b = await socketClient(daemon.socket);
});

afterAll(async () => {
  a?.close();
  b?.close();
  if (daemon && daemon.child.exitCode === null) daemon.child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

describe('the daemon over a socket', () => {
  it('listens on an owner-only socket and records where', () => {
    expect(statSync(daemon.socket).mode & 0o777).toBe(0o600);
    // The CLI finds a socket anywhere through the record.
    const record = JSON.parse(readFileSync(join(root, '.codegend', 'daemon.json'), 'utf8')) as { pid: number; socket: string };
    expect(record).toMatchObject({ pid: daemon.child.pid, socket: join(root, 'daemon.sock') });
  });

  it('rebuilds only the dirty unit when a source changes on disk, and tells every client', async () => {
    // The build at start (or this one, coalesced with it) leaves everything compiled.
    const first = await a.request<BuildFinishedParams>('codegend/build', {});
    expect(first.ok, JSON.stringify(first.errors)).toBe(true);
    expect(spawnSync(join(root, 'out', 'prog'), { encoding: 'latin1' }).status).toBe(Number(readFileSync(join(CORPUS_DIR, `${PROGRAM}.exit`), 'utf8')));
    const seenA = a.finished.length;
    const seenB = b.finished.length;

    const file = join(root, `${PROGRAM}.mir`);
    writeFileSync(file, readFileSync(file, 'utf8').replace('qty: const 7_u32 }', 'qty: const 9_u32 }'));
    const edit = await a.waitFor('the watcher\'s build', () => a.finished.slice(seenA).find((f) => f.trigger === 'watch'));
    expect(edit.ok, JSON.stringify(edit)).toBe(true);
    const rebuilt = edit.cgus.filter((u) => u.reuse === 'No');
    expect(rebuilt.map((u) => u.reasons)).toEqual([['the body of `main` changed']]);
    expect(edit.cgus.filter((u) => u.reuse !== 'No').every((u) => u.reuse === 'PostLto')).toBe(true);
    expect(edit.frontEnd).toBe('incremental');

    // The other client saw the same build, and both saw its progress from begin to end.
    const other = await b.waitFor('the same build at the other client', () => b.finished.slice(seenB).find((f) => f.buildId === edit.buildId));
    expect(other).toEqual(edit);
    for (const c of [a, b]) {
      const token = `codegend/build/${edit.buildId}`;
      const kinds = c.progress.filter((p) => p.token === token).map((p) => p.value.kind);
      expect(kinds[0]).toBe('begin');
      expect(kinds).toContain('report');
      expect(kinds[kinds.length - 1]).toBe('end');
      expect(c.progress.some((p) => p.token === token && p.value.message === `unit 1/1 (${rebuilt[0]!.name})`)).toBe(true);
    }

    // The statistics count the reuse, and the explanation names the edit.
    const stats = await b.request<CacheStatsResult>('codegend/cacheStats');
    expect(stats.entries).toBeGreaterThan(0);
    expect(stats.hits.find((h) => h.kind === 'PostLto')!.count).toBeGreaterThanOrEqual(edit.cgus.length - 1);
    expect(stats.history[0]).toMatchObject({ ok: true, compiled: 1 });
    const why = await a.request<ExplainResult>('codegend/explain', { target: 'main' });
    expect(why.units).toHaveLength(1);
    expect(why.units[0]).toMatchObject({ name: rebuilt[0]!.name, reuse: 'No', reasons: ['the body of `main` changed'] });
    expect(why.text).toContain('front end: incremental');

    // Units and their items, with fingerprints and locations.
    const units = await b.request<UnitsResult>('codegend/units');
    const holding = units.units.find((u) => u.name === rebuilt[0]!.name)!;
    const main = holding.items.find((i) => i.key === 'main')!;
    expect(main.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(main.location).toMatchObject({ file, line: 1715 });
    expect(spawnSync(join(root, 'out', 'prog'), { encoding: 'latin1' }).stdout).toContain('9');
  });

  it('keeps the last good output when an edit breaks the build', async () => {
    const file = join(root, `${PROGRAM}.mir`);
    const good = readFileSync(file, 'utf8');
    const seen = a.finished.length;
    writeFileSync(file, good.replace('fn catalog_value(_1: u32) -> i64 {', 'fn catalog_value(_1: u32) -> i64 {\n    let mut _0: bogus;'));
    const broken = await a.waitFor('the failed build', () => a.finished.slice(seen).find((f) => f.trigger === 'watch'));
    expect(broken.ok).toBe(false);
    expect(broken.diagnostics.length).toBeGreaterThan(0);
    expect(broken.keptLastGood).toBe(true);
    expect(existsSync(join(root, 'out', 'prog'))).toBe(true);
    const status = await b.request<StatusResult>('codegend/status');
    expect(status).toMatchObject({ health: 'ok', building: false, clients: 2, lastBuild: { ok: false } });
    const again = a.finished.length;
    writeFileSync(file, good);
    const fixed = await a.waitFor('the repaired build', () => a.finished.slice(again).find((f) => f.trigger === 'watch'));
    expect(fixed.ok).toBe(true);
  });

  it('serves the CLI, which finds it through the workspace', () => {
    const r = spawnSync(process.execPath, [CLI, 'build', '--json'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as BuildFinishedParams;
    expect(report.buildId).toBeGreaterThan(0); // only the daemon numbers builds
    expect(report.cgus.every((u) => u.reuse === 'PostLto')).toBe(true);
  });

  it('answers bad requests with errors and stays up', async () => {
    await expect(a.request('codegend/noSuchMethod', {})).rejects.toMatchObject({ code: -32601 });
    await expect(a.request('codegend/explain', { target: 42 })).rejects.toMatchObject({ code: -32602 });
    await expect(a.request('codegend/explain', { target: 'x'.repeat(100_000) })).rejects.toMatchObject({ code: -32602 });
    await expect(a.request('codegend/emit', { function: 'no_such_function' })).rejects.toMatchObject({ code: -32600 });
    expect((await b.request<StatusResult>('codegend/status')).health).toBe('ok');
  });

  it('stops on codegend/shutdown and removes its socket', async () => {
    await b.request('codegend/shutdown');
    expect(await daemon.exited).toBe(0);
    expect(existsSync(daemon.socket)).toBe(false);
    expect(existsSync(join(root, '.codegend', 'daemon.json'))).toBe(false);
  });
});
