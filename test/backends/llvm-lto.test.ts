// Fat and thin LTO in the LLVM backend against real tools: a library unit and an app unit
// (same-named internal symbols in both) built through the core's interfaces, compiled
// without LTO, fat and thin at -O0 and -O2, linked with a C driver and run: all must print
// the same. Also thin summaries, the import map, the thin module text, inlining of
// imports, determinism, and failures that name the LTO step.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findLlvmTools, llvmBackend, type LlvmModule, type LlvmTypes } from '../../src/backends/llvm/index.js';
import { thinModuleText } from '../../src/backends/llvm/lto.js';
import { computeImportMap } from '../../src/ssa/back/lto.js';
import type { BackendSig, BuilderMethods, ObjectFile, RegType, SerializedModule, ThinImport } from '../../src/ssa/traits/index.js';

const I8: RegType = { kind: 'int', bits: 8 };
const I32: RegType = { kind: 'int', bits: 32 };
const I64: RegType = { kind: 'int', bits: 64 };
const PTR: RegType = { kind: 'ptr' };
const i8 = { kind: 'int', bits: 8 } as const;
const i32 = { kind: 'int', bits: 32 } as const;
const i64 = { kind: 'int', bits: 64 } as const;

type Bx = BuilderMethods<LlvmTypes>;
type Opt = 0 | 2;

const WEIRD = 'weird name"\\é';
const BIG_STEPS = 60;

function sig(params: RegType[], returns: RegType[]): BackendSig {
  return { params: params.map((ty) => ({ ty })), returns, variadic: false, noReturn: false };
}

function le64(value: bigint): Uint8Array {
  return new Uint8Array(Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(8 * i)) & 0xffn)));
}

const backend = llvmBackend();

/** The library unit: small importable functions, one too big, one reading internal data. */
function buildLib(): LlvmModule {
  const cx = backend.newModule('lib', { opt: 0 });
  const define = (name: string, s: BackendSig, body: (bx: Bx) => void, linkage: 'external' | 'internal' = 'external'): void => {
    body(cx.defineFn(cx.declareFn(name, s, linkage)));
  };
  const limit = cx.declareData('limit', 'external');
  cx.defineData(limit, { bytes: le64(1000n), relocs: [], align: 8, mutable: false });
  const counter = cx.declareData('counter', 'external');
  cx.defineData(counter, { bytes: le64(40n), relocs: [], align: 8, mutable: true });
  const secret = cx.declareData('secret', 'internal');
  cx.defineData(secret, { bytes: new Uint8Array([5, 0, 0, 0]), relocs: [], align: 4, mutable: false });

  define('helper', sig([], [I32]), (bx) => bx.ret([bx.constInt(i32, 10n)]), 'internal');
  define('square', sig([I32], [I32]), (bx) => bx.ret([bx.intBinary('mul', bx.param(0), bx.param(0))]));
  const square = cx.declareFn('square', sig([I32], [I32]), 'external');
  define('quad', sig([I32], [I32]), (bx) => {
    const [s] = bx.call(sig([I32], [I32]), square, [bx.param(0)]);
    bx.ret(bx.call(sig([I32], [I32]), square, [s!]));
  });
  define('clamp', sig([I64], [I64]), (bx) => {
    const l = bx.load(I64, bx.dataAddress(limit, 0), 8);
    bx.ret([bx.select(bx.intCompare('sgt', bx.param(0), l), l, bx.param(0))]);
  });
  define('bump', sig([], [I64]), (bx) => {
    const v = bx.intBinary('add', bx.load(I64, bx.dataAddress(counter, 0), 8), bx.constInt(i64, 1n));
    bx.store(v, bx.dataAddress(counter, 0), 8);
    bx.ret([v]);
  });
  define('sat_add', sig([I8, I8], [I8]), (bx) => bx.ret([bx.intrinsic('uaddSat', [bx.param(0), bx.param(1)])]));
  define('uses_secret', sig([], [I32]), (bx) => {
    const [h] = bx.call(sig([], [I32]), cx.declareFn('helper', sig([], [I32]), 'internal'), []);
    bx.ret([bx.intBinary('add', bx.load(I32, bx.dataAddress(secret, 0), 4), h!)]);
  });
  define('big', sig([I64], [I64]), (bx) => {
    let acc = bx.param(0);
    for (let k = 1; k <= BIG_STEPS; k++) acc = bx.intBinary('add', bx.intBinary('mul', acc, bx.constInt(i64, 3n)), bx.constInt(i64, BigInt(k)));
    bx.ret([acc]);
  });
  define('classify', sig([I32], [I32]), (bx) => {
    const cases = [1n, 2n, 3n].map((k) => [k, bx.appendBlock(`case${k}`)] as [bigint, LlvmTypes['Block']]);
    const other = bx.appendBlock('other');
    bx.switchInt(bx.param(0), cases, other);
    for (const [k, b] of cases) {
      bx.positionAtEnd(b);
      bx.ret([bx.constInt(i32, 10n * k)]);
    }
    bx.positionAtEnd(other);
    bx.ret([bx.constInt(i32, 0n)]);
  });
  define(WEIRD, sig([I32], [I32]), (bx) => bx.ret([bx.intBinary('add', bx.param(0), bx.constInt(i32, 1n))]));
  return cx;
}

