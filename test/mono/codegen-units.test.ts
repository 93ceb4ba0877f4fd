// Mono item collection and partitioning, in the manner of rustc's `tests/codegen-units`:
// each fixture in test/fixtures/codegen-units is hand-written MIR whose comments state
// the complete result. Directives (one per line):
//
//   // compile-flags: --cgus N                 merge down to N units (default 16)
//   //~ MONO_ITEM <item> @@ <unit>[External|Internal]
//                                              <item> as `describeMonoItem` prints it:
//                                              `fn KEY`, `const KEY`, `drop_in_place::<T>`,
//                                              `static PATH`; the crate is the file's name
//   //~ CALLEE <caller key> bb<N> => <callee>   what the call ending block N resolves to
//   //~ ERROR <text>                           a collection diagnostic containing <text>
//
// The MONO_ITEM set is compared exactly: a missing or an extra item fails. `BLESS=1`
// rewrites a fixture's MONO_ITEM lines from the actual result.

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diagnosticHeadline, SourceFile } from '../../src/diagnostics.js';
import { BodyTypes, tyKey } from '../../src/mir/body-types.js';
import { checkCrate } from '../../src/mir/check.js';
import { describeMonoItem, monomorphize, type MonoResult } from '../../src/mono/index.js';
import type { Ty } from '../../src/mir/ast.js';
import type { CrateIndex } from '../../src/mir/resolve.js';
import type { Callee, Instance } from '../../src/mono/types.js';
import { LayoutCx, LayoutError } from '../../src/ssa/layout/layout-cx.js';
import { FIXTURES } from '../support/paths.js';

const DIR = join(FIXTURES, 'codegen-units');
const fixtures = readdirSync(DIR).filter((f) => f.endsWith('.mir')).sort();

export function runMono(files: { name: string; text: string }[], cgus = 16, crateName = basename(files[0]!.name, '.mir').replace(/[^A-Za-z0-9_]/g, '_')): MonoResult & { crate: ReturnType<typeof checkCrate>['crate'] } {
  const { crate, diagnostics } = checkCrate(files.map((f) => new SourceFile(f.name, f.text)));
  expect(diagnostics.map(diagnosticHeadline)).toEqual([]);
  const r = monomorphize(crate, { cgus, crateName }, new LayoutCx(crate.index.adts));
  return { ...r, crate };
}

function monoItemLines(r: MonoResult): string[] {
  return r.units.flatMap((u) => u.items.map((i) => `${describeMonoItem(i.item)} @@ ${u.name}[${i.linkage === 'external' ? 'External' : 'Internal'}]`)).sort();
}

export function describeCallee(c: Callee): string {
  const spread = 'spreadTuple' in c && c.spreadTuple ? ' spread' : '';
  switch (c.kind) {
    case 'instance': {
      const adjust = c.selfAdjust && c.selfAdjust !== 'none' ? ` self=${c.selfAdjust}${c.selfDerefs ? `x${c.selfDerefs}` : ''}` : '';
      return `instance ${c.instance.key}${spread}${adjust}${c.dropSelf ? ' dropSelf' : ''}`;
    }
    case 'virtual':
      return `virtual slot ${c.slot}${spread}`;
    case 'fnPtr':
      return `fnPtr${c.fromSelf ? ` fromSelf derefs=${c.fromSelf.derefs}` : ''}${spread}`;
    case 'primitive':
      return `primitive ${c.method} on ${tyKey(c.selfTy)}`;
    case 'intrinsic':
      return `intrinsic ${c.name}${c.typeArgs.length ? `<${c.typeArgs.map(tyKey).join(', ')}>` : ''}`;
    case 'panic':
      return `panic ${c.name}`;
    case 'extern':
      return `extern ${c.symbol}`;
  }
}

/** Resolves the call ending block `bb` of `caller` the way the lowering asks. */
export function calleeAt(r: MonoResult, index: CrateIndex, caller: Instance, bb: number): Callee {
  const def = caller.def;
  if (def.kind !== 'item') throw new Error('not a function body');
  const fn = def.item.item;
  const t = fn.body.blocks[bb]!.terminator;
  if (t.kind !== 'call') throw new Error(`bb${bb} does not end in a call`);
  const bt = new BodyTypes(index, fn.body, caller.subst, fn.params.map((p) => p.ty));
  const argTys = t.args.map((a): Ty => bt.operandTy(a) ?? { kind: 'infer' });
  return r.queries.resolveCallee(caller, t.func, argTys, bt.placeTy(t.dest).ty);
}

