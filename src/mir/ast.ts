// The MIR syntax tree: what rustc's `--emit=mir` prints (plus codegend's declaration
// extension), as typed data with spans. Parsing builds it, the printer prints it back,
// resolution and type checking read it. Spans are offsets into the item's SourceFile;
// structural equality ignores them (see `stripSpans` in tests).

import type { SourceFile, Span } from '../diagnostics.js';

// ---------------------------------------------------------------- paths

export type PathSegment =
  /** `foo`, `Option::<i32>` (turbofish) or `Option<i32>` (in types). */
  | { kind: 'ident'; name: string; args?: GenericArg[]; sugar?: boolean }
  /** `<impl at x.rs:3:1: 3:10>`: the text between the angle brackets. */
  | { kind: 'impl'; text: string }
  /** `<T as Trait>` or `<[T]>` at the start of a path. */
  | { kind: 'qualified'; self: Ty; trait?: Path }
  /** `{closure#0}`, `{constant#1}`, `{shim:vtable#0}`: a disambiguated child. */
  | { kind: 'disambig'; name: string; index: number }
  /** `promoted[0]`. */
  | { kind: 'promoted'; index: number };

export interface Path {
  segments: PathSegment[];
  span: Span;
}

export type GenericArg =
  | { kind: 'type'; ty: Ty }
  | { kind: 'lifetime'; name: string }
  | { kind: 'const'; value: ConstArg }
  /** `Item = u8` inside `Iterator<Item = u8>`; `Output` of `Fn(i64) -> i64`. */
  | { kind: 'binding'; name: string; ty: Ty };

/** An array length or const generic argument. */
export type ConstArg =
  | { kind: 'value'; value: bigint; suffix?: string }
  | { kind: 'param'; name: string }
  /** `{ N + 1 }`, `_`: kept as text, never evaluated. */
  | { kind: 'opaque'; text: string };

// ---------------------------------------------------------------- types

export type IntTy = 'i8' | 'i16' | 'i32' | 'i64' | 'i128' | 'isize' | 'u8' | 'u16' | 'u32' | 'u64' | 'u128' | 'usize';
export type FloatTy = 'f16' | 'f32' | 'f64' | 'f128';

export type Ty =
  | { kind: 'int'; name: IntTy }
  | { kind: 'float'; name: FloatTy }
  | { kind: 'bool' }
  | { kind: 'char' }
  | { kind: 'str' }
  | { kind: 'never' }
  | { kind: 'tuple'; elems: Ty[] }
  | { kind: 'array'; elem: Ty; len: ConstArg }
  | { kind: 'slice'; elem: Ty }
  | { kind: 'ref'; region?: string; mutable: boolean; pointee: Ty }
  | { kind: 'ptr'; mutable: boolean; pointee: Ty }
  | { kind: 'fnPtr'; sig: FnSig; binder?: string[] }
  /** A function item type as rustc prints it: `fn(i64) -> i64 {double}`. */
  | { kind: 'fnDef'; sig: FnSig; item: Path }
  /** A named type: an ADT, a type parameter or a foreign type, decided by resolution. */
  | { kind: 'named'; path: Path }
  /** `<C as Container>::Item`. */
  | { kind: 'projection'; self: Ty; trait: Path; name: string }
  /** `dyn Trait + Send + 'a`. */
  | { kind: 'dyn'; bounds: Path[]; region?: string }
  /** `impl Trait` (argument-position impl trait prints this way). */
  | { kind: 'impl'; bounds: Path[] }
  /**
   * `{closure@x.rs:3:5: 3:10}`, `{coroutine@…}`: the text between the braces. rustc
   * prints a closure type without the generic arguments of its parent; after
   * substitution `subst` carries them (the captures' types may use them).
   */
  | { kind: 'closure'; text: string; subst?: import('./subst.js').Subst }
  /** `_`. */
  | { kind: 'infer' };

