// The pipeline on one screen: MIR text → checked crate → mono items in codegen units →
// one backend module per unit (plus the runtime) → objects → the linked output.
// Every phase reports through diagnostics; a phase with errors stops the build.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { type Diagnostic, DiagnosticSink, NO_SPAN, type SourceFile, sortDiagnostics } from './diagnostics.js';
import type { FileHashes } from './incr/chunk-hash.js';
import { fingerprintUnits, hashStrings, runtimeFingerprint, type UnitFingerprint } from './incr/fingerprint.js';
import { type CguReuse, describeReason, determineCguReuse, type LtoMode, type RebuildReason } from './incr/reuse.js';
import { crateKey, FAT_LTO_UNIT, hashSources, IncrementalSession, inputHash, optionsKey } from './incr/session.js';
import type { BuildRecord, UnitRecord } from './incr/store.js';
import { checkCrate } from './mir/check.js';
import { type Collected, monomorphize } from './mono/index.js';
import type { CodegenUnit } from './mono/types.js';
import { type CrateInput, lowerUnit, runtimeUnitName } from './ssa/base.js';
import { link, type OutputKind } from './ssa/back/link.js';
import { runCoordinator, type UnitWork } from './ssa/back/write.js';
import type { ObjectFile, SerializedModule } from './ssa/traits/write.js';
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
  /** `off` (default), `thin` or `fat`. */
  lto?: LtoMode;
  /** Parallel backend jobs (default: the number of cores). */
  jobs?: number;
  /** The work-product store's directory; without it nothing is reused or saved. */
  cache?: string;
  /** The store's size cap in bytes (least recently used work products go first); 4 GiB by default. */
  cacheMaxBytes?: number;
  /** Recompile the units that would be reused and report any difference (a fingerprint bug). */
  verify?: boolean;
}

export interface UnitReport {
  name: string;
  items: number;
  reuse: CguReuse;
  /** Time spent on the unit in this build (lowering and backend), in ms. */
  ms: number;
  /** Why the unit was not reused, when it was not. */
  reasons: string[];
}

export interface BuildResult {
  ok: boolean;
  diagnostics: Diagnostic[];
  units: UnitReport[];
  output?: string;
  /** Failures of external tools (the backend's, the linker), which have no source location. */
  toolErrors: string[];
  /** Problems with the cache, which never fail a build. */
  warnings: string[];
  ms: number;
}

export function crateNameOf(sources: SourceFile[]): string {
  const base = basename(sources[0]?.name ?? 'main', '.mir').replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(base) ? base : `_${base}`;
}

