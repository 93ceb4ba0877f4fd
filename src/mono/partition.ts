// Codegen unit partitioning, in rustc's manner: one initial unit per source module, then
// the two smallest units merged repeatedly down to `--cgus N`.
//
// Placement. rustc's dump trims paths that are unique in the crate (`m0::f0` prints as
// `f0`), so an item's module is often invisible. The home of an item is, in order:
//   a. the module its own path shows: the leading lower-case segments before the item's
//      name (`m0::drive` → m0; `m0::Shape::area` → m0); closures, promoteds and const
//      children go with their parent; impl methods with the module of the impl's self
//      type when that type's path shows one;
//   b. else, when the items that reference it and show a module (by rule a) all show the
//      same one, that module (`f7`, called by `m0::drive` and by other trimmed `f…`, goes
//      to m0: where the generated crate's source puts it);
//   c. else one of 8 buckets of the crate root, by a hash of its path (content-defined).
// All instances of one generic item share a home, and so do a function's closures and
// promoteds and the items of one impl block (rules b and c look at that group, not the
// instance); drop glue with a `Drop` impl goes with the impl's `drop`; a closure's
// fn-pointer shim with the closure. The rules read only paths and the reference graph,
// so editing a function's body never moves an item, and adding or removing a function
// moves nothing but that function (and, under rule b, callees whose only module-showing
// callers change). On the benchmark crate every `fK` lands in its source module.
//
// Unit names: `<crate>.<module>` (nested modules joined by `-`, which no module name
// contains) and `<crate>.root-<k>` for the buckets. Merging repeatedly folds the smallest
// unit into the second smallest (ties broken by name); a merged unit is named after the
// largest initial unit in it, so names stay stable as long as sizes keep their order.
// Size estimate: statements plus terminators of each body.
//
// Linkage: an item is internal when every reference to it comes from its own unit and it
// is not exported; exported items and the panic handler (called from every unit's panic
// paths) are external. Generic instances live in their item's home unit, once, and are
// external when used from other units. Vtables are not items: each unit that needs one
// emits its own internal copy (the references of its methods are the user's).

import type { Path, Ty } from '../mir/ast.js';
import { pathKey } from '../mir/ty.js';
import { monoItemKey } from './instance.js';
import { stableHash } from './symbol.js';
import type { CguItem, CodegenUnit, MonoItem } from './types.js';
import { monoItemSymbol } from './types.js';

export const ROOT_BUCKETS = 8;

export interface PartitionInput {
  crateName: string;
  cgus: number;
  items: ReadonlyMap<string, MonoItem>;
  edges: ReadonlyMap<string, ReadonlySet<string>>;
  sizes: ReadonlyMap<string, number>;
  /** The self type of an impl block, when known (for impl methods' modules). */
  implSelfTy: (implText: string) => Ty | undefined;
  /** Keys of items that are external whatever references them (the panic handler). */
  alwaysExternal: ReadonlySet<string>;
}

