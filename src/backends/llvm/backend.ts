// The LLVM backend as the driver sees it: modules are built in memory (module.ts),
// serialized as LLVM IR text, and compiled by LLVM's own tools. At opt ≥ 1 the IR goes
// through `opt -O<n>` and then `llc -O<n>`; at opt 0 straight to `llc -O0`. Fat LTO first
// merges the modules with `llvm-link`, thin LTO first adds copies of imports (lto.ts).
// Temporary files live in a fresh directory that is removed afterwards; the object bytes
// depend only on the modules and the tool version. `emit`'s listings: a function's IR
// as printed, or its assembly from the same commands with `-filetype=asm`, the module
// printed with debug locations so that `.loc` directives map the lines (asm-listing.ts).

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Backend } from '../../ssa/traits/backend.js';
import type { ModuleOptions } from '../../ssa/traits/misc.js';
import type { FunctionListing, ListingForm, ListingLine, ObjectFile, SerializedModule, ThinImport } from '../../ssa/traits/write.js';
import { asmListing } from './asm-listing.js';
import { DebugInfo } from './debug-info.js';
import type { IrModule, LlvmTypes } from './ir.js';
import { linkModules, thinModuleText, thinSummary } from './lto.js';
import { LlvmModule } from './module.js';
import { printFunction, printFunctionListing, printModule } from './printer.js';
import { findLlvmTools, runTool, type LlvmTools, type ToolSearch } from './tools.js';

export interface LlvmBackendOptions {
  /** Use these tools instead of searching for them. */
  tools?: LlvmTools;
  /** Where to search for the tools (PATH and `/usr/lib/llvm-N/bin` by default). */
  search?: ToolSearch;
}

export function llvmBackend(options: LlvmBackendOptions = {}): Backend<LlvmTypes, LlvmModule> {
  // The tools are looked up once per backend, on the first compile.
  let tools: Promise<LlvmTools> | undefined = options.tools ? Promise.resolve(options.tools) : undefined;
  const getTools = (): Promise<LlvmTools> => {
    if (!tools) {
      tools = findLlvmTools(options.search);
      tools.catch(() => {
        tools = undefined;
      });
    }
    return tools;
  };
  const compile = async (module: SerializedModule, moduleOptions: ModuleOptions): Promise<ObjectFile> => {
    const bytes = await compileIr(await getTools(), module.name, new TextDecoder().decode(module.bytes), moduleOptions.opt);
    return { name: module.name, bytes };
  };
  return {
    name: 'llvm',
    identity: () =>
      getTools().then(
        (t) => `llvm ${t.version} ${t.llc} ${t.opt}`,
        // Missing tools fail the build when a unit is compiled, with the message that says why.
        () => 'llvm (tools not found)',
      ),
    newModule: (unitName: string, moduleOptions: ModuleOptions) => new LlvmModule(unitName, moduleOptions),
    serialize: (module: LlvmModule): SerializedModule => ({ name: module.unitName, bytes: new TextEncoder().encode(printModule(module.ir)) }),
    functionText: (module: LlvmModule, symbol: string) => printFunction(module.ir, symbol),
    functionListings: async (module: LlvmModule, symbols: readonly string[], form: ListingForm): Promise<(FunctionListing | undefined)[]> => {
      if (form === 'ir') return symbols.map((s) => irListing(module.ir, s));
      const defined = (s: string): boolean => {
        const f = module.ir.symbols.get(s);
        return f?.kind === 'fn' && f.body !== undefined;
      };
      if (!symbols.some(defined)) return symbols.map(() => undefined);
      const debug = new DebugInfo(module.unitName);
      const text = printModule(module.ir, debug);
      const asm = await compileAsm(await getTools(), module.unitName, text, module.options.opt);
      return symbols.map((s) => (defined(s) ? asmListing(asm, s, (dir, name) => debug.fileNamed(dir, name)) : undefined));
    },
    compile,
    fatLto: async (name: string, modules: SerializedModule[], moduleOptions: ModuleOptions): Promise<ObjectFile> => {
      const t = await getTools();
      const what = (step: string): string => `fat LTO of '${name}', ${step}`;
      const bytes = await inTempDir(async (dir) => {
        const linked = await linkModules(t, dir, modules, what('linking'));
        return emitObject(t, dir, linked, moduleOptions.opt, what, [[linked, `${name}.bc`]]);
      });
      return { name, bytes };
    },
    thinSummary,
    thinBackend: async (module: SerializedModule, imports: ThinImport[], moduleOptions: ModuleOptions): Promise<ObjectFile> => {
      const text = thinModuleText(module, imports);
      const what = (step: string): string => `thin LTO of unit '${module.name}', ${step}`;
      return { name: module.name, bytes: await compileIr(await getTools(), module.name, text, moduleOptions.opt, what) };
    },
  };
}

