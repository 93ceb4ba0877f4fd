// The front half of the pipeline, shared by builds, `emit` and the benchmarks: check the
// MIR, lay out its types, monomorphize it into codegen units.

import { basename } from 'node:path';
import type { Diagnostic, SourceFile } from './diagnostics.js';
import { checkCrate } from './mir/check.js';
import { type Collected, type MonoLearned, monomorphize } from './mono/index.js';
import type { CodegenUnit } from './mono/types.js';
import type { CrateInput } from './ssa/base.js';
import { LayoutCx } from './ssa/layout/layout-cx.js';

export function crateNameOf(sources: SourceFile[]): string {
  const base = basename(sources[0]?.name ?? 'main', '.mir').replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(base) ? base : `_${base}`;
}

export interface PreparedCrate {
  /** What code generation needs; absent when checking or monomorphization found errors. */
  input?: CrateInput;
  units: CodegenUnit[];
  diagnostics: Diagnostic[];
  /** The collected mono item graph and the crate-wide tables, for fingerprints. */
  collected?: Collected;
  structureKey?: string;
  /** What checking and collection learned, for the incremental front end's snapshot. */
  learned?: MonoLearned;
}

export function prepareCrate(sources: SourceFile[], options: { cgus: number; crateName?: string; rustSources?: SourceFile[] }): PreparedCrate {
  const checked = checkCrate(sources, { rustSources: options.rustSources });
  if (hasErrors(checked.diagnostics)) return { units: [], diagnostics: checked.diagnostics };
  const crateName = options.crateName ?? crateNameOf(sources);
  const adts = checked.crate.index.adts;
  const layouts = new LayoutCx(adts, { closureCaptures: (text) => adts.closureCaptures(text) });
  const mono = monomorphize(checked.crate, { cgus: options.cgus, crateName }, layouts);
  const diagnostics = [...checked.diagnostics, ...mono.diagnostics];
  if (hasErrors(diagnostics)) return { units: mono.units, diagnostics };
  return { input: { crate: checked.crate, crateName, units: mono.units, mono: mono.queries, layouts }, units: mono.units, diagnostics, collected: mono.collected, structureKey: mono.structureKey, learned: mono.learned };
}

export function hasErrors(ds: Diagnostic[]): boolean {
  return ds.some((d) => d.severity === 'error');
}
