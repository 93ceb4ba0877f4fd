// Running the extension in the tests: its bundle (made by the global setup, as
// `npm run build` makes it) and the scripted daemon's, a workspace folder, an editor
// stand-in with the extension activated in it, and a helper to wait for what the
// extension does asynchronously.

import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { build } from 'esbuild';
import { REPO_ROOT } from '../support/paths.js';
import { EditorStandIn, type EditorOptions, type StatusBarItem, type TextEditor } from './stand-in/editor.js';
import { extensionContext, loadExtension, shutDown, type ExtensionContext, type ExtensionModule } from './stand-in/load.js';
import { Uri } from './stand-in/values.js';

export const EXTENSION_DIR = join(REPO_ROOT, 'client/vscode');
/**
 * The bundle the manifest names, made from this tree by test/support/global-setup.ts.
 * scripts/bundle.mjs renames each file into place, so loading it never reads one that
 * package.test.ts's `npm run package:vscode` is rewriting.
 */
const EXTENSION_BUNDLE = join(EXTENSION_DIR, 'dist/extension.js');

// The daemon's shebang (`#!/usr/bin/env node`) must find the node running the tests.
process.env.PATH = `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`;

const tempDirs: string[] = [];

/** A directory of its own under the system's temporary directory, until removeTempDirs(). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `codegend-vscode-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const d of tempDirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** fake-daemon.ts as an executable script, for `codegend.server.path`. */
export async function bundleFakeDaemon(dir: string): Promise<string> {
  const out = join(dir, 'fake-daemon.cjs');
  await build({
    entryPoints: [join(REPO_ROOT, 'test/vscode/fake-daemon.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: out,
    logLevel: 'warning',
    banner: { js: '#!/usr/bin/env node' },
  });
  chmodSync(out, 0o755);
  return out;
}

/** A workspace folder with a codegend.json and the given files. */
export function workspaceFolder(files: Record<string, string>, manifest: object = { sources: ['*.mir'], output: 'build/prog' }): string {
  const dir = tempDir('ws');
  writeFileSync(join(dir, 'codegend.json'), JSON.stringify(manifest, null, 2));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

export interface Running {
  editor: EditorStandIn;
  ext: ExtensionModule;
  context: ExtensionContext;
  /** The extension's status bar item. */
  status: StatusBarItem;
  stop(): Promise<void>;
}

/** The bundle loaded into a new editor and activated, as the editor does on a .mir file. */
export function activate(options: EditorOptions): Running {
  const editor = new EditorStandIn(options);
  const ext = loadExtension(EXTENSION_BUNDLE, editor);
  const context = extensionContext(EXTENSION_DIR);
  ext.activate(context);
  const status = editor.statusBarItems.find((i) => i.id === 'codegend.status');
  if (!status) throw new Error('activation created no codegend status bar item');
  return { editor, ext, context, status, stop: () => shutDown(ext, context) };
}

/** Waits until the language client has registered the daemon's `kinds` of providers for .mir files. */
export async function languageFeatures(editor: EditorStandIn, kinds: string[]): Promise<void> {
  const mir = { uri: Uri.file('/any.mir'), languageId: 'mir' };
  for (const kind of kinds) await waitFor(`a ${kind} provider for .mir files`, () => editor.providerFor(kind, mir) !== undefined);
}

/** Waits until `f` returns something other than undefined or false, and returns it. */
export async function waitFor<T>(what: string, f: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = f();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The 0-based lines an editor's decorations cover (the extension uses one decoration type). */
export function decorated(editor: TextEditor): number[] {
  return [...editor.decorations.values()].flat().map((r) => r.start.line);
}

/** Whether a process is alive. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pids of the scripted daemons started in `root`. */
export function fakeDaemonPids(root: string): number[] {
  return readdirSync(root)
    .filter((f) => /^fake-daemon\.\d+\.pid$/.test(f))
    .map((f) => Number(readFileSync(join(root, f), 'utf8')));
}
