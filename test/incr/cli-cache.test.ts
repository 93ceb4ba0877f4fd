// The incremental cache through the bundled CLI, as a user meets it: the default cache
// beside the input, reuse reported by `--json`, `explain`, `stats`, `clean`, LTO modes,
// `--verify-incremental`, and a cache that cannot be written.

import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS_DIR, REPO_ROOT } from '../support/paths.js';

const CLI = join(REPO_ROOT, 'dist/codegend.mjs');
const NAME = 't4_dyn_traits';
let dir: string;
let mir: string;
/** What the edited program prints (a clean build of the edited MIR, made once). */
let editedOutput: string;

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Report {
  ok: boolean;
  frontEnd: string;
  cgus: { name: string; reuse: string; items: number; ms: number; reasons: string[] }[];
  warnings: string[];
}

function build(...extra: string[]): Report {
  const r = cli('build', mir, '-o', join(dir, 'prog'), '--json', '--cgus', '4', ...extra);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Report;
}

const reuses = (r: Report) => r.cgus.map((u) => u.reuse);
const programOutput = () => spawnSync(join(dir, 'prog'), [], { encoding: 'latin1' }).stdout;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'codegend-cli-cache-'));
  mir = join(dir, `${NAME}.mir`);
  copyFileSync(join(CORPUS_DIR, `${NAME}.mir`), mir);
  copyFileSync(join(CORPUS_DIR, `${NAME}.rs`), join(dir, `${NAME}.rs`));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the incremental cache from the CLI', () => {
  const expected = () => readFileSync(join(CORPUS_DIR, `${NAME}.stdout`), 'latin1');

  it('builds into .codegend/ beside the input, then reuses every unit', () => {
    const cold = build();
    expect(existsSync(join(dir, '.codegend', 'cache.db'))).toBe(true);
    expect(new Set(reuses(cold))).toEqual(new Set(['No']));
    expect(cold.cgus.at(-1)!.name).toBe(`${NAME}.runtime`);
    expect(programOutput()).toBe(expected());
    const warm = build();
    expect(new Set(reuses(warm))).toEqual(new Set(['PostLto']));
    expect(warm.cgus.map((u) => [u.name, u.items])).toEqual(cold.cgus.map((u) => [u.name, u.items]));
    expect(programOutput()).toBe(expected());
  });

  it('rebuilds only the unit of an edited function and says why', () => {
    const text = readFileSync(mir, 'utf8');
    // `main` builds a `Position { qty: 7 }`: make it 8.
    const edited = text.replace('qty: const 7_u32 }', 'qty: const 8_u32 }');
    expect(edited).not.toBe(text);
    writeFileSync(mir, edited);
    const r = build();
    // Only a literal changed: the last build's front end is reused, the body re-checked.
    expect(r.frontEnd).toBe('incremental');
    const rebuilt = r.cgus.filter((u) => u.reuse === 'No');
    expect(rebuilt).toHaveLength(1);
    expect(rebuilt[0]!.reasons).toEqual(['the body of `main` changed']);
    expect(r.cgus.filter((u) => u.reuse === 'PostLto')).toHaveLength(r.cgus.length - 1);
    editedOutput = programOutput();
    expect(editedOutput).not.toBe(expected());
    expect(cli('build', mir, '-o', join(dir, 'prog'), '--no-cache').status).toBe(0);
    expect(programOutput()).toBe(editedOutput);

    const explained = cli('explain', 'main');
    expect(explained.status).toBe(0);
    expect(explained.stdout).toContain(`${rebuilt[0]!.name}: rebuilt (holds main)`);
    expect(explained.stdout).toContain('- the body of `main` changed');
    expect(explained.stdout).toContain('  front end: incremental\n');
    const json = JSON.parse(cli('explain', '--json').stdout) as { units: { name: string; reuse: string }[] };
    expect(json.units.map((u) => u.reuse)).toEqual(reuses(r));
    expect(cli('explain', 'no_such_function').status).toBe(1);
  });

  it('comment and whitespace edits reuse everything', () => {
    writeFileSync(mir, `// an added comment\n${readFileSync(mir, 'utf8').replace(/\n {4}bb0: \{/g, '\n\n    bb0:   {')}`);
    const r = build();
    expect(r.frontEnd).toBe('skipped');
    expect(new Set(reuses(r))).toEqual(new Set(['PostLto']));
  });

  it('stats counts entries, hits and misses, and lists recent builds', () => {
    const r = cli('stats', '--cache', join(dir, '.codegend'), '--json');
    expect(r.status).toBe(0);
    const s = JSON.parse(r.stdout) as { entries: number; misses: number; hits: { kind: string; count: number }[]; recent: unknown[]; crates: string[] };
    const units = build().cgus.length;
    // Every unit, and the front end's snapshot.
    expect(s.entries).toBe(units + 1);
    expect(s.crates).toHaveLength(1);
    expect(s.misses).toBe(units + 1);
    expect(s.hits.find((h) => h.kind === 'PostLto')!.count).toBe(2 * units + units - 1);
    expect(s.recent).toHaveLength(4);
    const text = cli('stats', '--cache', join(dir, '.codegend'));
    expect(text.stdout).toMatch(/Hits \(PostLto\)\s+\d+/);
    expect(text.stdout).toContain('Recent builds:');
  });

  it('fat and thin LTO reuse pre-LTO modules and behave the same', () => {
    for (const lto of ['fat', 'thin']) {
      expect(new Set(reuses(build('--lto', lto)))).toEqual(new Set(['No']));
      expect(programOutput()).toBe(editedOutput);
      expect(new Set(reuses(build('--lto', lto)))).toEqual(new Set([lto === 'fat' ? 'PreLto' : 'PostLto']));
      expect(programOutput()).toBe(editedOutput);
    }
  });

  it('--verify-incremental recompiles reused units and finds them identical', () => {
    build();
    const r = build('--verify-incremental');
    expect(new Set(reuses(r))).toEqual(new Set(['PostLto']));
    expect(r.ok).toBe(true);
  });

  it('clean empties the cache', () => {
    const r = cli('clean', mir);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('removed the work products of');
    expect(new Set(reuses(build()))).toEqual(new Set(['No']));
  });

  it('a build that reuses everything reports the last build\'s warnings again', () => {
    // Without its Rust source beside it, t3_state_machine's enum order is a guess, with a warning.
    const sub = mkdtempSync(join(dir, 'warn-'));
    const file = join(sub, 't3_state_machine.mir');
    copyFileSync(join(CORPUS_DIR, 't3_state_machine.mir'), file);
    const warnings = (r: { stderr: string }) => r.stderr.split('\n').filter((l) => /^.*: warning: /.test(l));
    const first = cli('build', file, '-o', join(sub, 'p'));
    expect(first.status).toBe(0);
    expect(warnings(first).length).toBeGreaterThan(0);
    const again = cli('build', file, '-o', join(sub, 'p'), '--json');
    expect((JSON.parse(again.stdout) as Report).cgus.every((u) => u.reuse === 'PostLto')).toBe(true);
    expect(warnings(again)).toEqual(warnings(first));
  });

  it('--cache-size caps the cache, evicting the least recently used work products of other crates', () => {
    const cache = mkdtempSync(join(dir, 'capped-'));
    const other = join(cache, 't1_fib_rec.mir');
    copyFileSync(join(CORPUS_DIR, 't1_fib_rec.mir'), other);
    expect(cli('build', mir, '-o', join(dir, 'prog'), '--cache', cache).status).toBe(0);
    const before = JSON.parse(cli('stats', '--cache', cache, '--json').stdout) as { bytes: number; evicted: number };
    expect(before.bytes).toBeGreaterThan(0);
    expect(before.evicted).toBe(0);
    expect(cli('build', other, '-o', join(dir, 'fib'), '--cache', cache, '--cache-size', '64K').status).toBe(0);
    const after = JSON.parse(cli('stats', '--cache', cache, '--json').stdout) as { bytes: number; evicted: number };
    expect(after.bytes).toBeLessThanOrEqual(64 * 1024);
    expect(after.evicted).toBeGreaterThan(0);
    expect(cli('build', other, '-o', join(dir, 'fib'), '--cache-size', '5').stderr).toContain('--cache-size needs a size of at least 64K');
  });

  it('several processes can start on a new cache at once', async () => {
    const cache = join(dir, 'shared-new');
    const fib = join(dir, 't1_fib_rec.mir');
    copyFileSync(join(CORPUS_DIR, 't1_fib_rec.mir'), fib);
    const runs = await Promise.all(
      [0, 1, 2, 3, 4].map(
        (i) =>
          new Promise<{ status: number | null; stderr: string }>((done) => {
            const p = spawn(process.execPath, [CLI, 'build', fib, '-o', join(dir, `fib-${i}`), '--cache', cache], { cwd: dir });
            let stderr = '';
            p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
            p.on('exit', (status) => done({ status, stderr }));
          }),
      ),
    );
    for (const r of runs) {
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
    }
  });

  it('a cache that cannot be created is a warning, not a failure', () => {
    const blocker = join(dir, 'not-a-dir');
    writeFileSync(blocker, '');
    const r = cli('build', mir, '-o', join(dir, 'prog'), '--cache', join(blocker, 'cache'));
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^warning: .*building without the incremental cache/m);
    expect(programOutput()).toBe(editedOutput);
  });
});
