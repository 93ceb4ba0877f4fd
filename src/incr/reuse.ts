// Deciding, per codegen unit, what of the last build can be reused (rustc's
// `determine_cgu_reuse`), and saying why a unit was not: the first differences between
// the stored fingerprint parts and the new ones, item by item.

import type { CguReuse, LtoMode } from '../ssa/back/write.js';
import type { UnitFingerprint } from './fingerprint.js';

export type { CguReuse, LtoMode };

export type RebuildReason =
  | { kind: 'new' }
  | { kind: 'options' }
  | { kind: 'structure' }
  | { kind: 'missing'; what: 'pre' | 'post' }
  | { kind: 'added' | 'removed' | 'body' | 'linkage' | 'types'; item: string }
  | { kind: 'dep'; item: string; dep: string; change: 'changed' | 'added' | 'removed' }
  | { kind: 'imports'; why: string }
  | { kind: 'incremental-off' };

export interface ReuseDecision {
  reuse: CguReuse;
  /** Why the unit is not reused (empty when it is); the first few differences. */
  reasons: RebuildReason[];
}

export interface PreviousUnit {
  fingerprint: string;
  details: UnitFingerprint | undefined;
  hasPre: boolean;
  hasPost: boolean;
}

const MAX_REASONS = 8;

/**
 * `No` without a previous work product or when the fingerprint changed; otherwise
 * `PostLto` when the unit takes no LTO and `PreLto` when it does. (Thin LTO may still
 * upgrade a `PreLto` unit to `PostLto` once the import map is known.)
 */
export function determineCguReuse(prev: PreviousUnit | undefined, now: UnitFingerprint, lto: LtoMode): ReuseDecision {
  if (!prev) return { reuse: 'No', reasons: [{ kind: 'new' }] };
  if (prev.fingerprint !== now.fingerprint) return { reuse: 'No', reasons: differences(prev.details, now) };
  const needed = lto === 'off' ? 'post' : 'pre';
  if (needed === 'post' ? !prev.hasPost : !prev.hasPre) return { reuse: 'No', reasons: [{ kind: 'missing', what: needed }] };
  return { reuse: lto === 'off' ? 'PostLto' : 'PreLto', reasons: [] };
}

/** The differences between a unit's stored fingerprint parts and its new ones. */
export function differences(before: UnitFingerprint | undefined, after: UnitFingerprint): RebuildReason[] {
  if (!before) return [{ kind: 'new' }];
  const out: RebuildReason[] = [];
  if (before.options !== after.options) out.push({ kind: 'options' });
  if (before.structure !== after.structure) out.push({ kind: 'structure' });
  const old = new Map(before.items.map((i) => [i.key, i]));
  const now = new Set(after.items.map((i) => i.key));
  for (const it of after.items) {
    if (out.length >= MAX_REASONS) break;
    const o = old.get(it.key);
    if (!o) {
      out.push({ kind: 'added', item: it.key });
      continue;
    }
    if (o.fingerprint === it.fingerprint) continue;
    if (o.own !== it.own) out.push({ kind: 'body', item: it.key });
    if (o.linkage !== it.linkage) out.push({ kind: 'linkage', item: it.key });
    if (o.types !== it.types) out.push({ kind: 'types', item: it.key });
    for (const [dep, sig] of Object.entries(it.deps)) {
      const was = o.deps[dep];
      if (was === undefined) out.push({ kind: 'dep', item: it.key, dep, change: 'added' });
      else if (was !== sig) out.push({ kind: 'dep', item: it.key, dep, change: 'changed' });
    }
    for (const dep of Object.keys(o.deps)) if (!(dep in it.deps)) out.push({ kind: 'dep', item: it.key, dep, change: 'removed' });
  }
  for (const key of old.keys()) if (!now.has(key) && out.length < MAX_REASONS) out.push({ kind: 'removed', item: key });
  return out.slice(0, MAX_REASONS);
}

export function describeReason(r: RebuildReason): string {
  switch (r.kind) {
    case 'new':
      return 'no previous work product';
    case 'options':
      return 'the codegen options changed (backend, opt level, LTO, target or codegend version)';
    case 'structure':
      return 'crate-wide tables changed (trait method slots, external signatures or the panic handler)';
    case 'missing':
      return `the cached ${r.what === 'pre' ? 'pre-LTO module' : 'object'} is missing or corrupt`;
    case 'added':
      return `\`${r.item}\` was added to the unit`;
    case 'removed':
      return `\`${r.item}\` left the unit`;
    case 'body':
      return `the body of \`${r.item}\` changed`;
    case 'linkage':
      return `the linkage of \`${r.item}\` changed`;
    case 'types':
      return `a type or constant \`${r.item}\` uses changed`;
    case 'dep':
      return r.change === 'changed'
        ? `\`${r.item}\` references \`${r.dep}\`, whose symbol or signature changed`
        : r.change === 'added'
          ? `\`${r.item}\` now references \`${r.dep}\``
          : `\`${r.item}\` no longer references \`${r.dep}\``;
    case 'imports':
      return `its thin LTO object was rebuilt: ${r.why}`;
    case 'incremental-off':
      return 'incremental compilation is off';
  }
}
