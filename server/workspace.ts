// One workspace: a root with its configuration (manifest.ts), the text of its sources
// (from disk, or from an editor that has a file open), and its builds. Builds never
// interleave: a build asked for while one runs is queued, and every request made
// meanwhile shares that one queued build (coalescing). A failed build keeps the
// outputs of the last good one (the library links to a temporary file and renames it
// into place only on success) and reports its diagnostics. What the last build found
// stays in memory for the language features: where each item went, and its reuse.
//
// The workspace knows nothing of connections: it emits events (build started, progress,
// build finished, diagnostics per file) that each client session forwards.

import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { build, type BuildResult, type UnitPlacement } from '../src/build.js';
import { crateNameOf } from '../src/prepare.js';
import { type Diagnostic, SourceFile } from '../src/diagnostics.js';
import { explainLastBuild, formatExplanation, frontEndOf } from '../src/incr/explain.js';
import { crateKey } from '../src/incr/session.js';
import { CacheError, WorkProductStore } from '../src/incr/store.js';
import { VERSION } from '../src/version.js';
import { buildReport } from './build-report.js';
import { cacheStatsResult, emptyCacheStats } from './cache-stats.js';
import { collectWhenQuiet } from './memory.js';
import { BuildMemo } from '../src/incr/memo.js';
import { readRustCompanions } from './companions.js';
import { buildOptionsOf, CACHE_DIR_NAME, loadWorkspaceConfig, ManifestError, type WorkspaceConfig } from './manifest.js';
import type { BuildFinishedParams, BuildTrigger, CacheStatsResult, CleanResult, DiagnosticReport, ExplainResult, StatusResult, UnitsResult } from './protocol.js';

export interface BuildStarted {
  buildId: number;
  trigger: BuildTrigger;
}

export interface BuildProgressEvent {
  buildId: number;
  done: number;
  total: number;
  unit?: string;
}

/** The diagnostics of every file that has or had some, by absolute path. */
export type FileDiagnostics = Map<string, Diagnostic[]>;

export interface WorkspaceEvents {
  buildStarted: [BuildStarted];
  progress: [BuildProgressEvent];
  buildFinished: [BuildFinishedParams];
  diagnostics: [FileDiagnostics];
}

/** A read this long after a file's modification time cannot have missed a later write of the same tick. */
const RACY_NS = 1_000_000_000n;

/**
 * How long a burst of edits may pause before it is built: saves on disk come in quick
 * bursts (several files, an editor's write-and-rename); typing in an editor pauses longer
 * between words than between keys.
 */
const DEBOUNCE_MS: Record<BuildTrigger, number> = { watch: 50, edit: 300, request: 0, start: 0 };

export interface WorkspaceOptions {
  /** Parallel backend jobs (default: the number of cores). */
  jobs?: number;
}

export class Workspace extends EventEmitter<WorkspaceEvents> {
  /** Texts of the files an editor has open, which win over the disk. */
  private readonly overlays = new Map<string, string>();
  /** The last text read of each file from the disk, with what identified that version. */
  private readonly disk = new Map<string, { mtime: bigint; size: bigint; text: string; readAt: bigint }>();
  private buildCount = 0;
  private running: Promise<BuildFinishedParams> | undefined;
  private queued: { promise: Promise<BuildFinishedParams>; trigger: BuildTrigger } | undefined;
  private last: BuildFinishedParams | undefined;
  private lastFinishedAt = 0;
  /** The output of the last good build, which a failed build leaves in place. */
  private lastGoodOutput: string | undefined;
  /** Where the items went in the last build whose front end ran. */
  private placementNow: UnitPlacement[] | undefined;
  /** The files with diagnostics in the last report (to clear them when they have none). */
  private lastByFile: FileDiagnostics = new Map();
  private configNow: WorkspaceConfig | undefined;
  private current: StatusResult['current'] = null;
  /** Why the configuration could not be read, the last time it was. */
  private configError: ManifestError | undefined;
  private readonly started = Date.now();
  /** What unchanged text needs no hashing again from one build to the next. */
  private readonly memo = new BuildMemo();
  private readonly afterBuild = collectWhenQuiet(() => this.running !== undefined || this.queued !== undefined);
  clients = 0;