export interface FnSig {
  unsafe: boolean;
  abi?: string;
  params: Ty[];
  variadic: boolean;
  ret: Ty;
}

// ---------------------------------------------------------------- places and operands

/** A local's index: `_3` is 3. */
export type Local = number & { readonly __local: unique symbol };
/** A basic block's index: `bb4` is 4. */
export type BlockId = number & { readonly __block: unique symbol };

export type ProjectionElem =
  | { kind: 'deref' }
  | { kind: 'field'; index: number; ty: Ty }
  | { kind: 'index'; local: Local }
  | { kind: 'constIndex'; offset: number; minLength: number; fromEnd: boolean }
  | { kind: 'subslice'; from: number; to: number; fromEnd: boolean }
  | { kind: 'downcast'; variant: string }
  | { kind: 'opaqueCast'; ty: Ty }
  | { kind: 'subtype'; ty: Ty };

export interface Place {
  local: Local;
  projection: ProjectionElem[];
  span: Span;
}

export type Const =
  /** `5_i32`, `-3_i64`; `ty` undefined for a bare literal in hand-written MIR. */
  /** `spelled`: the path rustc named an extreme with, when not `u64::MAX` (`core::num::<impl i64>::MAX`). */
  | { kind: 'int'; value: bigint; ty?: IntTy; spelled?: Path }
  /** Floats keep their printed text so that printing is exact; `value` is the number. */
  | { kind: 'float'; text: string; value: number; ty: FloatTy }
  | { kind: 'bool'; value: boolean }
  | { kind: 'char'; value: number }
  | { kind: 'unit' }
  | { kind: 'str'; value: string }
  /** `b"…"` is a `&[u8; N]`; `*b"…"` (byValue) is the `[u8; N]` itself. */
  | { kind: 'byteStr'; bytes: Uint8Array; byValue?: boolean }
  /** A function item, unit struct or variant, const item or associated const. */
  | { kind: 'path'; path: Path }
  /** A constructor valtree: `Kg(12_u32)`, `Bird {{ grams: 300_u32 }}`, `Some(5_i32)`. */
  | { kind: 'ctor'; path: Path; fields: ConstField[]; braced: boolean }
  | { kind: 'tuple'; elems: Const[] }
  | { kind: 'array'; elems: Const[] }
  /** `{alloc3<imm>: &[u8; 3]}`: a pointer into an allocation dump. */
  | { kind: 'alloc'; alloc: number; imm: boolean; offset?: number; ty: Ty }
  /** `{transmute(0x…): T}`: raw bits of a scalar or pair; `digits` is the printed width. */
  | { kind: 'transmute'; bits: bigint; digits: number; ty: Ty }
  /** `{foo as fn()}`: a function pointer constant. */
  | { kind: 'fnPtr'; path: Path; ty: Ty }
  /** `{0x8 as *mut u8}`: an integer used as a pointer. */
  | { kind: 'intPtr'; value: bigint; ty: Ty }
  /** `Indirect { alloc_id: alloc1, offset: Size(0 bytes) }: T`: a value stored in an allocation. */
  | { kind: 'indirect'; alloc: number; offset: number; ty: Ty }
  /** `ZeroSized: T`. */
  | { kind: 'zst'; ty: Ty }
  | { kind: 'uninit' };

export interface ConstField {
  name?: string;
  value: Const;
}

export type Operand =
  | { kind: 'copy'; place: Place }
  | { kind: 'move'; place: Place }
  /** `bare`: a function item rustc printed without `const` (`f(double, const 7_i64)`). */
  | { kind: 'const'; value: Const; span: Span; bare?: boolean }
  /** `UbChecks`, `ContractChecks`, `OverflowChecks`: whether those checks are enabled. */
  | { kind: 'runtimeChecks'; check: RuntimeCheck; span: Span };

export type RuntimeCheck = 'UbChecks' | 'ContractChecks' | 'OverflowChecks';

// ---------------------------------------------------------------- rvalues

