// The bundled extension, activated in the editor stand-in with the real language client,
// against the scripted daemon (fake-daemon.ts), whose answers are known exactly: the
// status bar, every command, the generated-code view and its line links, restarts and
// shutdown. real-server.test.ts runs the same paths against `codegend serve`.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { activate, alive, bundleFakeDaemon, decorated, EXTENSION_DIR, fakeDaemonPids, languageFeatures, removeTempDirs, tempDir, waitFor, workspaceFolder, type Running } from './harness.js';
import type { TextEditor } from './stand-in/editor.js';
import { CancellationTokenSource, Position, Uri, type CodeLens, type Hover, type Location, type MarkdownString } from './stand-in/values.js';

// 0-based lines: `fn fib` is line 0, its statements lines 4 and 5; `fn main` is line 9.
const PROG = `fn fib(_1: u32) -> u64 {
    let mut _0: u64;

    bb0: {
        _0 = const 1_u64;
        return;
    }
}

fn main() -> i32 {
    let mut _0: i32;

    bb0: {
        _0 = const 0_i32;
        return;
    }
}
`;

let dir: string;
let daemon: string;
const running: { r: Running; expectErrors: boolean }[] = [];

beforeAll(async () => {
  dir = tempDir('ext');
  daemon = await bundleFakeDaemon(dir);
});

afterEach(async () => {
  for (const { r, expectErrors } of running.splice(0)) {
    await r.stop();
    // The language client logs what went wrong, in the editor API too: nothing may have.
    const log = r.editor.outputChannel('codegend daemon')?.lines ?? [];
    if (!expectErrors) expect(log.filter((l) => l.startsWith('[error]'))).toEqual([]);
  }
});

afterAll(removeTempDirs);

interface StartOptions {
  settings?: Record<string, unknown>;
  files?: Record<string, string>;
  /** The daemon is meant to fail: the client logs errors. */
  expectErrors?: boolean;
}

/** The extension activated on a fresh workspace folder holding prog.mir, daemon started. */
async function start({ settings = {}, files = { 'prog.mir': PROG }, expectErrors = false }: StartOptions = {}) {
  const root = workspaceFolder(files);
  const r = activate({ workspaceFolders: [root], settings: { 'codegend.server.path': daemon, ...settings } });
  running.push({ r, expectErrors });
  await waitFor('the daemon to start', () => !r.status.text.includes('starting') && r.status.text);
  if (!expectErrors) await languageFeatures(r.editor, ['CodeLens']);
  return { ...r, root, prog: join(root, 'prog.mir') };
}

