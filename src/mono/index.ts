// Monomorphization, on one screen: crate tables → collect from the roots (repeated while
// call sites teach new associated types, so every instance sees them all) → partition
// into codegen units. Errors are diagnostics at the construct; nothing throws.

import type { FnSig, Ty } from '../mir/ast.js';
import { tyKey } from '../mir/body-types.js';
import type { CheckedCrate } from '../mir/check.js';
import { type Diagnostic, DiagnosticSink, sortDiagnostics } from '../diagnostics.js';
import type { LayoutCx } from '../ssa/layout/layout-cx.js';
import { collectMonoItems, type Collected } from './collect.js';
import { type CrateBodyFacts, CrateItems } from './crate-items.js';
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
  /** What every unit depends on beyond its items: trait slots and the signatures of external functions. */
  structureKey: string;
  /** What collection learned beyond the units, for the incremental front end to save and restore. */
  learned: MonoLearned;
}

export interface MonoLearned {
  /** Associated types (projection key ↦ type). */
  assoc: [string, Ty][];
  /** Instances reified to `extern "C" fn` pointers. */
  cAbi: string[];
  bodyFacts: CrateBodyFacts;
  /** The crate-wide tables body facts decide (trait slots, concrete names), as one string. */
  bodyTables: string;
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
  const sigKey = (sig: FnSig) => [sig.abi ?? '', sig.params.map(tyKey), tyKey(sig.ret), sig.variadic];
  const declared = [...crate.index.externs.values()].map((d) => [d.item.name, d.item.params.map(tyKey), tyKey(d.item.ret), d.item.variadic]).sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
  const structureKey = JSON.stringify([items.slotsKey(), [...crate.externs].sort((a, b) => (a.name < b.name ? -1 : 1)).map((e) => [e.name, sigKey(e.sig)]), declared]);
  const learned = { assoc: [...assoc], cAbi: cx.cAbiKeys(), bodyFacts: items.bodyFacts(), bodyTables: bodyTablesKey(items) };
  return { units, queries: cx, diagnostics: sortDiagnostics(sink.list), collected, structureKey, learned };
}

export function bodyTablesKey(items: CrateItems): string {
  return `${items.slotsKey()}\n${items.concreteNamesKey()}`;
}

export { describeMonoItem, monoItemKey } from './instance.js';
export type { Collected } from './collect.js';
