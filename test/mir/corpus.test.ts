// Every .mir file rustc printed for the shared corpus is valid MIR to codegend.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderDiagnostic, SourceFile } from '../../src/diagnostics.js';
import { checkCrate } from '../../src/mir/check.js';
import { corpusMirFiles } from '../support/paths.js';

const files = corpusMirFiles();

/** Warnings the corpus is expected to give: enums whose variant order the MIR cannot show. */
const EXPECTED_WARNINGS: Record<string, RegExp[]> = {
  't3_state_machine.mir': [/discriminants of .* in `Tok` cannot be inferred/, /discriminants of .* in `EvalError` cannot be inferred/],
};

describe('corpus MIR checks clean', () => {
  it('has the corpus', () => {
    expect(files.length).toBeGreaterThanOrEqual(32);
  });
  for (const path of files) {
    it(basename(path), () => {
      const { diagnostics } = checkCrate([new SourceFile(path, readFileSync(path, 'utf8'))]);
      const expected = EXPECTED_WARNINGS[basename(path)] ?? [];
      const unexpected = diagnostics.filter((d) => d.severity !== 'warning' || !expected.some((re) => re.test(d.message)));
      expect(unexpected.map(renderDiagnostic).join('')).toBe('');
      expect(diagnostics.length).toBe(expected.length);
    });
  }
});
