// The `codegend` command line. It reads files and prints results; the work itself
// is the library's (src/). Exit codes: 0 success, 1 diagnostics, 2 usage errors.

import { readFileSync } from 'node:fs';
import { renderDiagnostic, SourceFile } from '../src/diagnostics.js';
import { checkCrate } from '../src/mir/check.js';
import { VERSION } from '../src/version.js';

const HELP = `codegend ${VERSION} — incremental, backend-agnostic codegen for Rust MIR

Usage:
  codegend check FILE.mir...    Parse, resolve and type-check MIR; print diagnostics
  codegend --help               Show this help
  codegend --version            Show the version

The files given together form one crate. Diagnostics print as
file:line:col: error: message, with the source line and a caret.
Exit status: 0 when the input is valid, 1 when it has errors, 2 for usage errors.
`;

function usage(message: string): never {
  process.stderr.write(`codegend: error: ${message}\nTry 'codegend --help'.\n`);
  process.exit(2);
}

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
  const paths = args.filter((a) => !a.startsWith('-'));
  const flags = args.filter((a) => a.startsWith('-') && a !== '-');
  if (flags.length > 0) usage(`unknown option ${flags[0]} for check`);
  if (paths.length === 0) usage('check needs at least one .mir file');
  const { diagnostics } = checkCrate(readSources(paths));
  for (const d of diagnostics) process.stderr.write(renderDiagnostic(d));
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  if (errors > 0) {
    process.stderr.write(`error: aborting due to ${errors === 1 ? 'previous error' : `${errors} previous errors`}\n`);
    return 1;
  }
  return 0;
}

function main(argv: string[]): number {
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
    default:
      usage(`unknown command '${command}'`);
  }
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  // A bug in codegend, not in the input: say so plainly, without a stack trace.
  process.stderr.write(`codegend: internal error: ${(e as Error)?.message ?? String(e)}\nThis is a bug in codegend; please report it with the input that caused it.\n`);
  process.exitCode = 70;
}
