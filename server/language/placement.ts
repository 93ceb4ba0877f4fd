// Where the last build put each function: the daemon fills a PlacementInfo from its
// last build's units (and fills it again after every build); hover and code lenses read
// it. A generic function may have several instances, each in its own unit.

import type { CguReuse } from '../../src/incr/reuse.js';

export interface FunctionPlacement {
  /** The codegen unit that holds the instance, e.g. `main.m3`. */
  unit: string;
  /** The instance's symbol in the object. */
  symbol: string;
  /** The unit's reuse in the last build; absent when unknown (e.g. the build failed before deciding). */
  reuse?: CguReuse;
  /** The instance's key when it differs from the function's path: `sum_all::<i32>`. */
  instance?: string;
}

export interface PlacementInfo {
  /** By function path key, as `pathKey` prints it (`f`, `<impl at a.rs:3:1: 9:2>::add`, `f::{closure#0}`). */
  functions: ReadonlyMap<string, readonly FunctionPlacement[]>;
}

/** `rebuilt` for a unit compiled again, else the reuse as rustc names it. */
function reuseText(reuse: CguReuse): string {
  return reuse === 'No' ? 'rebuilt' : reuse;
}

/** One line per instance: `` unit `main.m3` · symbol `_ZN…` · PostLto ``, in markdown. */
export function placementMarkdown(placements: readonly FunctionPlacement[] | undefined): string {
  if (!placements || placements.length === 0) return 'Not compiled in the last build: unreachable from the roots, or generic without instances.';
  return placements
    .map((p) => {
      const parts = [`unit \`${p.unit}\``, `symbol \`${p.symbol}\``];
      if (p.reuse) parts.push(reuseText(p.reuse));
      return `${placements.length > 1 || p.instance ? `- \`${p.instance ?? p.symbol}\`: ` : ''}${parts.join(' · ')}`;
    })
    .join('\n');
}

/**
 * The code lens title of a function: `unit main.m3 · PostLto`, `unit main.m3 · rebuilt`,
 * `unit main.m3 · PostLto · 3 instances`, `3 instances: main.m0 · rebuilt, main.m3 · PostLto`,
 * or `not compiled`.
 */
export function placementTitle(placements: readonly FunctionPlacement[] | undefined): string {
  if (!placements || placements.length === 0) return 'not compiled';
  const units = new Map<string, CguReuse | undefined>();
  for (const p of placements) units.set(p.unit, p.reuse);
  const one = (unit: string, reuse: CguReuse | undefined) => (reuse ? `${unit} · ${reuseText(reuse)}` : unit);
  const count = placements.length > 1 ? ` · ${placements.length} instances` : '';
  if (units.size === 1) {
    const [[unit, reuse]] = [...units];
    return `unit ${one(unit, reuse)}${count}`;
  }
  return `${placements.length} instances: ${[...units].map(([u, r]) => one(u, r)).join(', ')}`;
}
