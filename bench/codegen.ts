// The full build of the benchmark crate with the LLVM backend, next to its two peers, in
// the same run and interleaved round by round: codegend's in-process `build()` from MIR
// text to a linked executable at --opt 0, `llc -O0` alone on codegend's own IR (the floor
// for this backend: what is left once lowering, printing and linking cost nothing), and
// rustc building the same crate from source with the corpus flags.

import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { build, prepareCrate } from '../src/build.js';
import { type Diagnostic, DiagnosticSink, renderDiagnostic, SourceFile } from '../src/diagnostics.js';
import { compileCodegenUnit, runtimeModule } from '../src/ssa/base.js';
import { llvmBackend, toolCommands } from '../src/backends/llvm/backend.js';
import { findLlvmTools, type LlvmTools, runTool } from '../src/backends/llvm/tools.js';
import { checksumLine, LINK_LIBC, runTimed, rustcFlags } from './crate.js';
import { collectGarbage, type Timing, timingOf } from './timing.js';

/** The build options measured: the CLI's defaults (`codegend build` without flags). */
export const OPT = 0;
export const CGUS = 16;
/** The reference binary's command (shared/bench/README.md), minus `-o`. */
export const RUSTC_BUILD_ARGS = [...rustcFlags(['-O']), ...LINK_LIBC, 'main.rs'];

export interface BuildBench {
  /** Timed rounds (after one untimed warm-up round of all three). */
  reps: number;
  opt: number;
  cgus: number;
  /** Concurrent llc processes, in codegend's build and in the llc-alone run. */
  parallelism: number;
  llvm: { version: number; llc: string; flags: string[] };
  /** IR modules given to llc: the codegen units plus the runtime module. */
  units: number;
  codegenUnits: number;
  /** Total size of the units' LLVM IR text. */
  irBytes: number;
  /** The `checksum=...` line both executables print. */
  checksum: string;
  codegend: Timing;
  llcAlone: Timing;
  rustc: Timing & { args: string[] };
  ratios: { codegendOverLlcAlone: number; codegendOverRustc: number };
  /** Peak RSS of the whole process after this section (includes the in-process builds). */
  peakRssMB: number;
}

