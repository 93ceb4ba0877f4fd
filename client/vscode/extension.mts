// The extension's entry point. `activate` wires the pieces together — the daemon
// session (session.ts), the status bar (status-bar.ts), the generated-code view
// (generated-code.ts) — and registers the commands; everything else lives in those files.
// The server's code lenses call `codegend.explain` and `codegend.showGeneratedCode`.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { formatCacheStats } from '../cache-stats-text.js';
import { buildFailureMessage, formatExplain } from './format.mjs';
import { GeneratedCodeView } from './generated-code.mjs';
import { DaemonSession, Requests } from './session.mjs';
import { readSettings, serverCommand, type Settings } from './settings.mjs';
import { BuildStatusBar } from './status-bar.mjs';

// `deactivate` takes no arguments, so the session it stops has to be found here.
let session: DaemonSession | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const reports = vscode.window.createOutputChannel('codegend');
  const statusBar = new BuildStatusBar();
  let root = workspaceRoot();
  let buildsFinished = 0;
  const daemon = new DaemonSession(
    () => {
      root = workspaceRoot();
      return serverCommand(settings(), root);
    },
    {
      state: (state, error) => {
        statusBar.setConnection(state, error);
        if (state === 'running') void refreshStatus();
      },
      buildFinished: (p) => {
        buildsFinished++;
        statusBar.setBuild(p);
        view.invalidate();
      },
    },
  );
  const view = new GeneratedCodeView(daemon, () => settings().emitForm, () => root?.folder);

  async function refreshStatus(): Promise<void> {
    try {
      statusBar.setStatus(await daemon.request(Requests.status, {}));
    } catch (e) {
      daemon.log.warn(`codegend/status: ${messageOf(e)}`);
    }
  }

  function report(text: string): void {
    reports.appendLine(`── ${new Date().toLocaleTimeString()} ${'─'.repeat(40)}`);
    reports.append(text);
    reports.show(true);
  }

  context.subscriptions.push(
    reports,
    statusBar,
    daemon,
    view,
    command('codegend.build', async () => {
      const before = buildsFinished;
      const r = await daemon.request(Requests.build, {});
      // The buildFinished notification carries more (the build's id and trigger).
      if (buildsFinished === before) statusBar.setBuild(r);
      if (!r.ok) void vscode.window.showErrorMessage(buildFailureMessage(r));
      return r;
    }),
    command('codegend.explain', async (target?: unknown) => {
      const t = typeof target === 'string' ? target : undefined;
      const r = await daemon.request(Requests.explain, t === undefined ? {} : { target: t });
      report(formatExplain(r, t));
      return r;
    }),
    command('codegend.cacheStats', async () => {
      const r = await daemon.request(Requests.cacheStats, {});
      report(formatCacheStats(r));
      return r;
    }),
    // From a code lens: (uri, functionPath); from the palette or the editor menu: the cursor.
    command('codegend.showGeneratedCode', async (_uri?: unknown, fn?: unknown) => view.show(typeof fn === 'string' ? fn : undefined)),
    command('codegend.restart', () => daemon.restart()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('codegend.server')) void daemon.restart();
    }),
  );
  session = daemon;
  // Not awaited: activation should not wait for the daemon; requests wait for it instead.
  void daemon.start();
}

export async function deactivate(): Promise<void> {
  const s = session;
  session = undefined;
  await s?.stop();
}

function settings(): Settings {
  return readSettings((key, fallback) => vscode.workspace.getConfiguration('codegend').get(key, fallback));
}

/**
 * What the daemon serves: the workspace folder with a codegend.json, else the .mir file
 * being edited (`serve --root FILE.mir`), else the first folder.
 */
function workspaceRoot(): { path: string; folder: string } | undefined {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  const withManifest = folders.find((f) => existsSync(join(f, 'codegend.json')));
  if (withManifest) return { path: withManifest, folder: withManifest };
  const doc = vscode.window.activeTextEditor?.document;
  if (doc?.languageId === 'mir' && doc.uri.scheme === 'file') return { path: doc.uri.fsPath, folder: dirname(doc.uri.fsPath) };
  return folders[0] === undefined ? undefined : { path: folders[0], folder: folders[0] };
}

/** A command whose failure is an error message, not an exception in the editor's log. */
function command(id: string, run: (...args: unknown[]) => Promise<unknown>): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await run(...args);
    } catch (e) {
      void vscode.window.showErrorMessage(`codegend: ${messageOf(e)}`);
      return undefined;
    }
  });
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
