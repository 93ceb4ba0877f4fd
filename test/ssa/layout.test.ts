// Layouts against rustc 1.95: every case below is a type and the summary of the layout
// rustc computes for it, taken from `#[rustc_layout(debug)]` (x86-64): size/align, repr,
// field offsets (source order), largest niche, and for enums the tag, its encoding and
// each variant. Ranges are unsigned bit patterns; a scalar with every value valid prints
// bare (rustc's `Scalar::Union` prints the same). The declarations are valid Rust and
// valid codegend MIR, so the same text fed both sides.
import { describe, expect, it } from 'vitest';
import { DiagnosticSink, diagnosticHeadline, SourceFile } from '../../src/diagnostics.js';
import type { Ty } from '../../src/mir/ast.js';
import { checkCrate } from '../../src/mir/check.js';
import { parseMirFile } from '../../src/mir/index.js';
import type { Layout, Scalar } from '../../src/ssa/layout/layout.js';
import { LayoutCx, LayoutError } from '../../src/ssa/layout/layout-cx.js';

const DECLS = `
struct P { x: i32, y: u8 }
struct Mixed { a: u8, b: u64, c: u16, d: bool }
#[repr(C)]
struct MixedC { a: u8, b: u64, c: u16, d: bool }
struct Kg(u32);
#[repr(C)]
struct KgC(u32);
#[repr(C)]
struct PairC(u32, u32);
#[repr(transparent)]
struct Tr { a: (), b: u64 }
struct Marker;
struct Arr4 { a: u8, b: [u8; 4], c: u16 }
struct WithZst { a: u8, z: (), b: u32 }
struct NichePair { a: u32, b: bool }
struct BoolMid { a: u8, b: bool, c: u16, d: u32 }
struct Wide { a: u128, b: u8 }
struct Three { a: u8, b: u8, c: u8 }
struct Pt { x: f32, y: f32 }
struct G<T> { a: u8, t: T }
struct Ring<T, const N: usize> { buf: [T; N], head: usize }
struct Slice { len: u16, data: [u8] }
struct DynTail { len: u32, data: dyn Debug }
#[repr(packed)]
struct Packed { a: u8, b: u32, c: u16 }
enum E1 { A, B, C }
enum E2 { A = 5, B = 10 }
enum ENeg { A = -1, B = 1 }
enum EBig { A = 300, B }
#[repr(u8)]
enum Shape { Circle(i32) = 0, Rect { w: i32, h: i32 } = 5, Empty }
enum ShapeD { Circle(i32), Rect { w: i32, h: i32 }, Empty }
#[repr(C)]
enum CE { A(u8), B(u32) }
#[repr(C)]
enum CUnit { A, B }
#[repr(i8)]
enum Ord8 { Less = -1, Equal = 0, Greater = 1 }
#[repr(u16)]
enum R16 { A(u8), B }
enum Jag { A(u32, bool), B(u8) }
enum Jag2 { A(u8, u8, bool, u32), B(u16), C }
enum Many { A(bool), B, C, D }
enum Payloads { A(u8), B(u16), C(u64) }
enum OneVar { Only(u32) }
enum OneUnit { Only }
enum WithNever { A(u32), B(!) }
enum NeverPayload { A(u32), B(u32, !) }
enum Void {}
union U { f: f32, u: u32 }
union U2 { a: u8, b: (u16, u8) }
enum Tok { Num(i64), Plus, Minus, Ident(u8, u8) }
enum Fl { A(f64), B(f64) }
enum IntPtr { A(usize), B(&'static u8) }
enum NicheFirst { A(bool, [u8; 7]), B(u16) }
enum NicheEnd { A([u8; 7], bool), B(u16) }
enum NicheMid { A(u16, bool, u32), B(u8), C }
enum Big128 { A(u128), B }
enum CharOr { A(char), B, C }
enum TwoBool { A(bool), B(bool) }
enum Deep { A(Option<bool>), B }
`;

