// The incremental front end. A full build leaves a snapshot of what the front end
// learned from the whole crate: the inferred ADTs and closure captures, the external
// signatures, what collection learned (associated types, C-convention instances, trait
// slots), the codegen units with a description of each item, and per chunk its hash and,
// for functions, its shape (chunk-hash.ts: the text with literal values erased). When
// only function bodies changed, and each changed body has its old shape, nothing the
// crate-wide inference or collection reads has changed: the next build parses every
// item's header (70 ms for the 40 MB benchmark crate instead of 1.3 s), checks just the
// changed bodies, puts the snapshot back instead of inferring and collecting again, and
// refingerprints only the items whose bodies changed. Anything else (a new item, a
// changed signature, constant or allocation, a body whose shape changed, a diagnostic)
// means the full front end runs. `--verify-incremental` runs both and compares.

import { type Diagnostic, DiagnosticSink, type SourceFile } from '../diagnostics.js';
import type { AdtTableState } from '../mir/adt-table.js';
import type { FnItem, Ty } from '../mir/ast.js';
import { checkItems, type CheckedCrate } from '../mir/check.js';
import type { InferredExtern } from '../mir/externs.js';
import { parseMirFile } from '../mir/parse/items.js';
import { buildIndex } from '../mir/resolve.js';
import type { Subst } from '../mir/subst.js';
import { pathKey } from '../mir/ty.js';
import type { CrateBodyFacts } from '../mono/crate-items.js';
import { CrateItems } from '../mono/crate-items.js';
import { MonoCx } from '../mono/resolve.js';
import { bodySize } from '../mono/collect.js';
import { monoItemKey } from '../mono/instance.js';
import { partition } from '../mono/partition.js';
import type { CguItem, CodegenUnit, Instance, MonoItem } from '../mono/types.js';
import { type PreparedCrate, prepareCrate } from '../prepare.js';
import type { CrateInput } from '../ssa/base.js';
import { LayoutCx } from '../ssa/layout/layout-cx.js';
import { chunkShape, type FileHashes } from './chunk-hash.js';
import { decode, encode } from './codec.js';
import { fingerprintUnits, hashStrings, type UnitFingerprint } from './fingerprint.js';
import { refingerprintAll } from './plan.js';
import { FRONT_END_UNIT, type IncrementalSession } from './session.js';

const SNAPSHOT_VERSION = 1;

type ItemDesc =
  | { k: 'fn'; key: string; path: string; shim?: 'closureFnPointer'; subst: Subst }
  | { k: 'const'; key: string; path: string; subst: Subst }
  | { k: 'drop'; key: string; ty: Ty; dropImpl?: ItemDesc }
  | { k: 'static'; path: string };

interface ChunkEntry {
  hash: string;
  kind: string;
  shape?: string;
}

export interface FrontSnapshot {
  version: number;
  /** Options, crate name, unit count and the Rust sources' enums: what must be equal for the snapshot to apply. */
  context: string;
  files: { name: string; chunks: ChunkEntry[] }[];
  adts: AdtTableState;
  externs: InferredExtern[];
  assoc: [string, Ty][];
  cAbi: string[];
  bodyFacts: CrateBodyFacts;
  units: { name: string; sizeEstimate: number; items: { linkage: CguItem['linkage']; item: ItemDesc }[] }[];
  /** The collected graph, for partitioning again when a changed body's size changed. */
  graph: { edges: [string, string[]][]; sizes: [string, number][]; panicHandler?: string };
}

/** The front end's results, whether computed or restored. */
export interface FrontResult {
  input: CrateInput;
  /** The snapshot for the next build. */
  snapshot: FrontSnapshot;
}

/** `enumsKey`: `rustEnumsKey` of the Rust sources beside the MIR. */
export function snapshotContext(optionsKey: string, cgus: number, crateName: string, enumsKey: string): string {
  return hashStrings([optionsKey, String(cgus), crateName, enumsKey]);
}

/** The snapshot of a full front end's results (`prepared` without errors). */
export function takeSnapshot(prepared: PreparedCrate, sources: SourceFile[], hashes: ReadonlyMap<SourceFile, FileHashes>, context: string): FrontSnapshot {
  const input = prepared.input!;
  const learned = prepared.learned!;
  return {
    version: SNAPSHOT_VERSION,
    context,
    files: sources.map((s) => ({ name: s.name, chunks: chunkEntries(s, hashes.get(s)!) })),
    adts: input.crate.index.adts.exportState(),
    externs: input.crate.externs,
    assoc: learned.assoc,
    cAbi: learned.cAbi,
    bodyFacts: learned.bodyFacts,
    units: describeUnits(input.units),
    graph: { edges: [...prepared.collected!.edges].map(([k, v]) => [k, [...v].sort()]), sizes: [...prepared.collected!.sizes], panicHandler: input.mono.panicHandler?.key },
  };
}

