// One client of the daemon: an editor over stdio, or a CLI, build watcher or script over
// the socket. Each gets its own JSON-RPC connection (vscode-languageserver, on the
// validating reader of message-reader.ts) and shares the one workspace: its requests go
// to the workspace, and the workspace's events (build progress, finished builds,
// diagnostics) come to every client. A handler that fails answers with an error; it
// never takes the daemon down, and neither does a client that disconnects mid-build.

import type { Readable, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import {
  type CancellationToken,
  type Connection,
  createConnection,
  ErrorCodes,
  type InitializeResult,
  ResponseError,
  TextDocumentSyncKind,
  TextDocuments,
  type WorkDoneProgressBegin,
  type WorkDoneProgressEnd,
  type WorkDoneProgressReport,
} from 'vscode-languageserver';
import { createProtocolConnection, StreamMessageWriter } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { checkCrate } from '../src/mir/check.js';
import { type Diagnostic, SourceFile } from '../src/diagnostics.js';
import { VERSION } from '../src/version.js';
import { ValidatingMessageReader } from './message-reader.js';
import { LanguageFeatures } from './language-features.js';
import { buildProgressToken, type BuildParams, type EmitParams, type ExplainParams, Methods } from './protocol.js';
import { toLspDiagnostics } from './language.js';
import type { Workspace, WorkspaceEvents } from './workspace.js';
import { emitForWorkspace } from './emit.js';
import { pathOf } from './uri.js';

export interface SessionOptions {
  /** The client asked to exit (LSP `exit`), or its stream ended. */
  onClose: () => void;
  /** `codegend/shutdown`: stop the whole daemon. */
  onShutdownDaemon: () => void;
}

/** How long typing in a .mir file outside the crate must pause before it is checked. */
const CHECK_DEBOUNCE_MS = 200;

/** The largest string parameter accepted (a function path, a target). */
const MAX_NAME = 4096;

export class ClientSession {
  readonly connection: Connection;
  private readonly documents = new TextDocuments(TextDocument);
  private readonly language: LanguageFeatures;
  /** Set by `initialize`: the client is an editor that speaks LSP. */
  private editor: { workDoneProgress: boolean } | undefined;
  private closed = false;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly workspace: Workspace,
    input: Readable,
    output: Writable,
    private readonly options: SessionOptions,
  ) {
    const writer = new StreamMessageWriter(output);
    const reader = new ValidatingMessageReader(input, (response) => {
      if (!this.closed) writer.write(response).catch(() => undefined);
    });
    let shutdownReceived = false;
    // The library's own complaints go to the daemon's stderr: logging them to a client whose
    // connection is already gone would throw.
    const complain = (m: string) => {
      // Whatever could not be written to a client that has just left is no news.
      if (!this.closed && output.writable) process.stderr.write(`codegend: connection: ${m}\n`);
    };
    const logger = { error: complain, warn: complain, info: () => undefined, log: () => undefined };
    this.connection = createConnection(() => createProtocolConnection(reader, writer, logger), {
      get shutdownReceived() {
        return shutdownReceived;
      },
      set shutdownReceived(v: boolean) {
        shutdownReceived = v;
      },
      initialize: () => undefined,
      exit: () => this.close(),
    });
    this.language = new LanguageFeatures(workspace);
    this.registerLifecycle();
    this.registerDocuments();
    this.registerRequests();
    this.forwardEvents();
    reader.onClose(() => this.close());
    workspace.clients++;
    this.connection.listen();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.workspace.clients--;
    for (const u of this.unsubscribe) u();
    for (const t of this.checks.values()) clearTimeout(t);
    // The editor's unsaved texts go with it: what the disk holds is built again.
    let sourcesDropped = false;
    for (const d of this.documents.all()) {
      const path = pathOf(d.uri);
      if (path === undefined) continue;
      this.workspace.clearOverlay(path);
      sourcesDropped ||= this.workspace.isSource(path);
    }
    if (sourcesDropped) this.workspace.scheduleBuild('edit');
    try {
      this.connection.dispose();
    } catch {
      // Already gone with its stream.
    }
    this.options.onClose();
  }

  // ------------------------------------------------------------ LSP lifecycle and documents

  private registerLifecycle(): void {
    this.connection.onInitialize((params): InitializeResult => {
      this.editor = { workDoneProgress: params.capabilities.window?.workDoneProgress === true };
      return {
        capabilities: {
          textDocumentSync: TextDocumentSyncKind.Incremental,
          documentSymbolProvider: true,
          hoverProvider: true,
          definitionProvider: true,
          codeLensProvider: { resolveProvider: false },
        },
        serverInfo: { name: 'codegend', version: VERSION },
      };
    });
    this.connection.onInitialized(() => this.publishAll());
    this.connection.onShutdown(() => undefined);
  }

  private registerDocuments(): void {
    const changed = (uri: string, text: string) => {
      const path = pathOf(uri);
      if (path === undefined) return;
      this.workspace.setOverlay(path, text);
      if (this.workspace.isSource(path)) this.workspace.scheduleBuild('edit');
      else if (path.endsWith('.mir')) this.scheduleCheck(uri, path);
    };
    this.documents.onDidOpen((e) => changed(e.document.uri, e.document.getText()));
    this.documents.onDidChangeContent((e) => changed(e.document.uri, e.document.getText()));
    this.documents.onDidClose((e) => {
      const path = pathOf(e.document.uri);
      if (path === undefined) return;
      clearTimeout(this.checks.get(e.document.uri));
      this.checks.delete(e.document.uri);
      this.workspace.clearOverlay(path);
      if (this.workspace.isSource(path)) this.workspace.scheduleBuild('edit');
      else void this.send('textDocument/publishDiagnostics', { uri: e.document.uri, diagnostics: [] });
    });
    this.documents.listen(this.connection);
  }

  private readonly checks = new Map<string, NodeJS.Timeout>();

  /** A .mir file outside the workspace's crate: checked on its own once typing pauses. */
  private scheduleCheck(uri: string, path: string): void {
    clearTimeout(this.checks.get(uri));
    this.checks.set(
      uri,
      setTimeout(() => {
        this.checks.delete(uri);
        const text = this.documents.get(uri)?.getText();
        if (text !== undefined && !this.closed) this.checkAlone(uri, path, text);
      }, CHECK_DEBOUNCE_MS),
    );
  }

  private checkAlone(uri: string, path: string, text: string): void {
    const file = new SourceFile(path, text);
    const { diagnostics } = checkCrate([file]);
    void this.send('textDocument/publishDiagnostics', { uri, diagnostics: toLspDiagnostics(diagnostics.filter((d) => d.file === file), file) });
  }

  // ------------------------------------------------------------ requests

  private registerRequests(): void {
    const c = this.connection;
    this.handle(Methods.build, (p) => optionalObject<BuildParams>(p, {}), () => this.workspace.requestBuild('request'));
    this.handle(Methods.cacheStats, noParams, () => this.workspace.cacheStats());
    this.handle(Methods.units, noParams, () => this.workspace.units());
    this.handle(Methods.explain, (p) => optionalObject<ExplainParams>(p, { target: 'string' }), (p) => this.workspace.explain(p.target));
    this.handle(Methods.emit, (p) => optionalObject<EmitParams>(p, { function: 'string', uri: 'string', position: 'object', form: 'string' }), (p, token) => emitForWorkspace(this.workspace, validEmit(p), token));
    this.handle(Methods.status, noParams, () => this.workspace.status());
    this.handle(Methods.clean, noParams, () => this.workspace.clean());
    this.handle(Methods.shutdown, noParams, () => {
      // After the answer is on its way.
      setTimeout(() => this.options.onShutdownDaemon(), 50);
      return null;
    });
    c.onDocumentSymbol((p) => this.language.documentSymbols(p.textDocument.uri));
    c.onHover((p) => this.language.hover(p.textDocument.uri, p.position));
    c.onDefinition((p) => this.language.definition(p.textDocument.uri, p.position));
    c.onCodeLens((p) => this.language.codeLenses(p.textDocument.uri));
  }

  /** A request handler whose parameters are checked first and whose failures become error responses. */
  private handle<P, R>(method: string, validate: (params: unknown) => P, run: (params: P, token: CancellationToken) => R | Promise<R>): void {
    // vscode-jsonrpc passes no parameter, one object, or an array's elements, then the token.
    this.connection.onRequest(method, async (...args: unknown[]) => {
      const token = args.pop() as CancellationToken;
      const params = args.length === 0 ? undefined : args.length === 1 ? args[0] : args;
      let p: P;
      try {
        p = validate(params);
      } catch (e) {
        return new ResponseError(ErrorCodes.InvalidParams, `invalid params for ${method}: ${(e as Error).message}`);
      }
      try {
        return await run(p, token);
      } catch (e) {
        if (e instanceof ResponseError) return e;
        return new ResponseError(ErrorCodes.InternalError, `internal error in ${method}: ${(e as Error)?.message ?? String(e)}`);
      }
    });
  }

  // ------------------------------------------------------------ events

  private forwardEvents(): void {
    const listen = <K extends keyof WorkspaceEvents>(event: K, f: (...args: WorkspaceEvents[K]) => void) => {
      this.workspace.on(event, f as never);
      this.unsubscribe.push(() => this.workspace.off(event, f as never));
    };
    listen('buildStarted', (e) => void this.progress(e.buildId, { kind: 'begin', title: 'codegend: building', cancellable: false, message: 'starting', percentage: 0 }));
    listen('progress', (p) => {
      const message = p.total === 0 ? 'nothing to compile' : `unit ${p.done}/${p.total}${p.unit ? ` (${p.unit})` : ''}`;
      void this.progress(p.buildId, { kind: 'report', message, percentage: p.total === 0 ? 100 : Math.round((100 * p.done) / p.total) });
    });
    listen('buildFinished', (f) => {
      const rebuilt = f.cgus.filter((u) => u.reuse === 'No').length;
      void this.progress(f.buildId, { kind: 'end', message: f.ok ? `${rebuilt} rebuilt, ${f.cgus.length - rebuilt} reused, ${f.ms} ms` : 'failed' });
      void this.send(Methods.buildFinished, f);
    });
    listen('diagnostics', (byFile) => this.publish(byFile));
  }

  private readonly progressTokens = new Map<number, Promise<boolean>>();

  /**
   * `$/progress` of a build. An editor that supports server-initiated progress is asked
   * to create the token first, as LSP requires; a plain JSON-RPC client gets the
   * notifications directly.
   */
  private async progress(buildId: number, value: WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd): Promise<void> {
    const token = buildProgressToken(buildId);
    if (value.kind === 'begin') {
      const created = this.editor === undefined ? Promise.resolve(true) : this.editor.workDoneProgress ? this.request('window/workDoneProgress/create', { token }) : Promise.resolve(false);
      this.progressTokens.set(buildId, created);
    }
    const ok = await (this.progressTokens.get(buildId) ?? Promise.resolve(false));
    if (ok) await this.send('$/progress', { token, value });
    if (value.kind === 'end') this.progressTokens.delete(buildId);
  }

  private publish(byFile: Map<string, Diagnostic[]>): void {
    for (const [path, diagnostics] of byFile) {
      if (!path.endsWith('.mir')) continue;
      // A file without diagnostics (any more) needs no text: its list is cleared.
      const file = diagnostics[0]?.file;
      void this.send('textDocument/publishDiagnostics', { uri: pathToFileURL(path).href, diagnostics: file ? toLspDiagnostics(diagnostics, file) : [] });
    }
  }

  /** The last build's diagnostics, for a client that just arrived. */
  private publishAll(): void {
    const last = this.workspace.lastDiagnostics();
    if (last.size > 0) this.publish(last);
  }

  private async send(method: string, params: unknown): Promise<void> {
    if (this.closed) return;
    try {
      await this.connection.sendNotification(method, params);
    } catch {
      // The client went away; its session closes with its stream.
    }
  }

  private async request(method: string, params: unknown): Promise<boolean> {
    if (this.closed) return false;
    try {
      await this.connection.sendRequest(method, params);
      return true;
    } catch {
      return false;
    }
  }
}

