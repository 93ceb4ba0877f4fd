// Monomorphization over real rustc output: every corpus program collects without
// diagnostics (except the known failures below, for the reasons given), the queries the
// lowering asks agree with what was collected, symbols do not depend on item order, and a
// one-function edit of a generated crate moves no item between units.

import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { diagnosticHeadline, SourceFile } from '../../src/diagnostics.js';
import type { Ty } from '../../src/mir/ast.js';
import { BodyTypes, tyKey } from '../../src/mir/body-types.js';
import { forEachTy } from '../../src/mono/crate-items.js';
import { checkCrate } from '../../src/mir/check.js';
import { describeMonoItem, monomorphize, type MonoResult } from '../../src/mono/index.js';
import { LayoutCx } from '../../src/ssa/layout/layout-cx.js';
import { corpusMirFiles, FIXTURES } from '../support/paths.js';

/**
 * Programs that cannot be collected completely, and why. t4_step_by_ranges calls core
 * library functions that rustc -O left out of line (`StepBy::new`, `Range::spec_nth`, …):
 * their MIR is not in the file, so there is nothing to compile them from.
 */
const KNOWN_FAILURES: Record<string, RegExp> = {
  t4_step_by_ranges: /a core library function whose MIR is not in the crate/,
};

function mono(name: string, text: string, cgus = 16): MonoResult & { index: ReturnType<typeof checkCrate>['crate']['index'] } {
  const { crate, diagnostics } = checkCrate([new SourceFile(name, text)]);
  expect(diagnostics.filter((d) => d.severity === 'error').map(diagnosticHeadline)).toEqual([]);
  const r = monomorphize(crate, { cgus, crateName: basename(name, '.mir').replace(/[^A-Za-z0-9_]/g, '_') }, new LayoutCx(crate.index.adts));
  return { ...r, index: crate.index };
}

/** Asks `resolveCallee` about every call of every collected body, as the lowering will. */
function checkQueriesAgree(r: MonoResult & { index: ReturnType<typeof checkCrate>['crate']['index'] }): void {
  for (const item of r.collected.items.values()) {
    if (item.kind !== 'fn' || item.instance.def.kind !== 'item' || item.instance.def.shim) continue;
    const fn = item.instance.def.item.item;
    const bt = new BodyTypes(r.index, fn.body, item.instance.subst, fn.params.map((p) => p.ty));
    for (const l of bt.localList()) {
      const ty = bt.localTy(l);
      expect(unresolved(ty), `${item.instance.key}: _${l}: ${tyKey(ty)}`).toBeUndefined();
    }
    for (const b of fn.body.blocks) {
      const t = b.terminator;
      if (t.kind !== 'call') continue;
      const argTys = t.args.map((a): Ty => bt.operandTy(a) ?? { kind: 'infer' });
      const callee = r.queries.resolveCallee(item.instance, t.func, argTys, bt.placeTy(t.dest).ty);
      if (callee.kind === 'instance') expect(r.collected.items.get(callee.instance.key)?.kind === 'fn' && (r.collected.items.get(callee.instance.key) as { instance: unknown }).instance).toBe(callee.instance);
    }
  }
}

/** The corpus's generic parameter names. */
const PARAMS = new Set(['T', 'A', 'B', 'C', 'F', 'G', 'N', 'Self']);

/** A part of a type that instantiation should have replaced. */
function unresolved(t: Ty): string | undefined {
  let found: string | undefined;
  forEachTy(t, (u) => {
    if (u.kind === 'projection' || u.kind === 'impl') found ??= tyKey(u);
    if (u.kind === 'named' && u.path.segments.length === 1 && u.path.segments[0]!.kind === 'ident' && PARAMS.has(u.path.segments[0]!.name)) found ??= tyKey(u);
    if (u.kind === 'array' && u.len.kind === 'param') found ??= tyKey(u);
  });
  return found;
}

/** The same file with its items in reverse order (allocation numbers are kept). */
function reverseItems(text: string): string {
  const chunks: string[][] = [];
  for (const line of text.split('\n')) {
    const starts = /^(fn |const |static |alloc\d+ |promoted|\/\/ MIR FOR CTFE)/.test(line) && !(chunks.at(-1)?.at(-1) ?? '').startsWith('// MIR FOR CTFE');
    if (starts || chunks.length === 0) chunks.push([]);
    chunks.at(-1)!.push(line);
  }
  return chunks
    .reverse()
    .map((c) => c.join('\n'))
    .join('\n');
}

function membership(r: MonoResult): Map<string, string> {
  const m = new Map<string, string>();
  for (const u of r.units) for (const i of u.items) m.set(`${describeMonoItem(i.item)} [${i.linkage}] ${i.item.kind === 'fn' ? i.item.instance.symbol : i.item.symbol}`, u.name);
  return m;
}

describe('monomorphization of the corpus', () => {
  for (const path of corpusMirFiles()) {
    const name = basename(path, '.mir');
    it(name, () => {
      const r = mono(`${name}.mir`, readFileSync(path, 'utf8'));
      const known = KNOWN_FAILURES[name];
      if (known) {
        expect(r.diagnostics.length).toBeGreaterThan(0);
        for (const d of r.diagnostics) expect(d.message).toMatch(known);
        return;
      }
      expect(r.diagnostics.map(diagnosticHeadline)).toEqual([]);
      expect(r.queries.panicHandler).toBeDefined();
      const names = r.units.flatMap((u) => u.items.map((i) => describeMonoItem(i.item)));
      expect(names).toContain('fn main');
      checkQueriesAgree(r);
    });
  }

  it('gives the same symbols and units whatever the order of items', () => {
    for (const path of corpusMirFiles().filter((p) => /t3_generics|t3_traits_static|t4_closures_fnptr|t4_dyn_traits/.test(p))) {
      const text = readFileSync(path, 'utf8');
      const a = mono(basename(path), text);
      const b = mono(basename(path), reverseItems(text));
      expect([...membership(b)].sort()).toEqual([...membership(a)].sort());
    }
  });
});

describe('partition stability', () => {
  const dir = join(FIXTURES, 'codegen-units/generated');
  const original = gunzipSync(readFileSync(join(dir, 'gen-40fns-4mods.mir.gz'))).toString('utf8');
  const edit = JSON.parse(readFileSync(join(dir, 'gen-40fns-4mods.mutate17.json'), 'utf8')) as { line: number; from: string; to: string };
  const lines = original.split('\n');
  expect(lines[edit.line - 1]).toBe(edit.from);
  lines[edit.line - 1] = edit.to;
  const mutated = lines.join('\n');

  for (const cgus of [64, 16, 3]) {
    it(`moves nothing when one function's body changes (--cgus ${cgus})`, () => {
      const a = mono('main.mir', original, cgus);
      const b = mono('main.mir', mutated, cgus);
      expect(a.diagnostics.map(diagnosticHeadline)).toEqual([]);
      expect([...membership(b)].sort()).toEqual([...membership(a)].sort());
    });
  }

  it('places every trimmed function in its source module', () => {
    const r = mono('main.mir', original, 64);
    for (const u of r.units) {
      for (const i of u.items) {
        const m = /^fn f(\d+)$/.exec(describeMonoItem(i.item));
        if (m) expect(u.name).toBe(`main.m${Math.floor(Number(m[1]) / 10)}`);
      }
    }
  });
});