function describeUnits(units: CodegenUnit[]): FrontSnapshot['units'] {
  return units.map((u) => ({ name: u.name, sizeEstimate: u.sizeEstimate, items: u.items.map((it) => ({ linkage: it.linkage, item: describe(it.item) })) }));
}

function chunkEntries(source: SourceFile, hashes: FileHashes): ChunkEntry[] {
  return hashes.chunks.map((c) => (c.kind === 'fn' ? { hash: c.hash, kind: c.kind, shape: chunkShape(source.text, c) } : { hash: c.hash, kind: c.kind }));
}

function describe(m: MonoItem): ItemDesc {
  if (m.kind === 'static') return { k: 'static', path: pathKey(m.item.item.name) };
  return describeInstance(m.instance);
}

function describeInstance(inst: Instance): ItemDesc {
  const d = inst.def;
  switch (d.kind) {
    case 'item':
      return { k: 'fn', key: inst.key, path: pathKey(d.item.item.name), shim: d.shim, subst: inst.subst };
    case 'constBody':
      return { k: 'const', key: inst.key, path: pathKey(d.item.item.name), subst: inst.subst };
    case 'dropGlue':
      return { k: 'drop', key: inst.key, ty: d.ty, dropImpl: d.dropImpl && describeInstance(d.dropImpl) };
  }
}

export function encodeSnapshot(s: FrontSnapshot): string {
  return encode(s);
}

export function decodeSnapshot(text: unknown): FrontSnapshot | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    const s = decode<FrontSnapshot>(text);
    return s.version === SNAPSHOT_VERSION ? s : undefined;
  } catch {
    return undefined;
  }
}

/** Per file name, the function chunks that changed: position → new shape. */
export type ChangedBodies = Map<string, Map<number, string>>;

/**
 * Which function chunks changed since the snapshot; when more than what the incremental
 * front end takes changed, why it cannot run.
 */
export function changedBodies(snapshot: FrontSnapshot, sources: SourceFile[], hashes: ReadonlyMap<SourceFile, FileHashes>, context: string): ChangedBodies | string {
  if (snapshot.context !== context) return 'the codegen options, the number of units or the Rust sources\' enums changed';
  if (snapshot.files.length !== sources.length || snapshot.files.some((f, i) => f.name !== sources[i]!.name)) return 'the crate\'s files changed';
  const changed: ChangedBodies = new Map();
  for (const [i, source] of sources.entries()) {
    const old = snapshot.files[i]!;
    const now = hashes.get(source)!.chunks;
    if (old.chunks.length !== now.length) return `items were added to or removed from ${source.name}`;
    const shapes = new Map<number, string>();
    for (const [j, c] of now.entries()) {
      const before = old.chunks[j]!;
      if (before.hash === c.hash) continue;
      if (c.kind !== 'fn' || before.kind !== 'fn') return `\`${headerOf(source.text, c.start, c.end)}\` changed (only function bodies can change incrementally)`;
      const shape = chunkShape(source.text, c);
      if (before.shape !== shape) return `\`${headerOf(source.text, c.start, c.end)}\` changed in what crate-wide inference or collection reads`;
      shapes.set(j, shape);
    }
    if (shapes.size > 0) changed.set(source.name, shapes);
  }
  return changed;
}

