// `codegend serve`: the daemon. One workspace per root, served over stdio (an editor)
// and/or a Unix domain socket (the CLI, build watchers, scripts; several at once). The
// socket is created owner-only (mode 0600), and its path is recorded in
// `<root>/.codegend/daemon.json` with the daemon's pid, where the CLI looks for it
// (see client/daemon-client.ts). The daemon builds once at start, so its state is warm,
// then on edits (watcher.ts, an editor's changes) and on request.

import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import type { FSWatcher } from 'chokidar';
import { VERSION } from '../src/version.js';
import { CACHE_DIR_NAME } from './manifest.js';
import { ClientSession } from './session.js';
import { watchWorkspace } from './watcher.js';
import { Workspace } from './workspace.js';

export interface ServeOptions {
  /** The workspace root: a directory with codegend.json, or a single .mir file. */
  root: string;
  stdio: boolean;
  /** The socket to listen on; `defaultSocketPath(root)` when serving without stdio. */
  socket?: string;
  /** Watch the sources on disk (default true). */
  watch?: boolean;
  /** Build once at start (default true). */
  buildAtStart?: boolean;
  jobs?: number;
}

/** What `daemon.json` records, for clients to find the daemon. */
export interface DaemonRecord {
  pid: number;
  socket: string;
  root: string;
  version: string;
  startedAt: number;
}

/** The directory of a workspace's daemon files (`daemon.json`, the default socket). */
function daemonDir(root: string): string {
  const at = resolve(root);
  return join(at.endsWith('.mir') ? dirname(at) : at, CACHE_DIR_NAME);
}

export function defaultSocketPath(root: string): string {
  return join(daemonDir(root), 'daemon.sock');
}

export function daemonRecordPath(root: string): string {
  return join(daemonDir(root), 'daemon.json');
}

/** Unix domain socket paths are limited to 107 bytes on Linux. */
const MAX_SOCKET_PATH = 107;

/** A running daemon; `stopped` resolves when it has shut down. */
export interface Daemon {
  workspace: Workspace;
  socket?: string;
  stop(): Promise<void>;
  stopped: Promise<void>;
}

export async function serve(options: ServeOptions): Promise<Daemon> {
  keepGoingOnStrayErrors();
  const root = resolve(options.root);
  // The backend's and the linker's scratch files (theirs and their tools', through
  // TMPDIR) stay inside the workspace too.
  const scratch = join(daemonDir(root), 'tmp');
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  process.env.TMPDIR = scratch;
  const workspace = new Workspace(root, { jobs: options.jobs });
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let watcher: FSWatcher | undefined;
  let socketPath: string | undefined;
  let resolveStopped!: () => void;
  const stopped = new Promise<void>((r) => (resolveStopped = r));
  let stopping: Promise<void> | undefined;

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await watcher?.close().catch(() => undefined);
      // Ending (not destroying) lets answers already written reach their clients.
      for (const s of sockets) {
        s.end();
        setTimeout(() => s.destroy(), 1000).unref();
      }
      await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
      rmSync(scratch, { recursive: true, force: true });
      if (socketPath) {
        rmSync(socketPath, { force: true });
        const record = daemonRecordPath(root);
        if (readRecord(record)?.pid === process.pid) rmSync(record, { force: true });
      }
      resolveStopped();
    })();
    return stopping;
  };

  if (options.socket !== undefined || !options.stdio) {
    socketPath = resolve(options.socket ?? defaultSocketPath(root));
    if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH) throw new ServeError(`the socket path ${socketPath} is longer than ${MAX_SOCKET_PATH} bytes, the limit of Unix sockets; give a shorter one with --socket PATH`);
    mkdirSync(dirname(socketPath), { recursive: true });
    if (existsSync(socketPath)) {
      if (await answers(socketPath)) throw new ServeError(`a daemon is already listening on ${socketPath}`);
      rmSync(socketPath, { force: true });
    }
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => socket.destroy());
      socket.on('close', () => sockets.delete(socket));
      new ClientSession(workspace, socket, socket, { onClose: () => socket.destroy(), onShutdownDaemon: () => void stop() });
    });
    await listenOwnerOnly(server, socketPath);
    writeRecord(daemonRecordPath(root), { pid: process.pid, socket: socketPath, root, version: VERSION, startedAt: Date.now() });
  }
  if (options.stdio) {
    new ClientSession(workspace, process.stdin, process.stdout, { onClose: () => void stop(), onShutdownDaemon: () => void stop() });
  }
  if (options.watch !== false) watcher = watchWorkspace(workspace);
  if (options.buildAtStart !== false && workspace.config) void workspace.requestBuild('start');
  return { workspace, socket: socketPath, stop, stopped };
}

let guarded = false;

/**
 * An error no handler caught (a library callback on a connection that just closed) is a
 * bug to report, not a reason to drop every other client: it is logged, and the daemon
 * goes on.
 */
function keepGoingOnStrayErrors(): void {
  if (guarded) return;
  guarded = true;
  const report = (what: string) => (e: unknown) => process.stderr.write(`codegend: internal error (${what}), the daemon goes on: ${(e as Error)?.stack ?? String(e)}\n`);
  process.on('uncaughtException', report('uncaught exception'));
  process.on('unhandledRejection', report('unhandled rejection'));
}

/** A problem that keeps the daemon from starting, said plainly. */
export class ServeError extends Error {}

/** Listens with a umask that leaves the socket to its owner alone, then makes sure of it. */
function listenOwnerOnly(server: Server, path: string): Promise<void> {
  return new Promise((resolveListen, reject) => {
    const old = process.umask(0o177);
    server.once('error', (e) => {
      process.umask(old);
      reject(new ServeError(`cannot listen on ${path}: ${e.message}`));
    });
    server.listen(path, () => {
      process.umask(old);
      chmodSync(path, 0o600);
      resolveListen();
    });
  });
}

/** A connection to the socket; undefined when nothing accepts it (no daemon, or a stale file). */
export function connectSocket(path: string): Promise<Socket | undefined> {
  return new Promise((r) => {
    const s = connect(path);
    s.once('connect', () => r(s));
    s.once('error', () => r(undefined));
  });
}

/** Whether something accepts connections on the socket (a live daemon, not a stale file). */
async function answers(path: string): Promise<boolean> {
  const s = await connectSocket(path);
  s?.destroy();
  return s !== undefined;
}

export function readRecord(path: string): DaemonRecord | undefined {
  try {
    const r = JSON.parse(readFileSync(path, 'utf8')) as DaemonRecord;
    return typeof r.socket === 'string' && typeof r.pid === 'number' ? r : undefined;
  } catch {
    return undefined;
  }
}

function writeRecord(path: string, record: DaemonRecord): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(record, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, path);
}
