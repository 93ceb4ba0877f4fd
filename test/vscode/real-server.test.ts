// NEEDS THE DAEMON. The bundled extension, in the editor stand-in with the real language
// client, against the real daemon: dist/codegend.mjs (bundled by the global setup) run
// as `codegend serve --stdio --root DIR` on a corpus program. Activation, every command,
// the generated-code view's links, code lenses, diagnostics, restart and shutdown.
// Skipped, with a note, while dist/codegend.mjs has no `serve` (build it: `npm run build`).

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, onTestFailed } from 'vitest';
import { CORPUS_DIR, FIXTURES, REPO_ROOT } from '../support/paths.js';
import { activate, decorated, languageFeatures, removeTempDirs, waitFor, workspaceFolder, type Running } from './harness.js';
import type { TextEditor } from './stand-in/editor.js';
import { CancellationTokenSource, enums, Position, type CodeLens, type Hover, type Location, type MarkdownString } from './stand-in/values.js';

const CLI = join(REPO_ROOT, 'dist/codegend.mjs');
const HAS_SERVE = existsSync(CLI) && spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' }).stdout.includes('codegend serve');
if (!HAS_SERVE) console.warn('test/vscode/real-server.test.ts: skipped, dist/codegend.mjs has no `serve` yet (run `npm run build`)');

const PROGRAM = readFileSync(join(CORPUS_DIR, 't1_fib_rec.mir'), 'utf8');
const FIB_LINE = PROGRAM.split('\n').findIndex((l) => l.startsWith('fn fib('));
const BUILD_TIMEOUT = 90_000;

const running: Running[] = [];

afterEach(async () => {
  for (const r of running.splice(0)) await r.stop();
});

afterAll(removeTempDirs);

/** The extension on a workspace folder with the given files, its daemon's protocol traced. */
function start(files: Record<string, string>, manifest?: object) {
  const root = workspaceFolder(files, manifest);
  const r = activate({
    workspaceFolders: [root],
    settings: { 'codegend.server.path': CLI, 'codegend.trace.server': 'messages' },
    logLevel: enums.LogLevel.Trace,
  });
  running.push(r);
  onTestFailed(() => {
    console.log(`codegend daemon log:\n${r.editor.outputChannel('codegend daemon')?.text}`);
    console.log(`status bar: ${r.status.text}\n${String(r.status.tooltip)}\nmessages: ${JSON.stringify(r.editor.messages)}`);
  });
  return { ...r, root, prog: join(root, 'prog.mir') };
}

/** The extension on the corpus program, once the daemon's first build is in the status bar. */
async function started() {
  const s = start({ 'prog.mir': PROGRAM }, { sources: ['prog.mir'], output: 'build/prog' });
  await waitFor('the first build', () => /^codegend: \d+ rebuilt \/ \d+ reused · /.test(s.status.text), BUILD_TIMEOUT);
  await languageFeatures(s.editor, ['CodeLens']);
  return s;
}