describe('the VS Code extension against the scripted daemon', () => {
  it('activation registers the manifest\'s commands and shows the daemon\'s state', async () => {
    const { editor, status } = await start();
    const manifest = JSON.parse(readFileSync(join(EXTENSION_DIR, 'package.json'), 'utf8'));
    const contributed = manifest.contributes.commands.map((c: { command: string }) => c.command).sort();
    expect([...editor.commands.keys()].filter((c) => c.startsWith('codegend.')).sort()).toEqual(contributed);
    expect(status.text).toBe('codegend: ready');
    expect(status.visible).toBe(true);
    // The language client registered the daemon's features for .mir files.
    await languageFeatures(editor, ['Hover', 'DocumentSymbol', 'CodeLens']);
  });

  it('Build puts the reuse summary in the status bar', async () => {
    const { editor, status, root } = await start();
    const report = (await editor.execute('codegend.build')) as { ok: boolean };
    expect(report.ok).toBe(true);
    expect(status.text).toBe('codegend: 1 rebuilt / 2 reused · 1.2 s');
    expect(String(status.tooltip).split('\n')).toEqual([
      'Build #1 (request) succeeded in 1.2 s',
      'Front end: incremental (only function bodies changed)',
      '1 unit rebuilt, 2 reused (1 post-LTO, 1 pre-LTO)',
      `Output: ${join(root, 'build/prog')}`,
      'Click for why units were rebuilt.',
    ]);
    expect(status.command).toBe('codegend.explain');
    expect(status.backgroundColor).toBeUndefined();
    expect(editor.messages).toEqual([]);
  });

  it('a failed build: the status bar, its tooltip and an error message say so', async () => {
    const { editor, status, root } = await start();
    writeFileSync(join(root, 'FAIL'), '');
    const report = (await editor.execute('codegend.build')) as { ok: boolean };
    expect(report.ok).toBe(false);
    expect(status.text).toBe('codegend: build failed');
    expect(String(status.tooltip).split('\n')).toEqual([
      'Build #1 (request) failed in 420 ms: 1 error',
      `${join(root, 'prog.mir')}:5:9: mismatched operand types for \`Add\`: \`i32\` and \`i64\``,
      'The outputs of the last good build are still in place.',
      'Click to see the problems.',
    ]);
    expect(status.command).toBe('workbench.actions.view.problems');
    expect((status.backgroundColor as { id: string }).id).toBe('statusBarItem.errorBackground');
    expect(editor.messages).toEqual([{ kind: 'error', text: `codegend: build failed (1 error): ${join(root, 'prog.mir')}:5:9: mismatched operand types for \`Add\`: \`i32\` and \`i64\`` }]);
  });

  it('a degraded daemon is a warning in the status bar, with its problems in the tooltip', async () => {
    const { status, root, editor } = await start();
    writeFileSync(join(root, 'DEGRADED'), '');
    await editor.execute('codegend.restart');
    await waitFor('the degraded status', () => status.text.startsWith('$(warning)'));
    expect(status.text).toBe('$(warning) codegend: ready');
    expect(String(status.tooltip)).toContain('The daemon is degraded:\n• codegend.json:1:1: error: the manifest must be a JSON object');
    expect((status.backgroundColor as { id: string }).id).toBe('statusBarItem.warningBackground');
  });

  it('Explain Rebuild prints the explanation into the codegend output and reveals it', async () => {
    const { editor } = await start();
    await editor.execute('codegend.explain');
    const out = editor.outputChannel('codegend')!;
    expect(out.text).toContain('Explain Rebuild: every unit\nNo build to explain yet: run “codegend: Build”.');
    await editor.execute('codegend.build');
    // As a code lens runs it: with the function's path.
    const result = await editor.execute('codegend.explain', 'fib');
    expect(result).toMatchObject({ units: [{ name: 'prog.a', matched: ['fib'] }] });
    expect(out.text).toContain('Explain Rebuild: fib\nlast build of prog (#1, succeeded, 1234 ms):\n  prog.a: rebuilt\n    - the body of fib changed\n');
    expect(out.shown).toBe(2);
  });

  it('Cache Stats prints the statistics into the codegend output', async () => {
    const { editor, root } = await start();
    await editor.execute('codegend.cacheStats');
    const text = editor.outputChannel('codegend')!.text;
    expect(text).toContain(`Cache location                    ${join(root, '.codegend')}`);
    expect(text).toContain('Hit rate                          80.0 %');
    expect(text).toContain('  #2 2025-01-02T03:04:05.000Z prog: ok, 1.2 s, 3 units: 1 compiled, 1 PostLto, 1 PreLto');
  });

  it('Show Generated Code opens the code of the function at the cursor beside the MIR', async () => {
    const { editor, prog } = await start();
    const source = await editor.showFile(prog, 5, 8);
    const shown = (await editor.execute('codegend.showGeneratedCode')) as TextEditor;
    expect(shown.document.uri.scheme).toBe('codegend-emit');
    expect(shown.document.uri.path).toBe('/fib.ll');
    expect(shown.document.getText()).toBe('; fib after build 0\ndefine i32 @fib() {\nstart:\n  %_2 = add i32 1, 2\n  ret i32 %_2\n}\n');
    expect(shown.viewColumn).toBe(source.viewColumn + 1);
    // The focus stays in the MIR, and the cursor's line is highlighted in the code.
    expect(editor.activeEditor).toBe(source);
    expect(decorated(shown)).toEqual([4]);
  });

  it('the cursor links generated lines and MIR lines both ways; hover and definition lead to the MIR', async () => {
    const { editor, prog } = await start();
    const source = await editor.showFile(prog, 0);
    const shown = (await editor.execute('codegend.showGeneratedCode')) as TextEditor;
    editor.moveCursor(shown, 3);
    expect(decorated(source)).toEqual([4]);
    expect(source.revealed.at(-1)?.start.line).toBe(4);
    editor.moveCursor(shown, 1);
    expect(decorated(source)).toEqual([]);
    editor.moveCursor(source, 5);
    expect(decorated(shown)).toEqual([4]);

    const hover = (await editor.providerFor('Hover', shown.document).provideHover(shown.document, new Position(4, 2))) as Hover;
    expect((hover.contents[0] as MarkdownString).value).toBe('From MIR `prog.mir:6:9`\n```mir\nreturn;\n```\n');
    expect(await editor.providerFor('Hover', shown.document).provideHover(shown.document, new Position(1, 0))).toBeUndefined();
    const def = editor.providerFor('Definition', shown.document).provideDefinition(shown.document, new Position(3, 0)) as Location;
    expect(def.uri.fsPath).toBe(prog);
    expect(def.range.start).toEqual(new Position(4, 8));
  });

  it('Show Generated Code follows codegend.emit.form', async () => {
    const { editor, prog } = await start({ settings: { 'codegend.emit.form': 'asm' } });
    await editor.showFile(prog, 12);
    const shown = (await editor.execute('codegend.showGeneratedCode')) as TextEditor;
    expect(shown.document.uri.path).toBe('/main.s');
    expect(shown.document.getText()).toBe('main:\n\tmovl $3, %eax\n\tretq\n');
  });

  it('the daemon\'s code lenses run the extension\'s commands', async () => {
    const { editor, prog } = await start();
    const doc = (await editor.showFile(prog)).document;
    const lenses = (await editor.providerFor('CodeLens', doc).provideCodeLenses(doc, new CancellationTokenSource().token)) as CodeLens[];
    expect(lenses.map((l) => [l.range.start.line, l.command?.command, l.command?.arguments])).toEqual([
      [0, 'codegend.explain', ['fib']],
      [0, 'codegend.showGeneratedCode', [Uri.file(prog).toString(), 'fib']],
      [9, 'codegend.explain', ['main']],
      [9, 'codegend.showGeneratedCode', [Uri.file(prog).toString(), 'main']],
    ]);
    const lens = lenses[3]!.command!;
    const shown = (await editor.execute(lens.command, ...lens.arguments!)) as TextEditor;
    expect(shown.document.uri.path).toBe('/main.ll');
    expect(editor.messages).toEqual([]);
  });

  it('generated code is refreshed after every build', async () => {
    const { editor, prog } = await start();
    await editor.showFile(prog, 4);
    const shown = (await editor.execute('codegend.showGeneratedCode')) as TextEditor;
    expect(shown.document.getText()).toContain('after build 0');
    await editor.execute('codegend.build');
    await Promise.all(editor.refreshes);
    expect(shown.document.getText()).toContain('after build 1');
    expect(shown.document.version).toBe(2);
  });

  it('Show Generated Code without a .mir editor is an error message, not an exception', async () => {
    const { editor } = await start();
    expect(await editor.execute('codegend.showGeneratedCode')).toBeUndefined();
    expect(editor.messages).toEqual([{ kind: 'error', text: 'codegend: Show Generated Code needs a .mir file open with the cursor in a function.' }]);
  });

  it('diagnostics the daemon publishes reach the editor', async () => {
    const { editor, prog } = await start({ files: { 'prog.mir': PROG.replace('let mut _0: u64;', 'let mut _0: u64; // WARN') } });
    const doc = await editor.openDocument(prog);
    const diagnostics = await waitFor('diagnostics', () => editor.diagnosticsOf(doc.uri).length > 0 && editor.diagnosticsOf(doc.uri));
    expect(diagnostics.map((d) => [d.range.start.line, d.severity, d.message])).toEqual([[1, 1, 'fake warning']]);
  });

  it('Restart, and a change of codegend.server.*, start a new daemon', async () => {
    const { editor, root, status } = await start();
    const [first] = fakeDaemonPids(root);
    await editor.execute('codegend.build');
    await editor.execute('codegend.restart');
    expect(status.text).toBe('codegend: ready');
    await waitFor('the first daemon to exit', () => !alive(first!));
    expect(fakeDaemonPids(root)).toHaveLength(2);
    // A new process: its builds count from 1 again.
    await editor.execute('codegend.build');
    expect(String(status.tooltip)).toContain('Build #1 (request)');

    editor.setSetting('codegend.server.args', ['--jobs', '2']);
    await waitFor('a third daemon', () => fakeDaemonPids(root).length === 3);
    await waitFor('the daemon to run again', () => status.text === 'codegend: ready');
  });

  it('shutting the editor down stops the daemon', async () => {
    const { root, stop } = await start();
    const [pid] = fakeDaemonPids(root);
    expect(alive(pid!)).toBe(true);
    await stop();
    running.length = 0;
    await waitFor('the daemon to exit', () => !alive(pid!));
  });

  it('a daemon that cannot start: the status bar says why, and commands report it', async () => {
    const { editor, status } = await start({ settings: { 'codegend.server.path': join(dir, 'no-such-codegend') }, expectErrors: true });
    expect(status.text).toBe('codegend: not running');
    expect(String(status.tooltip)).toMatch(/^Could not start `.*no-such-codegend serve --stdio --root \/.*`: .*ENOENT.*\. Check the codegend\.server\.path setting\.\nClick to restart it\.$/);
    expect(status.command).toBe('codegend.restart');
    expect(await editor.execute('codegend.build')).toBeUndefined();
    expect(editor.messages.at(-1)).toEqual({ kind: 'error', text: 'codegend: the daemon is not running (run “codegend: Restart”)' });
  });
});
