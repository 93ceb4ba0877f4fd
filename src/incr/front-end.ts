// The incremental front end. A full build leaves a snapshot of what the front end
// learned from the whole crate: the inferred ADTs and closure captures, the external
// signatures, what collection learned (associated types, C-convention instances, trait
// slots, concrete names, per function what its body added), the collected graph, the
// codegen units with a description of each item, and per chunk its hash and, for
// functions, its shapes (chunk-hash.ts) and its inference trace (inference-trace.ts).
//
// When only function bodies changed, the next build parses every item's header (70 ms
// for the 40 MB benchmark crate instead of 1.3 s), checks just the changed bodies, and
// puts the snapshot back instead of inferring and collecting again, provided each
// changed body tells crate-wide inference what it told before: the same typed shape
// (or the same shape without calls and local types) and the same trace, and adds the
// same to the crate's tables. A body whose typed shape stayed references what it did:
// only its fingerprint is computed again. A body whose calls changed is walked again
// against the restored collection, new instances it reaches are walked too, items no
// root reaches any more are dropped, and the walked items are fingerprinted from scratch,
// unless a walk teaches the crate something (an associated type, a C-convention mark) or
// an item that taught something changed or went: that needs the full collection. Units
// are partitioned again when the graph or a size changed. Anything else (a new item, a
// changed signature, constant or allocation, a diagnostic) means the full front end runs.
// `--verify-incremental` runs both and compares.

import { type Diagnostic, DiagnosticSink, type SourceFile } from '../diagnostics.js';
import type { AdtTableState } from '../mir/adt-table.js';
import type { FnItem, Ty } from '../mir/ast.js';
import { checkItems, type CheckedCrate } from '../mir/check.js';
import type { InferredExtern } from '../mir/externs.js';
import type { BodyTrace, ExternalCallSite } from '../mir/inference-trace.js';
import { parseMirFile } from '../mir/parse/items.js';
import { buildIndex } from '../mir/resolve.js';
import type { Subst } from '../mir/subst.js';
import { pathKey } from '../mir/ty.js';
import type { CrateBodyFacts } from '../mono/crate-items.js';
import { CrateItems } from '../mono/crate-items.js';
import { bodyTablesKey } from '../mono/index.js';
import { MonoCx } from '../mono/resolve.js';
import { bodySize, recollectMonoItems, type Recollected } from '../mono/collect.js';
import { monoItemKey } from '../mono/instance.js';
import { partition } from '../mono/partition.js';
import type { CguItem, CodegenUnit, Instance, MonoItem } from '../mono/types.js';
import { type PreparedCrate, prepareCrate } from '../prepare.js';
import type { CrateInput } from '../ssa/base.js';
import { LayoutCx } from '../ssa/layout/layout-cx.js';
import { type ChunkShapes, chunkShapes, type FileHashes } from './chunk-hash.js';
import { type ChunkTrace, discriminantsDigest, externsStay, SiteTable, tracesByChunk } from './extern-sites.js';
import { decode, encode } from './codec.js';
import { fingerprintUnits, hashStrings, itemFingerprinter, type UnitFingerprint } from './fingerprint.js';
import { type FreshItems, refingerprintAll } from './plan.js';
import { FRONT_END_UNIT, type IncrementalSession } from './session.js';

const SNAPSHOT_VERSION = 2;

type ItemDesc =
  | { k: 'fn'; key: string; path: string; shim?: 'closureFnPointer'; subst: Subst }
  | { k: 'const'; key: string; path: string; subst: Subst }
  | { k: 'drop'; key: string; ty: Ty; dropImpl?: ItemDesc }
  | { k: 'static'; path: string };

interface ChunkEntry extends ChunkTrace {
  hash: string;
  kind: string;
  /** Functions: `ChunkShapes.typed` and `.calls`. */
  shape?: string;
  calls?: string;
}

