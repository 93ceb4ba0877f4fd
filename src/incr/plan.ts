// Planning an incremental build: every unit fingerprinted and its reuse decided against
// the store, with the cached work products it needs read (and their hashes checked); and
// the shortcut for a build whose inputs are exactly those of the last good one.

import type { SourceFile } from '../diagnostics.js';
import type { CodegenUnit, MonoItem } from '../mono/types.js';
import { type CrateInput, runtimeUnitName } from '../ssa/base.js';
import type { ObjectFile, SerializedModule } from '../ssa/traits/write.js';
import type { FileHashes } from './chunk-hash.js';
import { type ItemFingerprint, reassembleUnit, runtimeFingerprint, type UnitFingerprint } from './fingerprint.js';
import { monoItemKey } from '../mono/instance.js';
import { type CguReuse, determineCguReuse, type LtoMode, type RebuildReason } from './reuse.js';
import { FAT_LTO_UNIT, FRONT_END_UNIT, type IncrementalSession } from './session.js';
import type { BuildRecord, UnitRecord } from './store.js';

export interface UnitPlan {
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

/** Items to fingerprint from scratch rather than from their parts in the last build. */
export interface FreshItems {
  keys: ReadonlySet<string>;
  fingerprint: (m: MonoItem, linkage: ItemFingerprint['linkage']) => ItemFingerprint;
}

/**
 * The units' fingerprints when only function bodies changed (the incremental front
 * end): every item's parts from the last build, by item key (units may have been
 * partitioned again), with the items whose bodies changed refingerprinted, and the
 * `fresh` ones (walked again or new) fingerprinted from scratch. Undefined when the store
 * lacks an item's last fingerprint.
 */
export function refingerprintAll(session: IncrementalSession, input: CrateInput, hashes: Map<SourceFile, FileHashes>, fresh?: FreshItems): UnitFingerprint[] | undefined {
  const stored = new Map<string, ItemFingerprint>();
  let context: UnitFingerprint | undefined;
  for (const r of session.records()) {
    const details = r.details as UnitFingerprint | null | undefined;
    if (typeof details !== 'object' || !details?.items) continue;
    context ??= details;
    for (const it of details.items) stored.set(it.key, it);
  }
  return context && reassembleAll(stored, context, input, hashes, fresh);
}

/** `refingerprintAll` from the last build's item fingerprints by key, and the options and structure of any of its units. */
export function reassembleAll(stored: ReadonlyMap<string, ItemFingerprint>, context: Pick<UnitFingerprint, 'options' | 'structure'>, input: CrateInput, hashes: ReadonlyMap<SourceFile, FileHashes>, fresh?: FreshItems): UnitFingerprint[] | undefined {
  const byName = new Map([...hashes].map(([s, h]) => [s.name, h]));
  const chunkHash = (file: string, chunk: number) => byName.get(file)?.chunks[chunk]?.hash ?? '';
  const out: UnitFingerprint[] = [];
  for (const u of input.units) {
    const items: { fp: ItemFingerprint; linkage: ItemFingerprint['linkage'] }[] = [];
    for (const ci of u.items) {
      const key = monoItemKey(ci.item);
      const fp = fresh?.keys.has(key) ? fresh.fingerprint(ci.item, ci.linkage) : stored.get(key);
      if (!fp) return undefined;
      items.push({ fp, linkage: ci.linkage });
    }
    out.push(reassembleUnit(u.name, context.options, context.structure, items, chunkHash));
  }
  return out;
}

/** Decides every unit's reuse (the runtime module's too) from its fingerprint, reading the cached work products it needs. */
export function planUnits(session: IncrementalSession, input: CrateInput, fps: UnitFingerprint[], optKey: string, lto: LtoMode): UnitPlan[] {
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

export interface UnchangedBuild {
  last: BuildRecord;
  /** The objects to link, in unit order (fat LTO: the merged one). */
  objects: ObjectFile[];
  units: { name: string; items: number; reuse: CguReuse }[];
  /** The unit records to commit again, and blobs to keep that no unit names (the fat object). */
  records: UnitRecord[];
  keep: string[];
}

/** `last`, a good build, had exactly these inputs: its objects, if the store still has them all. */
export function reuseUnchanged(session: IncrementalSession, last: BuildRecord, lto: LtoMode, fatObjectName: string): UnchangedBuild | undefined {
  const records: UnitRecord[] = [];
  const objects: ObjectFile[] = [];
  const units: UnchangedBuild['units'] = [];
  for (const u of last.units) {
    const r = session.record(u.name);
    if (!r) return undefined;
    records.push(r);
    units.push({ name: u.name, items: u.items, reuse: lto === 'fat' ? 'PreLto' : 'PostLto' });
    if (lto === 'fat') continue;
    const obj = session.readObject(u.name);
    if (!obj) return undefined;
    objects.push(obj);
  }
  const front = session.record(FRONT_END_UNIT);
  if (front) records.push(front);
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
