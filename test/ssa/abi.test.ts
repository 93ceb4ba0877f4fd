// Function ABIs. The C cases are rustc 1.95's own answers for `extern "C"` functions on
// x86_64-unknown-linux-gnu (`#[rustc_abi(debug)]`), one line per signature: each
// argument's pass mode, then the return value's. rustc's odd-sized integer registers
// (i24, i48) are rounded up to i32/i64 here, as codegend does (see sysv.ts).
import { describe, expect, it } from 'vitest';
import { DiagnosticSink, diagnosticHeadline, SourceFile } from '../../src/diagnostics.js';
import type { Ty } from '../../src/mir/ast.js';
import { checkCrate } from '../../src/mir/check.js';
import { parseMirFile } from '../../src/mir/index.js';
import { type ArgAbi, backendSig, type CallConv, type FnAbi, fnAbiOf } from '../../src/ssa/abi/fn-abi.js';
import { LayoutCx } from '../../src/ssa/layout/layout-cx.js';
import { showRegType } from '../../src/ssa/traits/types.js';

const DECLS = `
#[repr(C)]
struct S3 { a: f32, b: f32, c: f32 }
#[repr(C)]
struct PairC(u32, u32);
#[repr(C)]
struct Pair16 { a: u64, b: u64 }
#[repr(C)]
struct Mixed4 { a: f32, b: u32 }
#[repr(C)]
struct Big { a: u64, b: u64, c: u64 }
#[repr(C)]
struct Two { a: u64, b: f64 }
#[repr(C)]
struct Three8 { a: u8, b: u8, c: u8 }
struct Kg(u32);
#[repr(C)]
struct KgC(u32);
#[repr(C)]
struct Pt { x: f32, y: f32 }
#[repr(C)]
union UFI { f: f32, u: u32 }
#[repr(C)]
struct ArrS { a: [u16; 3] }
#[repr(C)]
struct DblF { a: f64, b: f32 }
#[repr(C)]
struct FloatByte { a: f32, b: u8 }
#[repr(C)]
struct Nest { p: Pt, d: f64 }
#[repr(C)]
struct Unaligned { a: u8, b: [u8; 17] }
struct Empty;
`;

/** [C signature, rustc's pass modes] */
const RUSTC_C: [string, string][] = [
  ["(u8, i16, bool, char, u32, i64) -> i8", "direct zext, direct sext, direct zext, direct, direct, direct -> direct"],
  ["(f32, f64) -> f32", "direct, direct -> direct"],
  ["(S3) -> S3", "cast(f64, f32) -> cast(f64, f32)"],
  ["(PairC) -> PairC", "cast(i64) -> cast(i64)"],
  ["(Pair16) -> Pair16", "cast(i64, i64) -> cast(i64, i64)"],
  ["(Mixed4) -> Mixed4", "cast(i64) -> cast(i64)"],
  ["(Big) -> Big", "byval -> indirect"],
  ["(Two) -> Two", "cast(i64, f64) -> cast(i64, f64)"],
  ["(Three8) -> Three8", "cast(i32) -> cast(i32)"],
  ["(&'static [u8]) -> &'static [u8]", "cast(i64, i64) -> cast(i64, i64)"],
  ["(u128, i128) -> u128", "direct, direct -> direct"],
  ["(Option<u32>) -> Option<u32>", "cast(i64) -> cast(i64)"],
  ["((), u32, Empty) -> ()", "ignore, direct, ignore -> ignore"],
  ["(u64, u64, u64, u64, u64, Pair16) -> u64", "direct, direct, direct, direct, direct, byval -> direct"],
  ["(u64, u64, u64, u64, u64, u128) -> u64", "direct, direct, direct, direct, direct, direct -> direct"],
  ["(u64, u64, u64, u64, u64, u64, u128, Pair16) -> u64", "direct, direct, direct, direct, direct, direct, direct, byval -> direct"],
  ["(u64, u64, u64, u64, u64, Pair16) -> Big", "direct, direct, direct, direct, direct, byval -> indirect"],
  ["(Kg) -> Kg", "direct -> direct"],
  ["(KgC) -> KgC", "cast(i32) -> cast(i32)"],
  ["(Pt) -> Pt", "cast(f64) -> cast(f64)"],
  ["(UFI) -> UFI", "cast(i32) -> cast(i32)"],
  ["(ArrS) -> ArrS", "cast(i64) -> cast(i64)"],
  ["(DblF) -> DblF", "cast(f64, f64) -> cast(f64, f64)"],
  ["(FloatByte) -> FloatByte", "cast(i64) -> cast(i64)"],
  ["(Nest) -> Nest", "cast(f64, f64) -> cast(f64, f64)"],
  ["(Unaligned) -> Unaligned", "byval -> indirect"],
  ["(*const u8, fn()) -> *mut u8", "direct, direct -> direct"],
  ["((u8, u8)) -> (u32, bool)", "cast(i16) -> cast(i64)"],
  ["(f64, f64, f64, f64, f64, f64, f64, f64, Pt, f32) -> bool", "direct, direct, direct, direct, direct, direct, direct, direct, byval, direct -> direct zext"],
  ["(i8, u16) -> u16", "direct sext, direct zext -> direct"],
  ["() -> !", " -> ignore"],
  ["(bool) -> i16", "direct zext -> direct"],
];