export function partition(input: PartitionInput): CodegenUnit[] {
  const { items, edges } = input;
  const referrers = new Map<string, string[]>();
  for (const [from, tos] of edges) {
    for (const to of tos) {
      const list = referrers.get(to);
      if (list) list.push(from);
      else referrers.set(to, [from]);
    }
  }
  // Rule b works per item (all instances of a generic together).
  const groupOf = (key: string): string => {
    const m = items.get(key);
    return m ? itemGroup(m) : key;
  };
  const groupReferrers = new Map<string, string[]>();
  for (const key of items.keys()) {
    const g = groupOf(key);
    const list = groupReferrers.get(g) ?? [];
    list.push(...(referrers.get(key) ?? []));
    groupReferrers.set(g, list);
  }
  const visible = new Map<string, string | undefined>();
  const visibleModule = (key: string): string | undefined => {
    if (visible.has(key)) return visible.get(key);
    const m = items.get(key);
    const path = m && itemPath(m);
    const mod = path ? moduleOfPath(path, input.implSelfTy) : undefined;
    visible.set(key, mod);
    return mod;
  };
  const homes = new Map<string, string>();
  const home = (key: string, depth = 0): string => {
    const known = homes.get(key);
    if (known) return known;
    const m = items.get(key)!;
    let unit: string;
    const follow = followOf(m);
    if (follow && items.has(follow) && depth < 8) unit = home(follow, depth + 1);
    else {
      const own = visibleModule(key);
      if (own !== undefined) unit = `${input.crateName}.${own}`;
      else {
        const mods = new Set<string>();
        for (const r of groupReferrers.get(groupOf(key)) ?? []) {
          const v = visibleModule(r);
          if (v !== undefined) mods.add(v);
        }
        if (mods.size === 1) unit = `${input.crateName}.${[...mods][0]!}`;
        else unit = `${input.crateName}.root-${parseInt(stableHash(groupOf(key)).slice(0, 8), 16) % ROOT_BUCKETS}`;
      }
    }
    homes.set(key, unit);
    return unit;
  };

  const units = new Map<string, Unit>();
  for (const key of [...items.keys()].sort()) {
    const name = home(key);
    let u = units.get(name);
    if (!u) units.set(name, (u = { name, keys: [], size: 0, largest: { name, size: 0 } }));
    u.keys.push(key);
    u.size += input.sizes.get(key) ?? 1;
  }
  for (const u of units.values()) u.largest = { name: u.name, size: u.size };

  const list = [...units.values()];
  const target = Number.isFinite(input.cgus) && input.cgus >= 1 ? Math.floor(input.cgus) : 16;
  list.sort(bySizeThenName);
  while (list.length > target) {
    const smallest = list.pop()!;
    const second = list[list.length - 1]!;
    second.keys.push(...smallest.keys);
    second.size += smallest.size;
    if (bySizeThenName(smallest.largest, second.largest) < 0) second.largest = smallest.largest;
    second.name = second.largest.name;
    list.sort(bySizeThenName);
  }

  const unitOf = new Map<string, string>();
  for (const u of list) for (const k of u.keys) unitOf.set(k, u.name);
  const result: CodegenUnit[] = list.map((u) => {
    const cguItems: CguItem[] = u.keys.map((k) => {
      const item = items.get(k)!;
      const exported = item.kind === 'static' ? item.exported : item.instance.exported;
      const crossUnit = (referrers.get(k) ?? []).some((r) => unitOf.get(r) !== u.name);
      return { item, linkage: exported || crossUnit || input.alwaysExternal.has(k) ? 'external' : 'internal' };
    });
    cguItems.sort((a, b) => {
      const x = monoItemSymbol(a.item);
      const y = monoItemSymbol(b.item);
      return x < y ? -1 : x > y ? 1 : 0;
    });
    return { name: u.name, items: cguItems, sizeEstimate: u.size };
  });
  return result.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

interface Unit {
  name: string;
  keys: string[];
  size: number;
  /** The largest initial unit merged into this one, which names it. */
  largest: { name: string; size: number };
}

function bySizeThenName(a: { name: string; size: number }, b: { name: string; size: number }): number {
  return b.size - a.size || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** The path that places an item (a generic's instances share it). */
function itemPath(m: MonoItem): Path | undefined {
  if (m.kind === 'static') return m.item.item.name;
  const def = m.instance.def;
  return def.kind === 'dropGlue' ? undefined : def.item.item.name;
}

/** Items placed together: a function with its closures and promoteds, a generic with its instances, an impl block. */
function itemGroup(m: MonoItem): string {
  const p = itemPath(m);
  if (!p) return monoItemKey(m);
  let segs = p.segments;
  // An impl block's methods and constants stay together.
  if (segs[0]?.kind === 'impl') return `<${segs[0].text}>`;
  while (segs.length > 1 && segs[segs.length - 1]!.kind !== 'ident') segs = segs.slice(0, -1);
  return `${m.kind === 'static' ? 'static ' : ''}${pathKey({ span: p.span, segments: segs })}`;
}

/** An item placed with another: drop glue with its `Drop` impl, a shim with its closure. */
function followOf(m: MonoItem): string | undefined {
  if (m.kind !== 'fn') return undefined;
  const def = m.instance.def;
  if (def.kind === 'dropGlue') return def.dropImpl?.key;
  return undefined;
}

/** Rule a: the module a path shows, `-`-joined, or undefined. */
export function moduleOfPath(path: Path, implSelfTy: (implText: string) => Ty | undefined): string | undefined {
  let segs = path.segments;
  while (segs.length > 1 && segs[segs.length - 1]!.kind !== 'ident') segs = segs.slice(0, -1);
  const first = segs[0];
  if (first?.kind === 'impl') {
    const self = implSelfTy(first.text);
    if (self?.kind !== 'named') return undefined;
    return leadingModules(self.path.segments.map((s) => (s.kind === 'ident' ? s.name : '')));
  }
  return leadingModules(segs.map((s) => (s.kind === 'ident' ? s.name : '')));
}

function leadingModules(names: string[]): string | undefined {
  const mods: string[] = [];
  for (let i = 0; i < names.length - 1; i++) {
    const n = names[i]!;
    if (!/^[a-z_][a-z0-9_]*$/.test(n)) break;
    mods.push(n);
  }
  if (mods.length === 0 || ['core', 'std', 'alloc'].includes(mods[0]!)) return undefined;
  return mods.join('-');
}
