// The LLVM backend against real tools: a sample module built through the core's
// interfaces (every builder method at least once) is printed and compared with
// test/fixtures/llvm/sample.ll, compiled at -O0 and -O2, linked with a C driver
// (test/fixtures/llvm/main.c) and run; stdout must equal run.stdout.
// `BLESS=1 npx vitest run test/backends/llvm.test.ts` rewrites the expected files.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileIr, findLlvmTools, llvmBackend, parseLlvmVersion, toolCommands, type LlvmModule, type LlvmTypes } from '../../src/backends/llvm/index.js';
import { escapeBytes, globalName, showFloat } from '../../src/backends/llvm/printer.js';
import type { BackendSig, BuilderMethods, FloatBinOp, IntrinsicOp, RegType, SigParam } from '../../src/ssa/traits/index.js';
import { FIXTURES } from '../support/paths.js';

const DIR = join(FIXTURES, 'llvm');
const BLESS = process.env.BLESS === '1';

const I8: RegType = { kind: 'int', bits: 8 };
const I16: RegType = { kind: 'int', bits: 16 };
const I32: RegType = { kind: 'int', bits: 32 };
const I64: RegType = { kind: 'int', bits: 64 };
const I128: RegType = { kind: 'int', bits: 128 };
const F32: RegType = { kind: 'float', bits: 32 };
const F64: RegType = { kind: 'float', bits: 64 };
const PTR: RegType = { kind: 'ptr' };
const i32 = { kind: 'int', bits: 32 } as const;
const i64 = { kind: 'int', bits: 64 } as const;
const i128 = { kind: 'int', bits: 128 } as const;
const i8 = { kind: 'int', bits: 8 } as const;

type Bx = BuilderMethods<LlvmTypes>;

function sig(params: (RegType | SigParam)[], returns: RegType[], more: Partial<BackendSig> = {}): BackendSig {
  const ps = params.map((p): SigParam => ('ty' in p ? p : { ty: p }));
  return { params: ps, returns, variadic: false, noReturn: false, ...more };
}

function le(bytes: number, value: bigint): number[] {
  return Array.from({ length: bytes }, (_, i) => Number((value >> BigInt(8 * i)) & 0xffn));
}