const { crate, diagnostics } = checkCrate([new SourceFile('t.mir', DECLS)]);
const cx = new LayoutCx(crate.index.adts);

/** Parameter and return types of a signature written `(T, U) -> R` in MIR syntax. */
function sig(text: string): { params: Ty[]; ret: Ty } {
  const sink = new DiagnosticSink();
  const f = parseMirFile(new SourceFile('sig.mir', `fn p(_1: fn${text}) -> () {\n    bb0: {\n        return;\n    }\n}\n`), sink);
  expect(sink.list.map(diagnosticHeadline)).toEqual([]);
  const item = f.items[0]!;
  if (item.kind !== 'fn') throw new Error('expected a fn');
  const t = item.params[0]!.ty;
  if (t.kind !== 'fnPtr') throw new Error('expected a fn pointer');
  return { params: t.sig.params, ret: t.sig.ret };
}

function mode(a: ArgAbi): string {
  const m = a.mode;
  switch (m.kind) {
    case 'ignore':
    case 'pair':
      return m.kind;
    case 'direct':
      return a.ext ? `direct ${a.ext}` : 'direct';
    case 'cast':
      return `cast(${m.regs.map(showRegType).join(', ')})`;
    case 'indirect':
      return m.byval ? 'byval' : 'indirect';
  }
}

function modes(abi: FnAbi): string {
  return `${abi.args.map(mode).join(', ')} -> ${mode(abi.ret)}`;
}

function abiOf(conv: CallConv, text: string): FnAbi {
  const { params, ret } = sig(text);
  return fnAbiOf(cx, conv, params, ret);
}

describe('the C ABI matches rustc (System V x86-64)', () => {
  it('declarations check', () => expect(diagnostics.map(diagnosticHeadline)).toEqual([]));
  for (const [text, expected] of RUSTC_C) it(text, () => expect(modes(abiOf('c', text))).toBe(expected));
});

describe("codegend's Rust convention", () => {
  const cases: [string, string][] = [
    ['(u8, bool, char, f64) -> i8', 'direct, direct, direct, direct -> direct'],
    ['((), Empty, PhantomData<u32>) -> ()', 'ignore, ignore, ignore -> ignore'],
    ["(&'static [u8], (u32, bool), Option<u32>) -> &'static str", 'pair, pair, pair -> pair'],
    ['(Big, S3, [u8; 4], Option<u64>) -> Big', 'indirect, indirect, indirect, pair -> indirect'],
    ['(Kg, KgC, Pt) -> Option<&u8>', 'direct, indirect, pair -> direct'],
    ['(u128) -> (u32, !)', 'direct -> ignore'],
  ];
  for (const [text, expected] of cases) it(text, () => expect(modes(abiOf('rust', text))).toBe(expected));

  it('knows functions that never return', () => {
    expect(abiOf('rust', '() -> !').noReturn).toBe(true);
    expect(abiOf('c', '(i32) -> !').noReturn).toBe(true);
    expect(abiOf('rust', '() -> ()').noReturn).toBe(false);
  });
});

describe('backend signatures', () => {
  const show = (abi: FnAbi): string => {
    const s = backendSig(abi);
    const params = s.params.map((p) => `${showRegType(p.ty)}${p.sret ? ` sret(${p.sret.size}/${p.sret.align})` : ''}${p.byval ? ` byval(${p.byval.size}/${p.byval.align})` : ''}${p.ext ? ` ${p.ext}` : ''}`);
    return `(${params.join(', ')})${s.variadic ? ' ...' : ''} -> [${s.returns.map(showRegType).join(', ')}]${s.noReturn ? ' noreturn' : ''}`;
  };
  const cases: [CallConv, string, string][] = [
    ['rust', '(bool, (), &[u8], Big) -> u64', '(i8, ptr, i64, ptr) -> [i64]'],
    ['rust', '(u32) -> Big', '(ptr sret(24/8), i32) -> []'],
    ['rust', '(f32) -> (u64, f64)', '(f32) -> [i64, f64]'],
    ['rust', '() -> !', '() -> [] noreturn'],
    ['c', '(u8, i16, bool, S3, Big) -> Big', '(ptr sret(24/8), i8 zext, i16 sext, i8 zext, f64, f32, ptr byval(24/8)) -> []'],
    ['c', '(Two) -> Pair16', '(i64, f64) -> [i64, i64]'],
    ['c', '(u128) -> bool', '(i128) -> [i8]'],
    ['c', '() -> Three8', '() -> [i32]'],
  ];
  for (const [conv, text, expected] of cases) it(`${conv} ${text}`, () => expect(show(abiOf(conv, text))).toBe(expected));

  it('C variadic calls classify the extra arguments the same way', () => {
    const { params, ret } = sig('(*const u8, f64, i32, Pt, Big) -> i32');
    const abi = fnAbiOf(cx, 'c', params, ret, true, 1);
    expect(abi.fixedCount).toBe(1);
    expect(modes(abi)).toBe('direct, direct, direct, cast(f64), byval -> direct');
    expect(show(abi)).toBe('(ptr, f64, i32, f64, ptr byval(24/8)) ... -> [i32]');
  });
});