export async function build(sources: SourceFile[], options: BuildOptions): Promise<BuildResult> {
  const start = performance.now();
  const lto = options.lto ?? 'off';
  const crateName = options.crateName ?? crateNameOf(sources);
  const backend = selectBackend(options.backend);
  const keyOptions = { backend: await backend.identity(), opt: options.opt, lto, cgus: options.cgus };
  const hashes = hashSources(sources);
  const inputs = inputHash(keyOptions, crateName, hashes, options.rustSources ?? []);
  const session = IncrementalSession.open(options.cache, crateKey(crateName, sources), options.cacheMaxBytes);
  try {
    const done = (ok: boolean, diagnostics: Diagnostic[], units: UnitReport[] = [], output?: string, toolErrors: string[] = []): BuildResult => ({
      ok,
      diagnostics: sortDiagnostics(diagnostics),
      toolErrors,
      warnings: [...session.warnings, ...session.corrupt.map((c) => `cache: the work product of ${c} failed its hash check; it was rebuilt`)],
      units,
      output,
      ms: Math.round(performance.now() - start),
    });
    const record = (ok: boolean, units: UnitReport[], diagnostics: Diagnostic[] = []): BuildRecord => ({
      inputHash: inputs,
      options: { ...keyOptions, output: ok ? outputRecord(options) : undefined, warnings: warningsRecord(sources, diagnostics) },
      startedAt: Date.now(),
      ms: Math.round(performance.now() - start),
      ok,
      units: units.map((u) => ({ name: u.name, reuse: u.reuse, items: u.items, ms: u.ms, reason: u.reasons })),
    });

    // Nothing changed since the last good build: link its objects without parsing anything.
    if (!options.verify) {
      const unchanged = reuseUnchanged(session, inputs, lto, fatName(crateName));
      const replayed = unchanged && replayWarnings(unchanged.last, sources);
      if (unchanged && replayed) {
        // The output the last build linked from these very objects is still there, untouched: keep it.
        const linked = sameOutput(unchanged.last, options) ? undefined : await linkOutput(unchanged.objects, options);
        for (const o of unchanged.objects) session.put(lto === 'fat' ? 'lto' : 'post', o.bytes);
        session.commit(unchanged.records, record(linked === undefined, unchanged.units, replayed), unchanged.keep);
        return done(linked === undefined, replayed, unchanged.units, linked === undefined ? options.output : undefined, linked ? [linked] : []);
      }
    }

    const prepared = prepareCrate(sources, { ...options, crateName });
    if (!prepared.input) return done(false, prepared.diagnostics);
    const { input } = prepared;
    const sink = new DiagnosticSink();
    const plan = planUnits(session, input, prepared, hashes, optionsKey(keyOptions), lto);
    const moduleOptions = { opt: options.opt };
    const works: UnitWork[] = plan.map((p) => ({
      name: p.fp.name,
      sizeEstimate: p.size,
      reuse: p.reuse,
      pre: p.pre,
      post: p.post,
      postImports: p.postImports,
      lower: () => lowerUnit(backend, input, p.unit, moduleOptions, sink),
    }));
    const fatRecord = session.record(FAT_LTO_UNIT);
    const fatKey = hashStrings(plan.map((p) => p.fp.fingerprint));
    const fatCached = lto === 'fat' && fatRecord?.fingerprint === fatKey ? session.readObject(FAT_LTO_UNIT, fatName(crateName)) : undefined;
    const result = await runCoordinator(backend, works, { lto, jobs: options.jobs ?? availableParallelism(), module: moduleOptions, fatName: fatName(crateName), fatCached, verify: options.verify });

    const units: UnitReport[] = plan.map((p, i) => {
      const out = result.outcomes[i]!;
      const reasons = p.reasons.map(describeReason);
      if (out.importsChanged) reasons.push(describeReason({ kind: 'imports', why: out.importsChanged }));
      return { name: p.fp.name, items: p.fp.items.length, reuse: out.reuse, ms: Math.round(out.ms), reasons };
    });
    const diagnostics = [...prepared.diagnostics, ...sink.list];
    for (const out of result.outcomes) {
      if (out.mismatch) diagnostics.push(verifyFailure(sources[0]!, out.name, out.mismatch));
    }
    if (!result.ok || hasErrors(diagnostics)) return done(false, diagnostics, units, undefined, result.errors);

    const records: UnitRecord[] = plan.map((p, i) => {
      const out = result.outcomes[i]!;
      return { name: p.fp.name, fingerprint: p.fp.fingerprint, details: p.fp, pre: out.pre && session.put('pre', out.pre.bytes), post: out.post && session.put('post', out.post.bytes), imports: out.imports };
    });
    const keep: string[] = [];
    if (result.fat) {
      const hash = session.put('lto', result.fat.bytes);
      records.push({ name: FAT_LTO_UNIT, fingerprint: fatKey, details: null, post: hash });
      keep.push(hash);
    }
    const linked = await linkOutput(result.objects, options);
    session.commit(records, record(linked === undefined, units, diagnostics), keep);
    return done(linked === undefined, diagnostics, units, linked === undefined ? options.output : undefined, linked ? [linked] : []);
  } finally {
    session.close();
  }
}

/** The one object fat LTO makes of the whole crate. */
function fatName(crateName: string): string {
  return `${crateName}.lto`;
}

/** Links the objects; the linker's failure message, if it failed. */
async function linkOutput(objects: ObjectFile[], options: BuildOptions): Promise<string | undefined> {
  try {
    await link(objects, options.output, { kind: options.emit, linkArgs: options.linkArgs });
    return undefined;
  } catch (e) {
    if (e instanceof ToolError) return e.message;
    throw e;
  }
}

interface UnitPlan {
  /** Absent for the runtime module. */
  unit?: CodegenUnit;
  fp: UnitFingerprint;
  size: number;
  reuse: CguReuse;
  reasons: RebuildReason[];
  pre?: SerializedModule;
  post?: ObjectFile;
  postImports?: string;
}

/** Fingerprints every unit (and the runtime module) and decides its reuse, reading the cached work products it needs. */
function planUnits(session: IncrementalSession, input: CrateInput, prepared: PreparedCrate, hashes: Map<SourceFile, FileHashes>, optKey: string, lto: LtoMode): UnitPlan[] {
  const fps = fingerprintUnits({ input, collected: prepared.collected!, hashes, optionsKey: optKey, structureKey: prepared.structureKey! });
  const all: UnitPlan[] = [
    ...input.units.map((unit, i) => ({ unit, fp: fps[i]!, size: unit.sizeEstimate, reuse: 'No' as CguReuse, reasons: [] })),
    { fp: runtimeFingerprint(runtimeUnitName(input), optKey, input.crateName, input.mono.panicHandler?.symbol), size: 1, reuse: 'No', reasons: [] },
  ];
  for (const p of all) {
    if (!session.enabled) {
      p.reasons = [{ kind: 'incremental-off' }];
      continue;
    }
    const decision = determineCguReuse(session.previousUnit(p.fp.name), p.fp, lto);
    p.reuse = decision.reuse;
    p.reasons = decision.reasons;
    if (p.reuse === 'No') continue;
    // The hashes were checked present; a failed read means corruption: rebuild.
    p.pre = session.readModule(p.fp.name);
    if (p.reuse === 'PostLto' || lto === 'thin') {
      p.post = session.readObject(p.fp.name);
      p.postImports = session.record(p.fp.name)?.imports as string | undefined;
    }
    const needed = p.reuse === 'PostLto' ? 'post' : 'pre';
    if (needed === 'post' ? !p.post : !p.pre) {
      p.reuse = 'No';
      p.reasons = [{ kind: 'missing', what: needed }];
    }
  }
  return all;
}