export const BIN_OPS = [
  'Add', 'AddUnchecked', 'AddWithOverflow', 'Sub', 'SubUnchecked', 'SubWithOverflow',
  'Mul', 'MulUnchecked', 'MulWithOverflow', 'Div', 'Rem', 'BitXor', 'BitAnd', 'BitOr',
  'Shl', 'ShlUnchecked', 'Shr', 'ShrUnchecked', 'Eq', 'Lt', 'Le', 'Ne', 'Ge', 'Gt', 'Cmp', 'Offset',
] as const;
export type BinOp = (typeof BIN_OPS)[number];

export const UN_OPS = ['Not', 'Neg', 'PtrMetadata'] as const;
export type UnOp = (typeof UN_OPS)[number];

export const NULLARY_OPS = ['SizeOf', 'AlignOf', 'OffsetOf', 'UbChecks', 'ContractChecks'] as const;
export type NullaryOp = (typeof NULLARY_OPS)[number];

export type CastKind =
  | 'IntToInt' | 'IntToFloat' | 'FloatToInt' | 'FloatToFloat' | 'PtrToPtr' | 'FnPtrToPtr'
  | 'Transmute' | 'PointerExposeProvenance' | 'PointerWithExposedProvenance' | 'Subtype'
  /** `PointerCoercion(Unsize, Implicit)`: `coercion` and `source` hold the parts. */
  | 'PointerCoercion';

export interface Cast {
  kind: CastKind;
  /** For PointerCoercion: `Unsize`, `ReifyFnPointer(Safe)`, `ClosureFnPointer(Safe)`, … */
  coercion?: string;
  /** For PointerCoercion: `Implicit` or `AsCast`. */
  source?: string;
}

export type BorrowKind = 'shared' | 'mut' | 'fakeShallow' | 'fakeDeep';

export type AggregateKind =
  | { kind: 'array' }
  | { kind: 'tuple' }
  /** Struct, union or enum variant: `Point`, `Shape::Circle`, `Option::<i32>::Some`. */
  | { kind: 'adt'; path: Path; fieldNames?: string[]; braced: boolean }
  /** `{closure@x.rs:1:2: 1:9} { k: copy _1 }`: the captures are named. */
  | { kind: 'closure'; text: string; fieldNames: string[] }
  | { kind: 'coroutine'; text: string; fieldNames: string[] }
  /** `*const [T] from (move _1, move _2)`. */
  | { kind: 'rawPtr'; ty: Ty; mutable: boolean };

export type Rvalue =
  | { kind: 'use'; operand: Operand }
  | { kind: 'repeat'; operand: Operand; count: ConstArg }
  | { kind: 'ref'; borrow: BorrowKind; region?: string; place: Place }
  | { kind: 'threadLocalRef'; mutable: boolean; path: Path }
  | { kind: 'rawPtr'; mutability: 'const' | 'mut' | 'fake'; place: Place }
  | { kind: 'cast'; cast: Cast; operand: Operand; ty: Ty }
  | { kind: 'binary'; op: BinOp; lhs: Operand; rhs: Operand }
  | { kind: 'nullary'; op: NullaryOp; ty: Ty; fields?: string }
  | { kind: 'unary'; op: UnOp; operand: Operand }
  | { kind: 'discriminant'; place: Place }
  | { kind: 'aggregate'; agg: AggregateKind; operands: Operand[] }
  | { kind: 'shallowInitBox'; operand: Operand; ty: Ty }
  | { kind: 'copyForDeref'; place: Place }
  | { kind: 'wrapUnsafeBinder'; operand: Operand; ty: Ty };

// ---------------------------------------------------------------- statements

