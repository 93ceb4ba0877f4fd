// The bundled `codegend` CLI as users run it: a child process over dist/codegend.mjs,
// checking exit codes and what goes to stdout and stderr.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CORPUS_DIR, FIXTURES, REPO_ROOT } from './support/paths.js';

const CLI = join(REPO_ROOT, 'dist/codegend.mjs');

// Builds default to a cache beside their input, which for the corpus is not ours to write.
const CACHE = mkdtempSync(join(tmpdir(), 'codegend-cli-cache-'));

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const builds = (args[0] === 'build' || args[0] === 'run') && !args.includes('--cache') && !args.includes('--no-cache');
  const r = spawnSync(process.execPath, [CLI, ...args, ...(builds ? ['--cache', CACHE] : [])], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

afterAll(() => rmSync(CACHE, { recursive: true, force: true }));

describe('codegend CLI', () => {
  it('check on a valid corpus file prints nothing and exits 0', () => {
    const r = run('check', join(CORPUS_DIR, 't1_bitops.mir'));
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
  });

  it('check on an invalid file prints the diagnostic with source and caret, exits 1', () => {
    const file = join(FIXTURES, 'mir/invalid/missing-semi.mir');
    const r = run('check', file);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n');
    expect(lines[0]).toBe(`${file}:6:39: error: expected \`;\`, found \`return\``);
    expect(lines).toContain('6 |         _0 = Mul(copy _1, const 2_u64)');
    expect(lines).toContain('  |                                       ^');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).not.toMatch(/internal error/);
  });

  it('check on a missing file exits 1 with a clear message', () => {
    const r = run('check', 'no/such/file.mir');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('cannot read no/such/file.mir: no such file');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('an unknown command exits 2', () => {
    const r = run('frobnicate');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
  });

  it('--help exits 0 and mentions check', () => {
    const r = run('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/codegend check/);
  });

  it('build --json produces a working executable and describes the units', () => {
    const dir = mkdtempSync(join(tmpdir(), 'codegend-cli-'));
    try {
      const exe = join(dir, 'fib');
      const r = run('build', join(CORPUS_DIR, 't1_fib_rec.mir'), '-o', exe, '--json', '--cgus', '2', '--no-cache');
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const report = JSON.parse(r.stdout) as { ok: boolean; output: string; cgus: { name: string; reuse: string; items: number }[] };
      expect(report.ok).toBe(true);
      expect(report.output).toBe(exe);
      expect(report.cgus.length).toBeGreaterThanOrEqual(1);
      // Two units at most, and the runtime module.
      expect(report.cgus.length).toBeLessThanOrEqual(3);
      for (const u of report.cgus) expect(u).toMatchObject({ name: expect.stringMatching(/^t1_fib_rec\./), reuse: 'No' });
      const program = spawnSync(exe, [], { encoding: 'latin1' });
      expect(program.stdout).toBe(readFileSync(join(CORPUS_DIR, 't1_fib_rec.stdout'), 'latin1'));
      expect(program.status).toBe(59);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('build --emit staticlib and obj write an archive and a relocatable object', () => {
    const dir = mkdtempSync(join(tmpdir(), 'codegend-cli-'));
    try {
      const lib = join(dir, 'libx.a');
      expect(run('build', join(CORPUS_DIR, 't1_loops.mir'), '-o', lib, '--emit', 'staticlib').status).toBe(0);
      expect(readFileSync(lib).subarray(0, 8).toString('latin1')).toBe('!<arch>\n');
      const obj = join(dir, 'x.o');
      expect(run('build', join(CORPUS_DIR, 't1_loops.mir'), '-o', obj, '--emit', 'obj').status).toBe(0);
      const head = readFileSync(obj);
      expect(head.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
      expect(head.readUInt16LE(16)).toBe(1); // ET_REL
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('run passes the program its exit status', () => {
    const r = run('run', join(FIXTURES, 'run-pass/loops-and-calls.mir'));
    expect(r.stdout).toBe(readFileSync(join(FIXTURES, 'run-pass/loops-and-calls.stdout'), 'utf8'));
    expect(r.status).toBe(101);
  });

  it('emit prints the LLVM IR of one function', () => {
    const r = run('emit', join(CORPUS_DIR, 't1_fib_rec.mir'), '--fn', 'gcd', '--form', 'llvm-ir');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^define .*@_ZN10t1_fib_rec3gcd17h[0-9a-f]{16}E\(i64 %0, i64 %1\)/);
    expect(r.stdout).toMatch(/\n}\n?$/);
    const missing = run('emit', join(CORPUS_DIR, 't1_fib_rec.mir'), '--fn', 'no_such_fn');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('no function `no_such_fn`');
  });

  it('build reports MIR it cannot lower at its location, without a stack trace', () => {
    const r = run('build', join(FIXTURES, 'cli/unsupported-tail-call.mir'), '-o', join(tmpdir(), 'never-written'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/unsupported-tail-call\.mir:\d+:\d+: error: tail calls \(`become`\) are not supported yet/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('build reports a value that names nothing at its location', () => {
    const r = run('build', join(FIXTURES, 'cli/unknown-value.mir'), '-o', join(tmpdir(), 'never-written'));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('unknown-value.mir:18:9: error: cannot find the value `bogus`: it is no constant, function, unit struct or variant of `u32`');
  });

  it('build usage errors exit 2', () => {
    expect(run('build', join(CORPUS_DIR, 't1_loops.mir')).status).toBe(2);
    expect(run('build', join(CORPUS_DIR, 't1_loops.mir'), '-o', 'x', '--opt', '7').stderr).toContain('--opt needs an integer from 0 to 3');
  });
});