/** The command lines `compileIr` runs on `input` (IR text or bitcode), for documentation and tests. */
export function toolCommands(tools: LlvmTools, opt: 0 | 1 | 2 | 3, input: string, bc: string, obj: string, pipeline?: string, filetype: 'obj' | 'asm' = 'obj'): [string, string[]][] {
  const llcArgs = (from: string): string[] => [...tools.extraFlags, `-filetype=${filetype}`, '-relocation-model=pic', `-O${opt}`, from, '-o', obj];
  if (opt === 0) return [[tools.llc, llcArgs(input)]];
  return [
    [tools.opt, [...tools.extraFlags, pipeline ? `-passes=${pipeline}` : `-O${opt}`, input, '-o', bc]],
    [tools.llc, llcArgs(bc)],
  ];
}

// LLVM 14's opaque pointers were experimental: its loop vectorizer and loop load
// elimination crash on them (in RuntimePointerChecking). For LLVM 14 the `-O<n>` pipeline
// is asked for as text and run without those two passes; later versions run `-O<n>`.
const pipelines = new Map<string, Promise<string | undefined>>();

function defaultPipeline(tools: LlvmTools, opt: 1 | 2 | 3): Promise<string | undefined> {
  if (tools.version >= 15) return Promise.resolve(undefined);
  const key = `${tools.opt}\0${opt}`;
  let p = pipelines.get(key);
  if (!p) {
    p = inTempDir(async (dir) => {
      const empty = join(dir, 'empty.ll');
      await writeFile(empty, '');
      const r = await runTool(tools.opt, [...tools.extraFlags, `-O${opt}`, '-print-pipeline-passes', empty, '-o', join(dir, 'empty.bc')], 'the optimization pipeline');
      const text = r.stdout.trim().split('\n').pop() ?? '';
      return text.replace(/,loop-load-elim\b/g, '').replace(/,loop-vectorize<[^>]*>/g, '').replace(/,BitcodeWriterPass\b/g, '');
    });
    pipelines.set(key, p);
  }
  return p;
}

/** Names a failing step for its error message: the same for both when compiling a unit. */
type StepName = (step: 'optimizing' | 'code generation') => string;

/**
 * Compiles LLVM IR text to an ELF object; a tool's failure names the unit (or, given
 * `what`, the step) and carries its stderr.
 */
export async function compileIr(tools: LlvmTools, unitName: string, text: string, opt: 0 | 1 | 2 | 3, what: StepName = () => `unit '${unitName}'`): Promise<Uint8Array> {
  return inTempDir(async (dir) => {
    const ll = join(dir, 'module.ll');
    await writeFile(ll, text);
    // Diagnostics name the temporary file; name the unit instead.
    return emitObject(tools, dir, ll, opt, what, [[ll, `${unitName}.ll`]]);
  });
}

/** The assembly `compileIr` would turn into an object: the same commands, with `-filetype=asm`. */
export async function compileAsm(tools: LlvmTools, unitName: string, text: string, opt: 0 | 1 | 2 | 3): Promise<string> {
  return inTempDir(async (dir) => {
    const ll = join(dir, 'module.ll');
    await writeFile(ll, text);
    const what: StepName = () => `assembly of unit '${unitName}'`;
    return new TextDecoder().decode(await emitObject(tools, dir, ll, opt, what, [[ll, `${unitName}.ll`]], 'asm'));
  });
}

/** Optimizes `input` (IR text or bitcode, in `dir`) at `opt` and emits an object (or assembly); returns its bytes. */
async function emitObject(tools: LlvmTools, dir: string, input: string, opt: 0 | 1 | 2 | 3, what: StepName, shown: [string, string][], filetype: 'obj' | 'asm' = 'obj'): Promise<Uint8Array> {
  const obj = join(dir, filetype === 'obj' ? 'module.o' : 'module.s');
  const pipeline = opt === 0 ? undefined : await defaultPipeline(tools, opt);
  for (const [file, args] of toolCommands(tools, opt, input, join(dir, 'optimized.bc'), obj, pipeline, filetype)) {
    await runTool(file, args, what(file === tools.opt ? 'optimizing' : 'code generation'), shown);
  }
  return new Uint8Array(await readFile(obj));
}

/** A function's IR as `functionText` prints it, each line with the position of its MIR. */
function irListing(m: IrModule, symbol: string): FunctionListing | undefined {
  const printed = printFunctionListing(m, symbol);
  if (!printed) return undefined;
  const lines: ListingLine[] = [];
  printed.locs.forEach((loc, output) => {
    if (!loc) return;
    const { line, col } = loc.file.position(loc.span.lo);
    lines.push({ output, file: loc.file, line, column: col });
  });
  return { text: printed.text, lines };
}

async function inTempDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'codegend-llvm-'));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
