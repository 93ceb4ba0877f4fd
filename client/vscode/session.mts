// The connection to the daemon: a `LanguageClient` running `codegend serve --stdio`,
// and the typed custom requests of server/protocol.ts. A restart makes a new client,
// so a changed `codegend.server.*` setting takes effect; the log channel outlives it.

import * as vscode from 'vscode';
import { LanguageClient, NotificationType, RequestType, State, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import {
  Methods,
  type BuildFinishedParams,
  type BuildReport,
  type CacheStatsResult,
  type EmitParams,
  type EmitResult,
  type ExplainParams,
  type ExplainResult,
  type StatusResult,
} from '../../server/protocol.js';
import type { ConnectionState } from './status-state.mjs';
import type { ServerCommand } from './settings.mjs';

/** No parameters: sent as `{}`, as the CLI's daemon client does (early daemons rejected an absent `params`). */
type NoParams = Record<string, never>;

/** The protocol's custom requests, typed once for the whole extension. */
export const Requests = {
  build: new RequestType<NoParams, BuildReport, void>(Methods.build),
  explain: new RequestType<ExplainParams, ExplainResult, void>(Methods.explain),
  emit: new RequestType<EmitParams, EmitResult, void>(Methods.emit),
  cacheStats: new RequestType<NoParams, CacheStatsResult, void>(Methods.cacheStats),
  status: new RequestType<NoParams, StatusResult, void>(Methods.status),
};

const BuildFinished = new NotificationType<BuildFinishedParams>(Methods.buildFinished);

export interface SessionEvents {
  state(state: ConnectionState, error?: string): void;
  buildFinished(params: BuildFinishedParams): void;
}

export class DaemonSession implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<void> | undefined;
  private state: ConnectionState = 'stopped';
  /** The client's log and the daemon's stderr, kept across restarts. */
  readonly log: vscode.LogOutputChannel;

  constructor(
    private readonly command: () => ServerCommand,
    private readonly events: SessionEvents,
  ) {
    this.log = vscode.window.createOutputChannel('codegend daemon', { log: true });
  }

  /** Starts a client with the current settings; a failure is reported as the `failed` state. */
  start(): Promise<void> {
    const cmd = this.command();
    const serverOptions: ServerOptions = { command: cmd.command, args: cmd.args, options: cmd.cwd ? { cwd: cmd.cwd } : {} };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [{ scheme: 'file', language: 'mir' }],
      outputChannel: this.log,
    };
    // The id `codegend` makes the client read `codegend.trace.server`.
    const client = new LanguageClient('codegend', 'codegend daemon', serverOptions, clientOptions);
    this.client = client;
    client.onDidChangeState((e) => {
      if (this.client !== client) return;
      if (e.newState === State.Running) this.setState('running');
      else if (e.newState === State.Starting) this.setState('starting');
      // A failed start reports its own reason; keep it.
      else if (this.state !== 'failed') this.setState('stopped', 'The codegend daemon stopped. See the “codegend daemon” output.');
    });
    client.onNotification(BuildFinished, (p) => {
      if (this.client === client) this.events.buildFinished(p);
    });
    this.setState('starting');
    this.starting = client.start().then(
      () => {
        if (this.client === client) this.setState('running');
      },
      (e: unknown) => {
        if (this.client !== client) return;
        const why = e instanceof Error ? e.message : String(e);
        this.setState('failed', `Could not start \`${[cmd.command, ...cmd.args].join(' ')}\`: ${why}. Check the codegend.server.path setting.`);
      },
    );
    return this.starting;
  }

  /** Stops the daemon (LSP shutdown and exit; the client kills it if it lingers). */
  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    await this.starting;
    try {
      if (client.isRunning()) await client.stop();
    } catch (e) {
      this.log.warn(`stopping the daemon: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.setState('stopped', 'The codegend daemon was stopped.');
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Sends a custom request, once the client has started. */
  async request<P, R>(type: RequestType<P, R, void>, params: P): Promise<R> {
    await this.starting;
    const client = this.client;
    if (!client?.isRunning()) throw new Error('the daemon is not running (run “codegend: Restart”)');
    // Widened: the client types parameters through a conditional type a generic P cannot pass.
    return client.sendRequest(type as RequestType<unknown, R, void>, params);
  }

  dispose(): void {
    void this.stop();
  }

  private setState(state: ConnectionState, error?: string): void {
    // The client's state event and its start promise both say `running`: tell it once.
    if (state === this.state && error === undefined) return;
    this.state = state;
    this.events.state(state, error);
  }
}
