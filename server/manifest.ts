// A workspace's configuration: `codegend.json` at its root, or a single .mir file.
//
//     { "sources": ["src/**/*.mir"], "output": "build/prog", "backend": "llvm",
//       "opt": 0, "lto": "off", "cgus": 16, "link": ["-lm"], "emit": "exe" }
//
// `sources` are paths or globs (`*`, `?`, `**`) relative to the root; `output` is the
// program or library to produce. Everything a workspace reads or writes stays inside its
// root: a source, output or cache outside it is an error, located in the manifest
// (`codegend.json:3:14: error: …`) like every other problem with it.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { BuildOptions } from '../src/build.js';
import type { LtoMode } from '../src/incr/reuse.js';
import type { BackendName } from '../src/backends/select.js';
import { BACKENDS } from '../src/backends/select.js';
import { SourceFile } from '../src/diagnostics.js';
import type { OutputKind } from '../src/ssa/back/link.js';

export const MANIFEST_NAME = 'codegend.json';
export const CACHE_DIR_NAME = '.codegend';

export interface WorkspaceConfig {
  /** The directory everything is relative to and confined in. */
  root: string;
  /** The manifest, or the single .mir file the workspace is. */
  origin: string;
  /** Source patterns as written (for watching) and the files they match, sorted. */
  patterns: string[];
  sources: string[];
  output: string;
  emit: OutputKind;
  backend: BackendName;
  opt: 0 | 1 | 2 | 3;
  lto: LtoMode;
  cgus: number;
  link: string[];
  cache: string;
}

/** A problem with the workspace's configuration, rendered `file:line:col: error: message`. */
export class ManifestError extends Error {
  constructor(
    message: string,
    /** Where in the manifest the problem is, and the problem without its location. */
    readonly at?: { file: string; line: number; column: number; problem: string },
  ) {
    super(message);
  }
}

const KEYS = ['sources', 'output', 'backend', 'opt', 'lto', 'cgus', 'link', 'emit', 'cache'];

/** The configuration of the workspace at `root` (a directory with a manifest, or a .mir file). */
export function loadWorkspaceConfig(root: string): WorkspaceConfig {
  const at = resolve(root);
  if (at.endsWith('.mir') && existsSync(at) && statSync(at).isFile()) return singleFile(at);
  const manifest = join(at, MANIFEST_NAME);
  if (!existsSync(manifest)) throw new ManifestError(`${manifest}: error: no ${MANIFEST_NAME} in the workspace root (or serve a single .mir file with --root FILE.mir)`);
  return fromManifest(at, manifest, readFileSync(manifest, 'utf8'));
}

function singleFile(file: string): WorkspaceConfig {
  const root = dirname(file);
  return { root, origin: file, patterns: [basename(file)], sources: [file], output: join(root, basename(file, '.mir')), emit: 'exe', backend: 'llvm', opt: 0, lto: 'off', cgus: 16, link: [], cache: join(root, CACHE_DIR_NAME) };
}

/** What `build` takes from the configuration. */
export function buildOptionsOf(config: WorkspaceConfig): BuildOptions {
  return { backend: config.backend, opt: config.opt, cgus: config.cgus, emit: config.emit, output: config.output, linkArgs: config.link, lto: config.lto, cache: config.cache };
}

