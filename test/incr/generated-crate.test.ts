// The benchmark crate (2,000 functions in 40 modules, from ../shared/bench/gen-crate.mjs)
// built incrementally: a no-change rebuild reuses every unit without running the front
// end; after the one-function edit `--mutate 1000` the incremental front end runs and
// only the unit holding f1000 is rebuilt; undoing the edit with `verify` also runs the
// full front end and lowers and compiles every reused unit, and compares them all.

import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build, type BuildOptions, type BuildResult } from '../../src/build.js';
import { renderDiagnostic, SourceFile } from '../../src/diagnostics.js';
import { generatedCrateMir } from '../support/generated-crate.js';

const SPEC = { fns: 2000, modules: 40, seed: 1 };
const dir = mkdtempSync(join(tmpdir(), 'codegend-gen-crate-'));
const mir = join(dir, 'main.mir');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function buildAt(extra: Partial<BuildOptions> = {}): Promise<BuildResult> {
  const r = await build([new SourceFile(mir, readFileSync(mir, 'utf8'))], { backend: 'llvm', opt: 0, cgus: 16, emit: 'exe', output: join(dir, 'prog'), cache: join(dir, 'cache'), ...extra });
  expect(r.ok, [...r.diagnostics.map(renderDiagnostic), ...r.toolErrors].join('')).toBe(true);
  expect(r.warnings).toEqual([]);
  return r;
}

describe('the 2,000-function generated crate', () => {
  it('reuses everything without changes, and rebuilds only the unit of an edited function', async () => {
    const original = generatedCrateMir(SPEC);
    copyFileSync(original, mir);
    const cold = await buildAt();
    expect(cold.frontEnd).toBe('full');
    expect(cold.units.length).toBe(17);
    expect(cold.units.every((u) => u.reuse === 'No')).toBe(true);

    const again = await buildAt();
    expect(again.frontEnd).toBe('skipped');
    expect(again.units.map((u) => [u.name, u.reuse])).toEqual(cold.units.map((u) => [u.name, 'PostLto']));

    for (const [source, verify] of [[generatedCrateMir({ ...SPEC, mutate: 1000 }), false], [original, true]] as const) {
      copyFileSync(source, mir);
      const edited = await buildAt({ verify });
      expect(edited.frontEnd).toBe(verify ? 'full' : 'incremental');
      const rebuilt = edited.units.filter((u) => u.reuse === 'No');
      expect(rebuilt.map((u) => u.reasons)).toEqual([['the body of `f1000` changed']]);
      expect(edited.units.filter((u) => u.reuse === 'PostLto')).toHaveLength(16);
      expect(edited.units.map((u) => u.name)).toEqual(cold.units.map((u) => u.name));
    }
  }, 600_000);
});
