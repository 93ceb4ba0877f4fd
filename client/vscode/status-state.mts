// What the status bar knows: the connection, the last build, the daemon's last status;
// and how each event changes it. Pure (no `vscode`), so the ordering rules — a status
// answer and a buildFinished notification can cross — are unit-tested as data.

import type { BuildFinishedParams, BuildReport, StatusResult } from '../../server/protocol.js';

/** Whether the daemon's connection is up, as the language client reports it. */
export type ConnectionState = 'starting' | 'running' | 'stopped' | 'failed';

/** The last build: a `codegend/buildFinished` notification or a `codegend/build` answer. */
export type BuildSummary = BuildReport & Partial<BuildFinishedParams>;

export interface StatusState {
  connection: ConnectionState;
  /** Why the daemon is not running, when it failed to start or stopped. */
  connectionError?: string;
  build?: BuildSummary;
  /** The last `codegend/status` answer. */
  status?: StatusResult;
}

export function withConnection(state: StatusState, connection: ConnectionState, error?: string): StatusState {
  // A daemon starting is a new process: what the last one said is gone with it.
  const known = connection === 'starting' ? {} : { build: state.build, status: state.status };
  return { ...known, connection, connectionError: error };
}

export function withBuild(state: StatusState, build: BuildSummary): StatusState {
  // A finished build is not running; the daemon's next status says if another is queued.
  const status = state.status && { ...state.status, building: false, current: null };
  return { ...state, build, status };
}

export function withStatus(state: StatusState, status: StatusResult): StatusState {
  // A status older than the build shown says nothing about builds; one that knows a
  // newer build makes the one shown stale.
  const shown = state.build?.buildId;
  const last = status.lastBuild?.buildId;
  const older = shown !== undefined && (last === undefined || last < shown);
  const newer = shown !== undefined && last !== undefined && last > shown;
  return {
    ...state,
    status: older ? { ...status, building: false, current: null, lastBuild: null } : status,
    build: newer ? undefined : state.build,
  };
}
