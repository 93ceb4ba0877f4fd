// The daemon under abuse, over its socket: a thousand malformed messages each get the
// JSON-RPC error they deserve and the connection keeps working; 32 clients at once, some
// of them disconnecting in the middle of a build, while sources change on disk, all get
// every valid request answered; builds requested together are coalesced, never
// interleaved; and the daemon is still healthy at the end.

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildFinishedParams, CacheStatsResult, StatusResult } from '../../server/protocol.js';
import { corpusWorkspace, type DaemonProcess, sleep, socketClient, startDaemon, type TestClient } from '../support/daemon.js';

const PROGRAM = 't4_dyn_traits';
let root: string;
let daemon: DaemonProcess;

beforeAll(async () => {
  root = corpusWorkspace([PROGRAM], { sources: ['*.mir'], output: 'out/prog', cgus: 4 });
  daemon = await startDaemon(root);
});

afterAll(() => {
  if (daemon && daemon.child.exitCode === null) daemon.child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

/** A raw connection: frames written as given, responses parsed as they come. */
class RawClient {
  readonly responses: { id: unknown; error?: { code: number; message: string }; result?: unknown }[] = [];
  private buffer = Buffer.alloc(0);

  private constructor(readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, d]);
      for (;;) {
        const end = this.buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, end).toString())![1]);
        if (this.buffer.length < end + 4 + length) return;
        const message = JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString()) as RawClient['responses'][number] & { method?: string };
        // The daemon's notifications (a build's progress and result) are not answers.
        if (message.method === undefined) this.responses.push(message);
        this.buffer = this.buffer.subarray(end + 4 + length);
      }
    });
  }

  static open(path: string): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = connect(path);
      s.once('connect', () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  frame(body: string | Buffer): void {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    this.socket.write(Buffer.concat([Buffer.from(`Content-Length: ${bytes.length}\r\n\r\n`), bytes]));
  }

  async waitFor(n: number, ms = 30_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (this.responses.length < n) {
      if (Date.now() > deadline) throw new Error(`got ${this.responses.length} responses, waited for ${n}`);
      await sleep(20);
    }
  }
}

/** Malformed message number `i`, and the error code it must get. */
function malformed(i: number): { body: string; code: number; id: unknown } {
  switch (i % 10) {
    case 0:
      return { body: `{"jsonrpc":"2.0","id":${i},"method":"codegend/status"`, code: -32700, id: null };
    case 1:
      return { body: 'not json at all', code: -32700, id: null };
    case 2:
      return { body: `{"jsonrpc":"1.0","id":${i},"method":"codegend/status"}`, code: -32600, id: i };
    case 3:
      return { body: `[{"jsonrpc":"2.0","id":${i},"method":"codegend/status"}]`, code: -32600, id: null };
    case 4:
      return { body: `{"jsonrpc":"2.0","id":${i}}`, code: -32600, id: i };
    case 5:
      return { body: `{"jsonrpc":"2.0","id":{"n":${i}},"method":"codegend/status"}`, code: -32600, id: null };
    case 6:
      return { body: `{"jsonrpc":"2.0","id":${i},"method":"codegend/explain","params":"oops"}`, code: -32600, id: i };
    case 7:
      return { body: `{"jsonrpc":"2.0","id":${i},"method":"codegend/noSuchMethod"}`, code: -32601, id: i };
    case 8:
      return { body: `{"jsonrpc":"2.0","id":${i},"method":"codegend/explain","params":{"target":["a"]}}`, code: -32602, id: i };
    default:
      return { body: `{"jsonrpc":"2.0","id":${i},"method":"codegend/emit","params":{"form":"pdf","function":"main"}}`, code: -32602, id: i };
  }
}

/** The daemon's status once it is neither building nor about to. */
async function idle(c: TestClient): Promise<StatusResult> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const s = await c.request<StatusResult>('codegend/status');
    if (!s.building && !s.queued) return s;
    if (Date.now() > deadline) throw new Error(`the daemon is still building: ${JSON.stringify(s)}`);
    await sleep(100);
  }
}

