// The pipeline on one screen: MIR text → checked crate → mono items in codegen units →
// fingerprints and reuse decisions against the cache → the coordinator (lowering and
// compiling what changed, LTO) → the linked output, with the work products committed.
// When the inputs are those of the last good build, its objects are linked directly.
// Every phase reports through diagnostics; a phase with errors stops the build.

import { availableParallelism } from 'node:os';
import { type Diagnostic, DiagnosticSink, NO_SPAN, type SourceFile, sortDiagnostics } from './diagnostics.js';
import { outputRecord, replayWarnings, sameOutput, warningsRecord } from './incr/build-record.js';
import { hashStrings, type UnitFingerprint } from './incr/fingerprint.js';
import { planUnits, reuseUnchanged } from './incr/plan.js';
import { encodeSnapshot, IncrementalFrontEndMismatch, runFrontEnd, snapshotContext } from './incr/front-end.js';
import { type CguReuse, describeReason, type LtoMode } from './incr/reuse.js';
import type { FileHashes } from './incr/chunk-hash.js';
import type { BuildMemo } from './incr/memo.js';
import { crateKey, exactInputHash, FAT_LTO_UNIT, FRONT_END_UNIT, hashSources, IncrementalSession, inputHash, optionsKey, rustEnumsKey } from './incr/session.js';
import type { BuildRecord, UnitRecord } from './incr/store.js';
import { crateNameOf, hasErrors } from './prepare.js';
import { pathKey } from './mir/ty.js';
import { monoItemKey } from './mono/instance.js';
import { type CodegenUnit, monoItemSymbol } from './mono/types.js';
import { lowerUnit } from './ssa/base.js';
import { link, type OutputKind } from './ssa/back/link.js';
import { runCoordinator, type UnitWork } from './ssa/back/write.js';
import type { ObjectFile } from './ssa/traits/write.js';
import { ToolError } from './ssa/back/linker.js';
import { selectBackend, type BackendName } from './backends/select.js';

export { crateNameOf, prepareCrate, type PreparedCrate } from './prepare.js';

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
  /** Told how many units must be compiled once that is known, then as each one is done. */
  onProgress?: (progress: BuildProgress) => void;
  /** Kept by a caller that builds the same crate repeatedly: unchanged text is not hashed again. */
  memo?: BuildMemo;
}

export interface BuildProgress {
  /** Units compiled so far, of `total` that must be. */
  done: number;
  total: number;
  /** The unit just finished. */
  unit?: string;
}

/** Where the items of a build went: per unit, its items' keys, symbols and fingerprints. */
export interface UnitPlacement {
  name: string;
  fingerprint: string;
  items: { key: string; symbol: string; linkage: 'external' | 'internal'; fingerprint: string; path?: string; file?: string; offset?: number }[];
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
  /**
   * How the front end ran: `full`; `incremental` (only function bodies changed: headers
   * parsed, the changed bodies checked, the rest restored from the last build); or
   * `skipped` (the inputs were those of the last good build).
   */
  frontEnd: 'full' | 'incremental' | 'skipped';
  /** For a full front end in an incremental build: why the incremental one did not apply. */
  frontEndReason?: string;
  diagnostics: Diagnostic[];
  units: UnitReport[];
  output?: string;
  /** Failures of external tools (the backend's, the linker), which have no source location. */
  toolErrors: string[];
  /** Problems with the cache, which never fail a build. */
  warnings: string[];
  ms: number;
  /** When the front end ran and the crate had no errors: where its items went. */
  placement?: UnitPlacement[];
}