export interface FrontSnapshot {
  version: number;
  /** Options, crate name, unit count and the Rust sources' enums: what must be equal for the snapshot to apply. */
  context: string;
  files: { name: string; chunks: ChunkEntry[] }[];
  /** The crate's distinct external call sites, which chunk entries point into. */
  externSites: ExternalCallSite[];
  adts: AdtTableState;
  externs: InferredExtern[];
  assoc: [string, Ty][];
  cAbi: string[];
  bodyFacts: CrateBodyFacts;
  /** `bodyTablesKey` of the crate's tables. */
  bodyTables: string;
  units: { name: string; sizeEstimate: number; items: { linkage: CguItem['linkage']; item: ItemDesc }[] }[];
  /** The collected graph, for collecting and partitioning again; `teaches`: see `Collected.teaches`. */
  graph: { edges: [string, string[]][]; sizes: [string, number][]; teaches: string[]; panicHandler?: string };
}

/** The front end's results, whether computed or restored. */
export interface FrontResult {
  input: CrateInput;
  /** The snapshot for the next build. */
  snapshot: FrontSnapshot;
  /** When bodies were walked again: those items and the graph, to fingerprint them from scratch. */
  fresh?: { keys: Set<string>; collected: Recollected };
}

/** `enumsKey`: `rustEnumsKey` of the Rust sources beside the MIR. */
export function snapshotContext(optionsKey: string, cgus: number, crateName: string, enumsKey: string): string {
  return hashStrings([optionsKey, String(cgus), crateName, enumsKey]);
}

/** The snapshot of a full front end's results (`prepared` without errors). */
export function takeSnapshot(prepared: PreparedCrate, sources: SourceFile[], hashes: ReadonlyMap<SourceFile, FileHashes>, context: string): FrontSnapshot {
  const input = prepared.input!;
  const learned = prepared.learned!;
  const collected = prepared.collected!;
  const sites = new SiteTable();
  const files = sources.map((s) => ({ name: s.name, chunks: chunkEntries(s, hashes.get(s)!, input.crate.traces.get(s), sites) }));
  return {
    version: SNAPSHOT_VERSION,
    context,
    files,
    externSites: sites.sites,
    adts: input.crate.index.adts.exportState(),
    externs: input.crate.externs,
    assoc: learned.assoc,
    cAbi: learned.cAbi,
    bodyFacts: learned.bodyFacts,
    bodyTables: learned.bodyTables,
    units: describeUnits(input.units),
    graph: { ...describeGraph(collected), teaches: [...collected.teaches].sort(), panicHandler: input.mono.panicHandler?.key },
  };
}

function describeGraph(g: Pick<Recollected, 'edges' | 'sizes'>): Pick<FrontSnapshot['graph'], 'edges' | 'sizes'> {
  return { edges: [...g.edges].map(([k, v]) => [k, [...v].sort()]), sizes: [...g.sizes] };
}

function describeUnits(units: CodegenUnit[]): FrontSnapshot['units'] {
  return units.map((u) => ({ name: u.name, sizeEstimate: u.sizeEstimate, items: u.items.map((it) => ({ linkage: it.linkage, item: describe(it.item) })) }));
}

/** `traces`: by the offset of an item's name (`CheckedCrate.traces`). */
function chunkEntries(source: SourceFile, hashes: FileHashes, traces: ReadonlyMap<number, BodyTrace> | undefined, sites: SiteTable): ChunkEntry[] {
  const byChunk = tracesByChunk(hashes, traces);
  return hashes.chunks.map((c, i) => {
    const trace = sites.entry(byChunk.get(i));
    return c.kind === 'fn' ? fnEntry(c.hash, chunkShapes(source.text, c), trace) : { hash: c.hash, kind: c.kind, ...trace };
  });
}

