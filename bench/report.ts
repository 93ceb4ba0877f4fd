// The benchmark's results: one JSON-serialisable object (written by `--json FILE`)
// and the compact table printed from it.

import type { BuildBench } from './codegen.js';
import type { DaemonBench } from './daemon.js';
import type { IncrementalBench } from './incremental.js';
import type { Timing } from './timing.js';

/** A timing with its throughput (MB = 1e6 bytes of UTF-8 input). */
export interface Throughput extends Timing {
  MBps: number;
}

export interface Results {
  node: string;
  rustc: string;
  reps: number;
  crate: { fns: number; modules: number; seed: number; mir: string; bytes: number };
  sha256: Throughput;
  splitItems: Throughput & { items: number };
  parse: Throughput & { items: number; diagnostics: number };
  check: Throughput & { items: number; diagnostics: number };
  /** The rustc run that printed the MIR; `ms` is null when the MIR came from the cache. */
  rustcEmitMir: { ms: number | null; MBps: number | null };
  target: { name: string; MBps: number; met: boolean };
  edit: {
    mutate: number;
    chunksBefore: number;
    chunksAfter: number;
    /** Chunks of the edited file with no identical chunk (by sha256) in the original. */
    changed: number;
    /** Chunks of the original with no identical chunk in the edited file. */
    removed: number;
    changedHeads: string[];
    splitHashBoth: Timing;
    reparseChanged: Timing & { items: number; diagnostics: number };
  };
  /** Peak RSS after the front-end and edit measurements (before the full build). */
  peakRssMB: number;
  /** The full build with the LLVM backend and its peers; null with `--skip-build`. */
  build: BuildBench | null;
  /** Incremental rebuilds (codegend CLI and rustc -C incremental) and --jobs; null with `--skip-incremental`. */
  incremental: IncrementalBench | null;
  /** The warm daemon's rebuilds; null with `--skip-incremental`. */
  daemon: DaemonBench | null;
}

export function printReport(r: Results): void {
  const mb = (r.crate.bytes / 1e6).toFixed(1);
  console.log(`codegend bench: node ${r.node}, ${r.rustc.split('\n')[0]}`);
  console.log(`crate: ${r.crate.fns} fns / ${r.crate.modules} modules / seed ${r.crate.seed}; ${r.crate.mir} (${mb} MB)`);
  console.log(`median of ${r.reps} after 1 warm-up\n`);
  console.log(frontEndTable(r));
  console.log('');
  const check = r.check.medianMs;
  const rustcRatio = r.rustcEmitMir.ms === null ? 'cached, not run this time (--fresh to time it)' : `${ratio(r.rustcEmitMir.ms, check)} parse+check`;
  console.log(`ratios: parse+check = ${ratio(check, r.sha256.medianMs)} sha256; rustc --emit=mir = ${rustcRatio}`);
  console.log(`target: ${r.target.name}: ${r.target.met ? 'met' : 'NOT met'} (${r.check.MBps.toFixed(1)} MB/s)\n`);
  printEdit(r.edit);
  console.log(`\npeak RSS: ${r.peakRssMB.toFixed(0)} MB (front-end and edit)`);
  console.log('');
  if (r.build) printBuild(r.build);
  else console.log('full build (LLVM backend): skipped (--skip-build)');
  console.log('');
  if (r.incremental) printIncremental(r.incremental, r.crate.mir);
  else console.log('incremental builds: skipped (--skip-incremental)');
  if (r.incremental && r.daemon) printDaemon(r.daemon, r.incremental);
}

function printDaemon(d: DaemonBench, b: IncrementalBench): void {
  const range = (t: Timing): string => `${ms(t.minMs)}-${ms(t.maxMs)}`;
  console.log(`
warm daemon: codegend serve on a workspace of the same crate, one daemon per round, median of ${d.reps} rounds`);
  console.log('  no-change: a codegend/build request to its answer; edit: main.mir copied over to the codegend/buildFinished');
  console.log('  of the watcher\'s build (the executable relinked; the watcher\'s 50 ms debounce included)\n');
  const c = b.codegend;
  console.log(formatTable([
    ['step', 'daemon ms', 'min-max', 'one-shot CLI ms', 'rustc ms', 'daemon/CLI', 'daemon/rustc', 'units rebuilt'],
    ['no-change rebuild', ms(d.noChange.medianMs), range(d.noChange), ms(c.noChange.wall.medianMs), ms(b.rustc.noChange.medianMs), ratio(d.noChange.medianMs, c.noChange.wall.medianMs), ratio(d.noChange.medianMs, b.rustc.noChange.medianMs), `0/${d.units}`],
    [`one-function edit (${b.editedFn})`, ms(d.edit.medianMs), range(d.edit), ms(c.edit.wall.medianMs), ms(b.rustc.edit.medianMs), ratio(d.edit.medianMs, c.edit.wall.medianMs), ratio(d.edit.medianMs, b.rustc.edit.medianMs), `${d.rebuilt}/${d.units}`],
  ]));
  console.log(`  the edit's build inside the daemon (its report's ms): ${ms(d.editBuildMs.medianMs)} ms; the daemon's RSS right after it: ${d.rssMB.medianMs.toFixed(0)} MB, idle 3 s later: ${d.idleRssMB.medianMs.toFixed(0)} MB`);
}