/** Runs the section on the crate in `crateDir` (`main.mir`, `main.rs`); throws when anything fails or the checksums differ. */
export async function measureBuild(crateDir: string, mirName: string, reps: number, log: (line: string) => void): Promise<BuildBench> {
  const tmp = mkdtempSync(join(tmpdir(), 'codegend-bench-build-'));
  try {
    const text = readFileSync(join(crateDir, 'main.mir'), 'utf8');
    const sources = (): SourceFile[] => [new SourceFile(mirName, text)];
    const tools = await findLlvmTools();
    const parallelism = availableParallelism();

    log('full build: lowering the crate once for llc-alone ...');
    const ir = lowerToIr(sources(), join(tmp, 'll'));
    const objDir = join(tmp, 'obj');
    mkdirSync(objDir);
    const rustcDir = join(tmp, 'rustc');
    mkdirSync(rustcDir);
    copyFileSync(join(crateDir, 'main.rs'), join(rustcDir, 'main.rs'));
    const codegendExe = join(tmp, 'codegend-main');
    const rustcExe = join(rustcDir, 'main');

    const timeCodegend = async (): Promise<number> => {
      collectGarbage();
      const srcs = sources();
      const t0 = performance.now();
      const r = await build(srcs, { backend: 'llvm', opt: OPT, cgus: CGUS, emit: 'exe', output: codegendExe });
      const ms = performance.now() - t0;
      if (!r.ok) {
        const shown = r.diagnostics.filter((d) => d.severity === 'error').slice(0, 5).map(renderDiagnostic).join('');
        throw new Error(`codegend build failed:\n${shown}${r.toolErrors.join('\n')}`);
      }
      // build() reports the runtime module as a unit too.
      if (r.units.length !== ir.files.length) throw new Error(`codegend built ${r.units.length} modules, the llc-alone lowering ${ir.files.length}`);
      return ms;
    };
    const timeLlc = async (): Promise<number> => {
      const t0 = performance.now();
      await llcAll(tools, ir.files, objDir, parallelism);
      return performance.now() - t0;
    };
    const timeRustc = (): number => runTimed('rustc', [...RUSTC_BUILD_ARGS, '-o', rustcExe], rustcDir).ms;

    // Warm-up round (codegend's JIT, the tools' files in the page cache); it also builds
    // the two executables whose output is compared.
    log('full build: warm-up round (codegend, llc-alone, rustc) ...');
    await timeCodegend();
    await timeLlc();
    timeRustc();
    const expected = checksumLine(rustcExe, 'the rustc-built binary');
    const got = checksumLine(codegendExe, 'the codegend-built binary');
    if (got !== expected) throw new Error(`the codegend-built binary prints ${JSON.stringify(got)}, the rustc-built one ${JSON.stringify(expected)}`);

    // Timed rounds, interleaved so that drift in machine load hits all three alike.
    const times = { codegend: [] as number[], llc: [] as number[], rustc: [] as number[] };
    for (let i = 0; i < reps; i++) {
      log(`full build: round ${i + 1}/${reps} ...`);
      times.codegend.push(await timeCodegend());
      times.llc.push(await timeLlc());
      times.rustc.push(timeRustc());
    }
    const codegend = timingOf(times.codegend);
    const llcAlone = timingOf(times.llc);
    const rustc = timingOf(times.rustc);
    return {
      reps,
      opt: OPT,
      cgus: CGUS,
      parallelism,
      llvm: { version: tools.version, llc: tools.llc, flags: llcArgsShown(tools) },
      units: ir.files.length,
      codegenUnits: ir.codegenUnits,
      irBytes: ir.bytes,
      checksum: got,
      codegend,
      llcAlone,
      rustc: { ...rustc, args: [...RUSTC_BUILD_ARGS, '-o', '<tmp>/main'] },
      ratios: { codegendOverLlcAlone: codegend.medianMs / llcAlone.medianMs, codegendOverRustc: codegend.medianMs / rustc.medianMs },
      peakRssMB: process.resourceUsage().maxRSS / 1024,
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

interface LoweredIr {
  /** One `.ll` file per codegen unit, in unit order, then the runtime module's. */
  files: string[];
  codegenUnits: number;
  bytes: number;
}

/**
 * The crate lowered as `build()` lowers it (same partition, options and backend, and the
 * runtime module), each module serialized to `dir/NNNN-unit.ll`.
 */
function lowerToIr(sources: SourceFile[], dir: string): LoweredIr {
  mkdirSync(dir);
  const prepared = prepareCrate(sources, { cgus: CGUS });
  failOnErrors('check and monomorphize', prepared.diagnostics);
  const input = prepared.input!;
  const backend = llvmBackend();
  const sink = new DiagnosticSink();
  const modules = input.units.map((unit) => compileCodegenUnit(backend, input, unit, { opt: OPT }, sink));
  failOnErrors('lowering', sink.list);
  const runtime = runtimeModule(backend, input, { opt: OPT });

  const files: string[] = [];
  let bytes = 0;
  for (const [i, m] of [...modules, runtime].entries()) {
    if (!m) throw new Error(`lowering: unit ${i} failed without an error diagnostic`);
    const ll = backend.serialize(m).bytes;
    const file = join(dir, `${String(i).padStart(4, '0')}-${m.unitName.replace(/[^A-Za-z0-9_.-]/g, '_')}.ll`);
    writeFileSync(file, ll);
    files.push(file);
    bytes += ll.byteLength;
  }
  return { files, codegenUnits: input.units.length, bytes };
}

/** `llc` on every file, `limit` processes at a time, with the arguments `compileIr` uses at -O0. */
async function llcAll(tools: LlvmTools, files: string[], objDir: string, limit: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const ll = files[next++]!;
      const obj = join(objDir, `${ll.slice(ll.lastIndexOf('/') + 1, -'.ll'.length)}.o`);
      for (const [file, args] of toolCommands(tools, OPT, ll, `${obj}.bc`, obj)) await runTool(file, args, `llc-alone on ${ll}`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, files.length)) }, worker));
}

/** The llc arguments as printed in the report (input and output left out). */
function llcArgsShown(tools: LlvmTools): string[] {
  const args = toolCommands(tools, OPT, 'IN', 'BC', 'OUT')[0]![1];
  return args.filter((a) => a !== 'IN' && a !== 'OUT' && a !== '-o');
}

function failOnErrors(stage: string, diagnostics: Diagnostic[]): void {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length === 0) return;
  throw new Error(`${stage}: ${errors.length} errors; the first:\n${errors.slice(0, 5).map(renderDiagnostic).join('')}`);
}