/** An item's first line, shortened: how a reason names it. */
function headerOf(text: string, start: number, end: number): string {
  let nl = text.indexOf('\n', start);
  if (nl < 0 || nl > end) nl = end;
  const line = text.slice(start, nl).trim().replace(/\s*\{$/, '');
  return line.length > 100 ? `${line.slice(0, 97)}...` : line;
}

/**
 * The front end's results from the snapshot, when only the bodies `changed` (by file
 * name, chunk positions) changed, kept their shapes, and parse and check cleanly;
 * otherwise why not (the caller runs the full front end).
 */
export function restoreFrontEnd(snapshot: FrontSnapshot, sources: SourceFile[], hashes: ReadonlyMap<SourceFile, FileHashes>, changed: ChangedBodies, crateName: string, cgus: number): FrontResult | string {
  const sink = new DiagnosticSink();
  const files = sources.map((s) => parseMirFile(s, sink, { lazyBodies: true }));
  const index = buildIndex(files, sink);
  if (sink.list.length > 0) return 'the items\' headers have errors';
  index.adts.restoreState(snapshot.adts);
  const crate: CheckedCrate = { files, index, externs: snapshot.externs };

  // The changed bodies must parse and check as cleanly as the old ones did.
  const touched: { item: FnItem; file: SourceFile }[] = [];
  for (const f of files) {
    const wanted = changed.get(f.file.name);
    if (!wanted) continue;
    const fh = hashes.get(f.file)!;
    for (const item of f.items) if (item.kind === 'fn' && wanted.has(fh.chunkIndexAt(item.nameSpan.lo))) touched.push({ item, file: f.file });
  }
  checkItems(crate, touched, sink);
  if (sink.list.length > 0) return 'a changed body has errors';

  const adts = index.adts;
  const layouts = new LayoutCx(adts, { closureCaptures: (text) => adts.closureCaptures(text) });
  const crateItems = new CrateItems(crate, snapshot.bodyFacts);
  const cx = new MonoCx(crate, crateItems, crateName, layouts, new Map(snapshot.assoc));
  for (const key of snapshot.cAbi) cx.markCAbiKey(key);
  const items = new Map<string, MonoItem>();
  let units: CodegenUnit[] = [];
  for (const u of snapshot.units) {
    const cguItems: CguItem[] = [];
    for (const it of u.items) {
      const item = rebuild(cx, it.item);
      if (!item) return `the crate no longer has what unit \`${u.name}\` held`;
      cguItems.push({ linkage: it.linkage, item });
      items.set(monoItemKey(item), item);
    }
    units.push({ name: u.name, sizeEstimate: u.sizeEstimate, items: cguItems });
  }

  // A changed body's size counts in how units are merged: partition again when one moved.
  const sizes = new Map(snapshot.graph.sizes);
  const bodies = new Map(touched.map(({ item }) => [pathKey(item.name), item]));
  let resized = false;
  for (const [key, m] of items) {
    const d = m.kind === 'fn' ? m.instance.def : undefined;
    const fn = d?.kind === 'item' && !d.shim ? bodies.get(pathKey(d.item.item.name)) : undefined;
    if (!fn) continue;
    const size = bodySize(fn.body);
    if (sizes.get(key) !== size) resized = true;
    sizes.set(key, size);
  }
  if (resized) {
    const edges = new Map(snapshot.graph.edges.map(([k, v]) => [k, new Set(v)]));
    units = partition({ crateName, cgus, items, edges, sizes, implSelfTy: (t) => crateItems.implSelfTy(t), alwaysExternal: new Set(snapshot.graph.panicHandler ? [snapshot.graph.panicHandler] : []) });
  }
  const input: CrateInput = { crate, crateName, units, mono: cx, layouts };
  const next: FrontSnapshot = {
    ...snapshot,
    files: snapshot.files.map((f, i) => ({ name: f.name, chunks: refreshChunks(f.chunks, hashes.get(sources[i]!)!, changed.get(f.name)) })),
    units: resized ? describeUnits(units) : snapshot.units,
    graph: { ...snapshot.graph, sizes: [...sizes] },
  };
  return { input, snapshot: next };
}

function refreshChunks(old: ChunkEntry[], hashes: FileHashes, changed: Map<number, string> | undefined): ChunkEntry[] {
  if (!changed) return old;
  const out = [...old];
  for (const [j, shape] of changed) out[j] = { ...old[j]!, hash: hashes.chunks[j]!.hash, shape };
  return out;
}

/** A mono item from its description; undefined when the crate no longer has what it names, or it would get another key. */
function rebuild(cx: MonoCx, d: ItemDesc): MonoItem | undefined {
  if (d.k === 'static') {
    const s = cx.crate.index.statics.get(d.path);
    return s && { kind: 'static', item: s, symbol: cx.staticSymbol(s.item.name), exported: s.item.exported };
  }
  const inst = rebuildInstance(cx, d);
  return inst && { kind: 'fn', instance: inst };
}

function rebuildInstance(cx: MonoCx, d: Exclude<ItemDesc, { k: 'static' }>): Instance | undefined {
  const index = cx.crate.index;
  let inst: Instance | undefined;
  switch (d.k) {
    case 'fn': {
      const fn = index.fns.get(d.path);
      inst = fn && cx.instances.fn(fn, d.subst, d.shim);
      break;
    }
    case 'const': {
      const c = index.consts.get(d.path);
      inst = c && cx.instances.constBody(c, d.subst);
      break;
    }
    case 'drop': {
      const dropImpl = d.dropImpl && d.dropImpl.k !== 'static' ? rebuildInstance(cx, d.dropImpl) : undefined;
      if (d.dropImpl && !dropImpl) return undefined;
      inst = cx.instances.dropGlue(d.ty, dropImpl);
      break;
    }
  }
  return inst?.key === d.key ? inst : undefined;
}

/** The front end of one build, full or restored, as the rest of the build sees it. */
export interface FrontEndRun {
  kind: 'full' | 'incremental';
  /** For a full run: why the incremental front end did not apply. */
  why?: string;
  /** Absent when the crate has errors. */
  input?: CrateInput;
  diagnostics: Diagnostic[];
  fingerprints(optionsKey: string): UnitFingerprint[];
  /** The snapshot for the next build (only for a run without errors). */
  snapshot(): FrontSnapshot;
}

export interface FrontEndOptions {
  cgus: number;
  crateName: string;
  rustSources?: SourceFile[];
  /** Run the full front end, and the incremental one too when it applies, and compare. */
  verify?: boolean;
}

/**
 * The incremental front end when the last build's snapshot applies (`mayRestore`: the
 * last build was good and had no warnings, which only the full front end reports),
 * else the full one.
 */
export function runFrontEnd(session: IncrementalSession, sources: SourceFile[], hashes: Map<SourceFile, FileHashes>, context: string, options: FrontEndOptions, mayRestore: boolean): FrontEndRun {
  const attempt = mayRestore ? restoreFromSession(session, sources, hashes, context, options.crateName, options.cgus) : 'the last build failed or had warnings, which only the full front end reports';
  const restored = typeof attempt === 'string' ? undefined : attempt;
  if (restored && !options.verify) return restored;
  const prepared = prepareCrate(sources, options);
  const full: FrontEndRun = {
    kind: 'full',
    why: typeof attempt === 'string' ? attempt : 'verify mode runs the full front end too',
    input: prepared.input,
    diagnostics: prepared.diagnostics,
    fingerprints: (optionsKey) => fingerprintUnits({ input: prepared.input!, collected: prepared.collected!, hashes, optionsKey, structureKey: prepared.structureKey! }),
    snapshot: () => takeSnapshot(prepared, sources, hashes, context),
  };
  if (!restored || !prepared.input) return full;
  // Verify mode: the restored front end must agree with the full one, unit by unit.
  const mismatch = (optKey: string): string | undefined => {
    const a = full.fingerprints(optKey);
    const b = restored.fingerprints(optKey);
    if (a.length !== b.length) return `it found ${b.length} units where the full front end found ${a.length}`;
    const i = a.findIndex((u, k) => u.name !== b[k]!.name || u.fingerprint !== b[k]!.fingerprint);
    return i < 0 ? undefined : `unit \`${a[i]!.name}\` differs`;
  };
  return {
    ...full,
    fingerprints: (optKey) => {
      const m = mismatch(optKey);
      if (m) throw new IncrementalFrontEndMismatch(`the incremental front end disagrees with the full one: ${m}; please report this`);
      return full.fingerprints(optKey);
    },
  };
}

/** `--verify-incremental` found the incremental front end's results differ from the full one's. */
export class IncrementalFrontEndMismatch extends Error {}

function restoreFromSession(session: IncrementalSession, sources: SourceFile[], hashes: Map<SourceFile, FileHashes>, context: string, crateName: string, cgus: number): FrontEndRun | string {
  const snapshot = decodeSnapshot(session.record(FRONT_END_UNIT)?.details);
  if (!snapshot) return 'the cache holds no front end snapshot from the last build';
  const changed = changedBodies(snapshot, sources, hashes, context);
  if (typeof changed === 'string') return changed;
  const result = restoreFrontEnd(snapshot, sources, hashes, changed, crateName, cgus);
  if (typeof result === 'string') return result;
  const fps = refingerprintAll(session, result.input, hashes);
  if (!fps) return 'the cache lacks the last fingerprint of a unit';
  return { kind: 'incremental', input: result.input, diagnostics: [], fingerprints: () => fps, snapshot: () => result.snapshot };
}