/** The app unit: calls the library, reads `limit` itself, and has its own `secret` and `helper`. */
function buildApp(): LlvmModule {
  const cx = backend.newModule('app', { opt: 0 });
  const secret = cx.declareData('secret', 'internal');
  cx.defineData(secret, { bytes: new Uint8Array([7, 0, 0, 0]), relocs: [], align: 4, mutable: false });
  const limit = cx.declareData('limit', 'external');
  const helper = cx.declareFn('helper', sig([], [I32]), 'internal');
  const hx = cx.defineFn(helper);
  hx.ret([hx.constInt(i32, 20n)]);
  const own = cx.defineFn(cx.declareFn('app_own', sig([], [I32]), 'external'));
  const [h] = own.call(sig([], [I32]), helper, []);
  own.ret([own.intBinary('add', own.load(I32, own.dataAddress(secret, 0), 4), h!)]);

  // app_run(out): one i64 result per slot of `out`.
  const bx = cx.defineFn(cx.declareFn('app_run', sig([PTR], []), 'external'));
  let slot = 0;
  const put = (v: LlvmTypes['Value']): void => bx.store(v, bx.ptrAdd(bx.param(0), bx.constInt(i64, BigInt(8 * slot++))), 8);
  const call = (name: string, params: RegType[], ret: RegType, args: LlvmTypes['Value'][]): LlvmTypes['Value'] => {
    const s = sig(params, [ret]);
    return bx.call(s, cx.declareFn(name, s, 'external'), args)[0]!;
  };
  put(bx.intCast(call('quad', [I32], I32, [bx.constInt(i32, 2n)]), 64, true));
  put(call('clamp', [I64], I64, [bx.constInt(i64, 5000n)]));
  put(call('clamp', [I64], I64, [bx.constInt(i64, 3n)]));
  put(call('bump', [], I64, []));
  put(call('bump', [], I64, []));
  put(bx.intCast(call('sat_add', [I8, I8], I8, [bx.constInt(i8, 200n), bx.constInt(i8, 100n)]), 64, false));
  put(bx.intCast(call('uses_secret', [], I32, []), 64, true));
  put(call('big', [I64], I64, [bx.constInt(i64, 3n)]));
  put(bx.intCast(call('classify', [I32], I32, [bx.constInt(i32, 2n)]), 64, true));
  put(bx.intCast(call(WEIRD, [I32], I32, [bx.constInt(i32, 41n)]), 64, true));
  put(bx.load(I64, bx.dataAddress(limit, 0), 8));
  bx.ret([]);
  return cx;
}

const SLOTS = 11;
const MAIN_C = `#include <stdio.h>
void app_run(long *out);
int app_own(void);
int main(void) {
  long out[${SLOTS}];
  app_run(out);
  for (int i = 0; i < ${SLOTS}; i++) printf("%ld\\n", out[i]);
  printf("own %d\\n", app_own());
  return 0;
}
`;

function expectedStdout(): string {
  let big = 3n;
  for (let k = 1n; k <= BigInt(BIG_STEPS); k++) big = BigInt.asIntN(64, big * 3n + k);
  const values = [16n, 1000n, 3n, 41n, 42n, 255n, 15n, big, 20n, 42n, 1000n];
  return `${values.join('\n')}\nown 27\n`;
}