export type Statement = (
  | { kind: 'assign'; place: Place; rvalue: Rvalue }
  | { kind: 'fakeRead'; cause: string; place: Place }
  | { kind: 'setDiscriminant'; place: Place; variant: number }
  | { kind: 'deinit'; place: Place }
  | { kind: 'storageLive'; local: Local }
  | { kind: 'storageDead'; local: Local }
  | { kind: 'retag'; retagKind?: string; place: Place }
  | { kind: 'placeMention'; place: Place }
  | { kind: 'ascribeUserType'; place: Place; text: string }
  | { kind: 'coverage'; text: string }
  | { kind: 'assume'; operand: Operand }
  | { kind: 'copyNonOverlapping'; src: Operand; dst: Operand; count: Operand }
  | { kind: 'constEvalCounter' }
  | { kind: 'nop' }
  | { kind: 'backwardIncompatibleDropHint'; place: Place }
  /**
   * `// DBG: _8 = &(*_1);`: debuginfo only (a reference that was optimized away);
   * `// DBG: _8 = &?;` when its target is unknown (`place` absent).
   */
  | { kind: 'debugInfo'; local: Local; place?: Place }
) & { span: Span };

// ---------------------------------------------------------------- terminators

export type UnwindAction =
  | { kind: 'continue' }
  | { kind: 'unreachable' }
  | { kind: 'terminate'; reason: string }
  | { kind: 'cleanup'; block: BlockId };

/** What a failed `assert` reports; the operands are the message's `{}` arguments. */
export type AssertMessage =
  | { kind: 'boundsCheck'; len: Operand; index: Operand }
  /** `lhs` is absent for shifts: rustc's message prints only the shift amount. */
  | { kind: 'overflow'; op: BinOp; lhs?: Operand; rhs: Operand }
  | { kind: 'overflowNeg'; operand: Operand }
  | { kind: 'divisionByZero'; operand: Operand }
  | { kind: 'remainderByZero'; operand: Operand }
  | { kind: 'misalignedPointerDereference'; required: Operand; found: Operand }
  | { kind: 'nullPointerDereference' }
  | { kind: 'invalidEnumConstruction'; operand: Operand }
  | { kind: 'resumedAfter'; what: string };

export interface SwitchTarget {
  value: bigint;
  target: BlockId;
}

export type Terminator = (
  | { kind: 'goto'; target: BlockId }
  | { kind: 'switchInt'; discr: Operand; targets: SwitchTarget[]; otherwise: BlockId }
  | { kind: 'unwindResume' }
  | { kind: 'unwindTerminate'; reason: string }
  | { kind: 'return' }
  | { kind: 'unreachable' }
  /** `dropTarget`: async drop's `drop: bbN` edge (coroutines only). */
  | { kind: 'drop'; place: Place; target: BlockId; unwind: UnwindAction; dropTarget?: BlockId }
  | { kind: 'call'; dest: Place; func: Operand; args: Operand[]; target?: BlockId; unwind: UnwindAction }
  | { kind: 'tailCall'; func: Operand; args: Operand[] }
  | { kind: 'assert'; cond: Operand; expected: boolean; msg: AssertMessage; target: BlockId; unwind: UnwindAction }
  | { kind: 'falseEdge'; real: BlockId; imaginary: BlockId }
  | { kind: 'falseUnwind'; real: BlockId; unwind: UnwindAction }
) & { span: Span };

export interface BasicBlock {
  id: BlockId;
  cleanup: boolean;
  statements: Statement[];
  terminator: Terminator;
  span: Span;
}

// ---------------------------------------------------------------- bodies

export interface LocalDecl {
  local: Local;
  mutable: boolean;
  ty: Ty;
  span: Span;
}

/** `debug x => _1;` and its variants. */
export interface DebugVar {
  name: string;
  /**
   * A fragment of a variable split by SROA: `debug ((iter: Range<usize>).1: usize) => …`
   * names field 1 of `iter`, whose type is `ty`.
   */
  composite?: { ty: Ty; path: { index: number; ty: Ty }[] };
  value: DebugValue;
  span: Span;
}

export type DebugValue = { kind: 'place'; place: Place } | { kind: 'const'; value: Const };

