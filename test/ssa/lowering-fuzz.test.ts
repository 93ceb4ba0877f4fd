// Seeded mutations of corpus MIR that still check clean (a type changed in one place, an
// operator swapped, a constant changed, `copy` turned into `move`) must lower without an
// internal error — only diagnostics — and what they lower to must be accepted by `llc`.
// LOWERING_FUZZ_SEED and LOWERING_FUZZ_CASES reproduce or widen a run.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { llvmBackend } from '../../src/backends/llvm/index.js';
import { prepareCrate } from '../../src/build.js';
import { DiagnosticSink, SourceFile } from '../../src/diagnostics.js';
import { compileCodegenUnit } from '../../src/ssa/base.js';
import { CORPUS_DIR } from '../support/paths.js';

const SEED = Number(process.env.LOWERING_FUZZ_SEED ?? 7);
const CASES = Number(process.env.LOWERING_FUZZ_CASES ?? 200);
/** Every this-many checked cases also go through llc. */
const LLC_EVERY = 6;

const MUTATIONS: { find: RegExp; replace: (rnd: () => number) => string }[] = [
  { find: /\bi32\b/g, replace: () => 'i64' },
  { find: /\bu8\b/g, replace: () => 'u16' },
  { find: /\bu64\b/g, replace: () => 'u32' },
  { find: /\bi64\b/g, replace: () => 'i128' },
  { find: /\busize\b/g, replace: () => 'u64' },
  { find: /\bcopy _/g, replace: () => 'move _' },
  { find: /\bAdd\(/g, replace: () => 'Sub(' },
  { find: /\bLt\(/g, replace: () => 'Ge(' },
  { find: /const \d+_usize/g, replace: (rnd) => `const ${Math.floor(rnd() * 100)}_usize` },
];

describe('lowering of mutated corpus programs', () => {
  it(`${CASES} cases from seed ${SEED} lower without internal errors`, async () => {
    let state = SEED >>> 0;
    const rnd = () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state / 4294967296;
    };
    const files = readdirSync(CORPUS_DIR)
      .filter((f) => f.endsWith('.mir'))
      .sort();
    const backend = llvmBackend();
    const failures: string[] = [];
    let lowered = 0;
    for (let n = 0; n < CASES; n++) {
      const name = files[Math.floor(rnd() * files.length)]!;
      const text = readFileSync(join(CORPUS_DIR, name), 'utf8');
      const mutation = MUTATIONS[Math.floor(rnd() * MUTATIONS.length)]!;
      const sites = [...text.matchAll(mutation.find)];
      if (sites.length === 0) continue;
      const site = sites[Math.floor(rnd() * sites.length)]!;
      const mutated = text.slice(0, site.index!) + mutation.replace(rnd) + text.slice(site.index! + site[0].length);
      const prepared = prepareCrate([new SourceFile(name, mutated)], { cgus: 4 });
      if (!prepared.input) continue;
      lowered++;
      for (const unit of prepared.input.units) {
        try {
          const module = compileCodegenUnit(backend, prepared.input, unit, { opt: 0 }, new DiagnosticSink());
          if (module && lowered % LLC_EVERY === 0) await backend.compile(backend.serialize(module), { opt: 0 });
        } catch (e) {
          failures.push(`case ${n} (${name}, ${mutation.find} at ${site.index}): ${(e as Error).message.split('\n')[0]}`);
        }
      }
    }
    expect(lowered).toBeGreaterThan(CASES / 4);
    expect(failures).toEqual([]);
  }, 300_000);
});
