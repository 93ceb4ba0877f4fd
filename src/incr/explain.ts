// `codegend explain`: why the units of the last build were rebuilt, read back from the
// store's history. A target selects units by name, or the units holding a function
// (by path, instance key or any part of one).

import type { BuildRecord, Reuse, UnitRecord, WorkProductStore } from './store.js';
import type { UnitFingerprint } from './fingerprint.js';

export interface ExplainedUnit {
  name: string;
  reuse: Reuse;
  items: number;
  ms: number;
  reasons: string[];
  /** The unit's items that matched a function target. */
  matched: string[];
}

export interface Explanation {
  crate: string;
  build: BuildRecord;
  units: ExplainedUnit[];
}

/** The crate built most recently, when the caller did not name one. */
export function latestCrate(store: WorkProductStore): string | undefined {
  let best: { crate: string; at: number; id: number } | undefined;
  for (const crate of store.stats().crates) {
    const b = store.lastBuild(crate);
    if (b && (!best || b.startedAt > best.at || (b.startedAt === best.at && (b.id ?? 0) > best.id))) best = { crate, at: b.startedAt, id: b.id ?? 0 };
  }
  return best?.crate;
}

/** The last build of `crate`, its units narrowed to `target` when given; undefined without a build. */
export function explainLastBuild(store: WorkProductStore, crate: string, target?: string): Explanation | undefined {
  const build = store.lastBuild(crate);
  if (!build) return undefined;
  const records = store.units(crate);
  const units: ExplainedUnit[] = [];
  for (const u of build.units) {
    const matched = target === undefined || u.name === target ? [] : matchingItems(records.get(u.name), target);
    if (target !== undefined && u.name !== target && matched.length === 0) continue;
    units.push({ name: u.name, reuse: u.reuse, items: u.items, ms: u.ms, reasons: Array.isArray(u.reason) ? (u.reason as string[]) : [], matched });
  }
  return { crate, build, units };
}

function matchingItems(record: UnitRecord | undefined, target: string): string[] {
  const fp = record?.details as UnitFingerprint | null | undefined;
  if (!fp?.items) return [];
  const exact = fp.items.filter((i) => i.key === target || i.key.startsWith(`${target}<`) || i.key.endsWith(`::${target}`));
  return (exact.length > 0 ? exact : fp.items.filter((i) => i.key.includes(target))).map((i) => i.key);
}

/** The explanation as `codegend explain` prints it. */
export function formatExplanation(ex: Explanation): string {
  const lines = [`last build of ${ex.crate} (#${ex.build.id}, ${ex.build.ok ? 'succeeded' : 'failed'}, ${ex.build.ms} ms):`];
  const front = frontEndOf(ex.build);
  if (front) lines.push(`  front end: ${front.kind}${front.why ? ` (${front.why})` : ''}`);
  for (const u of ex.units) {
    const holds = u.matched.length > 0 ? ` (holds ${u.matched.join(', ')})` : '';
    lines.push(`  ${u.name}: ${u.reuse === 'No' ? 'rebuilt' : `reused (${u.reuse})`}${holds}`);
    for (const r of u.reasons) lines.push(`    - ${r}`);
  }
  return lines.join('\n') + '\n';
}

/** How the build's front end ran, as its record keeps it. */
export function frontEndOf(build: BuildRecord): { kind: string; why?: string } | null {
  return (build.options as { frontEnd?: { kind: string; why?: string } } | null)?.frontEnd ?? null;
}