/** Pids of the daemon serving `root` (Linux: read from /proc). */
function daemonPids(root: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        const argv = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
        return argv.includes(CLI) && argv.includes('serve') && argv.includes(root);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe.skipIf(!HAS_SERVE)('the VS Code extension against `codegend serve` (needs the daemon)', () => {
  it('activation starts the daemon, whose first build shows in the status bar', async () => {
    const { status, editor } = await started();
    expect(String(status.tooltip)).toMatch(/^Build #1 \(start\) succeeded in /);
    expect(status.command).toBe('codegend.explain');
    await languageFeatures(editor, ['Hover', 'DocumentSymbol', 'Definition', 'CodeLens']);
  });

  it('Build: the second time every unit is reused', async () => {
    const { editor, status } = await started();
    const report = (await editor.execute('codegend.build')) as { ok: boolean; cgus: unknown[] };
    expect(report.ok).toBe(true);
    expect(status.text).toMatch(new RegExp(`^codegend: 0 rebuilt / ${report.cgus.length} reused · `));
    expect(String(status.tooltip)).toMatch(/^Build #2 \(request\) succeeded/);
    expect(editor.messages).toEqual([]);
  });

  it('Explain Rebuild and Cache Stats print the daemon\'s reports', async () => {
    const { editor, root } = await started();
    await editor.execute('codegend.explain');
    await editor.execute('codegend.cacheStats');
    const out = editor.outputChannel('codegend')!;
    expect(out.text).toMatch(/Explain Rebuild: every unit\n.*#1/);
    expect(out.text).toContain('Cache Stats\nCache location');
    expect(out.text).toContain(join(root, '.codegend'));
    expect(out.shown).toBe(2);
    expect(editor.messages).toEqual([]);
  });

  it('Show Generated Code: the IR of the function at the cursor, linked to its MIR lines', async () => {
    const { editor, prog } = await started();
    const source = await editor.showFile(prog, FIB_LINE + 2);
    const shown = (await editor.execute('codegend.showGeneratedCode')) as TextEditor;
    expect(editor.messages).toEqual([]);
    expect(shown.document.uri.path).toBe('/fib.ll');
    expect(shown.document.getText()).toMatch(/define .*fib/);
    // Some generated line came from a MIR statement of fib: it leads back there.
    const definitions = editor.providerFor('Definition', shown.document);
    const mapped = Array.from({ length: shown.document.lineCount }, (_, l) => ({ l, loc: definitions.provideDefinition(shown.document, new Position(l, 0)) as Location | undefined })).filter((x) => x.loc);
    expect(mapped.length).toBeGreaterThan(0);
    const { l, loc } = mapped[0]!;
    expect(loc!.uri.fsPath).toBe(prog);
    expect(loc!.range.start.line).toBeGreaterThanOrEqual(FIB_LINE);
    editor.moveCursor(shown, l);
    expect(decorated(source)).toEqual([loc!.range.start.line]);
    const hover = (await editor.providerFor('Hover', shown.document).provideHover(shown.document, new Position(l, 0))) as Hover;
    expect((hover.contents[0] as MarkdownString).value).toContain(`From MIR \`prog.mir:${loc!.range.start.line + 1}:`);
  });

  it('the daemon\'s code lenses run Explain and Show Generated Code', async () => {
    const { editor, prog } = await started();
    const doc = (await editor.showFile(prog)).document;
    const lenses = (await editor.providerFor('CodeLens', doc).provideCodeLenses(doc, new CancellationTokenSource().token)) as CodeLens[];
    const onFib = lenses.filter((x) => x.range.start.line === FIB_LINE).map((x) => x.command!);
    const show = onFib.find((c) => c.command === 'codegend.showGeneratedCode');
    const explain = onFib.find((c) => c.command === 'codegend.explain');
    expect(show?.arguments?.[1]).toBe('fib');
    expect(explain?.arguments).toEqual(['fib']);
    const shown = (await editor.execute(show!.command, ...show!.arguments!)) as TextEditor;
    expect(shown.document.uri.path).toBe('/fib.ll');
    await editor.execute(explain!.command, ...explain!.arguments!);
    expect(editor.outputChannel('codegend')!.text).toContain('Explain Rebuild: fib\n');
    expect(editor.messages).toEqual([]);
  });

  it('an error in the MIR: its diagnostic in the editor, a failed build in the status bar', async () => {
    const { editor, status, prog } = start({ 'prog.mir': readFileSync(join(FIXTURES, 'mir/invalid/missing-semi.mir'), 'utf8') }, { sources: ['prog.mir'], output: 'build/prog' });
    await waitFor('the failed build', () => status.text === 'codegend: build failed', BUILD_TIMEOUT);
    expect(String(status.tooltip)).toContain("prog.mir:6:39: expected `;`, found `return`");
    const doc = await editor.openDocument(prog);
    const diagnostics = await waitFor('diagnostics', () => editor.diagnosticsOf(doc.uri).length > 0 && editor.diagnosticsOf(doc.uri));
    expect(diagnostics.map((d) => [d.range.start.line, d.range.start.character, d.severity])).toContainEqual([5, 38, enums.DiagnosticSeverity.Error]);
  });

  it('a bad codegend.json: a warning in the status bar with the manifest\'s error', async () => {
    const { status } = start({ 'prog.mir': PROGRAM }, { sources: ['prog.mir'], output: 'build/prog', lto: 'sideways' });
    await waitFor('the degraded status', () => status.text.startsWith('$(warning)'), BUILD_TIMEOUT);
    expect(String(status.tooltip)).toMatch(/The daemon is degraded:\n• .*codegend\.json:\d+:\d+: error: "lto" must be one of/);
  });

  it('Restart replaces the daemon\'s process; shutting the editor down ends it', async () => {
    const { editor, root, stop } = await started();
    const [first] = daemonPids(root);
    expect(first).toBeDefined();
    await editor.execute('codegend.restart');
    await waitFor('the first daemon to exit', () => !daemonPids(root).includes(first!));
    const [second] = await waitFor('a new daemon', () => daemonPids(root).length === 1 && daemonPids(root));
    expect(second).not.toBe(first);
    await stop();
    running.length = 0;
    await waitFor('the daemon to exit', () => daemonPids(root).length === 0);
  });
});
