// The `codegend` command line. It reads files and prints results; the work itself
// is the library's (src/). Exit codes: 0 success, 1 diagnostics, 2 usage errors,
// 70 internal errors; `run` exits with the program's own status.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, constants, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from '../src/build.js';
import { type Diagnostic, renderDiagnostic, SourceFile } from '../src/diagnostics.js';
import { emitFunction } from '../src/emit.js';
import { checkCrate } from '../src/mir/check.js';
import { readRustCompanions } from '../server/companions.js';
import { buildReport } from '../server/build-report.js';
import { emitResult } from '../server/emit.js';
import { cacheDirOf, cleanCommand, explainCommand, statsCommand } from './cache-commands.js';
import { serveCommand, watchCommand, workspaceBuildCommand } from './workspace-commands.js';
import { BACKENDS } from '../src/backends/select.js';
import { VERSION } from '../src/version.js';
import { choiceFlag, intFlag, parseArgs, type ParsedArgs, sizeFlag, UsageError } from './args.js';

const HELP = `codegend ${VERSION} — incremental, backend-agnostic codegen for Rust MIR

Usage:
  codegend check FILE.mir...    Parse, resolve and type-check MIR; print diagnostics
  codegend build FILE.mir... -o OUT [options]
                                Compile to an executable, static library or object
  codegend run FILE.mir... [options] [-- ARGS...]
                                Build to a temporary executable and run it
  codegend emit FILE.mir... --fn NAME [--form llvm-ir|asm] [--json] [options]
                                Print the generated code of one function (--json:
                                with the MIR line each output line came from)
  codegend build [--root DIR] [--json] [--no-daemon]
                                Build the workspace (codegend.json in DIR, default
                                the current directory); through its daemon when one
                                serves it
  codegend serve [--stdio] [--socket PATH] [--root DIR] [--no-watch] [--jobs N]
                                The daemon: JSON-RPC and LSP over stdio and/or a Unix
                                socket (default DIR/.codegend/daemon.sock)
  codegend watch [--root DIR]   Rebuild on every edit, one line per build (through
                                the workspace's daemon, or one started here)
  codegend explain [UNIT|FUNCTION] [FILE.mir...] [--cache DIR] [--json]
                                Why units were rebuilt in the last build
  codegend stats [--cache DIR] [--json]
                                Cache statistics: entries, size, hits, recent builds
  codegend clean [FILE.mir...] [--cache DIR]
                                Remove cached work products (of these files' crate)
  codegend --help               Show this help
  codegend --version            Show the version

Build options:
  --backend llvm                The backend (default llvm)
  --opt N                       Optimization level 0-3 (default 0)
  --cgus N                      Number of codegen units (default 16)
  --emit exe|staticlib|obj      What to produce (default exe)
  --link 'ARGS'                 Extra arguments for the linker, space-separated
  --lto off|thin|fat            Link-time optimization (default off)
  --jobs N                      Parallel backend jobs (default: the number of cores)
  --cache DIR                   The incremental cache (default: .codegend/ beside
                                the first input file)
  --cache-size SIZE             The cache's size cap, such as 512M or 2G (default 4G);
                                least recently used work products go first
  --no-cache                    Build without reading or writing the cache
  --verify-incremental          Recompile the units the cache would provide and fail
                                if any differs (a fingerprint bug)
  --json                        Print one JSON object describing the build on stdout

The files given together form one crate. Diagnostics print as
file:line:col: error: message, with the source line and a caret.
Exit status: 0 on success, 1 when the input has errors, 2 for usage errors;
'run' exits with the program's status.
`;


function readSources(paths: string[]): SourceFile[] {
  const files: SourceFile[] = [];
  let failed = false;
  for (const path of paths) {
    try {
      files.push(new SourceFile(path, readFileSync(path, 'utf8')));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : String((e as Error).message);
      process.stderr.write(`codegend: error: cannot read ${path}: ${why}\n`);
      failed = true;
    }
  }
  if (failed) process.exit(1);
  return files;
}

function check(args: string[]): number {
  const p = parseArgs(args, { values: [], switches: [] });
  if (p.files.length === 0) throw new UsageError('check needs at least one .mir file');
  const sources = readSources(p.files);
  const { diagnostics } = checkCrate(sources, { rustSources: readRustCompanions(sources) });
  return printDiagnostics(diagnostics) > 0 ? 1 : 0;
}

const BUILD_FLAGS = { values: ['-o', '--backend', '--opt', '--cgus', '--emit', '--link', '--fn', '--form', '--lto', '--jobs', '--cache', '--cache-size'], switches: ['--json', '--no-cache', '--verify-incremental'] };

function buildOptions(p: ParsedArgs, output: string) {
  return {
    lto: choiceFlag(p, '--lto', ['off', 'thin', 'fat'] as const, 'off'),
    jobs: intFlag(p, '--jobs', availableParallelism(), 1, 256),
    cache: cacheDirOf(p, p.files),
    cacheMaxBytes: sizeFlag(p, '--cache-size'),
    verify: p.switches.has('--verify-incremental'),
    backend: choiceFlag(p, '--backend', BACKENDS, 'llvm'),
    opt: intFlag(p, '--opt', 0, 0, 3) as 0 | 1 | 2 | 3,
    cgus: intFlag(p, '--cgus', 16, 1, 4096),
    emit: choiceFlag(p, '--emit', ['exe', 'staticlib', 'obj'] as const, 'exe'),
    output,
    linkArgs: p.values.has('--link') ? p.values.get('--link')!.split(/\s+/).filter(Boolean) : undefined,
  };
}