/** [type, rustc's layout summary] */
const RUSTC: [string, string][] = [
  ["u8", "1/1 scalar(u8) prim"],
  ["i16", "2/2 scalar(i16) prim"],
  ["u32", "4/4 scalar(u32) prim"],
  ["i64", "8/8 scalar(i64) prim"],
  ["u128", "16/16 scalar(u128) prim"],
  ["i128", "16/16 scalar(i128) prim"],
  ["usize", "8/8 scalar(u64) prim"],
  ["isize", "8/8 scalar(i64) prim"],
  ["f32", "4/4 scalar(f32) prim"],
  ["f64", "8/8 scalar(f64) prim"],
  ["bool", "1/1 scalar(u8 0..=1) prim niche@0 u8 0..=1"],
  ["char", "4/4 scalar(u32 0..=1114111) prim niche@0 u32 0..=1114111"],
  ["()", "0/1 mem []"],
  ["!", "0/1 ! prim | empty"],
  ["(u8, u32, u16)", "8/4 mem [4,0,6]"],
  ["(u32, bool)", "8/4 pair(u32, u8 0..=1) [0,4] niche@4 u8 0..=1"],
  ["(bool, u32)", "8/4 pair(u8 0..=1, u32) [0,4] niche@0 u8 0..=1"],
  ["(u8, u16, u8)", "4/2 mem [2,0,3]"],
  ["(u64, u8)", "16/8 pair(u64, u8) [0,8]"],
  ["(u8, u64)", "16/8 pair(u8, u64) [0,8]"],
  ["(f32, f64)", "16/8 pair(f32, f64) [0,8]"],
  ["(u32, (), u8)", "8/4 pair(u32, u8) [0,4,4]"],
  ["((), u8)", "1/1 scalar(u8) [0,0]"],
  ["(u32, !)", "4/4 ! [0,4]"],
  ["(u128, u8)", "32/16 pair(u128, u8) [0,16]"],
  ["(char, u8)", "8/4 pair(u32 0..=1114111, u8) [0,4] niche@0 u32 0..=1114111"],
  ["(bool, bool)", "2/1 pair(u8 0..=1, u8 0..=1) [0,1] niche@0 u8 0..=1"],
  ["(i32, i32)", "8/4 pair(i32, i32) [0,4]"],
  ["(u8, bool, u32)", "8/4 mem [1,0,4] niche@0 u8 0..=1"],
  ["(f64, u8)", "16/8 pair(f64, u8) [0,8]"],
  ["((u8, u8), u16)", "4/2 mem [0,2]"],
  ["[u16; 3]", "6/2 mem arr(2x3)"],
  ["[u8; 0]", "0/1 mem arr(1x0)"],
  ["[bool; 2]", "2/1 mem arr(1x2) niche@0 u8 0..=1"],
  ["[u32; 0]", "0/4 mem arr(4x0)"],
  ["&'static u8", "8/8 scalar(ptr 1..=18446744073709551615) prim niche@0 ptr 1..=18446744073709551615"],
  ["&'static mut u32", "8/8 scalar(ptr 1..=18446744073709551615) prim niche@0 ptr 1..=18446744073709551615"],
  ["*const u8", "8/8 scalar(ptr) prim"],
  ["*mut [u8]", "16/8 pair(ptr, u64) [0,8]"],
  ["&'static [u8]", "16/8 pair(ptr 1..=18446744073709551615, u64) [0,8] niche@0 ptr 1..=18446744073709551615"],
  ["&'static str", "16/8 pair(ptr 1..=18446744073709551615, u64) [0,8] niche@0 ptr 1..=18446744073709551615"],
  ["&'static dyn Debug", "16/8 pair(ptr 1..=18446744073709551615, ptr 1..=18446744073709551615) [0,8] niche@0 ptr 1..=18446744073709551615"],
  ["*const [u8]", "16/8 pair(ptr, u64) [0,8]"],
  ["fn()", "8/8 scalar(ptr 1..=18446744073709551615) prim niche@0 ptr 1..=18446744073709551615"],
  ["fn(u32) -> u8", "8/8 scalar(ptr 1..=18446744073709551615) prim niche@0 ptr 1..=18446744073709551615"],
  ["&'static Slice", "16/8 pair(ptr 1..=18446744073709551615, u64) [0,8] niche@0 ptr 1..=18446744073709551615"],
  ["&'static DynTail", "16/8 pair(ptr 1..=18446744073709551615, ptr 1..=18446744073709551615) [0,8] niche@0 ptr 1..=18446744073709551615"],
  ["str", "0/1 unsized arr(1x0)"],
  ["[u16]", "0/2 unsized arr(2x0)"],
  ["dyn Debug", "0/1 unsized []"],
  ["Slice", "2/2 unsized [0,2]"],
  ["P", "8/4 pair(i32, u8) [0,4]"],
  ["Mixed", "16/8 mem [10,0,8,11] niche@11 u8 0..=1"],
  ["MixedC", "24/8 mem [0,8,16,18] niche@18 u8 0..=1"],
  ["Kg", "4/4 scalar(u32) [0]"],
  ["KgC", "4/4 mem [0]"],
  ["PairC", "8/4 pair(u32, u32) [0,4]"],
  ["Tr", "8/8 scalar(u64) [8,0]"],
  ["Marker", "0/1 mem []"],
  ["Arr4", "8/2 mem [6,0,4]"],
  ["WithZst", "8/4 pair(u32, u8) [4,5,0]"],
  ["NichePair", "8/4 pair(u32, u8 0..=1) [0,4] niche@4 u8 0..=1"],
  ["BoolMid", "8/4 mem [6,7,4,0] niche@7 u8 0..=1"],
  ["Wide", "32/16 pair(u128, u8) [0,16]"],
  ["Three", "3/1 mem [0,1,2]"],
  ["Pt", "8/4 pair(f32, f32) [0,4]"],
  ["Packed", "7/1 mem [0,1,5]"],
  ["G<u32>", "8/4 pair(u32, u8) [4,0]"],
  ["G<()>", "1/1 scalar(u8) [0,1]"],
  ["G<bool>", "2/1 pair(u8 0..=1, u8) [1,0] niche@0 u8 0..=1"],
  ["G<(u8, u16)>", "6/2 mem [4,0]"],
  ["Ring<u16, 4>", "16/8 mem [0,8]"],
  ["Ring<u8, 3>", "16/8 mem [8,0]"],
  ["E1", "1/1 scalar(u8 0..=2) [0] niche@0 u8 0..=2 | tag u8 0..=2 direct | v0 1/1 mem [] | v1 1/1 mem [] | v2 1/1 mem []"],
  ["E2", "1/1 scalar(u8 5..=10) [0] niche@0 u8 5..=10 | tag u8 5..=10 direct | v0 1/1 mem [] | v1 1/1 mem []"],
  ["ENeg", "1/1 scalar(i8 255..=1) [0] niche@0 i8 255..=1 | tag i8 255..=1 direct | v0 1/1 mem [] | v1 1/1 mem []"],
  ["EBig", "2/2 scalar(u16 300..=301) [0] niche@0 u16 300..=301 | tag u16 300..=301 direct | v0 2/2 mem [] | v1 2/2 mem []"],
  ["Shape", "12/4 mem [0] niche@0 u8 0..=6 | tag u8 0..=6 direct | v0 8/4 mem [4] | v1 12/4 mem [4,8] | v2 1/1 mem []"],
  ["ShapeD", "12/4 mem [0] niche@0 u32 0..=2 | tag u32 0..=2 direct | v0 8/4 mem [4] | v1 12/4 mem [4,8] | v2 4/1 mem []"],
  ["CE", "8/4 mem [0] niche@0 u32 0..=1 | tag u32 0..=1 direct | v0 8/4 mem [4] | v1 8/4 mem [4]"],
  ["CUnit", "4/4 scalar(u32 0..=1) [0] niche@0 u32 0..=1 | tag u32 0..=1 direct | v0 4/4 mem [] | v1 4/4 mem []"],
  ["Ord8", "1/1 scalar(i8 255..=1) [0] niche@0 i8 255..=1 | tag i8 255..=1 direct | v0 1/1 mem [] | v1 1/1 mem [] | v2 1/1 mem []"],
  ["R16", "4/2 pair(u16 0..=1, u8) [0] niche@0 u16 0..=1 | tag u16 0..=1 direct | v0 4/2 pair(u16 0..=1, u8) [2] | v1 2/2 mem []"],
  ["Jag", "8/4 mem [0] niche@0 u8 0..=1 | tag u8 0..=1 direct | v0 8/4 mem [4,1] niche@1 u8 0..=1 | v1 2/1 mem [1]"],
  ["Jag2", "8/4 mem [0] niche@0 u8 0..=2 | tag u8 0..=2 direct | v0 8/4 mem [1,2,3,4] niche@3 u8 0..=1 | v1 4/2 mem [2] | v2 1/1 mem []"],
  ["Many", "1/1 scalar(u8 0..=4) [0] niche@0 u8 0..=4 | tag u8 0..=4 niche(untagged=0, 1..=3, start=2) | v0 1/1 scalar(u8 0..=1) [0] niche@0 u8 0..=1 | v1 0/1 mem [] | v2 0/1 mem [] | v3 0/1 mem []"],
  ["Payloads", "16/8 mem [0] niche@0 u8 0..=2 | tag u8 0..=2 direct | v0 2/1 mem [1] | v1 4/2 mem [2] | v2 16/8 mem [8]"],
  ["OneVar", "4/4 scalar(u32) [0]"],
  ["OneUnit", "0/1 mem []"],
  ["WithNever", "4/4 scalar(u32) [0]"],
  ["NeverPayload", "8/4 pair(u32 0..=0, u32) [0] niche@0 u32 0..=0 | tag u32 0..=0 direct | v0 8/4 pair(u32 0..=0, u32) [4] | v1 8/4 ! [4,4]"],
  ["Void", "0/1 ! prim | empty"],
  ["U", "4/4 mem union(2)"],
  ["U2", "4/2 mem union(2)"],
  ["Tok", "16/8 mem [0] niche@0 u8 0..=3 | tag u8 0..=3 direct | v0 16/8 mem [8] | v1 1/1 mem [] | v2 1/1 mem [] | v3 3/1 mem [1,2]"],
  ["Fl", "16/8 pair(u64 0..=1, f64) [0] niche@0 u64 0..=1 | tag u64 0..=1 direct | v0 16/8 pair(u64 0..=1, f64) [8] | v1 16/8 pair(u64 0..=1, f64) [8]"],
  ["IntPtr", "16/8 pair(u64 0..=1, ptr) [0] niche@0 u64 0..=1 | tag u64 0..=1 direct | v0 16/8 pair(u64 0..=1, ptr) [8] | v1 16/8 pair(u64 0..=1, ptr) [8] niche@8 ptr 1..=18446744073709551615"],
  ["NicheFirst", "8/2 mem [0] niche@0 u8 0..=2 | tag u8 0..=2 niche(untagged=0, 1..=1, start=2) | v0 8/1 mem [0,1] niche@0 u8 0..=1 | v1 4/2 mem [2]"],
  ["NicheEnd", "8/2 mem [0] niche@0 u8 0..=2 | tag u8 0..=2 niche(untagged=0, 1..=1, start=2) | v0 8/1 mem [1,0] niche@0 u8 0..=1 | v1 4/2 mem [2]"],
  ["NicheMid", "8/4 mem [0] niche@0 u8 0..=2 | tag u8 0..=2 direct | v0 8/4 mem [2,1,4] niche@1 u8 0..=1 | v1 2/1 mem [1] | v2 1/1 mem []"],
  ["Big128", "32/16 pair(u128 0..=1, u128) [0] niche@0 u128 0..=1 | tag u128 0..=1 direct | v0 32/16 pair(u128 0..=1, u128) [16] | v1 16/1 mem []"],
  ["CharOr", "4/4 scalar(u32 0..=1114113) [0] niche@0 u32 0..=1114113 | tag u32 0..=1114113 niche(untagged=0, 1..=2, start=1114112) | v0 4/4 scalar(u32 0..=1114111) [0] niche@0 u32 0..=1114111 | v1 0/1 mem [] | v2 0/1 mem []"],
  ["TwoBool", "2/1 pair(u8 0..=1, u8) [0] niche@0 u8 0..=1 | tag u8 0..=1 direct | v0 2/1 pair(u8 0..=1, u8) [1] niche@1 u8 0..=1 | v1 2/1 pair(u8 0..=1, u8) [1] niche@1 u8 0..=1"],
  ["Deep", "1/1 scalar(u8 0..=3) [0] niche@0 u8 0..=3 | tag u8 0..=3 niche(untagged=0, 1..=1, start=3) | v0 1/1 scalar(u8 0..=2) [0] niche@0 u8 0..=2 | v1 0/1 mem []"],
  ["Ordering", "1/1 scalar(i8 255..=1) [0] niche@0 i8 255..=1 | tag i8 255..=1 direct | v0 1/1 mem [] | v1 1/1 mem [] | v2 1/1 mem []"],
  ["Option<u8>", "2/1 pair(u8 0..=1, u8) [0] niche@0 u8 0..=1 | tag u8 0..=1 direct | v0 1/1 mem [] | v1 2/1 pair(u8 0..=1, u8) [1]"],
  ["Option<u32>", "8/4 pair(u32 0..=1, u32) [0] niche@0 u32 0..=1 | tag u32 0..=1 direct | v0 4/1 mem [] | v1 8/4 pair(u32 0..=1, u32) [4]"],
  ["Option<u64>", "16/8 pair(u64 0..=1, u64) [0] niche@0 u64 0..=1 | tag u64 0..=1 direct | v0 8/1 mem [] | v1 16/8 pair(u64 0..=1, u64) [8]"],
  ["Option<u128>", "32/16 pair(u128 0..=1, u128) [0] niche@0 u128 0..=1 | tag u128 0..=1 direct | v0 16/1 mem [] | v1 32/16 pair(u128 0..=1, u128) [16]"],
  ["Option<f64>", "16/8 pair(u64 0..=1, f64) [0] niche@0 u64 0..=1 | tag u64 0..=1 direct | v0 8/1 mem [] | v1 16/8 pair(u64 0..=1, f64) [8]"],
  ["Option<bool>", "1/1 scalar(u8 0..=2) [0] niche@0 u8 0..=2 | tag u8 0..=2 niche(untagged=1, 0..=0, start=2) | v0 0/1 mem [] | v1 1/1 scalar(u8 0..=1) [0] niche@0 u8 0..=1"],
  ["Option<char>", "4/4 scalar(u32 0..=1114112) [0] niche@0 u32 0..=1114112 | tag u32 0..=1114112 niche(untagged=1, 0..=0, start=1114112) | v0 0/1 mem [] | v1 4/4 scalar(u32 0..=1114111) [0] niche@0 u32 0..=1114111"],
  ["Option<()>", "1/1 scalar(u8 0..=1) [0] niche@0 u8 0..=1 | tag u8 0..=1 direct | v0 1/1 mem [] | v1 1/1 scalar(u8 0..=1) [1]"],
  ["Option<!>", "0/1 mem []"],
  ["Option<&'static u8>", "8/8 scalar(ptr) [0] | tag ptr niche(untagged=1, 0..=0, start=0) | v0 0/1 mem [] | v1 8/8 scalar(ptr 1..=18446744073709551615) [0] niche@0 ptr 1..=18446744073709551615"],
  ["Option<&'static [u8]>", "16/8 pair(ptr, u64) [0] | tag ptr niche(untagged=1, 0..=0, start=0) | v0 0/1 mem [] | v1 16/8 pair(ptr 1..=18446744073709551615, u64) [0] niche@0 ptr 1..=18446744073709551615"],
  ["Option<&'static dyn Debug>", "16/8 pair(ptr, ptr) [0] | tag ptr niche(untagged=1, 0..=0, start=0) | v0 0/1 mem [] | v1 16/8 pair(ptr 1..=18446744073709551615, ptr 1..=18446744073709551615) [0] niche@0 ptr 1..=18446744073709551615"],
  ["Option<fn()>", "8/8 scalar(ptr) [0] | tag ptr niche(untagged=1, 0..=0, start=0) | v0 0/1 mem [] | v1 8/8 scalar(ptr 1..=18446744073709551615) [0] niche@0 ptr 1..=18446744073709551615"],
  ["Option<Option<bool>>", "1/1 scalar(u8 0..=3) [0] niche@0 u8 0..=3 | tag u8 0..=3 niche(untagged=1, 0..=0, start=3) | v0 0/1 mem [] | v1 1/1 scalar(u8 0..=2) [0] niche@0 u8 0..=2"],
  ["Option<Option<u32>>", "8/4 pair(u32 0..=2, u32) [0] niche@0 u32 0..=2 | tag u32 0..=2 niche(untagged=1, 0..=0, start=2) | v0 0/1 mem [] | v1 8/4 pair(u32 0..=1, u32) [0] niche@0 u32 0..=1"],
  ["Option<Ordering>", "1/1 scalar(i8 255..=2) [0] niche@0 i8 255..=2 | tag i8 255..=2 niche(untagged=1, 0..=0, start=2) | v0 0/1 mem [] | v1 1/1 scalar(i8 255..=1) [0] niche@0 i8 255..=1"],
  ["Option<(u32, bool)>", "8/4 pair(u32, u8 0..=2) [4] niche@4 u8 0..=2 | tag u8 0..=2 niche(untagged=1, 0..=0, start=2) | v0 0/1 mem [] | v1 8/4 pair(u32, u8 0..=1) [0] niche@4 u8 0..=1"],
  ["Option<(u8, bool, u32)>", "8/4 mem [0] niche@0 u8 0..=2 | tag u8 0..=2 niche(untagged=1, 0..=0, start=2) | v0 0/1 mem [] | v1 8/4 mem [0] niche@0 u8 0..=1"],
  ["Option<[bool; 2]>", "2/1 mem [0] niche@0 u8 0..=2 | tag u8 0..=2 niche(untagged=1, 0..=0, start=2) | v0 0/1 mem [] | v1 2/1 mem [0] niche@0 u8 0..=1"],
  ["Option<Kg>", "8/4 pair(u32 0..=1, u32) [0] niche@0 u32 0..=1 | tag u32 0..=1 direct | v0 4/1 mem [] | v1 8/4 pair(u32 0..=1, u32) [4]"],
  ["Option<Pt>", "12/4 mem [0] niche@0 u32 0..=1 | tag u32 0..=1 direct | v0 4/1 mem [] | v1 12/4 mem [4]"],
  ["Option<Void>", "0/1 mem []"],
  ["Option<E1>", "1/1 scalar(u8 0..=3) [0] niche@0 u8 0..=3 | tag u8 0..=3 niche(untagged=1, 0..=0, start=3) | v0 0/1 mem [] | v1 1/1 scalar(u8 0..=2) [0] niche@0 u8 0..=2"],
  ["Option<Many>", "1/1 scalar(u8 0..=5) [0] niche@0 u8 0..=5 | tag u8 0..=5 niche(untagged=1, 0..=0, start=5) | v0 0/1 mem [] | v1 1/1 scalar(u8 0..=4) [0] niche@0 u8 0..=4"],
  ["Option<Shape>", "12/4 mem [0] niche@0 u8 0..=7 | tag u8 0..=7 niche(untagged=1, 0..=0, start=7) | v0 0/1 mem [] | v1 12/4 mem [0] niche@0 u8 0..=6"],
  ["Option<ShapeD>", "12/4 mem [0] niche@0 u32 0..=3 | tag u32 0..=3 niche(untagged=1, 0..=0, start=3) | v0 0/1 mem [] | v1 12/4 mem [0] niche@0 u32 0..=2"],
  ["Option<Tok>", "16/8 mem [0] niche@0 u8 0..=4 | tag u8 0..=4 niche(untagged=1, 0..=0, start=4) | v0 0/1 mem [] | v1 16/8 mem [0] niche@0 u8 0..=3"],
  ["Option<Payloads>", "16/8 mem [0] niche@0 u8 0..=3 | tag u8 0..=3 niche(untagged=1, 0..=0, start=3) | v0 0/1 mem [] | v1 16/8 mem [0] niche@0 u8 0..=2"],
  ["Option<Jag>", "8/4 mem [0] niche@0 u8 0..=2 | tag u8 0..=2 niche(untagged=1, 0..=0, start=2) | v0 0/1 mem [] | v1 8/4 mem [0] niche@0 u8 0..=1"],
  ["Option<NichePair>", "8/4 pair(u32, u8 0..=2) [4] niche@4 u8 0..=2 | tag u8 0..=2 niche(untagged=1, 0..=0, start=2) | v0 0/1 mem [] | v1 8/4 pair(u32, u8 0..=1) [0] niche@4 u8 0..=1"],
  ["Option<BoolMid>", "8/4 mem [7] niche@7 u8 0..=2 | tag u8 0..=2 niche(untagged=1, 0..=0, start=2) | v0 0/1 mem [] | v1 8/4 mem [0] niche@7 u8 0..=1"],
  ["Option<Mixed>", "16/8 mem [11] niche@11 u8 0..=2 | tag u8 0..=2 niche(untagged=1, 0..=0, start=2) | v0 0/1 mem [] | v1 16/8 mem [0] niche@11 u8 0..=1"],
  ["Option<Marker>", "1/1 scalar(u8 0..=1) [0] niche@0 u8 0..=1 | tag u8 0..=1 direct | v0 1/1 mem [] | v1 1/1 scalar(u8 0..=1) [1]"],
  ["Option<NicheFirst>", "8/2 mem [0] niche@0 u8 0..=3 | tag u8 0..=3 niche(untagged=1, 0..=0, start=3) | v0 0/1 mem [] | v1 8/2 mem [0] niche@0 u8 0..=2"],
  ["Option<CharOr>", "4/4 scalar(u32 0..=1114114) [0] niche@0 u32 0..=1114114 | tag u32 0..=1114114 niche(untagged=1, 0..=0, start=1114114) | v0 0/1 mem [] | v1 4/4 scalar(u32 0..=1114113) [0] niche@0 u32 0..=1114113"],
  ["Option<Ord8>", "1/1 scalar(i8 255..=2) [0] niche@0 i8 255..=2 | tag i8 255..=2 niche(untagged=1, 0..=0, start=2) | v0 0/1 mem [] | v1 1/1 scalar(i8 255..=1) [0] niche@0 i8 255..=1"],
  ["Option<NonNull<u8>>", "8/8 scalar(ptr) [0] | tag ptr niche(untagged=1, 0..=0, start=0) | v0 0/1 mem [] | v1 8/8 scalar(ptr 1..=18446744073709551615) [0] niche@0 ptr 1..=18446744073709551615"],
  ["Option<ManuallyDrop<bool>>", "1/1 scalar(u8 0..=2) [0] niche@0 u8 0..=2 | tag u8 0..=2 niche(untagged=1, 0..=0, start=2) | v0 0/1 mem [] | v1 1/1 scalar(u8 0..=1) [0] niche@0 u8 0..=1"],
  ["Option<Range<u32>>", "12/4 mem [0] niche@0 u32 0..=1 | tag u32 0..=1 direct | v0 4/1 mem [] | v1 12/4 mem [4]"],
  ["Option<RangeInclusive<u8>>", "3/1 mem [0] niche@0 u8 0..=2 | tag u8 0..=2 niche(untagged=1, 0..=0, start=2) | v0 0/1 mem [] | v1 3/1 mem [0] niche@0 u8 0..=1"],
  ["Option<PhantomData<u32>>", "1/1 scalar(u8 0..=1) [0] niche@0 u8 0..=1 | tag u8 0..=1 direct | v0 1/1 mem [] | v1 1/1 scalar(u8 0..=1) [1]"],
  ["Result<u8, u32>", "8/4 mem [0] niche@0 u8 0..=1 | tag u8 0..=1 direct | v0 2/1 mem [1] | v1 8/4 mem [4]"],
  ["Result<i32, i32>", "8/4 pair(u32 0..=1, i32) [0] niche@0 u32 0..=1 | tag u32 0..=1 direct | v0 8/4 pair(u32 0..=1, i32) [4] | v1 8/4 pair(u32 0..=1, i32) [4]"],
  ["Result<u32, ()>", "8/4 pair(u32 0..=1, u32) [0] niche@0 u32 0..=1 | tag u32 0..=1 direct | v0 8/4 pair(u32 0..=1, u32) [4] | v1 8/4 pair(u32 0..=1, u32) [4]"],
  ["Result<(), u8>", "2/1 pair(u8 0..=1, u8) [0] niche@0 u8 0..=1 | tag u8 0..=1 direct | v0 2/1 pair(u8 0..=1, u8) [1] | v1 2/1 pair(u8 0..=1, u8) [1]"],
  ["Result<bool, ()>", "1/1 scalar(u8 0..=2) [0] niche@0 u8 0..=2 | tag u8 0..=2 niche(untagged=0, 1..=1, start=2) | v0 1/1 scalar(u8 0..=1) [0] niche@0 u8 0..=1 | v1 0/1 mem [0]"],
  ["Result<u64, bool>", "16/8 mem [0] niche@0 u8 0..=1 | tag u8 0..=1 direct | v0 16/8 mem [8] | v1 2/1 mem [1] niche@1 u8 0..=1"],
  ["Result<&'static u8, u32>", "16/8 mem [0] niche@0 u32 0..=1 | tag u32 0..=1 direct | v0 16/8 mem [8] niche@8 ptr 1..=18446744073709551615 | v1 8/4 mem [4]"],
  ["Result<&'static u8, ()>", "8/8 scalar(ptr) [0] | tag ptr niche(untagged=0, 1..=1, start=0) | v0 8/8 scalar(ptr 1..=18446744073709551615) [0] niche@0 ptr 1..=18446744073709551615 | v1 0/1 mem [0]"],
  ["Result<u32, !>", "4/4 scalar(u32) [0]"],
  ["Result<(), ()>", "1/1 scalar(u8 0..=1) [0] niche@0 u8 0..=1 | tag u8 0..=1 direct | v0 1/1 scalar(u8 0..=1) [1] | v1 1/1 scalar(u8 0..=1) [1]"],
  ["Result<u8, i8>", "2/1 pair(u8 0..=1, u8) [0] niche@0 u8 0..=1 | tag u8 0..=1 direct | v0 2/1 pair(u8 0..=1, u8) [1] | v1 2/1 pair(u8 0..=1, u8) [1]"],
  ["Result<f32, u32>", "8/4 mem [0] niche@0 u32 0..=1 | tag u32 0..=1 direct | v0 8/4 mem [4] | v1 8/4 mem [4]"],
  ["Result<usize, &'static u8>", "16/8 pair(u64 0..=1, ptr) [0] niche@0 u64 0..=1 | tag u64 0..=1 direct | v0 16/8 pair(u64 0..=1, ptr) [8] | v1 16/8 pair(u64 0..=1, ptr) [8] niche@8 ptr 1..=18446744073709551615"],
  ["ControlFlow<u8, u32>", "8/4 mem [0] niche@0 u8 0..=1 | tag u8 0..=1 direct | v0 8/4 mem [4] | v1 2/1 mem [1]"],
  ["NonNull<u8>", "8/8 scalar(ptr 1..=18446744073709551615) [0] niche@0 ptr 1..=18446744073709551615"],
  ["NonNull<[u8]>", "16/8 pair(ptr 1..=18446744073709551615, u64) [0] niche@0 ptr 1..=18446744073709551615"],
  ["ManuallyDrop<u16>", "2/2 scalar(u16) [0]"],
  ["PhantomData<u32>", "0/1 mem []"],
  ["Range<u32>", "8/4 pair(u32, u32) [0,4]"],
  ["Range<usize>", "16/8 pair(u64, u64) [0,8]"],
  ["RangeInclusive<u32>", "12/4 mem [0,4,8] niche@8 u8 0..=1"],
  ["RangeInclusive<u8>", "3/1 mem [1,2,0] niche@0 u8 0..=1"],
  ["RangeFrom<i64>", "8/8 scalar(i64) [0]"],
  ["RangeTo<u8>", "1/1 scalar(u8) [0]"],
  ["*const dyn Debug", "16/8 pair(ptr, ptr 1..=18446744073709551615) [0,8] niche@8 ptr 1..=18446744073709551615"],
  ["Option<*const dyn Debug>", "16/8 pair(ptr, ptr) [8] | tag ptr niche(untagged=1, 0..=0, start=0) | v0 0/1 mem [] | v1 16/8 pair(ptr, ptr 1..=18446744073709551615) [0] niche@8 ptr 1..=18446744073709551615"],
  ["Option<*const [u8]>", "24/8 mem [0] niche@0 u64 0..=1 | tag u64 0..=1 direct | v0 8/1 mem [] | v1 24/8 mem [8]"],
  ["(u8, [u16])", "2/2 unsized [0,2]"],
  ["&'static (u8, [u16])", "16/8 pair(ptr 1..=18446744073709551615, u64) [0,8] niche@0 ptr 1..=18446744073709551615"],
  ["(u8, u32, bool)", "8/4 mem [4,0,5] niche@5 u8 0..=1"],
  ["Option<Result<bool, ()>>", "1/1 scalar(u8 0..=3) [0] niche@0 u8 0..=3 | tag u8 0..=3 niche(untagged=1, 0..=0, start=3) | v0 0/1 mem [] | v1 1/1 scalar(u8 0..=2) [0] niche@0 u8 0..=2"],
];