/** `scope N { … }` or `scope N (inlined path) { … }`. */
export interface Scope {
  index: number;
  /** The inlined callee as printed, e.g. `core::num::<impl i64>::checked_div`. */
  inlined?: string;
  locals: LocalDecl[];
  debugs: DebugVar[];
  children: Scope[];
  span: Span;
}

export interface Body {
  /** Scope 0: the function's own locals, debug vars and nested scopes. */
  root: Scope;
  blocks: BasicBlock[];
}

// ---------------------------------------------------------------- items

export interface Param {
  local: Local;
  ty: Ty;
  span: Span;
}

export interface FnItem {
  kind: 'fn';
  name: Path;
  /** Generic parameters declared by hand-written MIR (`fn id<T>(…)`); rustc prints none. */
  generics?: string[];
  params: Param[];
  ret: Ty;
  body: Body;
  /** The item followed `// MIR FOR CTFE`: the compile-time copy of a const fn. */
  ctfe: boolean;
  /** `#[no_mangle]`: exported under its own name. */
  exported: boolean;
  span: Span;
  nameSpan: Span;
}

export interface StaticItem {
  kind: 'static';
  name: Path;
  mutable: boolean;
  ty: Ty;
  body: Body;
  exported: boolean;
  span: Span;
  nameSpan: Span;
}

/** `const X: T = { body }` or the one-line `const X: T = const 5_usize;`; promoteds too. */
export interface ConstItem {
  kind: 'const';
  name: Path;
  ty: Ty;
  body?: Body;
  value?: Const;
  ctfe: boolean;
  span: Span;
  nameSpan: Span;
}

export interface AllocReloc {
  /** Byte offset of the pointer in the allocation. */
  offset: number;
  alloc: number;
  imm: boolean;
  /** Offset added to the target's address (`alloc1+0x8`). */
  addend: number;
}

export type AllocKind =
  | {
      kind: 'memory';
      size: number;
      align: number;
      /** `static: NAME` in the header. */
      static?: string;
      /** Initialised bytes; uninitialised ones (`__`) are 0 here and false in `init`. */
      bytes: Uint8Array;
      init: Uint8Array;
      relocs: AllocReloc[];
    }
  | { kind: 'vtable'; text: string }
  /** `(typeid for T)`. */
  | { kind: 'typeId'; text: string }
  /** `alloc4 (static: NAME)`: the address of a static item. */
  | { kind: 'static'; name: string }
  | { kind: 'fn'; text: string }
  | { kind: 'externStatic'; text: string };

export interface AllocItem {
  kind: 'alloc';
  id: number;
  alloc: AllocKind;
  span: Span;
  nameSpan: Span;
}

export interface FieldDecl {
  name?: string;
  ty: Ty;
  span: Span;
}

export interface VariantDecl {
  name: string;
  fields: FieldDecl[];
  /** `{ a: T }` (true) or `(T)` / unit (false). */
  braced: boolean;
  discriminant?: bigint;
  span: Span;
}

/** Hand-written `struct`, `enum` or `union` (codegend's extension). */
export interface AdtItem {
  kind: 'adt';
  adtKind: 'struct' | 'enum' | 'union';
  name: Path;
  generics: string[];
  /** `#[repr(C)]`, `#[repr(u8)]`: the words inside `repr(…)`. */
  repr: string[];
  /** Structs and unions have exactly one variant, named after the type. */
  variants: VariantDecl[];
  span: Span;
  nameSpan: Span;
}

export interface ExternFn {
  name: string;
  params: Ty[];
  variadic: boolean;
  ret: Ty;
  span: Span;
}

/** `extern "C" { fn printf(*const u8, ...) -> i32; }` (codegend's extension). */
export interface ExternBlock {
  kind: 'extern';
  abi: string;
  fns: ExternFn[];
  span: Span;
}

export type Item = FnItem | StaticItem | ConstItem | AllocItem | AdtItem | ExternBlock;

/** One parsed `.mir` file. */
export interface MirFile {
  file: SourceFile;
  items: Item[];
}
