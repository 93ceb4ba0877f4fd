// The same input gives byte-identical objects: two independent builds of a program
// (fresh layouts, fresh mono state, fresh backend, a different number of jobs) are
// compared unit by unit.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { llvmBackend } from '../../src/backends/llvm/index.js';
import { SourceFile } from '../../src/diagnostics.js';
import { prepareCrate } from '../../src/build.js';
import { codegenCrate } from '../../src/ssa/base.js';
import { CORPUS_DIR } from '../support/paths.js';

async function objects(file: string, opt: 0 | 2, jobs?: number): Promise<{ name: string; sha: string }[]> {
  const prepared = prepareCrate([new SourceFile(file, readFileSync(file, 'utf8'))], { cgus: 4, crateName: 'det' });
  expect(prepared.diagnostics).toEqual([]);
  const out = await codegenCrate(llvmBackend(), prepared.input!, { opt, jobs });
  expect(out.diagnostics).toEqual([]);
  const { createHash } = await import('node:crypto');
  return out.objects.map((o) => ({ name: o.name, sha: createHash('sha256').update(o.bytes).digest('hex') }));
}

describe('determinism', () => {
  it.each([
    ['t4_dyn_traits', 0],
    ['t3_generics', 2],
  ] as const)('%s at --opt %i builds to the same objects twice, with one job and with four', async (name, opt) => {
    const file = join(CORPUS_DIR, `${name}.mir`);
    const first = await objects(file, opt, 1);
    const second = await objects(file, opt, 4);
    expect(first.length).toBeGreaterThan(1);
    expect(second).toEqual(first);
  }, 120_000);
});
