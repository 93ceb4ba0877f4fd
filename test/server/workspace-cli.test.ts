// The CLI's workspace commands as users run them: `codegend build` without files builds
// the workspace in-process when no daemon serves it; a bad manifest is an error located
// in it; `codegend watch` starts a daemon of its own and prints one line per rebuild
// until interrupted.

import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, corpusWorkspace, sleep } from '../support/daemon.js';

const PROGRAM = 't4_dyn_traits';
const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function workspace(manifest: object = { sources: ['*.mir'], output: 'out/prog', cgus: 4 }): string {
  const root = corpusWorkspace([PROGRAM], manifest);
  roots.push(root);
  return root;
}

describe('the workspace commands', () => {
  it('build without files builds the workspace in-process when no daemon serves it', () => {
    const root = workspace();
    const r = spawnSync(process.execPath, [CLI, 'build', '--json'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { ok: boolean; output: string; cgus: { reuse: string }[]; buildId?: number };
    expect(report.ok).toBe(true);
    expect(report.buildId).toBeUndefined();
    expect(report.output).toBe(join(root, 'out', 'prog'));
    expect(spawnSync(process.execPath, [CLI, 'build', '--json'], { cwd: root, encoding: 'utf8' }).stdout).toContain('"reuse":"PostLto"');
  });

  it('reports a bad manifest at its location', () => {
    const root = workspace();
    writeFileSync(join(root, 'codegend.json'), '{\n  "sources": ["*.mir"],\n  "output": "out/prog",\n  "opt": 7\n}\n');
    const r = spawnSync(process.execPath, [CLI, 'build'], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`${join(root, 'codegend.json')}:4:3: error: "opt" must be one of 0, 1, 2, 3\n`);
    writeFileSync(join(root, 'codegend.json'), '{ "sources": ["../elsewhere/*.mir"], "output": "prog" }');
    expect(spawnSync(process.execPath, [CLI, 'build'], { cwd: root, encoding: 'utf8' }).stderr).toContain(':1:3: error: "../elsewhere/*.mir" is outside the workspace root');
  });

  it('watch prints one line per rebuild until interrupted', async () => {
    const root = workspace();
    const child = spawn(process.execPath, [CLI, 'watch'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const waitFor = async (re: RegExp) => {
      const deadline = Date.now() + 60_000;
      while (!re.test(out)) {
        if (Date.now() > deadline) throw new Error(`no line matching ${re} in:\n${out}`);
        await sleep(25);
      }
    };
    await waitFor(/build #1 \(start\): \d+ compiled, 0 reused/);
    const file = join(root, `${PROGRAM}.mir`);
    writeFileSync(file, readFileSync(file, 'utf8').replace('qty: const 7_u32 }', 'qty: const 9_u32 }'));
    await waitFor(/build #2 \(watch\): 1 compiled, \d+ reused, [\d.]+ s -> .*out\/prog/);
    writeFileSync(file, readFileSync(file, 'utf8').replace('qty: const 9_u32 }', 'qty: const 9_i64 }'));
    await waitFor(/build #3 \(watch\): failed, 1 error; the last good output is kept\n.*t4_dyn_traits\.mir:\d+:\d+: error: /);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(out.split('\n')[0]).toBe(`watching ${root}; ^C to stop`);
  });
});
