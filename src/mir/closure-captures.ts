// The values a closure captures, from the MIR that builds and uses it.
//
// A closure type prints as `{closure@f.rs:3:5: 3:10}` and declares nothing; its
// captures are the operands of the aggregate that builds it,
// `_5 = {closure@…} { k: copy _1, total: copy _2 }`, and the fields its own body
// projects from `_1` (the closure, or a reference to it): `((*_1).0: i32)`. The types
// are written in terms of the generic parameters of the function that builds the
// closure (the closure's body uses the same names); a closure type carries that
// function's substitution later.
//
// Evidence from the closure's home is preferred: aggregates in the function that
// defines the closure (`f` for `f::{closure#0}`) and projections in the closure's own
// body. Inlined copies elsewhere show the captures at concrete types; they fill in what
// the home does not show and are checked against it. `const ZeroSized: {closure@…}`
// says only that the captures take no space: a closure seen only that way has none.

import type { Ty } from './ast.js';
import type { DiagnosticSink } from '../diagnostics.js';
import type { AdtTable } from './adt-table.js';
import { siteText, type Site } from './enum-evidence.js';
import { compatible, showTy } from './ty.js';

interface Slot {
  ty?: Ty;
  home: boolean;
  site?: Site;
}

interface ClosureRecord {
  slots: Slot[];
  /** The number of operands of the aggregates that build it. */
  built?: { count: number; site: Site };
  zeroSized: boolean;
}

export class ClosureEvidence {
  /** Closure text → the path keys of its body and of the function that defines it. */
  private readonly homes = new Map<string, { body: string; parent: string }>();
  private readonly records = new Map<string, ClosureRecord>();

  constructor(
    private readonly sink: DiagnosticSink,
    private readonly adts: AdtTable,
  ) {}

  /** `fn f::{closure#0}(_1: &{closure@TEXT}, …)`: the closure's body `f::{closure#0}`, defined in `f`. */
  noteBody(text: string, body: string, parent: string): void {
    if (!this.homes.has(text)) this.homes.set(text, { body, parent });
  }

  /** `{closure@TEXT} { a: …, b: … }` built in the body of `owner`. */
  noteAggregate(text: string, tys: (Ty | undefined)[], owner: string | undefined, site: Site): void {
    const r = this.record(text);
    const name = `{${text}}`;
    if (r.built && r.built.count !== tys.length) {
      this.sink.error(site.file, site.at, `\`${name}\` is built with ${tys.length} capture${tys.length === 1 ? '' : 's'} here, but with ${r.built.count} at ${siteText(r.built.site)}`);
      return;
    }
    if (!r.built && r.slots.length > tys.length) {
      const at = r.slots[r.slots.length - 1]?.site;
      this.sink.error(site.file, site.at, `\`${name}\` is built with ${tys.length} capture${tys.length === 1 ? '' : 's'} here, but its capture ${r.slots.length - 1} is used${at ? ` at ${siteText(at)}` : ''}`);
      return;
    }
    r.built ??= { count: tys.length, site };
    const home = this.isHome(text, owner, 'parent');
    tys.forEach((ty, i) => this.fill(r, name, i, ty, home, site));
  }

  /** `((*_1).i: ty)` where `_1` is the closure or a reference to it, in the body of `owner`. */
  noteField(text: string, index: number, ty: Ty, owner: string | undefined, site: Site): void {
    const r = this.record(text);
    const name = `{${text}}`;
    if (r.built && index >= r.built.count) {
      this.sink.error(site.file, site.at, `no capture ${index} in \`${name}\`: it is built with ${r.built.count} capture${r.built.count === 1 ? '' : 's'} at ${siteText(r.built.site)}`);
      return;
    }
    this.fill(r, name, index, ty, this.isHome(text, owner, 'body'), site);
  }

  /** `const ZeroSized: {closure@TEXT}`. */
  noteZeroSized(text: string): void {
    this.record(text).zeroSized = true;
  }

  /** Writes the captures of every closure whose captures are all known into the table. */
  finish(): void {
    for (const [text, r] of this.records) {
      const count = r.built?.count ?? r.slots.length;
      if (count === 0 && !r.built && !r.zeroSized) continue;
      const tys: Ty[] = [];
      for (let i = 0; i < count; i++) {
        const ty = r.slots[i]?.ty;
        if (!ty) break;
        tys.push(ty);
      }
      if (tys.length === count) this.adts.defineClosure(text, tys);
    }
  }

  private record(text: string): ClosureRecord {
    let r = this.records.get(text);
    if (!r) this.records.set(text, (r = { slots: [], zeroSized: false }));
    return r;
  }

  /** Home evidence: from the defining function (aggregates) or the closure's body (projections); everything is when the body is unknown. */
  private isHome(text: string, owner: string | undefined, which: 'body' | 'parent'): boolean {
    const h = this.homes.get(text);
    return !h || h[which] === owner;
  }

  private fill(r: ClosureRecord, name: string, index: number, ty: Ty | undefined, home: boolean, site: Site): void {
    while (r.slots.length <= index) r.slots.push({ home: false });
    const slot = r.slots[index]!;
    if (!ty) return;
    if (slot.ty && !compatible(slot.ty, ty, this.adts.classify)) {
      this.sink.error(site.file, site.at, `conflicting types for capture ${index} of \`${name}\`: \`${showTy(ty)}\` here (first seen as \`${showTy(slot.ty)}\`${slot.site ? ` at ${siteText(slot.site)}` : ''})`);
      return;
    }
    // The first evidence holds until evidence from the closure's home replaces it.
    if (!slot.ty || (home && !slot.home)) {
      slot.ty = ty;
      slot.home = home;
      slot.site = site;
    }
  }
}
