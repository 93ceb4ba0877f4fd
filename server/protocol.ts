// The daemon's JSON-RPC protocol: method names and the shapes of their parameters and
// results, shared by the server, the CLI's daemon client and the VS Code extension.
// Requests are `codegend/<verb>`; the daemon also speaks the parts of the Language
// Server Protocol that make sense for .mir files (diagnostics, symbols, hover,
// definition, code lenses) and reports long work with `$/progress`.

/** A diagnostic as the CLI's `--json` prints it, with 1-based lines and columns. */
export interface DiagnosticReport {
  severity: 'error' | 'warning' | 'note';
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
}

export interface UnitReuseReport {
  name: string;
  reuse: 'No' | 'PreLto' | 'PostLto';
  /** How many mono items the unit holds. */
  items: number;
  ms: number;
  /** Why the unit was rebuilt, when it was. */
  reasons: string[];
}

/** A build, as `codegend build --json` prints it and as `codegend/build` answers. */
export interface BuildReport {
  ok: boolean;
  frontEnd: 'full' | 'incremental' | 'skipped';
  frontEndReason: string | null;
  output: string | null;
  ms: number;
  cgus: UnitReuseReport[];
  diagnostics: DiagnosticReport[];
  /** Failures of external tools (backend, linker). */
  errors: string[];
  /** Problems with the cache, which never fail a build. */
  warnings: string[];
}

/** What started a build the daemon reports. */
export type BuildTrigger = 'request' | 'watch' | 'edit' | 'start';

/** `codegend/buildFinished`: sent to every client after every build. */
export interface BuildFinishedParams extends BuildReport {
  /** Increases by one with each build of the daemon. */
  buildId: number;
  trigger: BuildTrigger;
  /** When the build failed: whether the outputs of the last good build are still in place. */
  keptLastGood: boolean;
}

export const Methods = {
  build: 'codegend/build',
  buildFinished: 'codegend/buildFinished',
  cacheStats: 'codegend/cacheStats',
  units: 'codegend/units',
  explain: 'codegend/explain',
  emit: 'codegend/emit',
  status: 'codegend/status',
  clean: 'codegend/clean',
  shutdown: 'codegend/shutdown',
} as const;

/** `codegend/build`: builds the whole workspace (coalesced with a build already queued); no parameters. */
export type BuildParams = Record<string, never>;

export interface CacheStatsResult {
  dir: string;
  schema: number;
  /** Crates with work products in the cache. */
  crates: string[];
  entries: number;
  blobs: { kind: 'pre' | 'post' | 'lto'; count: number; bytes: number }[];
  bytes: number;
  maxBytes: number;
  hits: { kind: 'PreLto' | 'PostLto'; count: number }[];
  misses: number;
  corrupt: number;
  evicted: number;
  /** Recent builds, newest first. */
  history: { id: number; startedAt: number; crate: string; ok: boolean; ms: number; units: number; compiled: number; reusedPre: number; reusedPost: number }[];
}

export interface UnitItem {
  /** The mono item's key (`f12`, `Vec::<i32>::push`, `static COUNTER`). */
  key: string;
  symbol: string;
  linkage: 'external' | 'internal';
  fingerprint: string;
  /** Where the item's body is, when it has one in the workspace's sources. */
  location?: { file: string; line: number; column: number };
}

export interface UnitsResult {
  units: { name: string; reuse: 'No' | 'PreLto' | 'PostLto'; fingerprint: string; items: UnitItem[] }[];
}

/** `codegend/explain`: a unit's name, a function's path, or nothing for every unit. */
export interface ExplainParams {
  target?: string;
}

export interface ExplainResult {
  build: { id: number; ok: boolean; ms: number; startedAt: number; frontEnd: { kind: string; why?: string } | null } | null;
  units: { name: string; reuse: 'No' | 'PreLto' | 'PostLto'; reasons: string[]; matched: string[] }[];
  /** The same as text, as `codegend explain` prints it. */
  text: string;
}

/** `codegend/emit`: a function by its path, or the function at a position of a .mir document. */
export interface EmitParams {
  function?: string;
  uri?: string;
  /** 0-based, as in LSP. */
  position?: { line: number; character: number };
  form?: 'llvm-ir' | 'asm';
}

export interface EmitResult {
  /** The function's path as the MIR prints it. */
  function: string;
  unit: string;
  form: 'llvm-ir' | 'asm';
  text: string;
  /**
   * For each line of `text` (0-based index into its lines) that came from a MIR
   * statement or terminator: where that is (1-based line and column in `file`).
   */
  lines: { output: number; file: string; line: number; column: number }[];
}

export interface StatusResult {
  version: string;
  root: string;
  /** `ok`, or `degraded` with the reason (a bad manifest, an unusable cache). */
  health: 'ok' | 'degraded';
  problems: string[];
  building: boolean;
  /** The build running now: what started it and how far it got. */
  current: { buildId: number; trigger: BuildTrigger; done: number; total: number } | null;
  queued: boolean;
  lastBuild: { buildId: number; ok: boolean; ms: number; finishedAt: number; trigger: BuildTrigger } | null;
  clients: number;
  uptimeMs: number;
  memory: { rss: number; heapUsed: number };
}

export interface CleanResult {
  removed: string;
}

/** The `$/progress` token of a build: one per build, `codegend/build/<buildId>`. */
export function buildProgressToken(buildId: number): string {
  return `codegend/build/${buildId}`;
}
