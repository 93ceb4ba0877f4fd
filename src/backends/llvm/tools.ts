// Finding and running LLVM's `opt`, `llc` and `llvm-link`. Candidates are the directories
// on PATH holding `opt` and `llc` and every `<root>/llvm-N/bin`; each one's version is read
// from `llc --version` and the highest version ≥ 14 wins (PATH first on a tie). `llvm-link`
// (fat LTO only) is taken from the winner's directory. Tools run through execFile with
// argument arrays, never a shell.

import { execFile } from 'node:child_process';
import { accessSync, constants, readdirSync, realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export const MIN_LLVM_VERSION = 14;

export interface LlvmTools {
  llc: string;
  opt: string;
  /** `llvm-link` beside `llc`; only fat LTO runs it, so it may be missing (`requireLlvmLink`). */
  llvmLink: string;
  /** The major version, from `llc --version`. */
  version: number;
  /** LLVM 14–16 read opaque-pointer IR only with `-opaque-pointers`. */
  extraFlags: string[];
}

export interface ToolSearch {
  /** The PATH to search; `process.env.PATH` when absent. */
  path?: string;
  /** Directories holding `llvm-N/bin` trees; `['/usr/lib']` when absent. */
  roots?: string[];
}

export interface ToolResult {
  stdout: string;
  stderr: string;
}

/**
 * Runs `file args…`; rejects with the tool's stderr in the message when it fails. `shown`
 * maps temporary paths to the names a failure message shows instead (`<unit>.ll`).
 */
export function runTool(file: string, args: string[], what: string, shown: readonly [string, string][] = []): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) {
        let detail = stderr.trim() || err.message;
        for (const [path, name] of shown) detail = detail.split(path).join(name);
        reject(new Error(`${what}: ${file} failed: ${detail}`));
      } else {
        resolve({ stdout, stderr });
      }
    });
  });
}

/** Parses `LLVM version 14.0.6` (with any vendor prefix) from `llc --version`. */
export function parseLlvmVersion(text: string): number | undefined {
  const m = /LLVM version (\d+)\.\d+/.exec(text);
  return m ? Number(m[1]) : undefined;
}

export async function findLlvmTools(search: ToolSearch = {}): Promise<LlvmTools> {
  const candidates = candidateDirs(search);
  const found: { dir: string; version: number; order: number }[] = [];
  const seen = new Set<string>();
  for (const [order, c] of candidates.entries()) {
    const key = realpathOr(join(c.dir, c.llc));
    if (seen.has(key)) continue;
    seen.add(key);
    let version: number | undefined;
    try {
      version = parseLlvmVersion((await runTool(join(c.dir, c.llc), ['--version'], 'llc --version')).stdout);
    } catch {
      version = undefined;
    }
    if (version !== undefined) found.push({ dir: c.dir, version, order });
  }
  found.sort((a, b) => b.version - a.version || a.order - b.order);
  const best = found[0];
  if (!best || best.version < MIN_LLVM_VERSION) {
    const seenText = found.length === 0 ? 'none found' : `found ${found.map((f) => `LLVM ${f.version} in ${f.dir}`).join(', ')}`;
    throw new Error(
      `LLVM tools not found: install LLVM ${MIN_LLVM_VERSION} or newer (llc, opt) on PATH or under /usr/lib/llvm-N/bin (${seenText})`,
    );
  }
  const c = candidates[best.order]!;
  return {
    llc: join(c.dir, c.llc),
    opt: join(c.dir, c.opt),
    llvmLink: join(c.dir, 'llvm-link'),
    version: best.version,
    extraFlags: best.version < 17 ? ['-opaque-pointers'] : [],
  };
}

/** Fails, saying what to install, when `llvm-link` is not beside `llc`. */
export function requireLlvmLink(tools: LlvmTools): void {
  if (!executable(tools.llvmLink)) {
    throw new Error(`fat LTO needs llvm-link, which is missing (looked for ${tools.llvmLink}, beside llc): install the LLVM ${tools.version} tools`);
  }
}

interface Candidate {
  dir: string;
  llc: string;
  opt: string;
}

function candidateDirs(search: ToolSearch): Candidate[] {
  const out: Candidate[] = [];
  const path = search.path ?? process.env['PATH'] ?? '';
  for (const dir of path.split(delimiter)) {
    if (dir !== '' && executable(join(dir, 'llc')) && executable(join(dir, 'opt'))) out.push({ dir, llc: 'llc', opt: 'opt' });
  }
  for (const root of search.roots ?? ['/usr/lib']) {
    let names: string[];
    try {
      names = readdirSync(root);
    } catch {
      continue;
    }
    const versions = names
      .map((n) => /^llvm-(\d+)$/.exec(n))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => b - a);
    for (const v of versions) {
      const dir = join(root, `llvm-${v}`, 'bin');
      if (executable(join(dir, 'llc')) && executable(join(dir, 'opt'))) out.push({ dir, llc: 'llc', opt: 'opt' });
    }
  }
  return out;
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function realpathOr(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}