/** The sample module: symbols exported as `${p}name`, so two opt levels link into one program. */
function buildSample(p: string, opt: 0 | 1 | 2 | 3): LlvmModule {
  const cx = llvmBackend().newModule(`sample_${p}`, { opt });
  const define = (name: string, s: BackendSig, body: (bx: Bx) => void, linkage: 'external' | 'internal' = 'external'): void => {
    body(cx.defineFn(cx.declareFn(p + name, s, linkage)));
  };

  define('add3', sig([I32, I32, I32], [I32]), (bx) => {
    bx.ret([bx.intBinary('add', bx.intBinary('add', bx.param(0), bx.param(1)), bx.param(2))]);
  });

  // A loop over stack slots: acc = 0; i = 1; while i <= n { acc += i; i += 1 }
  define('sum_to', sig([I64], [I64]), (bx) => {
    const acc = bx.alloca(8, 8);
    const i = bx.alloca(8, 8);
    bx.store(bx.constInt(i64, 0n), acc, 8);
    bx.store(bx.constInt(i64, 1n), i, 8);
    const head = bx.appendBlock('loop head');
    const body = bx.appendBlock('bb1');
    const exit = bx.appendBlock('1exit');
    bx.appendBlock('never used');
    bx.br(head);
    bx.positionAtEnd(head);
    const iv = bx.load(I64, i, 8);
    bx.condBr(bx.intCompare('sle', iv, bx.param(0)), body, exit);
    bx.positionAtEnd(body);
    bx.store(bx.intBinary('add', bx.load(I64, acc, 8), iv), acc, 8);
    bx.store(bx.intBinary('add', iv, bx.constInt(i64, 1n)), i, 8);
    bx.br(head);
    bx.positionAtEnd(exit);
    bx.ret([bx.load(I64, acc, 8)]);
  });

  for (const [name, op, signed, ty] of [
    ['checked_sadd_i32', 'add', true, I32],
    ['checked_usub_i32', 'sub', false, I32],
    ['checked_umul_i64', 'mul', false, I64],
    ['checked_smul_i128', 'mul', true, I128],
  ] as const) {
    define(name, sig([ty, ty, PTR], [I8]), (bx) => {
      const [v, overflow] = bx.checkedBinary(op, signed, bx.param(0), bx.param(1));
      bx.store(v, bx.param(2), ty.kind === 'int' ? Math.min(ty.bits / 8, 16) : 8);
      bx.ret([overflow]);
    });
  }

  // printf through a variadic signature, with two different sets of extra arguments.
  const printf = cx.declareFn('printf', sig([PTR], [I32], { variadic: true }), 'external');
  const fmt1 = cx.declareData(`${p}fmt1`, 'internal');
  cx.defineData(fmt1, { bytes: new TextEncoder().encode('say x=%d d=%.3f\n\0'), relocs: [], align: 1, mutable: false });
  const fmt2 = cx.declareData(`${p}fmt2`, 'internal');
  cx.defineData(fmt2, { bytes: new TextEncoder().encode('say "%s" %lld\n\0'), relocs: [], align: 1, mutable: false });
  define('say', sig([I32, F64], [I32]), (bx) => {
    const n1 = bx.call(sig([PTR, I32, F64], [I32], { variadic: true }), printf, [bx.dataAddress(fmt1, 0), bx.param(0), bx.param(1)]);
    const n2 = bx.call(sig([PTR, PTR, I64], [I32], { variadic: true }), printf, [bx.dataAddress(fmt2, 0), bx.dataAddress(fmt2, 5), bx.constInt(i64, -7n)]);
    bx.ret([bx.intBinary('add', n1[0]!, n2[0]!)]);
  });

  // Two-register returns, and a caller that splits them.
  define('pair', sig([I64, I64], [I64, I64]), (bx) => {
    bx.ret([bx.intBinary('add', bx.param(0), bx.param(1)), bx.intBinary('mul', bx.param(0), bx.param(1))]);
  });
  define('fpair', sig([F64], [F64, F64]), (bx) => {
    bx.ret([bx.floatBinary('fmul', bx.param(0), bx.constFloat(64, 2)), bx.fneg(bx.param(0))]);
  });
  define('pair_sum', sig([I64, I64], [I64]), (bx) => {
    const [a, b] = bx.call(sig([I64, I64], [I64, I64]), cx.declareFn(`${p}pair`, sig([], []), 'external'), [bx.param(0), bx.param(1)]);
    bx.ret([bx.intBinary('sub', b!, a!)]);
  });

  // Data with relocations to a function, to data at an offset, and to data defined elsewhere.
  const msg = cx.declareData(`${p}msg`, 'internal');
  cx.defineData(msg, { bytes: new TextEncoder().encode('hello, world\0'), relocs: [], align: 1, mutable: false });
  const add3 = cx.declareFn(`${p}add3`, sig([I32, I32, I32], [I32]), 'external');
  const table = cx.declareData(`${p}table`, 'external');
  const tableBytes = new Uint8Array(24);
  tableBytes.set([0xde, 0xad, 0xbe, 0xef], 16);
  cx.defineData(table, {
    bytes: tableBytes,
    relocs: [
      { offset: 8, target: { kind: 'data', global: msg }, addend: 7 },
      { offset: 0, target: { kind: 'fn', fn: add3 }, addend: 0 },
    ],
    align: 8,
    mutable: false,
  });
  const cValue = cx.declareData('c_value', 'external');
  const extRef = cx.declareData(`${p}ext_ref`, 'internal');
  cx.defineData(extRef, { bytes: new Uint8Array(8), relocs: [{ offset: 0, target: { kind: 'data', global: cValue }, addend: 0 }], align: 8, mutable: false });
  const counter = cx.declareData(`${p}counter`, 'external');
  cx.defineData(counter, { bytes: new Uint8Array(le(8, 40n)), relocs: [], align: 8, mutable: true });
  const zeros = cx.declareData(`${p}zeros`, 'external');
  cx.defineData(zeros, { bytes: new Uint8Array(16), relocs: [], align: 16, mutable: true });
  define('bump', sig([], [I64]), (bx) => {
    const v = bx.intBinary('add', bx.load(I64, bx.dataAddress(counter, 0), 8), bx.constInt(i64, 1n));
    bx.store(v, bx.dataAddress(counter, 0), 8);
    bx.store(v, bx.dataAddress(zeros, 8), 8);
    bx.ret([v]);
  });
  define('table_call', sig([I32], [I32]), (bx) => {
    const f = bx.load(PTR, bx.dataAddress(table, 0), 8);
    bx.ret(bx.call(sig([I32, I32, I32], [I32]), f, [bx.param(0), bx.param(0), bx.param(0)]));
  });
  define('read_ext', sig([], [I64]), (bx) => {
    bx.ret([bx.load(I64, bx.load(PTR, bx.dataAddress(extRef, 0), 8), 8)]);
  });

  // Saturating float-to-int, and the other conversions.
  define('f2i32', sig([F64], [I32]), (bx) => bx.ret([bx.floatToInt(bx.param(0), 32, true)]));
  define('f2u8', sig([F64], [I8]), (bx) => bx.ret([bx.floatToInt(bx.param(0), 8, false)]));
  define('f32_to_i64', sig([F32], [I64]), (bx) => bx.ret([bx.floatToInt(bx.param(0), 64, true)]));
  define('f2i128', sig([F64], [I128]), (bx) => bx.ret([bx.floatToInt(bx.param(0), 128, true)]));
  define('u64_to_f64', sig([I64], [F64]), (bx) => bx.ret([bx.intToFloat(bx.param(0), 64, false)]));
  define('i16_to_f32', sig([I16], [F32]), (bx) => bx.ret([bx.intToFloat(bx.param(0), 32, true)]));
  define('narrow', sig([F64], [F32]), (bx) => bx.ret([bx.floatCast(bx.floatCast(bx.param(0), 32), 32)]));
  define('widen_f', sig([F32], [F64]), (bx) => bx.ret([bx.floatCast(bx.param(0), 64)]));
  define('cast_chain', sig([I64], [I64]), (bx) => {
    // (x as i16 as i32 as u8 as i64) + (x as u16 as u64)
    const a = bx.intCast(bx.intCast(bx.intCast(bx.intCast(bx.param(0), 16, true), 32, true), 8, false), 64, false);
    const b = bx.intCast(bx.intCast(bx.param(0), 16, false), 64, false);
    bx.ret([bx.intBinary('add', a, bx.intCast(b, 64, true))]);
  });
  define('bits_of', sig([F64], [I64]), (bx) => bx.ret([bx.bitcast(bx.param(0), I64)]));
  define('from_bits', sig([I32], [F32]), (bx) => bx.ret([bx.bitcast(bx.param(0), F32)]));
  define('snan32', sig([], [F32]), (bx) => bx.ret([bx.constFloatBits(32, 0x7f800001n)]));
  define('tenth32', sig([], [F32]), (bx) => bx.ret([bx.constFloat(32, 0.1)]));
  define('neg_zero64', sig([], [F64]), (bx) => bx.ret([bx.constFloat(64, -0)]));
  define('ptr_roundtrip', sig([PTR, I64], [I8]), (bx) => {
    const q = bx.intToPtr(bx.ptrToInt(bx.bitcast(bx.bitcast(bx.param(0), I64), PTR)));
    const moved = bx.ptrAdd(q, bx.param(1));
    const back = bx.ptrAdd(moved, bx.neg(bx.param(1)));
    const same = bx.ptrCompare('eq', back, bx.param(0));
    const less = bx.ptrCompare('ult', bx.param(0), moved);
    bx.ret([bx.intBinary('add', bx.intBinary('shl', same, bx.constInt(i8, 1n)), less)]);
  });

  // i128 arithmetic and constants beyond 64 bits.
  define('i128_muladd', sig([I128, I128, I128], [I128]), (bx) => {
    bx.ret([bx.intBinary('add', bx.intBinary('mul', bx.param(0), bx.param(1)), bx.param(2))]);
  });
  define('i128_div', sig([I128, I128], [I128]), (bx) => bx.ret([bx.intBinary('sdiv', bx.param(0), bx.param(1))]));
  define('i128_big', sig([], [I128]), (bx) => bx.ret([bx.constInt(i128, (1n << 100n) + 12345n)]));
  define('i128_minus', sig([], [I128]), (bx) => bx.ret([bx.constInt(i128, -3n)]));

  // switchInt over i128 (a negative case and one beyond 64 bits) and over i8 (200 ≡ -56).
  define('classify', sig([I128], [I32]), (bx) => {
    const blocks = [1, 2, 3].map((k) => bx.appendBlock(`case${k}`));
    const other = bx.appendBlock('otherwise');
    bx.switchInt(bx.param(0), [[-1n, blocks[0]!], [1n << 100n, blocks[1]!], [5n, blocks[2]!]], other);
    blocks.forEach((b, k) => {
      bx.positionAtEnd(b);
      bx.ret([bx.constInt(i32, BigInt(k + 1))]);
    });
    bx.positionAtEnd(other);
    bx.ret([bx.constInt(i32, 0n)]);
  });
  define('classify8', sig([I8], [I32]), (bx) => {
    const a = bx.appendBlock('case');
    const b = bx.appendBlock('case');
    const other = bx.appendBlock('case');
    bx.switchInt(bx.param(0), [[200n, a], [7n, b]], other);
    for (const [blk, v] of [[a, 1n], [b, 2n], [other, 0n]] as const) {
      bx.positionAtEnd(blk);
      bx.ret([bx.constInt(i32, v)]);
    }
  });

  // Intrinsics.
  const intOps: [string, IntrinsicOp, RegType, number][] = [
    ['u32_ctpop', 'ctpop', I32, 1],
    ['u32_ctlz', 'ctlz', I32, 1],
    ['u32_cttz', 'cttz', I32, 1],
    ['u32_bswap', 'bswap', I32, 1],
    ['u8_bswap', 'bswap', I8, 1],
    ['u32_bitreverse', 'bitreverse', I32, 1],
    ['u32_rotl', 'rotateLeft', I32, 2],
    ['u32_rotr', 'rotateRight', I32, 2],
    ['i8_sadd_sat', 'saddSat', I8, 2],
    ['u8_uadd_sat', 'uaddSat', I8, 2],
    ['i8_ssub_sat', 'ssubSat', I8, 2],
    ['u8_usub_sat', 'usubSat', I8, 2],
    ['f64_fabs', 'fabs', F64, 1],
    ['f64_sqrt', 'sqrt', F64, 1],
    ['f32_sqrt', 'sqrt', F32, 1],
    ['f64_floor', 'floor', F64, 1],
    ['f64_ceil', 'ceil', F64, 1],
    ['f64_trunc', 'trunc', F64, 1],
    ['f64_copysign', 'copysign', F64, 2],
    ['f64_minnum', 'minnum', F64, 2],
    ['f64_maxnum', 'maxnum', F64, 2],
    ['f64_fma', 'fma', F64, 3],
  ];
  for (const [name, op, ty, arity] of intOps) {
    define(name, sig(Array<RegType>(arity).fill(ty), [ty]), (bx) => {
      bx.ret([bx.intrinsic(op, Array.from({ length: arity }, (_, k) => bx.param(k)))]);
    });
  }
  define('fops', sig([F64, F64], [F64]), (bx) => {
    const ops: FloatBinOp[] = ['fadd', 'fsub', 'fmul', 'fdiv', 'frem'];
    let acc = bx.param(0);
    for (const op of ops) acc = bx.floatBinary(op, acc, bx.param(1));
    bx.ret([acc]);
  });
  define('iops', sig([I32, I32], [I32]), (bx) => {
    let acc = bx.param(0);
    for (const op of ['add', 'mul', 'udiv', 'sdiv', 'urem', 'srem', 'and', 'or', 'xor', 'shl', 'lshr', 'ashr'] as const) {
      acc = bx.intBinary(op, acc, bx.intBinary('or', bx.param(1), bx.constInt(i32, 1n)));
    }
    bx.ret([bx.not(acc)]);
  });

  // Memory intrinsics.
  define('fill', sig([PTR, I8, I64], []), (bx) => {
    bx.memset(bx.param(0), bx.param(1), bx.param(2), 1);
    bx.ret([]);
  });
  define('copy', sig([PTR, PTR, I64], []), (bx) => {
    bx.memcpy(bx.param(0), bx.param(1), bx.param(2), 1);
    bx.ret([]);
  });
  define('move', sig([PTR, PTR, I32], []), (bx) => {
    bx.memmove(bx.param(0), bx.param(1), bx.param(2), 1);
    bx.ret([]);
  });

  // byval, sret and extended parameters, in definitions and in calls to C.
  const big = { size: 24, align: 8 };
  define('big_sum', sig([{ ty: PTR, byval: big }], [I64]), (bx) => {
    let acc = bx.constInt(i64, 0n);
    for (let k = 0; k < 3; k++) acc = bx.intBinary('add', acc, bx.load(I64, bx.ptrAdd(bx.param(0), bx.constInt(i64, BigInt(8 * k))), 8));
    bx.ret([acc]);
  });
  define('make_big', sig([{ ty: PTR, sret: big }, I64], []), (bx) => {
    for (let k = 0; k < 3; k++) {
      bx.store(bx.intBinary('add', bx.param(1), bx.constInt(i64, BigInt(k))), bx.ptrAdd(bx.param(0), bx.constInt(i32, BigInt(8 * k))), 8);
    }
    bx.ret([]);
  });
  define('widen_s', sig([{ ty: I8, ext: 'sext' }], [I32]), (bx) => bx.ret([bx.intCast(bx.param(0), 32, true)]));
  define('widen_u', sig([{ ty: I16, ext: 'zext' }], [I64]), (bx) => bx.ret([bx.intCast(bx.param(0), 64, false)]));
  const cBigFirst = cx.declareFn('c_big_first', sig([{ ty: PTR, byval: big }], [I64]), 'external');
  const cCallback = cx.declareFn('c_callback', sig([{ ty: I8, ext: 'sext' }], [I32]), 'external');
  define('pass_big', sig([I64], [I64]), (bx) => {
    const slot = bx.alloca(24, 8);
    for (let k = 0; k < 3; k++) bx.store(bx.intBinary('mul', bx.param(0), bx.constInt(i64, BigInt(k + 1))), bx.ptrAdd(slot, bx.constInt(i64, BigInt(8 * k))), 8);
    const [first] = bx.call(sig([{ ty: PTR, byval: big }], [I64]), cBigFirst, [slot]);
    const [cb] = bx.call(sig([{ ty: I8, ext: 'sext' }], [I32]), bx.fnAddress(cCallback), [bx.constInt(i8, -3n)]);
    bx.ret([bx.intBinary('add', first!, bx.intCast(cb!, 64, true))]);
  });
  define('apply', sig([PTR, I32], [I32]), (bx) => {
    bx.ret(bx.call(sig([I32], [I32]), bx.param(0), [bx.param(1)]));
  });

  // Comparisons and select.
  define('min_i32', sig([I32, I32], [I32]), (bx) => bx.ret([bx.select(bx.intCompare('slt', bx.param(0), bx.param(1)), bx.param(0), bx.param(1))]));
  define('is_nan', sig([F64], [I8]), (bx) => bx.ret([bx.floatCompare('une', bx.param(0), bx.param(0))]));
  define('flt_bits', sig([F64, F64], [I32]), (bx) => {
    let acc = bx.constInt(i32, 0n);
    (['oeq', 'une', 'olt', 'ole', 'ogt', 'oge'] as const).forEach((pred, k) => {
      const bit = bx.intCast(bx.floatCompare(pred, bx.param(0), bx.param(1)), 32, false);
      acc = bx.intBinary('or', acc, bx.intBinary('shl', bit, bx.constInt(i32, BigInt(k))));
    });
    bx.ret([acc]);
  });
  define('select_bool', sig([I8, I64, I64], [I64]), (bx) => bx.ret([bx.select(bx.param(0), bx.param(1), bx.param(2))]));

  // A trap in a dead arm; code after it (`unreachable`) lands in a dead block.
  define('trap_if_zero', sig([I32], [I32]), (bx) => {
    const zero = bx.appendBlock('zero');
    const ok = bx.appendBlock('ok');
    bx.condBr(bx.intCompare('eq', bx.param(0), bx.constInt(i32, 0n)), zero, ok);
    bx.positionAtEnd(zero);
    bx.trap();
    bx.unreachable();
    bx.positionAtEnd(ok);
    bx.ret([bx.param(0)]);
  });

  // Names that need quoting, internal linkage, and a never-returning call.
  define('weird name"\\é', sig([], [I32]), (bx) => bx.ret([bx.constInt(i32, 42n)]), 'internal');
  define('weird_caller', sig([], [I32]), (bx) => {
    bx.ret(bx.call(sig([], [I32]), cx.declareFn(`${p}weird name"\\é`, sig([], [I32]), 'internal'), []));
  });
  const exit = cx.declareFn('exit', sig([I32], [], { noReturn: true }), 'external');
  define('die', sig([I32], [], { noReturn: true }), (bx) => {
    bx.call(sig([I32], [], { noReturn: true }), exit, [bx.param(0)]);
    bx.unreachable();
  });
  define('undef_and_null', sig([], [PTR]), (bx) => {
    const slot = bx.alloca(8, 8);
    bx.store(bx.constUndef(I64), slot, 8);
    bx.ret([bx.select(bx.constInt(i8, 1n), bx.constNull(), slot)]);
  });
  return cx;
}

