// Benchmark driver behind `npm run bench` (scripts/bundle.mjs bundles it to dist/bench.mjs).
// Generates the 2,000-function / 40-module crate with ../shared/bench/gen-crate.mjs, gets
// its MIR from rustc (both cached in bench/.cache/, see crate.ts) and measures the MIR
// front-end in-process on that text: splitItems, parseMirFile and checkCrate, next to two
// peers (sha256 of the same text, and the rustc run that printed it). Then it measures what
// a one-function edit changes at the level of item chunks, which is what incremental
// re-parsing relies on. Then the full build with the LLVM backend next to llc alone and
// rustc (codegen.ts). Last, incremental builds with the CLI next to `rustc -C incremental`
// (cold, no change, one-function edit) and the cold build's speedup from `--jobs 2` over
// `--jobs 1` (incremental.ts). A benchmark, not a test: it exits non-zero only when
// something fails to run, when the front-end reports diagnostics on rustc's own output,
// when an incremental build reuses other units than it must, or when an executable
// codegend builds prints another checksum than rustc's.
//
//   npm run bench -- [--reps N] [--build-reps N] [--incremental-reps N] [--skip-build]
//                    [--skip-incremental] [--json FILE] [--fresh]
//
// --reps N sets the front-end's repetitions and, unless --incremental-reps is given, the
// incremental section's rounds (default 3; a round takes 50-100 s on a 2-core machine).

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type Diagnostic, DiagnosticSink, renderDiagnostic, SourceFile } from '../src/diagnostics.js';
import { checkCrate } from '../src/mir/check.js';
import type { Item } from '../src/mir/ast.js';
import { parseChunk, parseMirFile } from '../src/mir/parse/items.js';
import { type ItemChunk, splitItems } from '../src/mir/split.js';
import { measureBuild } from './codegen.js';
import { type BenchPaths, type CrateSpec, prepareCrate, rustcVersion } from './crate.js';
import { measureDaemon } from './daemon.js';
import { measureIncremental } from './incremental.js';
import { printReport, type Results, type Throughput } from './report.js';
import { type MeasureOptions, mbPerSec, measure, type Timing } from './timing.js';

const CRATE: CrateSpec = { fns: 2000, modules: 40, seed: 1 };
const EDITED_FN = 1000;
const TARGET_MBPS = 25;
/** Repetitions of the full-build section (each one builds the crate three times). */
const DEFAULT_BUILD_REPS = 3;
/** Rounds of the incremental section when neither --incremental-reps nor --reps is given. */
const DEFAULT_INCREMENTAL_REPS = 3;
const SHOWN_DIAGNOSTICS = 5;
/** Parsing the whole file builds a large AST: collect the previous one before each repetition. */
const WHOLE_FILE: MeasureOptions = { collectBetween: true };