function check(name: string): void {
  const path = join(DIR, name);
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  const cgus = Number(/\/\/ compile-flags:.*--cgus (\d+)/.exec(text)?.[1] ?? 16);
  const r = runMono([{ name, text }], cgus);
  const expectedItems = lines.flatMap((l) => (l.startsWith('//~ MONO_ITEM ') ? [l.slice('//~ MONO_ITEM '.length).trim()] : [])).sort();
  const actualItems = monoItemLines(r);
  if (process.env.BLESS) {
    // The new lines go where the old ones were, else after the leading comments.
    const first = lines.findIndex((l) => l.startsWith('//~ MONO_ITEM '));
    const kept = lines.filter((l) => !l.startsWith('//~ MONO_ITEM '));
    let at = first >= 0 ? first : 0;
    if (first < 0) while (at < kept.length && kept[at]!.startsWith('//')) at++;
    kept.splice(at, 0, ...actualItems.map((l) => `//~ MONO_ITEM ${l}`));
    writeFileSync(path, kept.join('\n'));
  } else expect(actualItems).toEqual(expectedItems);

  const errors = lines.flatMap((l) => (l.startsWith('//~ ERROR ') ? [l.slice('//~ ERROR '.length).trim()] : []));
  expect(r.diagnostics.length).toBe(errors.length);
  for (const e of errors) expect(r.diagnostics.some((d) => d.message.includes(e))).toBe(true);

  for (const l of lines) {
    const m = /^\/\/~ CALLEE (.+) bb(\d+) => (.+)$/.exec(l);
    if (!m) continue;
    const item = r.collected.items.get(m[1]!);
    expect(item, `caller ${m[1]} is collected`).toBeDefined();
    if (item?.kind !== 'fn') continue;
    expect(describeCallee(calleeAt(r, r.crate.index, item.instance, Number(m[2]))), l).toBe(m[3]!.trim());
  }

  // Invariants of every result: unique symbols, items sorted by symbol, exported names kept.
  const symbols = r.units.flatMap((u) => u.items.map((i) => (i.item.kind === 'fn' ? i.item.instance.symbol : i.item.symbol)));
  expect(new Set(symbols).size).toBe(symbols.length);
  for (const u of r.units) {
    const s = u.items.map((i) => (i.item.kind === 'fn' ? i.item.instance.symbol : i.item.symbol));
    expect(s).toEqual([...s].sort());
  }
  expect(r.units.length).toBeLessThanOrEqual(cgus);
}

describe('codegen units', () => {
  it('has fixtures', () => expect(fixtures.length).toBeGreaterThan(0));
  for (const name of fixtures) it(name, () => check(name));
});

describe('queries', () => {
  it('builds vtables whose slots agree with virtual calls', () => {
    const name = 'statics-dyn.mir';
    const r = runMono([{ name, text: readFileSync(join(DIR, name), 'utf8') }]);
    const main = r.collected.items.get('main');
    if (main?.kind !== 'fn') throw new Error('no main');
    const meter: Ty = { kind: 'named', path: { span: { lo: 0, hi: 0 }, segments: [{ kind: 'ident', name: 'Meter' }] } };
    const dyn: Ty = { kind: 'dyn', bounds: [{ span: { lo: 0, hi: 0 }, segments: [{ kind: 'ident', name: 'Unit' }] }] };
    let vt;
    try {
      vt = r.queries.vtable(main.instance, meter, dyn);
    } catch (e) {
      // Layouts may not be available yet; the slots are checked through the collector then.
      if (!(e instanceof LayoutError)) throw e;
      return;
    }
    expect(vt.methods.map((m) => m?.key)).toEqual(['<impl at statics.rs:10:1: 14:2>::scale', '<impl at statics.rs:10:1: 14:2>::value']);
    expect([vt.size, vt.align]).toEqual([4, 4]);
    expect(vt.drop).toBeUndefined();
    expect(vt.symbol).toMatch(/^_ZN11statics_dyn6vtable17h[0-9a-f]{16}E$/);
  });

  it('answers drop glue, statics and the panic handler', () => {
    const name = 'statics-dyn.mir';
    const r = runMono([{ name, text: readFileSync(join(DIR, name), 'utf8') }]);
    const main = r.collected.items.get('main');
    if (main?.kind !== 'fn') throw new Error('no main');
    const named = (n: string): Ty => ({ kind: 'named', path: { span: { lo: 0, hi: 0 }, segments: n.split('::').map((s) => ({ kind: 'ident' as const, name: s })) } });
    expect(r.queries.dropGlue(main.instance, named('Meter'))).toBeUndefined();
    expect(r.queries.dropGlue(main.instance, { kind: 'int', name: 'u32' })).toBeUndefined();
    const glue = r.queries.dropGlue(main.instance, named('Holder'));
    expect(glue?.key).toBe('drop_in_place::<Holder>');
    expect(r.queries.dropImpl(main.instance, named('m1::Guard'))?.key).toBe('<impl at statics.rs:30:1: 34:2>::drop');
    expect(r.queries.staticSymbol({ span: { lo: 0, hi: 0 }, segments: [{ kind: 'ident', name: 'TABLE' }] })).toMatch(/^_ZN11statics_dyn5TABLE17h[0-9a-f]{16}E$/);
    expect(r.queries.panicHandler?.key).toBe('panic');
  });
});

describe('symbols', () => {
  it('mangles in rustc legacy style, escaping impl paths, and keeps exported names', () => {
    const name = 'traits.mir';
    const r = runMono([{ name, text: readFileSync(join(DIR, name), 'utf8') }]);
    const sym = (key: string) => {
      const m = r.collected.items.get(key);
      return m?.kind === 'fn' ? m.instance.symbol : undefined;
    };
    expect(sym('main')).toBe('main');
    expect(sym('<impl at traits.rs:10:1: 14:2>::legs')).toMatch(/^_ZN6traits65_\$LT\$impl\$u20\$at\$u20\$traits\.rs\$u3a\$10\$u3a\$1\$u3a\$\$u20\$14\$u3a\$2\$GT\$4legs17h[0-9a-f]{16}E$/);
    const dog = sym('count::<T=Dog>');
    const cat = sym('count::<T=Cat>');
    expect(dog).toMatch(/^_ZN6traits5count17h[0-9a-f]{16}E$/);
    expect(cat).toMatch(/^_ZN6traits5count17h[0-9a-f]{16}E$/);
    expect(dog).not.toBe(cat);
    const again = runMono([{ name, text: readFileSync(join(DIR, name), 'utf8') }]);
    const m = again.collected.items.get('count::<T=Dog>');
    expect(m?.kind === 'fn' && m.instance.symbol).toBe(dog);
  });
});
