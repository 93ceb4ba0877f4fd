// Run-pass fixtures: hand-written MIR programs in test/fixtures/run-pass, each with the
// exact stdout (`.stdout`) and exit status (`.exit`) it must produce, built at --opt 0
// and --opt 2. The expectations are written by hand, from what rustc's semantics say.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildAndRun } from '../support/build-and-run.js';
import { FIXTURES } from '../support/paths.js';

const DIR = join(FIXTURES, 'run-pass');
const cases = readdirSync(DIR)
  .filter((f) => f.endsWith('.mir'))
  .sort()
  .map((f) => [f.replace(/\.mir$/, ''), join(DIR, f)]);

describe.each([0, 2] as const)('run-pass at --opt %i', (opt) => {
  it.concurrent.each(cases)('%s', async (_name, file) => {
    const r = await buildAndRun([file], { opt });
    expect(r.errors).toBe('');
    expect(r.stdout).toBe(readFileSync(file.replace(/\.mir$/, '.stdout'), 'latin1'));
    expect(r.exit).toBe(Number(readFileSync(file.replace(/\.mir$/, '.exit'), 'utf8').trim()));
  }, 60_000);
});
