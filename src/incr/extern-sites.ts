// The inference traces (mir/inference-trace.ts) of a crate, as the incremental front end
// keeps them: per chunk, the digest of its discriminant facts and its external call sites
// as indices into one table of the crate's distinct sites. When a changed body calls
// other external functions (a method through its trait path, an intrinsic, a C function),
// the signatures of just those callees are inferred again from every site of the crate
// in the order a full check meets them; the body is taken when they come out as before.

import { DiagnosticSink, type SourceFile } from '../diagnostics.js';
import type { FnSig } from '../mir/ast.js';
import { tyKey } from '../mir/body-types.js';
import { ExternInference, type InferredExtern } from '../mir/externs.js';
import type { BodyTrace, ExternalCallSite } from '../mir/inference-trace.js';
import type { NamedTypeClass } from '../mir/ty.js';
import type { FileHashes } from './chunk-hash.js';
import { hashStrings } from './fingerprint.js';

/** What a chunk's entry keeps of its trace. */
export interface ChunkTrace {
  /** The digest of `BodyTrace.discriminants`, when not empty. */
  trace?: string;
  /** Indices into the crate's table of external call sites, when there are any. */
  externs?: number[];
}

/** The traces of the items of one file (by the offset of their names), merged per chunk in item order. */
export function tracesByChunk(hashes: FileHashes, traces: ReadonlyMap<number, BodyTrace> | undefined): Map<number, BodyTrace> {
  const out = new Map<number, BodyTrace>();
  for (const [at, t] of traces ?? []) {
    const chunk = hashes.chunkIndexAt(at);
    const prev = out.get(chunk);
    if (!prev) out.set(chunk, t);
    else {
      const calls = new Map<string, ExternalCallSite>();
      for (const c of [...prev.externalCalls, ...t.externalCalls]) if (!calls.has(c.key)) calls.set(c.key, c);
      out.set(chunk, { discriminants: [...new Set([...prev.discriminants, ...t.discriminants])], externalCalls: [...calls.values()] });
    }
  }
  return out;
}

/** What a chunk's entry keeps of a trace's discriminant facts; empty for none. */
export function discriminantsDigest(trace: BodyTrace | undefined): string {
  return trace && trace.discriminants.length > 0 ? hashStrings(trace.discriminants) : '';
}

/**
 * Builds the crate's table of distinct external call sites while chunk entries are
 * written in crate order: the sites in order of first use.
 */
export class SiteTable {
  readonly sites: ExternalCallSite[] = [];
  private readonly index = new Map<string, number>();

  /** What a chunk's entry keeps of `trace`. */
  entry(trace: BodyTrace | undefined): ChunkTrace {
    const out: ChunkTrace = {};
    const digest = discriminantsDigest(trace);
    if (digest) out.trace = digest;
    if (trace && trace.externalCalls.length > 0) out.externs = this.indices(trace.externalCalls);
    return out;
  }

  /** The sites' indices in this table (added when new). */
  indices(sites: ExternalCallSite[]): number[] {
    return sites.map((s) => this.add(s));
  }

  private add(s: ExternalCallSite): number {
    let i = this.index.get(s.key);
    if (i === undefined) {
      i = this.sites.length;
      this.sites.push(s);
      this.index.set(s.key, i);
    }
    return i;
  }
}

/**
 * Whether the external signatures stay as `externs` says when the chunks in `changed`
 * (per file, by position) call what their new traces say instead; otherwise why not.
 * `chunks` are the snapshot's entries per file, in crate order.
 */
export function externsStay(
  table: ExternalCallSite[],
  chunks: { file: SourceFile; entries: ChunkTrace[] }[],
  changed: ReadonlyMap<SourceFile, ReadonlyMap<number, BodyTrace | undefined>>,
  externs: InferredExtern[],
  classify: NamedTypeClass,
): string | undefined {
  const callee = new Set<string>();
  for (const { file, entries } of chunks) {
    for (const [j, now] of changed.get(file) ?? []) {
      const before = (entries[j]?.externs ?? []).map((i) => table[i]!);
      const after = now?.externalCalls ?? [];
      if (before.length === after.length && before.every((s, k) => s.key === after[k]!.key)) continue;
      for (const s of [...before, ...after]) callee.add(s.name);
    }
  }
  if (callee.size === 0) return undefined;
  // Every site of those callees, in the order the full check meets them.
  const inference = new ExternInference();
  for (const { file, entries } of chunks) {
    const now = changed.get(file);
    entries.forEach((e, j) => {
      const sites = now?.has(j) ? (now.get(j)?.externalCalls ?? []) : (e.externs ?? []).map((i) => table[i]!);
      for (const s of sites) if (callee.has(s.name)) inference.noteCall(s.path, s.args, s.ret, file, s.path.span);
    });
  }
  const sink = new DiagnosticSink();
  const inferred = new Map(inference.finish(sink, classify).map((e) => [e.name, e.sig]));
  if (sink.list.length > 0) return 'the external functions a changed body calls cannot be inferred';
  const known = new Map(externs.map((e) => [e.name, e.sig]));
  for (const name of [...callee].sort()) {
    const was = known.get(name);
    const now = inferred.get(name);
    if (!was || !now) return `the external function \`${name}\` is called ${was ? 'no more' : 'for the first time'}`;
    if (sigKey(was) !== sigKey(now)) return `the inferred signature of the external function \`${name}\` changed`;
  }
  return undefined;
}

function sigKey(sig: FnSig): string {
  return JSON.stringify([sig.abi ?? '', sig.unsafe, sig.variadic, sig.params.map(tyKey), tyKey(sig.ret)]);
}