/** The promise, or a failure naming the request and the daemon's state when it takes too long. */
async function answered<T>(p: Promise<T>, what: string, ms = 90_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer to ${what} after ${ms} ms; the daemon's stderr:\n${daemon.stderr()}`)), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

describe('the daemon under abuse', () => {
  it('answers 1,000 malformed messages with JSON-RPC errors and keeps the connection', async () => {
    const raw = await RawClient.open(daemon.socket);
    const expected = Array.from({ length: 1000 }, (_, i) => malformed(i));
    for (const m of expected) raw.frame(m.body);
    await raw.waitFor(1000);
    const byId = new Map(raw.responses.filter((r) => r.id !== null).map((r) => [r.id, r]));
    expect(raw.responses.filter((r) => r.id === null).length).toBe(expected.filter((m) => m.id === null).length);
    for (const [i, m] of expected.entries()) {
      if (m.id === null) continue;
      expect(byId.get(i)?.error?.code, `message ${i}: ${m.body}`).toBe(m.code);
    }
    expect(raw.responses.filter((r) => r.id === null).every((r) => r.error!.code === -32700 || r.error!.code === -32600)).toBe(true);

    // Garbage between frames, and a frame over the size limit, are skipped.
    raw.socket.write('GARBAGE\r\n\r\n');
    raw.frame(Buffer.alloc(64 * 1024 * 1024 + 1, 0x20));
    raw.frame('{"jsonrpc":"2.0","id":"after","method":"codegend/status"}');
    await raw.waitFor(1003);
    const tail = raw.responses.slice(1000);
    expect(tail.map((r) => r.error?.code ?? 'ok')).toEqual([-32700, -32600, 'ok']);
    expect(tail[2]).toMatchObject({ id: 'after', result: { health: 'ok' } });
    raw.socket.destroy();
  });

  it('answers 32 clients at once during builds, some leaving mid-build', async () => {
    const clients: TestClient[] = await Promise.all(Array.from({ length: 32 }, () => socketClient(daemon.socket)));
    const file = join(root, `${PROGRAM}.mir`);
    const original = readFileSync(file, 'utf8');
    // Edits on disk while the clients work: the watcher's builds interleave with theirs.
    const edits = (async () => {
      for (let k = 0; k < 4; k++) {
        writeFileSync(file, original.replace('qty: const 7_u32 }', `qty: const ${10 + k}_u32 }`));
        await sleep(150);
      }
      writeFileSync(file, original);
    })();
    const work = clients.map(async (c, i) => {
      if (i % 8 === 7) {
        // Asks for a build and leaves before it is done.
        void c.request('codegend/build', {}).catch(() => undefined);
        await sleep(5);
        c.close();
        return 'left';
      }
      const build = await answered(c.request<BuildFinishedParams>('codegend/build', {}), `client ${i}: codegend/build`);
      const status = await answered(c.request<StatusResult>('codegend/status'), `client ${i}: codegend/status`);
      const stats = await answered(c.request<CacheStatsResult>('codegend/cacheStats'), `client ${i}: codegend/cacheStats`);
      await expect(answered(c.request('codegend/nope'), `client ${i}: codegend/nope`)).rejects.toMatchObject({ code: -32601 });
      expect(build.buildId).toBeGreaterThan(0);
      expect(status.health).toBe('ok');
      expect(stats.entries).toBeGreaterThanOrEqual(0);
      return build.buildId;
    });
    const results = await Promise.all(work);
    await edits;
    const builds = results.filter((r): r is number => typeof r === 'number');
    expect(builds).toHaveLength(28);
    // 28 requests made together share a handful of builds.
    expect(new Set(builds).size).toBeLessThan(10);

    // Every build was reported once to every client still there, in order, none overlapping.
    const watcher = clients[0]!;
    const last = await watcher.request<BuildFinishedParams>('codegend/build', {});
    expect(last.ok).toBe(true);
    const ids = watcher.finished.map((f) => f.buildId);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of clients) if (clients.indexOf(c) % 8 !== 7) c.close();
    // Nothing went wrong inside, not even where the daemon would have carried on.
    expect(daemon.stderr()).not.toMatch(/internal error|connection:|Warning/);
  });

  it('is still healthy, and stops cleanly', async () => {
    const c = await socketClient(daemon.socket);
    // The watcher may still be building the last edit back; then the daemon goes idle.
    const status = await idle(c);
    expect(status).toMatchObject({ health: 'ok', building: false, queued: false });
    expect(status.clients).toBe(1);
    await c.request('codegend/shutdown');
    expect(await daemon.exited).toBe(0);
  });
});