function crateOf(decls: string): LayoutCx {
  const { crate, diagnostics } = checkCrate([new SourceFile('t.mir', decls)]);
  expect(diagnostics.map(diagnosticHeadline)).toEqual([]);
  return new LayoutCx(crate.index.adts, { closureCaptures: (text) => CAPTURES.get(text) });
}

const CAPTURES = new Map<string, Ty[]>([
  ['closure@t.rs:1:1: 1:10', [ty('u32'), ty('u8'), ty("&'static u32")]],
  ['closure@t.rs:2:1: 2:10', []],
  ['closure@t.rs:3:1: 3:10', [ty('T'), ty('bool')]],
]);

/** A type written in MIR syntax. */
function ty(text: string): Ty {
  const sink = new DiagnosticSink();
  const f = parseMirFile(new SourceFile('ty.mir', `fn p(_1: ${text}) -> () {\n    bb0: {\n        return;\n    }\n}\n`), sink);
  expect(sink.list.map(diagnosticHeadline)).toEqual([]);
  const item = f.items[0]!;
  if (item.kind !== 'fn') throw new Error('expected a fn');
  return item.params[0]!.ty;
}

function scalar(s: Scalar): string {
  const p = s.prim;
  const name = p.kind === 'pointer' ? 'ptr' : p.kind === 'float' ? `f${p.bits}` : `${p.signed ? 'i' : 'u'}${p.bits}`;
  const bits = p.kind === 'pointer' ? 64n : BigInt(p.bits);
  const max = (1n << bits) - 1n;
  const { start, end } = s.valid;
  return ((end + 1n) & max) === start ? name : `${name} ${start}..=${end}`;
}