function printIncremental(b: IncrementalBench, mir: string): void {
  const c = b.codegend;
  console.log(`incremental builds: one process per build, median of ${b.reps} rounds (fresh directories each, no warm-up round)`);
  console.log(`  crate ${mir}; the edit is ${b.editedFn} (one source line, one MIR body), copied over the same paths`);
  console.log(`  codegend: node dist/codegend.mjs ${c.args.join(' ')}`);
  console.log('    MIR text -> linked exe; the MIR comes from rustc -Zno-codegen --emit=mir, not timed here');
  console.log(`  rustc:    rustc ${b.rustc.args.join(' ')}`);
  console.log('    Rust source -> linked exe: parsing, type-checking, MIR building and its incremental bookkeeping included\n');
  const range = (t: Timing): string => `${ms(t.minMs)}-${ms(t.maxMs)}`;
  const row = (name: string, step: IncrementalBench['codegend']['cold'], rustc: Timing, x: number): string[] => [
    name, ms(step.wall.medianMs), range(step.wall), ms(step.buildMs.medianMs), ms(step.rebuiltUnitMs.medianMs), ms(rustc.medianMs), range(rustc), `${x.toFixed(2)}x`, `${step.rebuilt}/${step.units}`,
  ];
  console.log(formatTable([
    ['step', 'codegend ms', 'min-max', 'build() ms', 'units ms', 'rustc ms', 'min-max', 'codegend/rustc', 'units rebuilt'],
    row('cold build (empty cache)', c.cold, b.rustc.cold, b.ratios.cold),
    row('no-change rebuild', c.noChange, b.rustc.noChange, b.ratios.noChange),
    row(`one-function edit (${b.editedFn})`, c.edit, b.rustc.edit, b.ratios.edit),
  ]));
  console.log('  codegend ms: the process, spawn to exit; build() ms: the CLI\'s --json "ms"; units ms: the per-unit "ms" of the');
  console.log(`  rebuilt units, summed (lowering and llc; ${b.jobs} jobs run at once, so a cold build's sum exceeds its build() time)`);
  const e = c.edit;
  const startup = e.wall.medianMs - e.buildMs.medianMs;
  const rest = e.buildMs.medianMs - e.rebuiltUnitMs.medianMs;
  console.log(`\n  edit rebuild, medians: ${ms(e.wall.medianMs)} ms = Node start-up/exit ${ms(startup)} + build() ${ms(e.buildMs.medianMs)};`);
  console.log(`    build() = rebuilt unit${b.editedUnits.length === 1 ? '' : 's'} ${b.editedUnits.join(', ')} ${ms(e.rebuiltUnitMs.medianMs)} + the rest ${ms(rest)} (${pct(rest, e.buildMs.medianMs)}: hashing the inputs, the front end,`);
  console.log('    fingerprints, the cache, linking)');
  console.log(`  codegend's front end: ${b.frontEnds.cold} (cold), ${b.frontEnds.noChange} (no change), ${b.frontEnds.edit} (edit)`);
  console.log(`  both executables print ${b.checksums.base} before the edit, ${b.checksums.edited} after it\n`);

  const p = b.parallel;
  console.log(`parallel back end: codegend cold build, --no-cache, one process per build, median of ${p.jobs1.reps}`);
  console.log(formatTable([
    ['build', 'median ms', 'min-max ms'],
    ['--jobs 1', ms(p.jobs1.medianMs), range(p.jobs1)],
    ['--jobs 2', ms(p.jobs2.medianMs), range(p.jobs2)],
  ]));
  console.log(`speedup of --jobs 2 over --jobs 1: ${p.speedup.toFixed(2)}x`);
}

