// Invalid-input fixtures in the style of rustc's tests/ui: each test/fixtures/mir/invalid/NAME.mir
// is checked and its diagnostic headlines compared with NAME.stderr.
// `BLESS=1 npx vitest run test/mir/invalid.test.ts` rewrites the .stderr files.

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diagnosticHeadline, SourceFile } from '../../src/diagnostics.js';
import { checkCrate } from '../../src/mir/check.js';
import { FIXTURES } from '../support/paths.js';

const DIR = join(FIXTURES, 'mir/invalid');
const BLESS = process.env.BLESS === '1';

const fixtures = readdirSync(DIR)
  .filter((f) => f.endsWith('.mir'))
  .sort();

/** Checks one fixture against its .stderr (or rewrites it when blessing). */
function check(name: string): void {
  const mirPath = join(DIR, name);
  const stderrPath = mirPath.replace(/\.mir$/, '.stderr');
  const { diagnostics } = checkCrate([new SourceFile(name, readFileSync(mirPath, 'utf8'))]);
  const actual = diagnostics.map((d) => `${diagnosticHeadline(d)}\n`).join('');
  expect(diagnostics.filter((d) => d.severity === 'error').length, `${name} must not check clean`).toBeGreaterThan(0);
  if (BLESS) {
    writeFileSync(stderrPath, actual);
    return;
  }
  if (!existsSync(stderrPath)) throw new Error(`${name} has no expected output; run with BLESS=1 to create ${stderrPath}`);
  expect(actual).toBe(readFileSync(stderrPath, 'utf8'));
}

describe('invalid MIR fixtures', () => {
  it('has the fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(32);
  });
  for (const name of fixtures) it(name, () => check(name));
});
