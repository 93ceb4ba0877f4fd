// The pipeline on one screen: MIR text → checked crate → mono items in codegen units →
// one backend module per unit (plus the runtime) → objects → the linked output.
// Every phase reports through diagnostics; a phase with errors stops the build.

import { basename } from 'node:path';
import { type Diagnostic, type SourceFile, sortDiagnostics } from './diagnostics.js';
import { checkCrate } from './mir/check.js';
import { monomorphize } from './mono/index.js';
import type { CodegenUnit } from './mono/types.js';
import { codegenCrate, type CrateInput } from './ssa/base.js';
import { link, type OutputKind } from './ssa/back/link.js';
import { ToolError } from './ssa/back/linker.js';
import { LayoutCx } from './ssa/layout/layout-cx.js';
import { selectBackend, type BackendName } from './backends/select.js';

export interface BuildOptions {
  backend: BackendName;
  opt: 0 | 1 | 2 | 3;
  cgus: number;
  emit: OutputKind;
  output: string;
  linkArgs?: string[];
  /** Defaults to the first file's name without `.mir`. */
  crateName?: string;
  /** The Rust sources the MIR names, when the caller found them (see `checkCrate`). */
  rustSources?: SourceFile[];
}

export interface UnitReport {
  name: string;
  items: number;
}

export interface BuildResult {
  ok: boolean;
  diagnostics: Diagnostic[];
  units: UnitReport[];
  output?: string;
  /** Failures of external tools (the linker), which have no source location. */
  toolErrors: string[];
  ms: number;
}

export function crateNameOf(sources: SourceFile[]): string {
  const base = basename(sources[0]?.name ?? 'main', '.mir').replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(base) ? base : `_${base}`;
}

export async function build(sources: SourceFile[], options: BuildOptions): Promise<BuildResult> {
  const start = performance.now();
  const done = (ok: boolean, diagnostics: Diagnostic[], units: CodegenUnit[] = [], output?: string, toolErrors: string[] = []): BuildResult => ({
    ok,
    diagnostics: sortDiagnostics(diagnostics),
    toolErrors,
    units: units.map((u) => ({ name: u.name, items: u.items.length })),
    output,
    ms: Math.round(performance.now() - start),
  });

  const prepared = prepareCrate(sources, options);
  if (!prepared.input) return done(false, prepared.diagnostics, prepared.units);
  const { input } = prepared;

  const backend = selectBackend(options.backend);
  const generated = await codegenCrate(backend, input, { opt: options.opt });
  const diagnostics = [...prepared.diagnostics, ...generated.diagnostics];
  if (hasErrors(diagnostics)) return done(false, diagnostics, input.units);

  try {
    await link(generated.objects, options.output, { kind: options.emit, linkArgs: options.linkArgs });
  } catch (e) {
    if (e instanceof ToolError) return done(false, diagnostics, input.units, undefined, [e.message]);
    throw e;
  }
  return done(true, diagnostics, input.units, options.output);
}

export interface PreparedCrate {
  /** What code generation needs; absent when checking or monomorphization found errors. */
  input?: CrateInput;
  units: CodegenUnit[];
  diagnostics: Diagnostic[];
}

/** The front half of the pipeline, shared by builds, `emit` and the benchmarks: check, lay out, monomorphize. */
export function prepareCrate(sources: SourceFile[], options: { cgus: number; crateName?: string; rustSources?: SourceFile[] }): PreparedCrate {
  const checked = checkCrate(sources, { rustSources: options.rustSources });
  if (hasErrors(checked.diagnostics)) return { units: [], diagnostics: checked.diagnostics };
  const crateName = options.crateName ?? crateNameOf(sources);
  const adts = checked.crate.index.adts;
  const layouts = new LayoutCx(adts, { closureCaptures: (text) => adts.closureCaptures(text) });
  const mono = monomorphize(checked.crate, { cgus: options.cgus, crateName }, layouts);
  const diagnostics = [...checked.diagnostics, ...mono.diagnostics];
  if (hasErrors(diagnostics)) return { units: mono.units, diagnostics };
  return { input: { crate: checked.crate, crateName, units: mono.units, mono: mono.queries, layouts }, units: mono.units, diagnostics };
}

function hasErrors(ds: Diagnostic[]): boolean {
  return ds.some((d) => d.severity === 'error');
}