  constructor(
    readonly root: string,
    private readonly options: WorkspaceOptions = {},
  ) {
    super();
    // Every client session listens; there may be any number of them.
    this.setMaxListeners(0);
    this.reloadConfig();
  }

  /** The configuration, read again (the manifest or the files its globs match may have changed). */
  private reloadConfig(): WorkspaceConfig | undefined {
    try {
      this.configNow = loadWorkspaceConfig(this.root);
      this.configError = undefined;
      return this.configNow;
    } catch (e) {
      // An unreadable manifest or directory is a problem with the workspace, not a crash.
      this.configError = e instanceof ManifestError ? e : new ManifestError(`${this.root}: error: cannot read the workspace: ${(e as Error).message}`);
      return undefined;
    }
  }

  get config(): WorkspaceConfig | undefined {
    return this.configNow;
  }

  get lastBuild(): BuildFinishedParams | undefined {
    return this.last;
  }

  get placement(): UnitPlacement[] | undefined {
    return this.placementNow;
  }

  // ------------------------------------------------------------ documents

  /** An editor opened or changed a file: its text replaces the disk's until it is closed. */
  setOverlay(path: string, text: string): void {
    this.overlays.set(path, text);
  }

  clearOverlay(path: string): void {
    this.overlays.delete(path);
  }

  hasOverlay(path: string): boolean {
    return this.overlays.has(path);
  }

  /** Whether a path is inside the workspace's root, the only place the daemon reads and writes. */
  contains(path: string): boolean {
    const rel = relative(this.config?.root ?? this.root, path);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  }

  /** The text of a file as builds see it: the editor's, else the disk's (inside the workspace only). */
  textOf(path: string): string | undefined {
    const open = this.overlays.get(path);
    if (open !== undefined) return open;
    if (!this.contains(path)) return undefined;
    try {
      // A file whose size and modification time are those of the last read is not read
      // again, provided that read came well after the modification: file systems stamp
      // times coarsely, and two writes within one tick would look the same (git's "racy"
      // entries, handled the way git handles them).
      const st = statSync(path, { bigint: true });
      const known = this.disk.get(path);
      if (known && known.mtime === st.mtimeNs && known.size === st.size && known.readAt - st.mtimeNs > RACY_NS) return known.text;
      const readAt = BigInt(Date.now()) * 1_000_000n;
      const text = readFileSync(path, 'utf8');
      this.disk.set(path, { mtime: st.mtimeNs, size: st.size, text, readAt });
      return text;
    } catch {
      this.disk.delete(path);
      return undefined;
    }
  }

  isSource(path: string): boolean {
    return this.configNow?.sources.includes(path) ?? false;
  }

  /** The workspace's sources as they are now (the editor's text where a file is open). */
  sources(): SourceFile[] {
    const out: SourceFile[] = [];
    for (const path of this.configNow?.sources ?? []) {
      const text = this.textOf(path);
      if (text !== undefined) out.push(new SourceFile(path, text));
    }
    return out;
  }

  // ------------------------------------------------------------ builds

  private debounce: NodeJS.Timeout | undefined;

