// Finding and talking to the daemon that serves a workspace. A daemon listening on a
// socket records where in `<root>/.codegend/daemon.json` (serve.ts); the CLI looks, in
// order, at `$CODEGEND_SOCKET`, that record, and the default socket
// `<root>/.codegend/daemon.sock`. A socket nobody answers on is stale: no daemon.

import { existsSync } from 'node:fs';
import { createMessageConnection, type MessageConnection, SocketMessageReader, SocketMessageWriter } from 'vscode-jsonrpc/node';
import { connectSocket, daemonRecordPath, defaultSocketPath, readRecord } from '../server/serve.js';

export interface DaemonClient {
  socket: string;
  connection: MessageConnection;
  close(): void;
}

/** Where the daemon of the workspace at `root` should be listening, if anywhere. */
function daemonSocketOf(root: string): string | undefined {
  const env = process.env.CODEGEND_SOCKET;
  if (env) return env;
  const record = readRecord(daemonRecordPath(root));
  if (record && existsSync(record.socket)) return record.socket;
  const fallback = defaultSocketPath(root);
  return existsSync(fallback) ? fallback : undefined;
}

/** A connection to the daemon serving `root`; undefined when none answers. */
export async function connectToDaemon(root: string): Promise<DaemonClient | undefined> {
  const path = daemonSocketOf(root);
  if (!path) return undefined;
  const socket = await connectSocket(path);
  if (!socket) return undefined;
  const connection = createMessageConnection(new SocketMessageReader(socket), new SocketMessageWriter(socket));
  connection.listen();
  return {
    socket: path,
    connection,
    close: () => {
      connection.dispose();
      socket.destroy();
    },
  };
}