export async function build(sources: SourceFile[], options: BuildOptions): Promise<BuildResult> {
  const start = performance.now();
  const lto = options.lto ?? 'off';
  const crateName = options.crateName ?? crateNameOf(sources);
  const backend = selectBackend(options.backend);
  const keyOptions = { backend: await backend.identity(), opt: options.opt, lto, cgus: options.cgus };
  const rustSources = options.rustSources ?? [];
  options.memo?.retain(sources.map((s) => s.name));
  const exact = exactInputHash(keyOptions, crateName, sources, rustSources, options.memo);
  let normalized: { hashes: Map<SourceFile, FileHashes>; inputs: string; enumsKey: string } | undefined;
  const normalize = () => {
    if (!normalized) {
      const hashes = hashSources(sources, options.memo);
      const enumsKey = rustEnumsKey(rustSources);
      normalized = { hashes, inputs: inputHash(keyOptions, crateName, hashes, enumsKey), enumsKey };
    }
    return normalized;
  };
  const session = IncrementalSession.open(options.cache, crateKey(crateName, sources), options.cacheMaxBytes);
  let frontEnd: BuildResult['frontEnd'] = 'skipped';
  let frontEndReason: string | undefined;
  try {
    let placement: UnitPlacement[] | undefined;
    const done = (ok: boolean, diagnostics: Diagnostic[], units: UnitReport[] = [], output?: string, toolErrors: string[] = []): BuildResult => ({
      ok,
      frontEnd,
      frontEndReason,
      diagnostics: sortDiagnostics(diagnostics),
      toolErrors,
      warnings: [...session.warnings, ...session.corrupt.map((c) => `cache: the work product of ${c} failed its hash check; it was rebuilt`)],
      units,
      output,
      ms: Math.round(performance.now() - start),
      placement,
    });
    const record = (inputs: string, ok: boolean, units: UnitReport[], diagnostics: Diagnostic[] = []): BuildRecord => ({
      inputHash: inputs,
      options: { ...keyOptions, exact, frontEnd: { kind: frontEnd, why: frontEndReason }, output: ok ? outputRecord(options) : undefined, warnings: warningsRecord(exact, diagnostics) },
      startedAt: Date.now(),
      ms: Math.round(performance.now() - start),
      ok,
      units: units.map((u) => ({ name: u.name, reuse: u.reuse, items: u.items, ms: u.ms, reason: u.reasons })),
    });

    // Nothing changed since the last good build (the exact text, or up to comments and
    // whitespace): link its objects without parsing anything.
    const previous = session.lastBuild();
    const last = options.verify ? undefined : previous;
    if (last?.ok) {
      const inputs = (last.options as { exact?: string } | null)?.exact === exact ? last.inputHash : normalize().inputs;
      const unchanged = inputs === last.inputHash ? reuseUnchanged(session, last, lto, fatName(crateName)) : undefined;
      const replayed = unchanged && replayWarnings(last, sources, exact);
      if (unchanged && replayed) {
        const units = unchanged.units.map((u) => ({ ...u, ms: 0, reasons: [] }));
        // The output the last build linked from these very objects is still there, untouched: keep it.
        const linked = sameOutput(last, options) ? undefined : await linkOutput(unchanged.objects, options);
        for (const o of unchanged.objects) session.put(lto === 'fat' ? 'lto' : 'post', o.bytes);
        session.commit(unchanged.records, record(inputs, linked === undefined, units, replayed), unchanged.keep);
        return done(linked === undefined, replayed, units, linked === undefined ? options.output : undefined, linked ? [linked] : []);
      }
    }

    const { hashes, inputs, enumsKey } = normalize();
    const optKey = optionsKey(keyOptions);
    const front = runFrontEnd(session, sources, hashes, snapshotContext(optKey, options.cgus, crateName, enumsKey), { ...options, crateName }, previous?.ok === true && !hadWarnings(previous));
    frontEnd = front.kind;
    // Without a last build there is nothing to explain.
    frontEndReason = previous ? front.why : undefined;
    if (!front.input) return done(false, front.diagnostics);
    const { input } = front;
    const sink = new DiagnosticSink();
    let fingerprints: UnitFingerprint[];
    try {
      fingerprints = front.fingerprints(optKey);
    } catch (e) {
      if (!(e instanceof IncrementalFrontEndMismatch)) throw e;
      return done(false, [...front.diagnostics, verifyFailure(sources[0]!, e.message)]);
    }
    placement = placementOf(input.units, fingerprints);
    const plan = planUnits(session, input, fingerprints, optKey, lto);
    const total = plan.filter((p) => p.reuse === 'No').length;
    let compiled = 0;
    options.onProgress?.({ done: 0, total });
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
    // The snapshot for the next build is taken while the backend finishes this one.
    let snapshot: string | undefined;
    const whileCompiling = () => {
      if (session.enabled) snapshot = encodeSnapshot(front.snapshot());
    };
    const result = await runCoordinator(backend, works, { lto, jobs: options.jobs ?? availableParallelism(), module: moduleOptions, fatName: fatName(crateName), fatCached, verify: options.verify, whileCompiling, onUnitDone: (unit) => options.onProgress?.({ done: Math.min(total, ++compiled), total, unit }) });

    const units: UnitReport[] = plan.map((p, i) => {
      const out = result.outcomes[i]!;
      const reasons = p.reasons.map(describeReason);
      if (out.importsChanged) reasons.push(describeReason({ kind: 'imports', why: out.importsChanged }));
      return { name: p.fp.name, items: p.fp.items.length, reuse: out.reuse, ms: Math.round(out.ms), reasons };
    });
    const diagnostics = [...front.diagnostics, ...sink.list];
    for (const out of result.outcomes) {
      if (out.mismatch) diagnostics.push(verifyFailure(sources[0]!, `unit \`${out.name}\` was reused, but ${out.mismatch}; its fingerprint missed a dependency (please report this)`));
    }
    if (!result.ok || hasErrors(diagnostics)) return done(false, diagnostics, units, undefined, result.errors);

    const records: UnitRecord[] = plan.map((p, i) => {
      const out = result.outcomes[i]!;
      return { name: p.fp.name, fingerprint: p.fp.fingerprint, details: p.fp, pre: out.pre && session.put('pre', out.pre.bytes), post: out.post && session.put('post', out.post.bytes), imports: out.imports };
    });
    if (session.enabled) records.push({ name: FRONT_END_UNIT, fingerprint: inputs, details: snapshot ?? encodeSnapshot(front.snapshot()) });
    const keep: string[] = [];
    if (result.fat) {
      const hash = session.put('lto', result.fat.bytes);
      records.push({ name: FAT_LTO_UNIT, fingerprint: fatKey, details: null, post: hash });
      keep.push(hash);
    }
    const linked = await linkOutput(result.objects, options);
    session.commit(records, record(inputs, linked === undefined, units, diagnostics), keep);
    return done(linked === undefined, diagnostics, units, linked === undefined ? options.output : undefined, linked ? [linked] : []);
  } finally {
    session.close();
  }
}