const tmp = mkdtempSync(join(tmpdir(), 'codegend-lto-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const mainC = join(tmp, 'main.c');
writeFileSync(mainC, MAIN_C);

function writeObjects(objects: ObjectFile[]): string[] {
  const dir = mkdtempSync(join(tmp, 'objs-'));
  return objects.map((o) => {
    const path = join(dir, `${o.name}.o`);
    writeFileSync(path, o.bytes);
    return path;
  });
}

function runProgram(objects: ObjectFile[]): string {
  const paths = writeObjects(objects);
  const exe = join(paths[0]!, '..', 'prog');
  execFileSync('cc', ['-o', exe, mainC, ...paths]);
  return execFileSync(exe, { encoding: 'utf8' });
}

/** `nm` of one object: its undefined symbols and its local function symbols. */
function symbols(obj: ObjectFile): { undefined: string[]; localText: string[] } {
  const [path] = writeObjects([obj]);
  const lines = execFileSync('nm', [path!], { encoding: 'utf8' }).split('\n').filter((l) => l !== '');
  const named = (kind: string): string[] => lines.filter((l) => l.slice(17, 19) === `${kind} `).map((l) => l.slice(19)).sort();
  return { undefined: named('U'), localText: named('t') };
}

const modules = (): SerializedModule[] => [backend.serialize(buildLib()), backend.serialize(buildApp())];

/** Thin LTO of every module, the way a driver would: summaries, the import map, then each module's backend. */
async function thinBuild(mods: SerializedModule[], opt: Opt): Promise<ObjectFile[]> {
  const byName = new Map(mods.map((m) => [m.name, m]));
  const map = computeImportMap(new Map(mods.map((m) => [m.name, backend.thinSummary(m)])));
  return Promise.all(mods.map((m) => backend.thinBackend(m, importsOf(map.get(m.name)!, byName), { opt })));
}

function importsOf(lists: { from: string; symbols: string[] }[], byName: Map<string, SerializedModule>): ThinImport[] {
  return lists.map((l) => ({ from: byName.get(l.from)!, symbols: l.symbols }));
}

const count = (haystack: string, needle: string): number => haystack.split(needle).length - 1;

describe('llvm LTO', () => {
  it('summarizes a module: exports with sizes and importability, references without intrinsics', () => {
    const [lib, app] = modules();
    const s = backend.thinSummary(lib!);
    expect(s.exports.map((e) => e.symbol)).toEqual(['big', 'bump', 'clamp', 'classify', 'quad', 'sat_add', 'square', 'uses_secret', WEIRD]);
    const bySymbol = new Map(s.exports.map((e) => [e.symbol, e]));
    expect(bySymbol.get('square')).toEqual({ symbol: 'square', size: 2, importable: true });
    expect(bySymbol.get('quad')).toEqual({ symbol: 'quad', size: 3, importable: true });
    // The switch is one instruction, whatever its cases; one `ret` per case and one for the rest.
    expect(bySymbol.get('classify')?.size).toBe(5);
    expect(bySymbol.get('big')?.size).toBe(2 * BIG_STEPS + 1);
    expect(bySymbol.get('uses_secret')?.importable).toBe(false);
    expect(s.exports.filter((e) => !e.importable).map((e) => e.symbol)).toEqual(['uses_secret']);
    // lib declares only an intrinsic.
    expect(new TextDecoder().decode(lib!.bytes)).toContain('declare i8 @llvm.uadd.sat.i8(i8, i8)');
    expect(s.references).toEqual([]);
    const a = backend.thinSummary(app!);
    expect(a.exports.map((e) => e.symbol)).toEqual(['app_own', 'app_run']);
    expect(a.references).toEqual(['big', 'bump', 'clamp', 'classify', 'quad', 'sat_add', 'uses_secret', WEIRD]);
  });

  it('imports the small, importable functions the app calls, and nothing transitively', () => {
    const mods = modules();
    const map = computeImportMap(new Map(mods.map((m) => [m.name, backend.thinSummary(m)])));
    expect([...map]).toEqual([
      ['app', [{ from: 'lib', symbols: ['bump', 'clamp', 'classify', 'quad', 'sat_add', WEIRD] }]],
      ['lib', []],
    ]);
  });

  it('gives thin LTO the module with available_externally copies and what they need declared once', () => {
    const [lib, app] = modules();
    const out = thinModuleText(app!, [{ from: lib!, symbols: ['bump', 'clamp', 'quad', 'sat_add', WEIRD] }]);
    expect(out).toContain('define available_externally i32 @quad(i32 %0) nounwind {\n');
    expect(out).toContain('define available_externally i32 @"weird name\\22\\5C\\C3\\A9"(i32 %0) nounwind {\n');
    expect(out).not.toMatch(/^declare .*@quad\(/m);
    // quad's callee `square` is declared as lib defines it, not imported.
    expect(count(out, '\ndeclare i32 @square(i32) nounwind\n')).toBe(1);
    expect(out).not.toContain('define available_externally i32 @square');
    expect(count(out, 'declare i8 @llvm.uadd.sat.i8(i8, i8)')).toBe(1);
    // The app already has `limit`; `counter` is new to it.
    expect(count(out, '@limit = ')).toBe(1);
    expect(count(out, '\n@counter = external global [0 x i8]\n')).toBe(1);
    // Not imported: still declared.
    expect(out).toMatch(/^declare i32 @uses_secret\(\) nounwind$/m);
    expect(out.endsWith('\n')).toBe(true);
    // Without imports, the text is the module's own.
    expect(thinModuleText(app!, [])).toBe(new TextDecoder().decode(app!.bytes));
  });

  it('links and runs the same without LTO, with fat LTO and with thin LTO, at -O0 and -O2', async () => {
    const expected = expectedStdout();
    for (const opt of [0, 2] as const) {
      const mods = modules();
      const plain = await Promise.all(mods.map((m) => backend.compile(m, { opt })));
      expect(runProgram(plain)).toBe(expected);
      const fat = await backend.fatLto('crate', mods, { opt });
      expect(fat.name).toBe('crate');
      expect(runProgram([fat])).toBe(expected);
      const thin = await thinBuild(mods, opt);
      expect(thin.map((o) => o.name)).toEqual(['lib', 'app']);
      expect(runProgram(thin)).toBe(expected);
    }
  });

  it('thin LTO at -O2 inlines the imported functions', async () => {
    const mods = modules();
    const plainApp = symbols(await backend.compile(mods[1]!, { opt: 2 }));
    expect(plainApp.undefined).toEqual(['big', 'bump', 'clamp', 'classify', 'limit', 'quad', 'sat_add', 'uses_secret', WEIRD].sort());
    const thinApp = symbols((await thinBuild(mods, 2))[1]!);
    // What was imported is gone; what quad and bump use appears; the rest stays.
    expect(thinApp.undefined).toEqual(['big', 'counter', 'limit', 'square', 'uses_secret']);
  });

  it('fat LTO keeps same-named internal symbols of different modules apart', async () => {
    const fat = symbols(await backend.fatLto('crate', modules(), { opt: 0 }));
    expect(fat.localText.filter((s) => s.startsWith('helper'))).toHaveLength(2);
    expect(fat.undefined).toEqual([]);
  });

  it('is deterministic: the same modules give the same bytes', async () => {
    const a = await backend.fatLto('crate', modules(), { opt: 2 });
    const b = await backend.fatLto('crate', modules(), { opt: 2 });
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
    const [x, y] = await Promise.all([thinBuild(modules(), 2), thinBuild(modules(), 2)]);
    for (let k = 0; k < x.length; k++) expect(Buffer.from(x[k]!.bytes).equals(Buffer.from(y[k]!.bytes))).toBe(true);
  });

  it('imports nothing that would refer to internal symbols', () => {
    const [lib, app] = modules();
    expect(() => thinModuleText(app!, [{ from: lib!, symbols: ['uses_secret'] }])).toThrow(
      /thin LTO of unit 'app': 'uses_secret' of unit 'lib' refers to internal symbols/,
    );
    expect(() => thinModuleText(app!, [{ from: lib!, symbols: ['helper'] }])).toThrow(/'helper' is not an external function of unit 'lib'/);
    // A copy naming a symbol the importer has as internal would bind to the importer's own: it is left out.
    const enc = (name: string, t: string): SerializedModule => ({ name, bytes: new TextEncoder().encode(t) });
    const b = enc('b', '@shared = global [4 x i8] zeroinitializer, align 4\n\ndefine i32 @peek() nounwind {\nstart:\n  %0 = load i32, ptr @shared, align 4\n  ret i32 %0\n}\n');
    const a = enc('a', '@shared = internal global [4 x i8] zeroinitializer, align 4\n\ndeclare i32 @peek() nounwind\n');
    expect(thinModuleText(a, [{ from: b, symbols: ['peek'] }])).toBe(new TextDecoder().decode(a.bytes));
  });

  it('failures name the LTO step and carry the tool\'s diagnostics', async () => {
    const broken: SerializedModule = { name: 'broken', bytes: new TextEncoder().encode('define i32 @f() {\n  ret i64 0\n}\n') };
    const [lib] = modules();
    const failure = (p: Promise<unknown>): Promise<string> =>
      p.then(
        () => 'no error',
        (e: unknown) => (e as Error).message,
      );
    expect(await failure(backend.fatLto('crate', [lib!, broken], { opt: 2 }))).toMatch(/^fat LTO of 'crate', linking: .*llvm-link failed: .*broken\.ll:2:\d+: error: /s);
    expect(await failure(backend.thinBackend(broken, [], { opt: 2 }))).toMatch(/^thin LTO of unit 'broken', optimizing: .*opt failed: .*broken\.ll:2:\d+: error: /s);
    expect(await failure(backend.thinBackend(broken, [], { opt: 0 }))).toMatch(/^thin LTO of unit 'broken', code generation: .*llc failed: .*broken\.ll:2:\d+: error: /s);
    const tools = await findLlvmTools();
    expect(dirname(tools.llvmLink)).toBe(dirname(tools.llc));
    const noLink = llvmBackend({ tools: { ...tools, llvmLink: join(tmp, 'nowhere', 'llvm-link') } });
    expect(await failure(noLink.fatLto('crate', [lib!], { opt: 0 }))).toMatch(/^fat LTO needs llvm-link, which is missing \(looked for .*nowhere\/llvm-link, beside llc\)/);
  });
});
