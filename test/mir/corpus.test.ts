// Every .mir file rustc printed for the shared corpus is valid MIR to codegend.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderDiagnostic, SourceFile } from '../../src/diagnostics.js';
import { checkCrate } from '../../src/mir/check.js';
import { corpusMirFiles } from '../support/paths.js';

const files = corpusMirFiles();

describe('corpus MIR checks clean', () => {
  it('has the corpus', () => {
    expect(files.length).toBeGreaterThanOrEqual(32);
  });
  for (const path of files) {
    it(basename(path), () => {
      const { diagnostics } = checkCrate([new SourceFile(path, readFileSync(path, 'utf8'))]);
      expect(diagnostics.map(renderDiagnostic).join('')).toBe('');
    });
  }
});