function fnEntry(hash: string, shapes: ChunkShapes, trace: ChunkTrace): ChunkEntry {
  return { hash, kind: 'fn', shape: shapes.typed, calls: shapes.calls, ...trace };
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

/** A function chunk that changed: its new shapes, and whether what it references may have changed. */
export interface ChangedBody {
  shapes: ChunkShapes;
  rewalk: boolean;
}

/** Per file name, the function chunks that changed, by position. */
export type ChangedBodies = Map<string, Map<number, ChangedBody>>;

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
    const bodies = new Map<number, ChangedBody>();
    for (const [j, c] of now.entries()) {
      const before = old.chunks[j]!;
      if (before.hash === c.hash) continue;
      if (c.kind !== 'fn' || before.kind !== 'fn') return `\`${headerOf(source.text, c)}\` changed (only function bodies can change incrementally)`;
      const shapes = chunkShapes(source.text, c);
      if (before.shape === shapes.typed) bodies.set(j, { shapes, rewalk: false });
      else if (before.calls === shapes.calls) bodies.set(j, { shapes, rewalk: true });
      else return `\`${headerOf(source.text, c)}\` changed in what crate-wide inference reads`;
    }
    if (bodies.size > 0) changed.set(source.name, bodies);
  }
  return changed;
}

/** A chunk's first line, shortened: how a reason names it. */
function headerOf(text: string, { start, end }: { start: number; end: number }): string {
  let nl = text.indexOf('\n', start);
  if (nl < 0 || nl > end) nl = end;
  const line = text.slice(start, nl).trim().replace(/\s*\{$/, '');
  return line.length > 100 ? `${line.slice(0, 97)}...` : line;
}

/**
 * The front end's results from the snapshot, when only the bodies `changed` (by file
 * name, chunk positions) changed, tell crate-wide inference what they told before, and
 * parse and check cleanly; otherwise why not (the caller runs the full front end).
 */
export function restoreFrontEnd(snapshot: FrontSnapshot, sources: SourceFile[], hashes: ReadonlyMap<SourceFile, FileHashes>, changed: ChangedBodies, crateName: string, cgus: number): FrontResult | string {
  const sink = new DiagnosticSink();
  const files = sources.map((s) => parseMirFile(s, sink, { lazyBodies: true }));
  const index = buildIndex(files, sink);
  if (sink.list.length > 0) return 'the items\' headers have errors';
  index.adts.restoreState(snapshot.adts);
  const crate: CheckedCrate = { files, index, externs: snapshot.externs, traces: new Map() };

  // The changed bodies must parse and check as cleanly as the old ones did, and tell the inferences the same.
  const touched: { item: FnItem; file: SourceFile; chunk: number; change: ChangedBody }[] = [];
  for (const f of files) {
    const wanted = changed.get(f.file.name);
    if (!wanted) continue;
    const fh = hashes.get(f.file)!;
    for (const item of f.items) {
      if (item.kind !== 'fn') continue;
      const chunk = fh.chunkIndexAt(item.nameSpan.lo);
      const change = wanted.get(chunk);
      if (change) touched.push({ item, file: f.file, chunk, change });
    }
  }
  // Checked against the restored tables: what a body tells them is compared first, as a
  // body that tells something new may not check against them.
  const traces = checkItems(crate, touched, sink);
  const told = new Map<SourceFile, Map<number, BodyTrace | undefined>>();
  for (const f of files) {
    const wanted = changed.get(f.file.name);
    if (!wanted) continue;
    const byChunk = tracesByChunk(hashes.get(f.file)!, traces.get(f.file));
    told.set(f.file, new Map([...wanted.keys()].map((j) => [j, byChunk.get(j)])));
  }
  const snapshotChunks = sources.map((file, i) => ({ file, entries: snapshot.files[i]!.chunks }));
  for (const { file, entries } of snapshotChunks) {
    for (const [j, t] of told.get(file) ?? []) {
      if ((entries[j]!.trace ?? '') !== discriminantsDigest(t)) return `\`${headerOf(file.text, hashes.get(file)!.chunks[j]!)}\` tells the discriminants of enums something new`;
    }
  }
  const externsMoved = externsStay(snapshot.externSites, snapshotChunks, told, snapshot.externs, index.adts.classify);
  if (externsMoved) return externsMoved;
  if (sink.list.length > 0) return 'a changed body has errors';

  const adts = index.adts;
  const layouts = new LayoutCx(adts, { closureCaptures: (text) => adts.closureCaptures(text) });
  const crateItems = new CrateItems(crate, { facts: snapshot.bodyFacts, reread: new Set(touched.map((t) => pathKey(t.item.name))) });
  if (bodyTablesKey(crateItems) !== snapshot.bodyTables) return 'a changed body changed the trait slots or the names used as concrete types';
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

  // The instances of each changed body.
  const bodies = new Map(touched.map((t) => [pathKey(t.item.name), t]));
  const instancesOf = (pick: (t: (typeof touched)[number]) => boolean): string[] => {
    const out: string[] = [];
    for (const [key, m] of items) {
      const d = m.kind === 'fn' ? m.instance.def : undefined;
      const t = d?.kind === 'item' && !d.shim ? bodies.get(pathKey(d.item.item.name)) : undefined;
      if (t && pick(t)) out.push(key);
    }
    return out;
  };
  const edges = new Map(snapshot.graph.edges.map(([k, v]) => [k, new Set(v)]));
  let sizes = new Map(snapshot.graph.sizes);
  let graph: Recollected | undefined;
  let repartition = false;
  const rewalk = instancesOf((t) => t.change.rewalk);
  if (rewalk.length > 0) {
    graph = recollectMonoItems(cx, sink, { items, edges, sizes }, rewalk);
    if (sink.list.length > 0) return 'collecting a changed body\'s references found errors';
    const taught = new Set(snapshot.graph.teaches);
    const lost = [...rewalk, ...graph.removed].find((k) => taught.has(k));
    if (lost) return `\`${lost}\` taught the crate associated types or C-convention pointers, which only the full collection can take back`;
    const teacher = [...graph.teaches][0];
    if (teacher) return `\`${teacher}\` teaches the crate associated types or C-convention pointers, which only the full collection can spread`;
    sizes = graph.sizes;
    repartition = true;
  }
  // A changed body's size counts in how units are merged: partition again when one moved.
  for (const key of instancesOf((t) => !t.change.rewalk)) {
    if (graph && !graph.items.has(key)) continue;
    const m = items.get(key)!;
    const size = m.kind === 'fn' && m.instance.def.kind === 'item' ? bodySize(m.instance.def.item.item.body) : 1;
    if (sizes.get(key) !== size) repartition = true;
    sizes.set(key, size);
  }
  if (repartition) {
    units = partition({
      crateName,
      cgus,
      items: graph?.items ?? items,
      edges: graph?.edges ?? edges,
      sizes,
      implSelfTy: (t) => crateItems.implSelfTy(t),
      alwaysExternal: new Set(snapshot.graph.panicHandler ? [snapshot.graph.panicHandler] : []),
    });
  }
  const input: CrateInput = { crate, crateName, units, mono: cx, layouts };
  // The chunk entries again, with the site table a full front end would build: each site in order of first use.
  const table = new SiteTable();
  const nextFiles = snapshot.files.map((f, i) => {
    const bodies = changed.get(f.name);
    const fh = hashes.get(sources[i]!)!;
    const traces = told.get(sources[i]!);
    const chunks = f.chunks.map((c, j) => {
      const body = bodies?.get(j);
      if (body) return fnEntry(fh.chunks[j]!.hash, body.shapes, table.entry(traces?.get(j)));
      return c.externs ? { ...c, externs: table.indices(c.externs.map((k) => snapshot.externSites[k]!)) } : c;
    });
    return { name: f.name, chunks };
  });
  const next: FrontSnapshot = {
    ...snapshot,
    files: nextFiles,
    externSites: table.sites,
    bodyFacts: crateItems.bodyFacts(),
    units: repartition ? describeUnits(units) : snapshot.units,
    graph: { ...snapshot.graph, ...describeGraph({ edges: graph?.edges ?? edges, sizes }) },
  };
  return { input, snapshot: next, fresh: graph && { keys: graph.walked, collected: graph } };
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
  const fresh: FreshItems | undefined = result.fresh && {
    keys: result.fresh.keys,
    fingerprint: itemFingerprinter({ input: result.input, collected: result.fresh.collected, hashes }),
  };
  const fps = refingerprintAll(session, result.input, hashes, fresh);
  if (!fps) return 'the cache lacks the last fingerprint of a unit';
  return { kind: 'incremental', input: result.input, diagnostics: [], fingerprints: () => fps, snapshot: () => result.snapshot };
}