function one(l: Layout): string {
  const r = l.repr;
  const repr = r.kind === 'uninhabited' ? '!' : r.kind === 'scalar' ? `scalar(${scalar(r.scalar)})` : r.kind === 'scalarPair' ? `pair(${scalar(r.a)}, ${scalar(r.b)})` : r.sized ? 'mem' : 'unsized';
  const f = l.fields;
  const fields = f.kind === 'primitive' ? 'prim' : f.kind === 'union' ? `union(${f.count})` : f.kind === 'array' ? `arr(${f.stride}x${f.count})` : `[${f.offsets.join(',')}]`;
  const niche = l.largestNiche ? ` niche@${l.largestNiche.offset} ${scalar(l.largestNiche.scalar)}` : '';
  return `${l.size}/${l.align} ${repr} ${fields}${niche}`;
}

/** The same summary as the table's. */
function summary(l: Layout): string {
  let s = one(l);
  const v = l.variants;
  if (v.kind === 'multiple') {
    const e = v.encoding;
    const enc = e.kind === 'direct' ? 'direct' : `niche(untagged=${e.untaggedVariant}, ${e.nicheVariants.start}..=${e.nicheVariants.end}, start=${e.nicheStart})`;
    s += ` | tag ${scalar(v.tag)} ${enc}`;
    v.variants.forEach((x, i) => (s += ` | v${i} ${one(x)}`));
  } else if (l.repr.kind === 'uninhabited' && l.fields.kind === 'primitive') s += ' | empty';
  else if (v.index !== 0) s += ` | single ${v.index}`;
  return s;
}