/** Parses and validates a manifest's text. */
function fromManifest(root: string, path: string, text: string): WorkspaceConfig {
  const manifest = new SourceFile(path, text);
  const fail = (offset: number, message: string): never => {
    const { line, col } = manifest.position(offset);
    throw new ManifestError(`${path}:${line}:${col}: error: ${message}`, { file: path, line, column: col, problem: message });
  };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    fail(m ? Number(m[1]) : 0, `invalid JSON: ${(e as Error).message.replace(/ in JSON at position \d+.*$/, '')}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return fail(0, 'the manifest must be a JSON object');
  const m = json as Record<string, unknown>;
  const keyAt = (key: string) => {
    const i = text.search(new RegExp(`"${key}"\\s*:`));
    return i < 0 ? 0 : i;
  };
  for (const key of Object.keys(m)) if (!KEYS.includes(key)) fail(keyAt(key), `unknown key "${key}" (expected one of ${KEYS.join(', ')})`);

  /** `p` resolved, which must stay inside the root; `shown` is how the manifest spells it. */
  const inside = (key: string, p: string, shown = p): string => {
    const abs = resolve(root, p);
    const rel = relative(root, abs);
    if (rel.startsWith('..') || isAbsolute(rel)) fail(keyAt(key), `"${shown}" is outside the workspace root ${root}`);
    return abs;
  };
  const oneOf = <T extends string | number>(key: string, allowed: readonly T[], fallback: T): T => {
    if (m[key] === undefined) return fallback;
    if (!allowed.includes(m[key] as T)) fail(keyAt(key), `"${key}" must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
    return m[key] as T;
  };

  const sources = m.sources;
  if (!Array.isArray(sources) || sources.length === 0 || sources.some((s) => typeof s !== 'string' || s.length === 0)) return fail(keyAt('sources'), '"sources" must be a non-empty array of paths or globs');
  for (const s of sources as string[]) inside('sources', s.replace(/[*?].*$/, '') || '.', s);
  if (typeof m.output !== 'string' || m.output.length === 0) return fail(keyAt('output'), '"output" must be the path of the program or library to produce');
  const output = inside('output', m.output);
  let cgus = 16;
  if (m.cgus !== undefined) {
    if (!Number.isInteger(m.cgus) || (m.cgus as number) < 1 || (m.cgus as number) > 4096) fail(keyAt('cgus'), '"cgus" must be an integer from 1 to 4096');
    cgus = m.cgus as number;
  }
  let link: string[] = [];
  if (m.link !== undefined) {
    if (!Array.isArray(m.link) || m.link.some((a) => typeof a !== 'string')) fail(keyAt('link'), '"link" must be an array of linker arguments');
    link = m.link as string[];
  }
  if (m.cache !== undefined && typeof m.cache !== 'string') fail(keyAt('cache'), '"cache" must be a directory path');
  const cache = inside('cache', (m.cache as string | undefined) ?? CACHE_DIR_NAME);
  const files = expandSources(root, sources as string[]);
  if (files.length === 0) fail(keyAt('sources'), `"sources" match no .mir file under ${root}`);
  return {
    root,
    origin: path,
    patterns: sources as string[],
    sources: files,
    output,
    emit: oneOf('emit', ['exe', 'staticlib', 'obj'] as const, 'exe'),
    backend: oneOf('backend', BACKENDS, 'llvm'),
    opt: oneOf('opt', [0, 1, 2, 3] as const, 0),
    lto: oneOf('lto', ['off', 'thin', 'fat'] as const, 'off'),
    cgus,
    link,
    cache,
  };
}

/** Directories never searched for sources nor watched: version control, dependencies, the daemon's own files. */
export const SKIPPED_DIRS = new Set(['.git', 'node_modules', CACHE_DIR_NAME]);

/** The files under `root` the patterns match (a plain path matches itself), sorted, without duplicates. */
function expandSources(root: string, patterns: string[]): string[] {
  const out = new Set<string>();
  for (const pattern of patterns) {
    if (!/[*?]/.test(pattern)) {
      const abs = resolve(root, pattern);
      if (existsSync(abs) && statSync(abs).isFile()) out.add(abs);
      continue;
    }
    const re = globRegExp(pattern);
    const walk = (dir: string) => {
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const abs = join(dir, e.name);
        if (e.isDirectory()) {
          if (!SKIPPED_DIRS.has(e.name)) walk(abs);
        } else if (e.isFile() && re.test(relative(root, abs).split(sep).join('/'))) out.add(abs);
      }
    };
    walk(root);
  }
  return [...out].sort();
}

/** Whether `rel` (relative to the root, `/`-separated) matches one of the patterns. */
export function matchesSources(rel: string, patterns: string[]): boolean {
  return patterns.some((p) => (/[*?]/.test(p) ? globRegExp(p).test(rel) : p.replace(/^\.\//, '') === rel));
}

function globRegExp(pattern: string): RegExp {
  let re = '';
  const p = pattern.replace(/^\.\//, '');
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '*' && p[i + 1] === '*') {
      re += p[i + 2] === '/' ? '(?:[^/]+/)*' : '.*';
      i += p[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