function placementOf(units: CodegenUnit[], fingerprints: UnitFingerprint[]): UnitPlacement[] {
  return units.map((u, i) => {
    const fp = fingerprints[i]!;
    return {
      name: u.name,
      fingerprint: fp.fingerprint,
      items: u.items.map((ci, j) => {
        const m = ci.item;
        const def = m.kind === 'fn' ? m.instance.def : undefined;
        const located = m.kind === 'static' ? m.item : def && def.kind !== 'dropGlue' ? def.item : undefined;
        return {
          key: monoItemKey(m),
          symbol: monoItemSymbol(m),
          linkage: ci.linkage,
          fingerprint: fp.items[j]?.fingerprint ?? '',
          path: located && pathKey(located.item.name),
          file: located?.file.name,
          offset: located?.item.nameSpan.lo,
        };
      }),
    };
  });
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

/** `--verify-incremental` found what the cache gave differ from what a clean build makes. */
function verifyFailure(file: SourceFile, what: string): Diagnostic {
  const sink = new DiagnosticSink();
  sink.error(file, NO_SPAN, `incremental verification failed: ${what}`);
  return sink.list[0]!;
}

/** Whether a build reported warnings (which only the full front end reports again). */
function hadWarnings(b: BuildRecord): boolean {
  return (b.options as { warnings?: unknown } | null)?.warnings !== undefined;
}