interface Options {
  reps: number;
  json: string | undefined;
  /** Regenerate the crates and rerun rustc even when cached (so rustc gets timed). */
  fresh: boolean;
  buildReps: number;
  skipBuild: boolean;
  incrementalReps: number;
  skipIncremental: boolean;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      reps: { type: 'string' },
      json: { type: 'string' },
      fresh: { type: 'boolean' },
      'build-reps': { type: 'string' },
      'skip-build': { type: 'boolean' },
      'incremental-reps': { type: 'string' },
      'skip-incremental': { type: 'boolean' },
    },
  });
  const positive = (flag: string, text: string | undefined, fallback: number): number => {
    const n = Number(text ?? fallback);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer, got ${text}`);
    return n;
  };
  const reps = positive('--reps', values.reps, 5);
  return {
    reps,
    json: values.json,
    fresh: values.fresh ?? false,
    buildReps: positive('--build-reps', values['build-reps'], DEFAULT_BUILD_REPS),
    skipBuild: values['skip-build'] ?? false,
    incrementalReps: positive('--incremental-reps', values['incremental-reps'], values.reps === undefined ? DEFAULT_INCREMENTAL_REPS : reps),
    skipIncremental: values['skip-incremental'] ?? false,
  };
}

/** The repository root: this file runs as `<repo>/dist/bench.mjs` (or `<repo>/bench/main.ts`). */
function repoRoot(): string {
  return fileURLToPath(new URL('..', import.meta.url));
}

async function main(): Promise<void> {
  const start = performance.now();
  /** Progress on stderr, stamped with the seconds since the start. */
  const log = (line: string): void => console.error(`[${((performance.now() - start) / 1e3).toFixed(0).padStart(4)} s] ${line}`);
  const opts = parseOptions(process.argv.slice(2));
  const repo = repoRoot();
  const paths: BenchPaths = { shared: join(repo, '..', 'shared'), cache: join(repo, 'bench', '.cache') };
  const rustc = rustcVersion();
  const base = prepareCrate(CRATE, paths, rustc, opts.fresh);
  const edited = prepareCrate({ ...CRATE, mutate: EDITED_FN }, paths, rustc, opts.fresh);

  const name = relative(repo, base.mirPath);
  const text = readFileSync(base.mirPath, 'utf8');
  const bytes = Buffer.byteLength(text, 'utf8');
  log(`front-end: ${opts.reps} repetitions of each stage ...`);
  const front = measureFrontEnd(name, text, bytes, opts.reps);
  const editedText = readFileSync(edited.mirPath, 'utf8');
  const edit = measureEdit(text, relative(repo, edited.mirPath), editedText, opts.reps);
  // The front-end's own high-water mark, before the in-process builds raise it.
  const frontEndRssMB = process.resourceUsage().maxRSS / 1024;
  const build = opts.skipBuild ? null : await measureBuild(base.dir, name, opts.buildReps, log);
  const incremental = opts.skipIncremental
    ? null
    : measureIncremental({ cli: codegendCli(repo), baseDir: base.dir, editedDir: edited.dir, editedFn: `f${EDITED_FN}`, reps: opts.incrementalReps }, log);
  // The warm daemon, beside the one-shot CLI of the same run (it needs the CLI's edited units and checksum).
  const daemon = incremental
    ? await measureDaemon({ cli: codegendCli(repo), baseDir: base.dir, editedDir: edited.dir, editedUnits: incremental.editedUnits, editedChecksum: incremental.checksums.edited, reps: opts.incrementalReps }, log)
    : null;

  const results: Results = {
    node: process.version,
    rustc,
    reps: opts.reps,
    crate: { fns: CRATE.fns, modules: CRATE.modules, seed: CRATE.seed, mir: name, bytes },
    ...front,
    rustcEmitMir: { ms: base.rustcMs, MBps: base.rustcMs === null ? null : mbPerSec(bytes, base.rustcMs) },
    target: { name: `parse+check >= ${TARGET_MBPS} MB/s`, MBps: TARGET_MBPS, met: front.check.MBps >= TARGET_MBPS },
    edit: { mutate: EDITED_FN, ...edit },
    peakRssMB: frontEndRssMB,
    build,
    incremental,
    daemon,
  };
  printReport(results);
  if (opts.json) writeFileSync(opts.json, JSON.stringify(results, null, 2) + '\n');
  log('done');
}

/** The bundled CLI the incremental section runs (`npm run bench` bundles it first). */
function codegendCli(repo: string): string {
  const cli = join(repo, 'dist', 'codegend.mjs');
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` (npm run bench does)`);
  return cli;
}

type FrontEnd = Pick<Results, 'sha256' | 'splitItems' | 'parse' | 'check'>;

/** Times the front-end stages on the whole MIR text; exits 1 if parsing reports diagnostics. */
function measureFrontEnd(name: string, text: string, bytes: number, reps: number): FrontEnd {
  const throughput = (t: Timing): Throughput => ({ ...t, MBps: mbPerSec(bytes, t.medianMs) });
  const sha = measure(reps, () => createHash('sha256').update(text).digest('hex'));
  const split = measure(reps, () => splitItems(text).items.length);
  const parse = measure(reps, () => {
    const sink = new DiagnosticSink();
    const file = parseMirFile(new SourceFile(name, text), sink);
    return { items: file.items.length, diagnostics: sink.list };
  }, WHOLE_FILE);
  failOnDiagnostics('parseMirFile', parse.result.diagnostics);
  const check = measure(reps, () => {
    const { crate, diagnostics } = checkCrate([new SourceFile(name, text)]);
    return { items: crate.files[0]!.items.length, diagnostics };
  }, WHOLE_FILE);
  failOnDiagnostics('checkCrate', check.result.diagnostics);
  return {
    sha256: throughput(sha.timing),
    splitItems: { ...throughput(split.timing), items: split.result },
    parse: { ...throughput(parse.timing), items: parse.result.items, diagnostics: 0 },
    check: { ...throughput(check.timing), items: check.result.items, diagnostics: 0 },
  };
}

function failOnDiagnostics(stage: string, diagnostics: Diagnostic[]): void {
  if (diagnostics.length === 0) return;
  console.error(`${stage}: ${diagnostics.length} diagnostics on rustc's MIR (must be 0); the first ${Math.min(SHOWN_DIAGNOSTICS, diagnostics.length)}:`);
  for (const d of diagnostics.slice(0, SHOWN_DIAGNOSTICS)) console.error(renderDiagnostic(d));
  process.exit(1);
}

