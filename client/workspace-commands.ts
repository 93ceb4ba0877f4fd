// The commands about a workspace (a root with codegend.json, or one .mir file):
//   codegend serve [--stdio] [--socket PATH] [--root DIR]   the daemon
//   codegend watch [--root DIR]                             one line per rebuild, until ^C
//   codegend build [--root DIR] [--json]                    (no files) the workspace's build
// `build` and `watch` talk to the daemon serving the workspace when there is one
// (daemon-client.ts says how it is found); otherwise `build` builds in-process and
// `watch` starts a daemon in this process.

import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { build } from '../src/build.js';
import { type Diagnostic, renderDiagnostic, SourceFile } from '../src/diagnostics.js';
import { mkdirSync, readFileSync } from 'node:fs';
import { buildReport } from '../server/build-report.js';
import { readRustCompanions } from '../server/companions.js';
import { buildOptionsOf, loadWorkspaceConfig, ManifestError } from '../server/manifest.js';
import { type BuildFinishedParams, type BuildReport, type DiagnosticReport, Methods } from '../server/protocol.js';
import { serve, ServeError } from '../server/serve.js';
import { intFlag, parseArgs, UsageError } from './args.js';
import { plural } from './cache-stats-text.js';
import { connectToDaemon } from './daemon-client.js';

export async function serveCommand(args: string[]): Promise<number> {
  const p = parseArgs(args, { values: ['--socket', '--root', '--jobs'], switches: ['--stdio', '--no-watch'] });
  if (p.files.length > 0) throw new UsageError(`serve takes no files (use --root DIR or --root FILE.mir), got '${p.files[0]}'`);
  const root = resolve(p.values.get('--root') ?? process.cwd());
  let daemon;
  try {
    daemon = await serve({ root, stdio: p.switches.has('--stdio'), socket: p.values.get('--socket'), watch: !p.switches.has('--no-watch'), jobs: intFlag(p, '--jobs', availableParallelism(), 1, 256) });
  } catch (e) {
    if (!(e instanceof ServeError)) throw e;
    process.stderr.write(`codegend: error: ${e.message}\n`);
    return 1;
  }
  const stop = () => void daemon.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  if (daemon.socket) process.stderr.write(`codegend: serving ${root} on ${daemon.socket}\n`);
  const { problems } = daemon.workspace.status();
  if (problems.length > 0) process.stderr.write(`codegend: ${problems.join('\n')}\n`);
  await daemon.stopped;
  // Stopped: whatever else is still open (a client's half-closed socket) must not keep it alive.
  process.exit(0);
}

export async function workspaceBuildCommand(args: string[]): Promise<number> {
  const p = parseArgs(args, { values: ['--root'], switches: ['--json', '--no-daemon'] });
  const root = resolve(p.values.get('--root') ?? process.cwd());
  const json = p.switches.has('--json');
  const client = p.switches.has('--no-daemon') ? undefined : await connectToDaemon(root);
  if (client) {
    try {
      const report = await client.connection.sendRequest<BuildFinishedParams>(Methods.build, {});
      return printReport(report, json);
    } finally {
      client.close();
    }
  }
  let config;
  try {
    config = loadWorkspaceConfig(root);
  } catch (e) {
    if (!(e instanceof ManifestError)) throw e;
    process.stderr.write(`${e.message}\n`);
    return 1;
  }
  const sources = config.sources.map((f) => new SourceFile(f, readFileSync(f, 'utf8')));
  mkdirSync(dirname(config.output), { recursive: true });
  const r = await build(sources, { ...buildOptionsOf(config), rustSources: readRustCompanions(sources) });
  return printReport(buildReport(r), json, r.diagnostics);
}

export async function watchCommand(args: string[]): Promise<number> {
  const p = parseArgs(args, { values: ['--root'], switches: [] });
  const root = resolve(p.values.get('--root') ?? process.cwd());
  let client = await connectToDaemon(root);
  let own: Awaited<ReturnType<typeof serve>> | undefined;
  if (!client) {
    try {
      own = await serve({ root, stdio: false });
    } catch (e) {
      if (!(e instanceof ServeError)) throw e;
      process.stderr.write(`codegend: error: ${e.message}\n`);
      return 1;
    }
    client = await connectToDaemon(root);
    if (!client) throw new Error('the daemon started here does not answer on its socket');
  }
  process.stdout.write(`watching ${root}${own ? '' : ` (daemon on ${client.socket})`}; ^C to stop\n`);
  client.connection.onNotification(Methods.buildFinished, (f: BuildFinishedParams) => {
    process.stdout.write(`${watchLine(f)}\n`);
    if (!f.ok) printProblems(f);
  });
  const done = new Promise<void>((r) => {
    client.connection.onClose(() => r());
    process.once('SIGINT', () => r());
    process.once('SIGTERM', () => r());
  });
  await done;
  client.close();
  await own?.stop();
  return 0;
}

/** One line per build: when, which, what it did. */
function watchLine(f: BuildFinishedParams): string {
  const time = new Date().toTimeString().slice(0, 8);
  const head = `[${time}] build #${f.buildId} (${f.trigger})`;
  if (!f.ok) {
    const errors = f.diagnostics.filter((d) => d.severity === 'error').length + f.errors.length;
    return `${head}: failed, ${plural(errors, 'error')}${f.keptLastGood ? '; the last good output is kept' : ''}`;
  }
  const rebuilt = f.cgus.filter((u) => u.reuse === 'No').length;
  return `${head}: ${rebuilt} compiled, ${f.cgus.length - rebuilt} reused, ${(f.ms / 1000).toFixed(2)} s -> ${f.output ?? ''}`;
}

function printReport(r: BuildReport, json: boolean, diagnostics?: Diagnostic[]): number {
  if (json) process.stdout.write(JSON.stringify(r) + '\n');
  for (const w of r.warnings) process.stderr.write(`warning: ${w}\n`);
  if (diagnostics) for (const d of diagnostics) process.stderr.write(renderDiagnostic(d));
  else process.stderr.write(renderReports(r.diagnostics));
  for (const e of r.errors) process.stderr.write(`error: ${e}\n`);
  const errors = r.diagnostics.filter((d) => d.severity === 'error').length + r.errors.length;
  if (errors > 0) process.stderr.write(`error: aborting due to ${errors === 1 ? 'previous error' : `${errors} previous errors`}\n`);
  return r.ok ? 0 : 1;
}

function printProblems(r: BuildReport): void {
  process.stdout.write(renderReports(r.diagnostics));
  for (const e of r.errors) process.stdout.write(`error: ${e}\n`);
}

/** Reported diagnostics as the CLI renders diagnostics, with their source lines when the files can be read (each once). */
function renderReports(ds: DiagnosticReport[]): string {
  const files = new Map<string, SourceFile | undefined>();
  const fileOf = (path: string): SourceFile | undefined => {
    if (!files.has(path)) {
      try {
        files.set(path, new SourceFile(path, readFileSync(path, 'utf8')));
      } catch {
        files.set(path, undefined);
      }
    }
    return files.get(path);
  };
  return ds
    .map((d) => {
      const file = fileOf(d.file);
      if (!file) return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}\n`;
      const lo = file.offsetAt(d.line, d.column);
      const hi = file.offsetAt(d.endLine, d.endColumn);
      return renderDiagnostic({ severity: d.severity, message: d.message, file, span: { lo, hi: Math.max(lo, hi) } });
    })
    .join('');
}
