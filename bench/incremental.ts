// Incremental builds as a user runs them, one process per build: the codegend CLI
// (`node dist/codegend.mjs build main.mir -o OUT --cache DIR --json`, LLVM backend, opt 0)
// next to `rustc -C incremental=DIR` on the crate's Rust source, each doing a cold build
// (empty cache), a rebuild with nothing changed and a rebuild after a one-function edit.
// The edit copies the mutated crate's files over the same paths, since both compilers key
// their caches by file path. Then the parallel back end: a cold `--no-cache` codegend
// build with `--jobs 1` and with `--jobs 2`.
//
// Repetitions are interleaved (all of codegend's steps, then rustc's, then the two --jobs
// builds, per round), each round in fresh directories, and there is no warm-up round:
// every step is a new process. Every build's `--json` is checked: the cold build compiles
// every unit, the no-change rebuild reuses every unit, and the edit rebuilds exactly the
// units holding the edited function (found with `codegend explain FN --json`, untimed).
// Both compilers' executables must print the same checksum, before and after the edit.

import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CGUS, OPT } from './codegen.js';
import { checksumLine, LINK_LIBC, run, runTimed, rustcFlags } from './crate.js';
import { type Timing, timingOf } from './timing.js';

/** The two `--jobs` values compared for the cold build. */
const JOBS = [1, 2] as const;

export interface IncrementalInput {
  /** `dist/codegend.mjs`. */
  cli: string;
  /** Directories holding `main.mir` and `main.rs` of the crate and of its edited copy. */
  baseDir: string;
  editedDir: string;
  /** The function the edit changes (`fK` for `--mutate K`). */
  editedFn: string;
  reps: number;
}

/** One codegend step over the repetitions. */
export interface CodegendStep {
  /** The process, from spawn to exit (what is compared with rustc). */
  wall: Timing;
  /** The build as the CLI's `--json` reports it (`ms`: inside `build()`, without Node's start-up). */
  buildMs: Timing;
  /** Sum of the per-unit `ms` of the units rebuilt (lowering and back end; summed over parallel jobs). */
  rebuiltUnitMs: Timing;
  /** Units reported `No` (the same in every repetition; checked). */
  rebuilt: number;
  /** Units in the build, the runtime module included. */
  units: number;
}

export interface IncrementalBench {
  reps: number;
  /** `--jobs` of the cold / no-change / edit builds: the number of cores (the CLI's default). */
  jobs: number;
  editedFn: string;
  /** The units holding the edited function: the ones the edit must rebuild. */
  editedUnits: string[];
  /** How codegend's front end ran in each step (the first round's). */
  frontEnds: Record<Step, string>;
  codegend: { args: string[]; cold: CodegendStep; noChange: CodegendStep; edit: CodegendStep };
  rustc: { args: string[]; cold: Timing; noChange: Timing; edit: Timing };
  /** codegend / rustc, medians of the process times. */
  ratios: { cold: number; noChange: number; edit: number };
  /** What both compilers' executables print, before and after the edit. */
  checksums: { base: string; edited: string };
  /** Cold `--no-cache` builds with `--jobs 1` and `--jobs 2`; speedup = jobs1 / jobs2. */
  parallel: { jobs1: Timing; jobs2: Timing; speedup: number };
}

type Step = 'cold' | 'noChange' | 'edit';

interface CliUnit {
  name: string;
  reuse: 'No' | 'PreLto' | 'PostLto';
  items: number;
  ms: number;
}

interface CliBuild {
  wallMs: number;
  ms: number;
  /** How the front end ran: full, incremental (only literal values in bodies changed) or skipped. */
  frontEnd: string;
  cgus: CliUnit[];
}

