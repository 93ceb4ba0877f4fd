// Runs once before every test file: bundles the CLI (dist/codegend.mjs), which the CLI and
// daemon tests run as child processes, and the VS Code extension
// (client/vscode/dist/extension.js), which test/vscode loads, so they test this tree's
// code and no two test files write a bundle at once.

import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from './paths.js';

export default function setup(): void {
  const r = spawnSync(process.execPath, ['scripts/bundle.mjs'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bundling the CLI failed:\n${r.stderr}`);
}
