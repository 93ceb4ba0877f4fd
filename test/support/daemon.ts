// The daemon as its users meet it: `codegend serve` as a child process, JSON-RPC clients
// on its Unix socket or its stdio, and workspaces made of corpus programs in temporary
// directories.

import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMessageConnection, type MessageConnection, SocketMessageReader, SocketMessageWriter, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { BuildFinishedParams } from '../../server/protocol.js';
import { CORPUS_DIR, REPO_ROOT } from './paths.js';

export const CLI = join(REPO_ROOT, 'dist/codegend.mjs');

/** A workspace holding corpus programs (their .mir and .rs) and a manifest. */
export function corpusWorkspace(programs: string[], manifest: object): string {
  const dir = mkdtempSync(join(tmpdir(), 'codegend-ws-'));
  for (const p of programs) {
    copyFileSync(join(CORPUS_DIR, `${p}.mir`), join(dir, `${p}.mir`));
    if (existsSync(join(CORPUS_DIR, `${p}.rs`))) copyFileSync(join(CORPUS_DIR, `${p}.rs`), join(dir, `${p}.rs`));
  }
  writeFileSync(join(dir, 'codegend.json'), JSON.stringify(manifest, null, 2));
  return dir;
}

export interface DaemonProcess {
  child: ChildProcess;
  socket: string;
  stderr(): string;
  /** Resolves with the exit code when the process ends. */
  exited: Promise<number | null>;
}

/** `codegend serve --root ROOT …` listening on its default socket (or `--socket` in `args`). */
export async function startDaemon(root: string, args: string[] = []): Promise<DaemonProcess> {
  const child = spawn(process.execPath, [CLI, 'serve', '--root', root, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const i = args.indexOf('--socket');
  const socket = i >= 0 ? args[i + 1]! : join(root, '.codegend', 'daemon.sock');
  const deadline = Date.now() + 20_000;
  while (!(await answers(socket))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the daemon did not start listening on ${socket}:\n${err}`);
    await sleep(50);
  }
  return { child, socket, stderr: () => err, exited };
}

function answers(path: string): Promise<boolean> {
  return new Promise((r) => {
    if (!existsSync(path)) return r(false);
    const s = connect(path);
    s.once('connect', () => {
      s.destroy();
      r(true);
    });
    s.once('error', () => r(false));
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A JSON-RPC client that records every notification it receives. */
export class TestClient {
  readonly finished: BuildFinishedParams[] = [];
  readonly progress: { token: string; value: { kind: string; message?: string; percentage?: number } }[] = [];
  readonly diagnostics: { uri: string; diagnostics: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; message: string; severity?: number }[] }[] = [];

  constructor(
    readonly connection: MessageConnection,
    private readonly onClose: () => void,
  ) {
    connection.onNotification('codegend/buildFinished', (p: BuildFinishedParams) => {
      this.finished.push(p);
    });
    connection.onNotification('$/progress', (p: TestClient['progress'][number]) => {
      this.progress.push(p);
    });
    connection.onNotification('textDocument/publishDiagnostics', (p: TestClient['diagnostics'][number]) => {
      this.diagnostics.push(p);
    });
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.listen();
  }

  request<R>(method: string, params?: unknown): Promise<R> {
    return this.connection.sendRequest<R>(method, params);
  }

  /** Waits until `f` returns something (polling), or fails after `ms`. */
  async waitFor<T>(what: string, f: () => T | undefined, ms = 60_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = f();
      if (v !== undefined && v !== false) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(25);
    }
  }

  close(): void {
    this.connection.dispose();
    this.onClose();
  }
}

export async function socketClient(path: string): Promise<TestClient> {
  const socket = await new Promise<Socket>((resolve, reject) => {
    const s = connect(path);
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
  return new TestClient(createMessageConnection(new SocketMessageReader(socket), new SocketMessageWriter(socket)), () => socket.destroy());
}

/** `codegend serve --stdio` with a client on its stdin and stdout. */
export function stdioDaemon(root: string, args: string[] = []): { client: TestClient; child: ChildProcess; exited: Promise<number | null>; stderr(): string } {
  const child = spawn(process.execPath, [CLI, 'serve', '--stdio', '--root', root, ...args], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const client = new TestClient(createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!)), () => child.stdin!.end());
  return { client, child, exited, stderr: () => err };
}
