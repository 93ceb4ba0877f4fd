// The layering rules of ARCHITECTURE.md, checked on the import statements themselves.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
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
  const statements = [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
  const inline = [...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!);
  return [...statements, ...inline];
}

/** Every relative import of `dir` resolved to a repository path (`src/ssa/traits/types.js`). */
function resolvedImports(dir: string): { file: string; target: string }[] {
  return tsFiles(join(REPO_ROOT, dir)).flatMap((f) =>
    imports(f)
      .filter((s) => s.startsWith('.'))
      .map((s) => ({ file: relative(REPO_ROOT, f), target: relative(REPO_ROOT, resolve(dirname(f), s)) })),
  );
}

function crossing(dir: string, forbidden: (target: string) => boolean): string[] {
  return resolvedImports(dir)
    .filter((i) => forbidden(i.target))
    .map((i) => `${i.file}: ${i.target}`);
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

  it('the backend-agnostic core never imports a backend', () => {
    expect(crossing('src/ssa', (t) => t.startsWith('src/backends/'))).toEqual([]);
  });

  it('a backend sees only the core\'s interfaces, never the lowering or another backend', () => {
    const backends = readdirSync(join(REPO_ROOT, 'src/backends')).filter((d) => statSync(join(REPO_ROOT, 'src/backends', d)).isDirectory());
    for (const b of backends) {
      expect(crossing(`src/backends/${b}`, (t) => (t.startsWith('src/') && !t.startsWith('src/ssa/traits/') && !t.startsWith(`src/backends/${b}/`)))).toEqual([]);
    }
  });

  it('monomorphization does not depend on the lowering or the backends', () => {
    expect(crossing('src/mono', (t) => t.startsWith('src/ssa/mir/') || t.startsWith('src/backends/'))).toEqual([]);
  });

  it('finds the imports it checks', () => {
    expect(imports(join(REPO_ROOT, 'src/mir/check.ts')).length).toBeGreaterThan(3);
  });
});
