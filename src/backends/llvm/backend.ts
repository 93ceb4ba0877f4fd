// The LLVM backend as the driver sees it: modules are built in memory (module.ts),
// serialized as LLVM IR text, and compiled by LLVM's own tools. At opt ≥ 1 the IR goes
// through `opt -O<n>` and then `llc -O<n>`; at opt 0 straight to `llc -O0`. Temporary
// files live in a fresh directory that is removed afterwards; the object bytes depend
// only on the module and the tool version.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Backend } from '../../ssa/traits/backend.js';
import type { ModuleOptions } from '../../ssa/traits/misc.js';
import type { ObjectFile, SerializedModule } from '../../ssa/traits/write.js';
import type { LlvmTypes } from './ir.js';
import { LlvmModule } from './module.js';
import { printFunction, printModule } from './printer.js';
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
    newModule: (unitName: string, moduleOptions: ModuleOptions) => new LlvmModule(unitName, moduleOptions),
    serialize: (module: LlvmModule): SerializedModule => ({ name: module.unitName, bytes: new TextEncoder().encode(printModule(module.ir)) }),
    functionText: (module: LlvmModule, symbol: string) => printFunction(module.ir, symbol),
    compile,
    fatLto: () => Promise.reject(new Error('fat LTO: not yet supported by the LLVM backend')),
    thinSummary: () => ({ exports: [], references: [] }),
    thinBackend: (module: SerializedModule, _imports, moduleOptions: ModuleOptions) => compile(module, moduleOptions),
  };
}

/** The command lines `compileIr` runs, for documentation and tests. */
export function toolCommands(tools: LlvmTools, opt: 0 | 1 | 2 | 3, ll: string, bc: string, obj: string, pipeline?: string): [string, string[]][] {
  const llcArgs = (input: string): string[] => [...tools.extraFlags, '-filetype=obj', '-relocation-model=pic', `-O${opt}`, input, '-o', obj];
  if (opt === 0) return [[tools.llc, llcArgs(ll)]];
  return [
    [tools.opt, [...tools.extraFlags, pipeline ? `-passes=${pipeline}` : `-O${opt}`, ll, '-o', bc]],
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
    p = (async () => {
      const dir = await mkdtemp(join(tmpdir(), 'codegend-llvm-'));
      try {
        const empty = join(dir, 'empty.ll');
        await writeFile(empty, '');
        const r = await runTool(tools.opt, [...tools.extraFlags, `-O${opt}`, '-print-pipeline-passes', empty, '-o', join(dir, 'empty.bc')], 'the optimization pipeline');
        const text = r.stdout.trim().split('\n').pop() ?? '';
        return text.replace(/,loop-load-elim\b/g, '').replace(/,loop-vectorize<[^>]*>/g, '').replace(/,BitcodeWriterPass\b/g, '');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    })();
    pipelines.set(key, p);
  }
  return p;
}

/** Compiles LLVM IR text to an ELF object; a tool's failure names the unit and carries its stderr. */
export async function compileIr(tools: LlvmTools, unitName: string, text: string, opt: 0 | 1 | 2 | 3): Promise<Uint8Array> {
  const dir = await mkdtemp(join(tmpdir(), 'codegend-llvm-'));
  const ll = join(dir, 'module.ll');
  const obj = join(dir, 'module.o');
  try {
    await writeFile(ll, text);
    const pipeline = opt === 0 ? undefined : await defaultPipeline(tools, opt);
    for (const [file, args] of toolCommands(tools, opt, ll, join(dir, 'module.bc'), obj, pipeline)) {
      try {
        await runTool(file, args, `unit '${unitName}'`);
      } catch (e) {
        // Diagnostics name the temporary file; name the unit instead.
        throw new Error((e instanceof Error ? e.message : String(e)).split(ll).join(`${unitName}.ll`));
      }
    }
    return new Uint8Array(await readFile(obj));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