function printDiagnostics(ds: Diagnostic[], toolErrors: string[] = [], warnings: string[] = []): number {
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  for (const d of ds) process.stderr.write(renderDiagnostic(d));
  for (const e of toolErrors) process.stderr.write(`error: ${e}\n`);
  const errors = ds.filter((d) => d.severity === 'error').length + toolErrors.length;
  if (errors > 0) process.stderr.write(`error: aborting due to ${errors === 1 ? 'previous error' : `${errors} previous errors`}\n`);
  return errors;
}

async function buildCommand(args: string[]): Promise<number> {
  const p = parseArgs(args, { values: BUILD_FLAGS.values.filter((f) => f !== '--fn' && f !== '--form'), switches: BUILD_FLAGS.switches });
  if (p.files.length === 0) throw new UsageError('build needs at least one .mir file');
  const out = p.values.get('-o');
  if (!out) throw new UsageError('build needs -o OUT');
  const sources = readSources(p.files);
  const r = await build(sources, { ...buildOptions(p, resolve(out)), rustSources: readRustCompanions(sources) });
  if (p.switches.has('--json')) process.stdout.write(JSON.stringify(buildReport(r)) + '\n');
  return printDiagnostics(r.diagnostics, r.toolErrors, r.warnings) > 0 || !r.ok ? 1 : 0;
}

async function runCommand(args: string[]): Promise<number> {
  const p = parseArgs(args, { values: BUILD_FLAGS.values.filter((f) => f !== '-o' && f !== '--fn' && f !== '--form' && f !== '--emit'), switches: BUILD_FLAGS.switches.filter((f) => f !== '--json') });
  if (p.files.length === 0) throw new UsageError('run needs at least one .mir file');
  const dir = mkdtempSync(join(tmpdir(), 'codegend-run-'));
  try {
    const exe = join(dir, 'program');
    const sources = readSources(p.files);
    const r = await build(sources, { ...buildOptions(p, exe), rustSources: readRustCompanions(sources) });
    if (printDiagnostics(r.diagnostics, r.toolErrors, r.warnings) > 0 || !r.ok) return 1;
    const child = spawnSync(exe, p.rest, { stdio: 'inherit' });
    if (child.error) throw child.error;
    if (child.signal) {
      process.stderr.write(`codegend: the program was killed by ${child.signal}\n`);
      return 128 + (constants.signals[child.signal] ?? 9);
    }
    return child.status ?? 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function emitCommand(args: string[]): Promise<number> {
  const p = parseArgs(args, { values: BUILD_FLAGS.values.filter((f) => f !== '-o' && f !== '--emit'), switches: ['--json'] });
  if (p.files.length === 0) throw new UsageError('emit needs at least one .mir file');
  const name = p.values.get('--fn');
  if (!name) throw new UsageError('emit needs --fn NAME');
  const form = choiceFlag(p, '--form', ['llvm-ir', 'asm'] as const, 'llvm-ir');
  const sources = readSources(p.files);
  const r = await emitFunction(sources, { ...buildOptions(p, ''), function: name, form, rustSources: readRustCompanions(sources) });
  if (printDiagnostics(r.diagnostics) > 0 || r.text === undefined) return 1;
  // --json: the shape of the daemon's `codegend/emit` answer, with the map from output lines to MIR.
  if (p.switches.has('--json')) process.stdout.write(JSON.stringify(emitResult({ ...r, text: r.text }, name, form)) + '\n');
  else process.stdout.write(r.text);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(HELP);
      return 0;
    case '--version':
    case '-V':
      process.stdout.write(`codegend ${VERSION}\n`);
      return 0;
    case 'check':
      return check(rest);
    case 'build':
      return rest.some((a) => a.endsWith('.mir')) ? buildCommand(rest) : workspaceBuildCommand(rest);
    case 'serve':
      return serveCommand(rest);
    case 'watch':
      return watchCommand(rest);
    case 'run':
      return runCommand(rest);
    case 'emit':
      return emitCommand(rest);
    case 'explain':
      return explainCommand(rest);
    case 'stats':
      return statsCommand(rest);
    case 'clean':
      return cleanCommand(rest);
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof UsageError) {
      process.stderr.write(`codegend: error: ${e.message}\nTry 'codegend --help'.\n`);
      process.exitCode = 2;
      return;
    }
    // A bug in codegend, not in the input: say so plainly, without a stack trace.
    process.stderr.write(`codegend: internal error: ${(e as Error)?.message ?? String(e)}\nThis is a bug in codegend; please report it with the input that caused it.\n`);
    if (process.env.CODEGEND_BACKTRACE) process.stderr.write(`${(e as Error)?.stack}\n`);
    process.exitCode = 70;
  },
);