/** The last good build had exactly these inputs: its objects, if the store still has them all. */
function reuseUnchanged(session: IncrementalSession, inputs: string, lto: LtoMode, fatObjectName: string): { last: BuildRecord; objects: ObjectFile[]; units: UnitReport[]; records: UnitRecord[]; keep: string[] } | undefined {
  const last = session.lastBuild();
  if (!last?.ok || last.inputHash !== inputs) return undefined;
  const records: UnitRecord[] = [];
  const objects: ObjectFile[] = [];
  const units: UnitReport[] = [];
  for (const u of last.units) {
    const r = session.record(u.name);
    if (!r) return undefined;
    records.push(r);
    units.push({ name: u.name, items: u.items, reuse: lto === 'fat' ? 'PreLto' : 'PostLto', ms: 0, reasons: [] });
    if (lto === 'fat') continue;
    const obj = session.readObject(u.name);
    if (!obj) return undefined;
    objects.push(obj);
  }
  const keep: string[] = [];
  if (lto === 'fat') {
    const fat = session.readObject(FAT_LTO_UNIT, fatObjectName);
    const r = session.record(FAT_LTO_UNIT);
    if (!fat || !r?.post) return undefined;
    objects.push(fat);
    records.push(r);
    keep.push(r.post);
  }
  return { last, objects, units, records, keep };
}

/** The warnings of a good build, kept so a build that reuses everything reports them again, like cargo. */
interface WarningsRecord {
  /** The hash of the files' exact text: warnings point into it. */
  text: string;
  list: { file: string; lo: number; hi: number; message: string }[];
}

function rawTextHash(sources: SourceFile[]): string {
  return hashStrings(sources.flatMap((s) => [s.name, s.text]));
}

function warningsRecord(sources: SourceFile[], diagnostics: Diagnostic[]): WarningsRecord | undefined {
  const warnings = diagnostics.filter((d) => d.severity === 'warning');
  if (warnings.length === 0) return undefined;
  return { text: rawTextHash(sources), list: warnings.map((d) => ({ file: d.file.name, lo: d.span.lo, hi: d.span.hi, message: d.message })) };
}

/** The last build's warnings on the current text; undefined when they cannot be placed (the text moved). */
function replayWarnings(last: BuildRecord, sources: SourceFile[]): Diagnostic[] | undefined {
  const rec = (last.options as { warnings?: WarningsRecord } | null)?.warnings;
  if (!rec) return [];
  if (rec.text !== rawTextHash(sources)) return undefined;
  const byName = new Map(sources.map((s) => [s.name, s]));
  const sink = new DiagnosticSink();
  for (const w of rec.list) {
    const file = byName.get(w.file);
    if (!file) return undefined;
    sink.warning(file, { lo: w.lo, hi: w.hi }, w.message);
  }
  return sink.list;
}

interface OutputRecord {
  path: string;
  emit: OutputKind;
  linkArgs: string[];
  /** SHA-256 of the file as linked. */
  hash: string;
}

function outputRecord(options: BuildOptions): OutputRecord | undefined {
  const hash = fileHash(options.output);
  return hash === undefined ? undefined : { path: options.output, emit: options.emit, linkArgs: options.linkArgs ?? [], hash };
}

function sameOutput(last: BuildRecord, options: BuildOptions): boolean {
  const prev = (last.options as { output?: OutputRecord } | null)?.output;
  if (!prev || prev.path !== options.output || prev.emit !== options.emit || prev.linkArgs.join('\0') !== (options.linkArgs ?? []).join('\0')) return false;
  return fileHash(options.output) === prev.hash;
}

function fileHash(path: string): string | undefined {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return undefined;
  }
}

/** `--verify-incremental` found a reused unit whose fresh work product differs: a fingerprint bug. */
function verifyFailure(file: SourceFile, unit: string, mismatch: string): Diagnostic {
  const sink = new DiagnosticSink();
  sink.error(file, NO_SPAN, `incremental verification failed for unit \`${unit}\`: it was reused, but ${mismatch}; its fingerprint missed a dependency (please report this)`);
  return sink.list[0]!;
}

export interface PreparedCrate {
  /** What code generation needs; absent when checking or monomorphization found errors. */
  input?: CrateInput;
  units: CodegenUnit[];
  diagnostics: Diagnostic[];
  /** The collected mono item graph and the crate-wide tables, for fingerprints. */
  collected?: Collected;
  structureKey?: string;
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
  return { input: { crate: checked.crate, crateName, units: mono.units, mono: mono.queries, layouts }, units: mono.units, diagnostics, collected: mono.collected, structureKey: mono.structureKey };
}

function hasErrors(ds: Diagnostic[]): boolean {
  return ds.some((d) => d.severity === 'error');
}