describe('layouts match rustc', () => {
  const cx = crateOf(DECLS);
  for (const [text, expected] of RUSTC) it(text, () => expect(summary(cx.layoutOf(ty(text)))).toBe(expected));
});

describe('core types the MIR only mentions', () => {
  const cx = crateOf(DECLS);
  const cases: [string, string][] = [
    ['core::cell::UnsafeCell<bool>', '1/1 scalar(u8) [0]'],
    ['core::cell::Cell<u8>', '1/1 scalar(u8) [0]'],
    ['Option<core::cell::Cell<bool>>', '2/1 pair(u8 0..=1, u8) [0] niche@0 u8 0..=1 | tag u8 0..=1 direct | v0 1/1 mem [] | v1 2/1 pair(u8 0..=1, u8) [1]'],
    ['core::num::NonZero<u32>', '4/4 scalar(u32 1..=4294967295) [0] niche@0 u32 1..=4294967295'],
    ['Option<core::num::NonZero<u32>>', '4/4 scalar(u32) [0] | tag u32 niche(untagged=1, 0..=0, start=0) | v0 0/1 mem [] | v1 4/4 scalar(u32 1..=4294967295) [0] niche@0 u32 1..=4294967295'],
    // rustc carries these unions as the common scalar; codegend keeps unions in memory.
    ['core::mem::MaybeUninit<i64>', '8/8 mem union(2)'],
    ['core::mem::MaybeUninit<bool>', '1/1 mem union(2)'],
  ];
  for (const [text, expected] of cases) it(text, () => expect(summary(cx.layoutOf(ty(text)))).toBe(expected));
});

