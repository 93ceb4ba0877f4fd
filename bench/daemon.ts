// The warm daemon on the benchmark crate: `codegend serve` on a workspace holding the
// crate (one process for the whole round), then, from a JSON-RPC client on its socket:
//   - no-change rebuild: a `codegend/build` request when nothing changed, to its answer;
//   - one-function edit: the edited main.mir copied over the workspace's, to the
//     `codegend/buildFinished` of the build the watcher started (its debounce included):
//     the time until the executable is relinked.
// Both are checked as the CLI's steps are: the no-change build compiles nothing, the edit
// compiles exactly the units holding the edited function, and the executable prints the
// edited crate's checksum.

import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectToDaemon, type DaemonClient } from '../client/daemon-client.js';
import type { BuildFinishedParams, StatusResult } from '../server/protocol.js';
import { CGUS, OPT } from './codegen.js';
import { checksumLine } from './crate.js';
import { type Timing, timingOf } from './timing.js';

/** Long enough for the daemon to give the build's memory back (server/memory.ts). */
const IDLE_MS = 3000;

export interface DaemonInput {
  cli: string;
  baseDir: string;
  editedDir: string;
  editedUnits: string[];
  /** What the edited crate's executable prints. */
  editedChecksum: string;
  reps: number;
}

export interface DaemonBench {
  reps: number;
  /** `codegend/build` with nothing changed: request to answer, as the client sees it. */
  noChange: Timing;
  /** Edit on disk to `codegend/buildFinished` (watcher, debounce, build, link). */
  edit: Timing;
  /** The edit's build as the daemon measured it (its report's `ms`). */
  editBuildMs: Timing;
  rebuilt: number;
  units: number;
  /** The daemon's resident memory right after the edit's build, and once it has been idle for a while (`codegend/status`), in MB. */
  rssMB: Timing;
  idleRssMB: Timing;
}

export async function measureDaemon(input: DaemonInput, log: (line: string) => void): Promise<DaemonBench> {
  const noChange: number[] = [];
  const edit: number[] = [];
  const editBuild: number[] = [];
  const rss: number[] = [];
  const idleRss: number[] = [];
  let shape: { rebuilt: number; units: number } | undefined;
  for (let rep = 0; rep < input.reps; rep++) {
    const root = mkdtempSync(join(tmpdir(), 'codegend-bench-daemon-'));
    let daemon: ChildProcess | undefined;
    let client: DaemonClient | undefined;
    try {
      log(`daemon: round ${rep + 1}/${input.reps}: start (cold build), no-change, edit ...`);
      for (const f of ['main.mir', 'main.rs']) copyFileSync(join(input.baseDir, f), join(root, f));
      writeFileSync(join(root, 'codegend.json'), JSON.stringify({ sources: ['main.mir'], output: 'main', opt: OPT, cgus: CGUS, lto: 'off' }));
      daemon = spawn(process.execPath, [input.cli, 'serve', '--root', root], { stdio: ['ignore', 'ignore', 'inherit'] });
      client = await connectWhenUp(root, daemon);
      const finished: BuildFinishedParams[] = [];
      client.connection.onNotification('codegend/buildFinished', (f: BuildFinishedParams) => {
        finished.push(f);
      });
      // Waits for the build at start (cold), then builds once more: nothing changed.
      await client.connection.sendRequest('codegend/build', {});
      const t0 = performance.now();
      const same = await client.connection.sendRequest<BuildFinishedParams>('codegend/build', {});
      noChange.push(performance.now() - t0);
      if (!same.ok || same.cgus.some((u) => u.reuse === 'No')) throw new Error(`the daemon's no-change build compiled something: ${JSON.stringify(same.cgus)}`);

      const seen = finished.length;
      const t1 = performance.now();
      copyFileSync(join(input.editedDir, 'main.mir'), join(root, 'main.mir'));
      const built = await waitFor(() => finished.slice(seen).find((f) => f.trigger === 'watch'), 120_000);
      edit.push(performance.now() - t1);
      editBuild.push(built.ms);
      const rebuilt = built.cgus.filter((u) => u.reuse === 'No').map((u) => u.name).sort();
      if (!built.ok || rebuilt.join() !== [...input.editedUnits].sort().join()) throw new Error(`the daemon's edit build must compile exactly ${input.editedUnits.join(', ')}, it compiled ${rebuilt.join(', ')}`);
      const printed = checksumLine(join(root, 'main'), 'the daemon-built binary');
      if (printed !== input.editedChecksum) throw new Error(`after the edit, the daemon-built binary prints ${printed}, expected ${input.editedChecksum}`);
      shape ??= { rebuilt: rebuilt.length, units: built.cgus.length };
      const status = await client.connection.sendRequest<StatusResult>('codegend/status');
      rss.push(status.memory.rss / (1024 * 1024));
      await new Promise((r) => setTimeout(r, IDLE_MS));
      const idle = await client.connection.sendRequest<StatusResult>('codegend/status');
      idleRss.push(idle.memory.rss / (1024 * 1024));
      await client.connection.sendRequest('codegend/shutdown');
    } finally {
      client?.close();
      daemon?.kill();
      rmSync(root, { recursive: true, force: true });
    }
  }
  return { reps: input.reps, noChange: timingOf(noChange), edit: timingOf(edit), editBuildMs: timingOf(editBuild), rssMB: timingOf(rss), idleRssMB: timingOf(idleRss), ...shape! };
}

/** The CLI's connection to the workspace's daemon (client/daemon-client.ts), once the daemon listens. */
async function connectWhenUp(root: string, daemon: ChildProcess): Promise<DaemonClient> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (daemon.exitCode !== null) throw new Error(`the daemon exited with status ${daemon.exitCode} before listening`);
    const client = await connectToDaemon(root);
    if (client) return client;
    if (Date.now() > deadline) throw new Error(`the daemon of ${root} did not listen`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function waitFor<T>(f: () => T | undefined, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out waiting for the daemon');
    await new Promise((r) => setTimeout(r, 5));
  }
}