/** Runs the section; throws when a build fails, a `--json` report is not what the step must give, or the checksums differ. */
export function measureIncremental(input: IncrementalInput, log: (line: string) => void): IncrementalBench {
  const cores = availableParallelism();
  const buildArgs = ['--backend', 'llvm', '--opt', String(OPT), '--cgus', String(CGUS), '--lto', 'off', '--json'];
  /** `codegend build main.mir` in `dir`; `extra` adds the cache and jobs flags. */
  const codegend = (dir: string, out: string, extra: string[]): CliBuild => {
    const { ms: wallMs, result } = runTimed(process.execPath, [input.cli, 'build', 'main.mir', '-o', out, ...buildArgs, ...extra], dir);
    const report = JSON.parse(result.stdout) as { ok: boolean; ms: number; frontEnd: string; cgus: CliUnit[] };
    if (!report.ok) throw new Error(`codegend build in ${dir} reported ok: false`);
    return { wallMs, ms: report.ms, frontEnd: report.frontEnd, cgus: report.cgus };
  };
  const rustcArgs = (incr: string, exe: string): string[] => [...rustcFlags(['-C', 'opt-level=0']), ...LINK_LIBC, '-C', `incremental=${incr}`, '-o', exe, 'main.rs'];
  const copyCrate = (from: string, to: string, files: string[]): void => {
    for (const f of files) copyFileSync(join(from, f), join(to, f));
  };

  const cg: Record<Step, CliBuild[]> = { cold: [], noChange: [], edit: [] };
  const rs: Record<Step, number[]> = { cold: [], noChange: [], edit: [] };
  const jobTimes: number[][] = JOBS.map(() => []);
  let editedUnits: string[] | undefined;
  let checksums: IncrementalBench['checksums'] | undefined;

  for (let rep = 0; rep < input.reps; rep++) {
    const tmp = mkdtempSync(join(tmpdir(), 'codegend-bench-incr-'));
    try {
      const round = `incremental: round ${rep + 1}/${input.reps}`;
      // codegend: the cache keys a crate by its file's path, so the edit overwrites main.mir
      // (and main.rs, the companion the CLI reads beside it).
      const cgDir = join(tmp, 'codegend');
      mkdirSync(cgDir);
      copyCrate(input.baseDir, cgDir, ['main.mir', 'main.rs']);
      const cache = join(tmp, 'codegend-cache');
      const cgExe = join(tmp, 'codegend-main');
      const cached = ['--cache', cache, '--jobs', String(cores)];
      log(`${round}: codegend cold, no-change, edit ...`);
      const cold = codegend(cgDir, cgExe, cached);
      expectReuse('cold build', cold, (u) => u.reuse === 'No', 'compile every unit');
      const noChange = codegend(cgDir, cgExe, cached);
      expectReuse('no-change rebuild', noChange, (u) => u.reuse !== 'No', 'reuse every unit');
      const cgBase = checksumLine(cgExe, 'the codegend-built binary');
      copyCrate(input.editedDir, cgDir, ['main.mir', 'main.rs']);
      const edit = codegend(cgDir, cgExe, cached);
      const holders = unitsHolding(input.cli, cgDir, cache, input.editedFn);
      if (holders.length === 0) throw new Error(`codegend explain ${input.editedFn}: no unit holds it`);
      const holderSet = new Set(holders);
      expectReuse('edit rebuild', edit, (u) => (u.reuse === 'No') === holderSet.has(u.name), `rebuild exactly ${holders.join(', ')} (the units holding ${input.editedFn})`);
      const cgEdited = checksumLine(cgExe, 'the codegend-built binary');
      cg.cold.push(cold);
      cg.noChange.push(noChange);
      cg.edit.push(edit);
      editedUnits ??= holders;

      log(`${round}: rustc cold, no-change, edit ...`);
      const rsDir = join(tmp, 'rustc');
      mkdirSync(rsDir);
      copyCrate(input.baseDir, rsDir, ['main.rs']);
      const args = rustcArgs(join(tmp, 'rustc-incr'), join(tmp, 'rustc-main'));
      rs.cold.push(runTimed('rustc', args, rsDir).ms);
      rs.noChange.push(runTimed('rustc', args, rsDir).ms);
      const rsBase = checksumLine(join(tmp, 'rustc-main'), 'the rustc-built binary');
      copyCrate(input.editedDir, rsDir, ['main.rs']);
      rs.edit.push(runTimed('rustc', args, rsDir).ms);
      const rsEdited = checksumLine(join(tmp, 'rustc-main'), 'the rustc-built binary');
      if (cgBase !== rsBase) throw new Error(`before the edit, the codegend-built binary prints ${JSON.stringify(cgBase)}, the rustc-built one ${JSON.stringify(rsBase)}`);
      if (cgEdited !== rsEdited) throw new Error(`after the edit, the codegend-built binary prints ${JSON.stringify(cgEdited)}, the rustc-built one ${JSON.stringify(rsEdited)}`);
      checksums ??= { base: rsBase, edited: rsEdited };

      log(`${round}: codegend --no-cache --jobs ${JOBS.join(' / --jobs ')} ...`);
      JOBS.forEach((jobs, i) => {
        const r = codegend(input.baseDir, join(tmp, `codegend-jobs${jobs}`), ['--no-cache', '--jobs', String(jobs)]);
        jobTimes[i]!.push(r.wallMs);
      });
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }

  const codegendStep = (builds: CliBuild[]): CodegendStep => ({
    wall: timingOf(builds.map((b) => b.wallMs)),
    buildMs: timingOf(builds.map((b) => b.ms)),
    rebuiltUnitMs: timingOf(builds.map((b) => b.cgus.filter((u) => u.reuse === 'No').reduce((sum, u) => sum + u.ms, 0))),
    rebuilt: builds[0]!.cgus.filter((u) => u.reuse === 'No').length,
    units: builds[0]!.cgus.length,
  });
  const codegendSteps = { cold: codegendStep(cg.cold), noChange: codegendStep(cg.noChange), edit: codegendStep(cg.edit) };
  const rustcSteps = { cold: timingOf(rs.cold), noChange: timingOf(rs.noChange), edit: timingOf(rs.edit) };
  const ratio = (s: Step): number => codegendSteps[s].wall.medianMs / rustcSteps[s].medianMs;
  const [jobs1, jobs2] = jobTimes.map(timingOf) as [Timing, Timing];
  return {
    reps: input.reps,
    jobs: cores,
    editedFn: input.editedFn,
    editedUnits: editedUnits!,
    frontEnds: { cold: cg.cold[0]!.frontEnd, noChange: cg.noChange[0]!.frontEnd, edit: cg.edit[0]!.frontEnd },
    codegend: { args: ['build', 'main.mir', '-o', '<tmp>/main', ...buildArgs, '--cache', '<tmp>/cache', '--jobs', String(cores)], ...codegendSteps },
    rustc: { args: rustcArgs('<tmp>/incr', '<tmp>/main'), ...rustcSteps },
    ratios: { cold: ratio('cold'), noChange: ratio('noChange'), edit: ratio('edit') },
    checksums: checksums!,
    parallel: { jobs1, jobs2, speedup: jobs1.medianMs / jobs2.medianMs },
  };
}

/** Throws unless every unit of the build satisfies `ok`. */
function expectReuse(step: string, build: CliBuild, ok: (u: CliUnit) => boolean, must: string): void {
  const bad = build.cgus.filter((u) => !ok(u));
  if (bad.length === 0) return;
  const shown = build.cgus.map((u) => `${u.name}=${u.reuse}`).join(', ');
  throw new Error(`codegend ${step} must ${must}; ${bad.length} of ${build.cgus.length} units do not: ${shown}`);
}

/** The units of the last build in `cache` that hold the function `fn` (`codegend explain FN --json`). */
function unitsHolding(cli: string, dir: string, cache: string, fn: string): string[] {
  const out = run(process.execPath, [cli, 'explain', fn, 'main.mir', '--cache', cache, '--json'], dir).stdout;
  const report = JSON.parse(out) as { units: { name: string; matched: string[] }[] };
  return report.units.filter((u) => u.matched.length > 0).map((u) => u.name);
}