function noParams(params: unknown): undefined {
  const empty = params === undefined || params === null || (typeof params === 'object' && Object.keys(params).length === 0);
  if (!empty) throw new Error('this method takes no parameters');
  return undefined;
}

type FieldKind = 'string' | 'boolean' | 'object';

/** An object with only the given optional fields, of the given kinds (strings bounded). */
function optionalObject<T>(params: unknown, fields: Record<string, FieldKind>): T {
  if (params === undefined || params === null) return {} as T;
  if (typeof params !== 'object' || Array.isArray(params)) throw new Error('expected an object');
  for (const [k, v] of Object.entries(params)) {
    const kind = fields[k];
    if (!kind) throw new Error(`unknown field "${k}"`);
    if (v === undefined || v === null) continue;
    if (kind === 'object' ? typeof v !== 'object' || Array.isArray(v) : typeof v !== kind) throw new Error(`"${k}" must be a ${kind}`);
    if (typeof v === 'string' && v.length > MAX_NAME) throw new Error(`"${k}" is longer than ${MAX_NAME} characters`);
  }
  return params as T;
}

function validEmit(p: EmitParams): EmitParams {
  if (p.form !== undefined && p.form !== 'llvm-ir' && p.form !== 'asm') throw new ResponseError(ErrorCodes.InvalidParams, '"form" must be "llvm-ir" or "asm"');
  if (p.function === undefined && (p.uri === undefined || p.position === undefined)) throw new ResponseError(ErrorCodes.InvalidParams, 'give "function", or "uri" and "position"');
  if (p.position !== undefined && (!Number.isInteger(p.position.line) || !Number.isInteger(p.position.character) || p.position.line < 0 || p.position.character < 0)) {
    throw new ResponseError(ErrorCodes.InvalidParams, '"position" must be { line, character } with non-negative integers');
  }
  return p;
}
