// The layering rules of ARCHITECTURE.md, checked on the import statements themselves.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/paths.js';

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

function imports(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
}

/** Every import in `dir` that `forbidden` rejects, as `file: specifier`. */
function violations(dir: string, forbidden: (specifier: string) => boolean): string[] {
  return tsFiles(join(REPO_ROOT, dir)).flatMap((f) =>
    imports(f)
      .filter(forbidden)
      .map((s) => `${relative(REPO_ROOT, f)}: ${s}`),
  );
}

describe('architecture', () => {
  it('src/ knows nothing of the daemon, the CLI, JSON-RPC or editors', () => {
    expect(violations('src', (s) => /(^|\/)(server|client)\//.test(s) || /^(vscode|vscode-.*)$/.test(s))).toEqual([]);
  });

  it('the MIR front-end does no I/O', () => {
    expect(violations('src/mir', (s) => s.startsWith('node:') || ['fs', 'net', 'child_process'].includes(s))).toEqual([]);
  });

  it('finds the imports it checks', () => {
    expect(imports(join(REPO_ROOT, 'src/mir/check.ts')).length).toBeGreaterThan(3);
  });
});