const PREFIXES = [
  ['o0_', 0],
  ['o2_', 2],
] as const;

const tmp = mkdtempSync(join(tmpdir(), 'codegend-llvm-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function expectFile(name: string, actual: string): void {
  const path = join(DIR, name);
  if (BLESS) {
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`missing ${path}; run with BLESS=1 to create it`);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

describe('llvm backend', () => {
  const backend = llvmBackend();

  it('prints a module once, deterministically, as blessed', () => {
    const m = buildSample('s_', 0);
    const text = (mod: LlvmModule) => new TextDecoder().decode(backend.serialize(mod).bytes);
    const a = text(m);
    expect(text(m)).toBe(a);
    expect(text(buildSample('s_', 0))).toBe(a);
    expect(a).toContain('source_filename = "sample_s_"');
    expectFile('sample.ll', a);
    const add3 = backend.functionText(m, 's_add3');
    expect(add3).toMatch(/^define i32 @s_add3\(i32 %0, i32 %1, i32 %2\) nounwind \{\n/);
    expect(a).toContain(add3);
    expect(backend.functionText(m, 'printf')).toBe('declare i32 @printf(ptr, ...) nounwind\n');
    expect(backend.functionText(m, 's_msg')).toBeUndefined();
    expect(backend.functionText(m, 'nothing')).toBeUndefined();
  });

  it('compiles at -O0 and -O2, links with C and runs', async () => {
    const objects: string[] = [];
    for (const [p, opt] of PREFIXES) {
      const m = buildSample(p, opt);
      const obj = await backend.compile(backend.serialize(m), { opt });
      expect(obj.name).toBe(`sample_${p}`);
      expect([...obj.bytes.subarray(0, 4)]).toEqual([0x7f, 0x45, 0x4c, 0x46]);
      // Two compiles of the same module give the same bytes.
      expect(Buffer.from((await backend.compile(backend.serialize(m), { opt })).bytes).equals(Buffer.from(obj.bytes))).toBe(true);
      const path = join(tmp, `${obj.name}.o`);
      writeFileSync(path, obj.bytes);
      objects.push(path);
    }
    const exe = join(tmp, 'sample');
    execFileSync('cc', ['-o', exe, join(DIR, 'main.c'), ...objects, '-lm']);
    const stdout = execFileSync(exe, { encoding: 'utf8' });
    const [o0, o2] = stdout.split('--- o2\n');
    expect(o0!.replace('--- o0\n', '')).toBe(o2);
    expectFile('run.stdout', stdout);
  });

  it('reports builder misuse with the unit and function', () => {
    const cx = backend.newModule('bad', { opt: 0 });
    const bx = cx.defineFn(cx.declareFn('f', sig([I32, I64], [I32]), 'external'));
    expect(() => bx.intBinary('add', bx.param(0), bx.param(1))).toThrow(/bad: f: add: expected i32, got i64/);
    expect(() => bx.ret([])).toThrow(/ret of 0 values/);
    expect(() => cx.defineFn(cx.declareFn('f', sig([], []), 'external'))).toThrow(/defined twice/);
    expect(() => cx.declareData('f', 'external')).toThrow(/as a function and as data/);
    const open = bx.appendBlock('open');
    bx.br(open);
    bx.positionAtEnd(open);
    bx.intBinary('add', bx.param(0), bx.param(0));
    expect(() => backend.serialize(cx)).toThrow(/block 'open' has no terminator/);
  });

  it('puts code that follows a terminator in a dead block', () => {
    const cx = backend.newModule('after', { opt: 0 });
    const bx = cx.defineFn(cx.declareFn('g', sig([I32], [I32]), 'external'));
    bx.ret([bx.param(0)]);
    const v = bx.intBinary('mul', bx.param(0), bx.param(0));
    bx.ret([v]);
    bx.unreachable();
    expect(backend.functionText(cx, 'g')).toBe(
      'define i32 @g(i32 %0) nounwind {\nstart:\n  ret i32 %0\ndead:\n  %1 = mul i32 %0, %0\n  ret i32 %1\n}\n',
    );
  });

  it('prints names, strings and floats the way LLVM reads them', () => {
    expect(globalName('_ZN4core3fmt5write17h0123456789abcdefE')).toBe('@_ZN4core3fmt5write17h0123456789abcdefE');
    expect(globalName('a.b$c-d')).toBe('@a.b$c-d');
    expect(globalName('0abc')).toBe('@"0abc"');
    expect(globalName('<T as Trait>::f')).toBe('@"<T as Trait>::f"');
    expect(escapeBytes('a"b\\c\n\u00e9')).toBe('a\\22b\\5Cc\\0A\\C3\\A9');
    expect(showFloat(64, 0x3ff0000000000000n)).toBe('0x3FF0000000000000');
    expect(showFloat(32, 0x3f800000n)).toBe('0x3FF0000000000000');
    expect(showFloat(32, 0x3dcccccdn)).toBe('0x3FB99999A0000000');
    expect(showFloat(32, 0x7f800001n)).toBe('0x7FF0000020000000');
    expect(showFloat(32, 0xff800000n)).toBe('0xFFF0000000000000');
    expect(showFloat(32, 0x00000001n)).toBe('0x36A0000000000000');
  });

  it('finds the tools, and says how to get them when it cannot', async () => {
    expect(parseLlvmVersion('Ubuntu LLVM version 18.1.3\n  Optimized build.')).toBe(18);
    expect(parseLlvmVersion('Debian LLVM version 14.0.6')).toBe(14);
    const tools = await findLlvmTools();
    expect(tools.version).toBeGreaterThanOrEqual(14);
    expect(tools.extraFlags).toEqual(tools.version < 17 ? ['-opaque-pointers'] : []);
    const cmds = toolCommands(tools, 2, 'm.ll', 'm.bc', 'm.o').map(([f, args]) => [f === tools.opt ? 'opt' : 'llc', ...args].join(' '));
    const flag = tools.extraFlags.map((f) => `${f} `).join('');
    expect(cmds).toEqual([`opt ${flag}-O2 m.ll -o m.bc`, `llc ${flag}-filetype=obj -relocation-model=pic -O2 m.bc -o m.o`]);
    await expect(findLlvmTools({ path: '', roots: [join(tmp, 'nowhere')] })).rejects.toThrow(/^LLVM tools not found: install LLVM 14 or newer \(llc, opt\)/);
  });

  it('a failing tool names the unit and carries its stderr', async () => {
    const tools = await findLlvmTools();
    const bad = 'define i32 @f() {\n  ret i64 0\n}\n';
    for (const opt of [0, 2] as const) {
      const err = await compileIr(tools, 'unit_x', bad, opt).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(err?.message).toMatch(/unit 'unit_x'/);
      expect(err?.message).toMatch(/unit_x\.ll:2:\d+: error: /);
    }
  });
});