describe('closures', () => {
  const cx = crateOf(DECLS);
  const closure = (n: number, types?: [string, string][]): Ty => ({
    kind: 'closure',
    text: `closure@t.rs:${n}:1: ${n}:10`,
    subst: types ? { types: new Map(types.map(([k, v]) => [k, ty(v)])), consts: new Map() } : undefined,
  });

  it('are tuple-like structs of their captures, reordered like rustc (size_of_val 16, align 8)', () => {
    const l = cx.layoutOf(closure(1));
    expect(summary(l)).toBe('16/8 mem [8,12,0] niche@0 ptr 1..=18446744073709551615');
    expect(l.fieldTys.map((t) => cx.layoutOf(t).size)).toEqual([4, 1, 8]);
  });

  it('without captures are zero-sized', () => expect(summary(cx.layoutOf(closure(2)))).toBe('0/1 mem []'));

  it('substitute the defining function’s parameters in their captures', () => {
    expect(summary(cx.layoutOf(closure(3, [['T', 'u16']])))).toBe('4/2 pair(u16, u8 0..=1) [0,2] niche@2 u8 0..=1');
    expect(summary(cx.layoutOf(closure(3, [['T', 'u64']])))).toBe('16/8 pair(u64, u8 0..=1) [0,8] niche@8 u8 0..=1');
  });

  it('with unknown captures are an error', () => {
    expect(() => cx.layoutOf(closure(9))).toThrow(/cannot lay out `\{closure@t\.rs:9:1: 9:10\}`: the closure's captures are unknown/);
    expect(() => new LayoutCx(cx.adts).layoutOf(closure(1))).toThrow(LayoutError);
  });
});

describe('types that cannot be laid out', () => {
  const cx = crateOf(DECLS);
  const cases: [string, RegExp][] = [
    ['T', /cannot lay out `T`: `T` is not a known type/],
    ['G<T>', /cannot lay out `T`/],
    ['Ring<u16, N>', /cannot lay out `\[u16; N\]`: the length `N` is not a value/],
    ['foo::Missing', /cannot lay out `foo::Missing`: unknown type/],
    ['(dyn Debug, u8)', /cannot lay out `\(dyn Debug, u8\)`: an unsized field is not last/],
    ['[str; 2]', /cannot lay out `\[str; 2\]`: `str` is unsized/],
    ['Option<[u8]>', /cannot lay out `Option<\[u8\]>`: `\[u8\]` is unsized/],
    ['<T as Iterator>::Item', /the type is not concrete/],
    ['f16', /only f32 and f64/],
  ];
  for (const [text, message] of cases) it(text, () => expect(() => cx.layoutOf(ty(text))).toThrow(message));

  it('a type that contains itself', () => {
    const self = crateOf('struct Inf { a: u8, b: Option<Inf> }');
    expect(() => self.layoutOf(ty('Inf'))).toThrow(/contains itself/);
  });
});

describe('layout queries', () => {
  const cx = crateOf(DECLS);

  it('caches by type, whatever the regions or the object', () => {
    expect(cx.layoutOf(ty("Option<&'static u8>"))).toBe(cx.layoutOf(ty('Option<&u8>')));
  });

  it('field: the layout of a field, an array element, an enum tag', () => {
    const mixed = cx.layoutOf(ty('Mixed'));
    expect(summary(cx.field(mixed, 1))).toBe('8/8 scalar(u64) prim');
    expect(summary(cx.field(cx.layoutOf(ty('[bool; 4]')), 3))).toBe('1/1 scalar(u8 0..=1) prim niche@0 u8 0..=1');
    expect(summary(cx.field(cx.layoutOf(ty('ShapeD')), 0))).toBe('4/4 scalar(u32) prim');
    expect(cx.field(cx.layoutOf(ty("&'static [u16]")), 1).ty).toEqual(ty('usize'));
    expect(() => cx.field(mixed, 4)).toThrow(LayoutError);
    expect(() => cx.field(cx.layoutOf(ty('u8')), 0)).toThrow(LayoutError);
  });

  it('forVariant: the variant layouts, the layout itself, or an uninhabited variant', () => {
    const opt = cx.layoutOf(ty('Option<u32>'));
    const some = cx.forVariant(opt, 1);
    expect(summary(some)).toBe('8/4 pair(u32 0..=1, u32) [4] | single 1');
    expect(some.fieldTys).toEqual([ty('u32')]);
    expect(summary(cx.field(some, 0))).toBe('4/4 scalar(u32) prim');
    const one = cx.layoutOf(ty('OneVar'));
    expect(cx.forVariant(one, 0)).toBe(one);
    const never = cx.forVariant(cx.layoutOf(ty('WithNever')), 1);
    expect(summary(never)).toBe('0/1 ! [0] | single 1');
    expect(never.fieldTys).toEqual([ty('!')]);
  });

  it('variantIndex, discriminant and discriminantTy', () => {
    expect(cx.variantIndex(ty('Shape'), 'Rect')).toBe(1);
    expect(cx.variantIndex(ty('Option<u8>'), 'Some')).toBe(1);
    expect(() => cx.variantIndex(ty('Shape'), 'Square')).toThrow(/has no variant `Square`/);
    expect([0, 1, 2].map((v) => cx.discriminant(ty('Shape'), v))).toEqual([0n, 5n, 6n]);
    expect([0, 1].map((v) => cx.discriminant(ty('ENeg'), v))).toEqual([-1n, 1n]);
    expect([0, 1].map((v) => cx.discriminant(ty('EBig'), v))).toEqual([300n, 301n]);
    expect(cx.discriminant(ty('Ordering'), 0)).toBe(-1n);
    expect(cx.discriminantTy(ty('Shape'))).toEqual(ty('u8'));
    expect(cx.discriminantTy(ty('Ordering'))).toEqual(ty('i8'));
    expect(cx.discriminantTy(ty('E1'))).toEqual(ty('isize'));
    expect(cx.discriminantTy(ty('P'))).toEqual(ty('u8'));
  });

  it('explicit and implied discriminants fill the tag', () => {
    expect(summary(cx.layoutOf(ty('EBig')))).toContain('tag u16 300..=301 direct');
  });
});
