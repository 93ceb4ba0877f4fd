// Monomorphization, on one screen: crate tables → collect from the roots (repeated while
// call sites teach new associated types, so every instance sees them all) → partition
// into codegen units. Errors are diagnostics at the construct; nothing throws.

import type { Ty } from '../mir/ast.js';
import type { CheckedCrate } from '../mir/check.js';
import { type Diagnostic, DiagnosticSink, sortDiagnostics } from '../diagnostics.js';
import type { LayoutCx } from '../ssa/layout/layout-cx.js';
import { collectMonoItems, type Collected } from './collect.js';
import { CrateItems } from './crate-items.js';
import { partition } from './partition.js';
import { MonoCx } from './resolve.js';
import type { CodegenUnit, MonoQueries } from './types.js';

export interface MonoOptions {
  /** The number of codegen units to merge down to (rustc's `-C codegen-units`, default 16). */
  cgus: number;
  crateName: string;
}

export interface MonoResult {
  units: CodegenUnit[];
  queries: MonoQueries;
  diagnostics: Diagnostic[];
  /** The collected graph, for tools that explain placement (`codegend explain`) and tests. */
  collected: Collected;
}

/** Associated-type learning converges fast; this bounds pathological crates. */
const MAX_ROUNDS = 6;

export function monomorphize(crate: CheckedCrate, options: MonoOptions, layouts: LayoutCx): MonoResult {
  const items = new CrateItems(crate);
  const assoc = new Map<string, Ty>();
  let cx: MonoCx;
  let sink: DiagnosticSink;
  let collected: Collected;
  let round = 0;
  do {
    cx = new MonoCx(crate, items, options.crateName, layouts, assoc);
    sink = new DiagnosticSink();
    collected = collectMonoItems(cx, sink);
  } while (cx.assocGrew && ++round < MAX_ROUNDS);
  const units = partition({
    crateName: options.crateName,
    cgus: options.cgus,
    items: collected.items,
    edges: collected.edges,
    sizes: collected.sizes,
    implSelfTy: (t) => items.implSelfTy(t),
    alwaysExternal: new Set(cx.panicHandler ? [cx.panicHandler.key] : []),
  });
  return { units, queries: cx, diagnostics: sortDiagnostics(sink.list), collected };
}

export { describeMonoItem, monoItemKey } from './instance.js';
export type { Collected } from './collect.js';
