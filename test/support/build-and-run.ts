// Builds MIR files into an executable with the library's `build` and runs it with a
// timeout, for the run-pass fixtures and the corpus.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type BuildOptions } from '../../src/build.js';
import { renderDiagnostic, SourceFile } from '../../src/diagnostics.js';
import { readRustCompanions } from '../../server/companions.js';

export interface RunOutcome {
  built: boolean;
  /** Rendered diagnostics when the build failed. */
  errors: string;
  stdout: string;
  exit: number | null;
}

export async function buildAndRun(files: string[], options: Partial<BuildOptions> = {}): Promise<RunOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'codegend-test-'));
  try {
    const exe = join(dir, 'program');
    const sources = files.map((f) => new SourceFile(f, readFileSync(f, 'utf8')));
    const r = await build(sources, { backend: 'llvm', opt: 0, cgus: 16, emit: 'exe', output: exe, rustSources: readRustCompanions(sources), ...options });
    if (!r.ok) return { built: false, errors: [...r.diagnostics.map(renderDiagnostic), ...r.toolErrors].join(''), stdout: '', exit: null };
    const run = spawnSync(exe, [], { encoding: 'latin1', timeout: 10_000, stdio: ['ignore', 'pipe', 'pipe'] });
    return { built: true, errors: '', stdout: run.stdout, exit: run.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