interface HashedChunks {
  chunks: ItemChunk[];
  hashes: string[];
}

function hashChunks(text: string): HashedChunks {
  const { items: chunks } = splitItems(text);
  const hashes = chunks.map((c) => createHash('sha256').update(text.slice(c.start, c.end)).digest('hex'));
  return { chunks, hashes };
}

/** Indices of `after`'s chunks with no identical chunk in `before` (as multisets), and how many of `before`'s are left unmatched. */
function diffChunks(before: HashedChunks, after: HashedChunks): { changed: number[]; removed: number } {
  const unmatched = new Map<string, number>();
  for (const h of before.hashes) unmatched.set(h, (unmatched.get(h) ?? 0) + 1);
  const changed: number[] = [];
  after.hashes.forEach((h, i) => {
    const n = unmatched.get(h) ?? 0;
    if (n > 0) unmatched.set(h, n - 1);
    else changed.push(i);
  });
  let removed = 0;
  for (const n of unmatched.values()) removed += n;
  return { changed, removed };
}

/** What a one-function edit changes at the level of item chunks, and what finding that out costs. */
function measureEdit(text: string, editedName: string, editedText: string, reps: number): Omit<Results['edit'], 'mutate'> {
  const split = measure(reps, () => [hashChunks(text), hashChunks(editedText)] as const);
  const [before, after] = split.result;
  const { changed, removed } = diffChunks(before, after);
  const file = new SourceFile(editedName, editedText);
  const reparse = measure(reps, () => {
    const sink = new DiagnosticSink();
    const items: Item[] = [];
    for (const i of changed) parseChunk(file, sink, after.chunks[i]!.start, after.chunks[i]!.end, items);
    return { items: items.length, diagnostics: sink.list.length };
  });
  return {
    chunksBefore: before.chunks.length,
    chunksAfter: after.chunks.length,
    changed: changed.length,
    removed,
    changedHeads: changed.slice(0, 5).map((i) => chunkHead(editedText, after.chunks[i]!)),
    splitHashBoth: split.timing,
    reparseChanged: { ...reparse.timing, ...reparse.result },
  };
}

/** The first line of a chunk, shortened for printing. */
function chunkHead(text: string, chunk: ItemChunk): string {
  const eol = text.indexOf('\n', chunk.start);
  const line = text.slice(chunk.start, eol === -1 || eol > chunk.end ? chunk.end : eol);
  return line.length > 100 ? `${line.slice(0, 97)}...` : line;
}

main().catch((e: unknown) => {
  console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
