// The bundled `codegend` CLI as users run it: a child process over dist/codegend.mjs,
// checking exit codes and what goes to stdout and stderr.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CORPUS_DIR, FIXTURES, REPO_ROOT } from './support/paths.js';

const CLI = join(REPO_ROOT, 'dist/codegend.mjs');

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  const r = spawnSync(process.execPath, ['scripts/bundle.mjs'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bundling the CLI failed:\n${r.stderr}`);
});

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
});