  /** A build soon: edits that come in a burst (a save of several files, typing) make one build. */
  scheduleBuild(trigger: BuildTrigger, delayMs = DEBOUNCE_MS[trigger]): void {
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      void this.requestBuild(trigger);
    }, delayMs);
  }

  /** Stops scheduled builds and waits for the running and queued ones. */
  async settle(): Promise<void> {
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = undefined;
    await this.queued?.promise.catch(() => undefined);
    await this.running?.catch(() => undefined);
  }

  /**
   * A build of the whole workspace. While one runs, the next is queued and every request
   * made meanwhile gets that same queued build: edits made during a build are in it.
   */
  requestBuild(trigger: BuildTrigger): Promise<BuildFinishedParams> {
    if (!this.running) return this.start(trigger);
    if (!this.queued) {
      const promise = this.running.then(
        () => this.startQueued(),
        () => this.startQueued(),
      );
      this.queued = { promise, trigger };
    }
    return this.queued.promise;
  }

  private startQueued(): Promise<BuildFinishedParams> {
    const trigger = this.queued!.trigger;
    this.queued = undefined;
    return this.start(trigger);
  }

  private start(trigger: BuildTrigger): Promise<BuildFinishedParams> {
    const buildId = ++this.buildCount;
    const run = this.run(buildId, trigger).finally(() => {
      if (this.running === run) this.running = undefined;
    });
    this.running = run;
    return run;
  }

  private async run(buildId: number, trigger: BuildTrigger): Promise<BuildFinishedParams> {
    this.current = { buildId, trigger, done: 0, total: 0 };
    this.emit('buildStarted', { buildId, trigger });
    const config = this.reloadConfig();
    let result: BuildResult;
    if (!config) {
      result = this.failed([], [this.configError?.message ?? 'the workspace has no configuration']);
    } else {
      const sources = this.sources();
      const missing = config.sources.filter((p) => !sources.some((s) => s.name === p));
      try {
        mkdirSync(dirname(config.output), { recursive: true });
        result =
          missing.length > 0
            ? this.failed([], missing.map((p) => `cannot read ${p}`))
            : await build(sources, {
                ...buildOptionsOf(config),
                jobs: this.options.jobs ?? availableParallelism(),
                rustSources: readRustCompanions(sources, (p) => this.contains(p)),
                memo: this.memo,
                onProgress: (p) => {
                  this.current = { buildId, trigger, done: p.done, total: p.total };
                  this.emit('progress', { buildId, ...p });
                },
              });
      } catch (e) {
        // A bug in codegend: reported like a tool failure; the daemon and the last good outputs stay.
        result = this.failed([], [`internal error: ${(e as Error)?.message ?? String(e)}`]);
      }
    }
    if (result.ok) this.lastGoodOutput = result.output;
    if (result.placement) this.placementNow = result.placement;
    const report = buildReport(result);
    const finished: BuildFinishedParams = {
      ...report,
      diagnostics: [...report.diagnostics, ...(config ? [] : this.configDiagnostics())],
      buildId,
      trigger,
      keptLastGood: !result.ok && this.lastGoodOutput !== undefined && existsSync(this.lastGoodOutput),
    };
    this.last = finished;
    this.current = null;
    this.lastFinishedAt = Date.now();
    this.publishDiagnostics(result.diagnostics);
    this.emit('buildFinished', finished);
    this.afterBuild();
    return finished;
  }

  private failed(diagnostics: Diagnostic[], errors: string[]): BuildResult {
    return { ok: false, frontEnd: 'skipped', diagnostics, units: [], toolErrors: errors, warnings: [], ms: 0 };
  }

  /** The manifest's problem as a diagnostic of the manifest file. */
  private configDiagnostics(): DiagnosticReport[] {
    const at = this.configError?.at;
    return at ? [{ severity: 'error', file: at.file, line: at.line, column: at.column, endLine: at.line, endColumn: at.column, message: at.problem }] : [];
  }

  private publishDiagnostics(diagnostics: Diagnostic[]): void {
    const byFile: FileDiagnostics = new Map();
    for (const path of this.lastByFile.keys()) byFile.set(path, []);
    for (const d of diagnostics) {
      const list = byFile.get(d.file.name) ?? [];
      list.push(d);
      byFile.set(d.file.name, list);
    }
    this.lastByFile = new Map([...byFile].filter(([, ds]) => ds.length > 0));
    this.emit('diagnostics', byFile);
  }

  /** The last build's diagnostics, by file (files without any left out). */
  lastDiagnostics(): FileDiagnostics {
    return this.lastByFile;
  }

  // ------------------------------------------------------------ the cache

  private openStore<T>(f: (store: WorkProductStore, crate: string | undefined) => T, readonly = true): T | undefined {
    const config = this.configNow;
    if (!config || !WorkProductStore.exists(config.cache)) return undefined;
    const store = WorkProductStore.open(config.cache, { readonly });
    try {
      const sources = config.sources.map((p) => new SourceFile(p, ''));
      return f(store, sources.length > 0 ? crateKey(crateNameOf(sources), sources) : undefined);
    } finally {
      store.close();
    }
  }

  cacheStats(): CacheStatsResult {
    const s = this.openStore((store) => store.stats());
    return s ? cacheStatsResult(s) : emptyCacheStats(this.configNow?.cache ?? join(this.root, CACHE_DIR_NAME));
  }

  explain(target: string | undefined): ExplainResult {
    const ex = this.openStore((store, crate) => (crate === undefined ? undefined : explainLastBuild(store, crate, target)));
    if (!ex) return { build: null, units: [], text: 'no build to explain yet\n' };
    return {
      build: { id: ex.build.id ?? 0, ok: ex.build.ok, ms: ex.build.ms, startedAt: ex.build.startedAt, frontEnd: frontEndOf(ex.build) },
      units: ex.units.map((u) => ({ name: u.name, reuse: u.reuse, reasons: u.reasons, matched: u.matched })),
      text: formatExplanation(ex),
    };
  }

  units(): UnitsResult {
    const reuse = new Map(this.last?.cgus.map((u) => [u.name, u.reuse]));
    // One line index per file, however many items it holds.
    const files = new Map<string, SourceFile | undefined>();
    const locationOf = (file: string | undefined, offset: number | undefined) => {
      if (file === undefined || offset === undefined) return undefined;
      if (!files.has(file)) {
        const text = this.textOf(file);
        files.set(file, text === undefined ? undefined : new SourceFile(file, text));
      }
      const f = files.get(file);
      if (!f) return undefined;
      const { line, col } = f.position(offset);
      return { file, line, column: col };
    };
    return {
      units: (this.placementNow ?? []).map((u) => ({
        name: u.name,
        reuse: reuse.get(u.name) ?? 'PostLto',
        fingerprint: u.fingerprint,
        items: u.items.map((i) => ({ key: i.key, symbol: i.symbol, linkage: i.linkage, fingerprint: i.fingerprint, location: locationOf(i.file, i.offset) })),
      })),
    };
  }

  clean(): CleanResult {
    const config = this.configNow;
    if (!config) return { removed: 'nothing (the workspace has no configuration)' };
    if (!WorkProductStore.exists(config.cache)) return { removed: 'nothing (no cache yet)' };
    try {
      this.openStore((store) => store.clean(), false);
    } catch (e) {
      if (!(e instanceof CacheError)) throw e;
      WorkProductStore.remove(config.cache);
    }
    return { removed: `the work products in ${config.cache}` };
  }

  status(): StatusResult {
    const problems = this.configError ? [this.configError.message] : [];
    const mem = process.memoryUsage();
    return {
      version: VERSION,
      root: this.root,
      health: problems.length > 0 ? 'degraded' : 'ok',
      problems,
      building: this.running !== undefined,
      current: this.current,
      queued: this.queued !== undefined,
      lastBuild: this.last ? { buildId: this.last.buildId, ok: this.last.ok, ms: this.last.ms, finishedAt: this.lastFinishedAt, trigger: this.last.trigger } : null,
      clients: this.clients,
      uptimeMs: Date.now() - this.started,
      memory: { rss: mem.rss, heapUsed: mem.heapUsed },
    };
  }
}