function printBuild(b: BuildBench): void {
  const mb = (b.irBytes / 1e6).toFixed(1);
  console.log(`full build (LLVM backend): median of ${b.reps} interleaved rounds after 1 warm-up round`);
  console.log(`  codegend --opt ${b.opt} --cgus ${b.cgus}: ${b.units} IR modules (${b.codegenUnits} units + runtime), ${mb} MB of LLVM IR in total`);
  console.log(`  LLVM ${b.llvm.version}: ${b.llvm.llc} ${b.llvm.flags.join(' ')}; ${b.parallelism} processes at a time\n`);
  const row = (name: string, t: Timing, vsLlc: string, vsRustc: string): string[] => [name, ms(t.medianMs), `${ms(t.minMs)}-${ms(t.maxMs)}`, vsLlc, vsRustc];
  const c = b.codegend;
  console.log(formatTable([
    ['measurement', 'median ms', 'min-max ms', 'x llc-alone', 'x rustc'],
    row('codegend build (MIR text -> exe)', c, ratio(c.medianMs, b.llcAlone.medianMs), ratio(c.medianMs, b.rustc.medianMs)),
    row('llc -O0 alone on codegend\'s IR (floor)', b.llcAlone, '1.00x', ratio(b.llcAlone.medianMs, b.rustc.medianMs)),
    row('rustc -O main.rs -> exe (peer)', b.rustc, ratio(b.rustc.medianMs, b.llcAlone.medianMs), '1.00x'),
  ]));
  console.log('');
  console.log(`ratios: codegend / llc-alone = ${ratio(c.medianMs, b.llcAlone.medianMs)}; codegend / rustc = ${ratio(c.medianMs, b.rustc.medianMs)}`);
  console.log(`  (codegend ${ms(c.medianMs)} ms, llc-alone ${ms(b.llcAlone.medianMs)} ms, rustc ${ms(b.rustc.medianMs)} ms; rustc runs with the corpus flags, -O, and optimizes; codegend and llc at -O0 do not)`);
  console.log(`both executables print ${b.checksum}`);
  console.log(`\npeak RSS: ${b.peakRssMB.toFixed(0)} MB (after the full build)`);
}

function frontEndTable(r: Results): string {
  const base = r.sha256.medianMs;
  const row = (name: string, t: Throughput, items?: number, diags?: number): string[] => [
    name, ms(t.medianMs), `${ms(t.minMs)}-${ms(t.maxMs)}`, t.MBps.toFixed(1), ratio(t.medianMs, base), items === undefined ? '-' : String(items), diags === undefined ? '-' : String(diags),
  ];
  const rows = [
    ['measurement', 'median ms', 'min-max ms', 'MB/s', 'x sha256', 'items', 'diags'],
    row('sha256 (peer, lower bound)', r.sha256),
    row('splitItems', r.splitItems, r.splitItems.items),
    row('parseMirFile (parse)', r.parse, r.parse.items, r.parse.diagnostics),
    row('checkCrate (parse+check)', r.check, r.check.items, r.check.diagnostics),
  ];
  const rc = r.rustcEmitMir;
  rows.push(rc.ms === null
    ? ['rustc --emit=mir (peer)', 'cached', '-', '-', '-', '-', '-']
    : ['rustc --emit=mir (peer)', ms(rc.ms), '1 run', (rc.MBps ?? 0).toFixed(1), ratio(rc.ms, base), '-', '-']);
  return formatTable(rows);
}

function printEdit(e: Results['edit']): void {
  console.log(`one-function edit (--mutate ${e.mutate}):`);
  console.log(`  chunks: ${e.chunksBefore} -> ${e.chunksAfter}; differing by hash: ${e.changed} changed/new, ${e.removed} gone`);
  for (const head of e.changedHeads) console.log(`    ${head}`);
  console.log(`  split+hash both files: ${ms(e.splitHashBoth.medianMs)} ms (sha256 per chunk)`);
  console.log(`  re-parse of the changed chunks: ${ms(e.reparseChanged.medianMs)} ms (${e.reparseChanged.items} items, ${e.reparseChanged.diagnostics} diags)`);
}

/** Left-aligns the first column and right-aligns the rest. */
function formatTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows
    .map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '))
    .join('\n');
}

function ms(x: number): string {
  return x >= 100 ? x.toFixed(0) : x.toFixed(2);
}

function pct(part: number, whole: number): string {
  return `${((100 * part) / whole).toFixed(0)} %`;
}

function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(a / b >= 10 ? 0 : 2)}x`;
}
