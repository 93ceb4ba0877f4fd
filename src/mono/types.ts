// The data of monomorphization: instances (a function body at concrete generic
// arguments), mono items, resolved callees, and codegen units with the linkage of each
// item in them. The collector (collect.ts) and the partitioner (partition.ts) produce
// them; the lowering in src/ssa reads them.

import type { FnItem, FnSig, StaticItem, ConstItem, Ty } from '../mir/ast.js';
import type { Located } from '../mir/resolve.js';
import type { Subst } from '../mir/subst.js';

export type InstanceDef =
  /**
   * A function body of the crate (closures and impl methods included).
   * `shim: 'closureFnPointer'`: the function-pointer form of a non-capturing closure
   * (ClosureFnPointer casts): its signature is the closure body's without the first
   * parameter, and it runs the body with `_1` a dangling, well-aligned pointer (the
   * closure is zero-sized), like rustc's reify shim.
   */
  | { kind: 'item'; item: Located<FnItem>; shim?: 'closureFnPointer' }
  /** The body of a `const` item, compiled as a function returning its value. */
  | { kind: 'constBody'; item: Located<ConstItem> }
  /**
   * Drop glue for a type: runs `Drop::drop` and drops the fields. `dropImpl` is the
   * user's `Drop::drop` for this type (taking `&mut ty`), when it has one; the fields'
   * glue comes from `MonoQueries.dropGlue` of each field type.
   */
  | { kind: 'dropGlue'; ty: Ty; dropImpl?: Instance };

export interface Instance {
  /** Stable identity: the item's path and the printed substitution. Equal keys, same instance. */
  key: string;
  def: InstanceDef;
  subst: Subst;
  /** The mangled symbol (or the item's own name when exported). */
  symbol: string;
  /** Exported under its own name with the C calling convention (`main`, `#[no_mangle]`). */
  exported: boolean;
}

export type MonoItem =
  | { kind: 'fn'; instance: Instance }
  | { kind: 'static'; item: Located<StaticItem>; symbol: string; exported: boolean };

export function monoItemSymbol(m: MonoItem): string {
  return m.kind === 'fn' ? m.instance.symbol : m.symbol;
}

/** What a call terminator calls, once generic arguments are known. */
export type Callee =
  /**
   * A body of the crate. `spreadTuple`: the last argument is a tuple passed field by field
   * (Fn* traits' "rust-call"). `selfAdjust` (Fn* calls only) turns the call's first
   * argument into what the body's `_1` expects: 'none'; 'deref' loads through
   * `selfDerefs` (default 1) references; 'ref' passes the address of the value.
   * `dropSelf`: the first argument is not passed at all (an Fn* call on a fn item type,
   * `<fn(i64) -> i64 {double} as Fn<(i64,)>>::call`, calls the plain function `double`).
   */
  | { kind: 'instance'; instance: Instance; spreadTuple?: boolean; selfAdjust?: 'none' | 'deref' | 'ref'; selfDerefs?: number; dropSelf?: boolean }
  /** A C function without a body (libc), called with the C ABI. `sig` is its declared or inferred signature. */
  | { kind: 'extern'; symbol: string; sig: FnSig }
  /** A compiler intrinsic the core lowers inline (`cold_path`, `ctpop`, `rotate_left`, `copy`, …). */
  | { kind: 'intrinsic'; name: string; typeArgs: Ty[] }
  /** A body-less core panic entry point (`panic_fmt`, `option::unwrap_failed`, …): ends in the panic handler. */
  | { kind: 'panic'; name: string }
  /** A trait method on a primitive type that is an operation (`<i32 as Add>::add`, `<u32 as Ord>::max`). */
  | { kind: 'primitive'; method: string; selfTy: Ty }
  /** A call through a vtable: `<dyn Trait as Trait>::m`. `slot` counts from the first method. */
  | { kind: 'virtual'; slot: number; spreadTuple?: boolean }
  /**
   * A call through a function pointer held in the callee operand. With `fromSelf`, an
   * Fn* call on a function pointer type (`<fn(i64) -> i64 as Fn<(i64,)>>::call`): the
   * pointer is the call's first argument behind `fromSelf.derefs` references, and the
   * remaining tuple argument is spread (`spreadTuple`).
   */
  | { kind: 'fnPtr'; fromSelf?: { derefs: number }; spreadTuple?: boolean };

export interface CguItem {
  item: MonoItem;
  linkage: 'external' | 'internal';
}

export interface CodegenUnit {
  /** Stable across edits that do not move items between modules; a cache key. */
  name: string;
  /** Sorted by symbol, so a unit's object does not depend on collection order. */
  items: CguItem[];
  sizeEstimate: number;
}

/** A vtable for a concrete type behind `dyn Trait`: drop glue, size, align, then the methods by slot. */
export interface VTable {
  symbol: string;
  size: number;
  align: number;
  drop?: Instance;
  /** Slot i's implementation; undefined for a method the type cannot provide (never called). */
  methods: (Instance | undefined)[];
}

/** The questions the lowering asks of monomorphization; answers agree with what was collected. */
export interface MonoQueries {
  /** The callee of a call terminator in `caller`'s body. Throws MonoError when it cannot be resolved. */
  resolveCallee(caller: Instance, func: import('../mir/ast.js').Operand, argTys: Ty[], destTy: Ty): Callee;
  /** The instance a function item type or `{f as fn()}` / ReifyFnPointer names, in `caller`'s context. */
  fnItemInstance(caller: Instance, fnTy: Ty): Instance;
  /** The closure body instance for a closure type (calls through Fn traits). */
  closureInstance(caller: Instance, closureTy: Ty): Instance;
  /** The function a ClosureFnPointer cast of a (zero-sized) closure type points to: the body's `closureFnPointer` shim. */
  closureFnPointer(caller: Instance, closureTy: Ty): Instance;
  /** The instance computing a `const` item's value (for path constants with a body), if it has a body. */
  constInstance(caller: Instance, path: import('../mir/ast.js').Path): Instance | undefined;
  /**
   * The `const` item a path constant names in `caller`'s context, associated constants
   * resolved (`<A as Animal>::LEGS` at A = Dog is Dog's impl's `LEGS`); undefined when the
   * path is not a constant (a unit struct, a variant, a function item).
   */
  constItem(caller: Instance, path: import('../mir/ast.js').Path): Located<ConstItem> | undefined;
  /** The symbol of a static item. */
  staticSymbol(path: import('../mir/ast.js').Path): string;
  /** The vtable of `ty` as `dyn Trait` (`dynTy` is the `dyn` type). */
  vtable(caller: Instance, ty: Ty, dynTy: Ty): VTable;
  /** The user's `Drop::drop` for `ty` (a fn taking `&mut ty`), if it has one. */
  dropImpl(caller: Instance, ty: Ty): Instance | undefined;
  /** Drop glue for `ty`, or undefined when dropping it does nothing. */
  dropGlue(caller: Instance, ty: Ty): Instance | undefined;
  /** The function an allocation `(fn: PATH)` points to. Throws MonoError when it cannot be resolved. */
  allocFn(text: string): Instance;
  /** The vtable an allocation `(vtable: impl Trait for Type)` stands for. Throws MonoError when unreadable. */
  allocVtable(text: string): VTable;
  /** Whether the instance is defined with the C convention (exported, or reified to an `extern "C" fn` pointer). */
  usesCAbi(inst: Instance): boolean;
  /** The crate's panic handler (a function taking `&PanicInfo` and returning `!`). */
  readonly panicHandler: Instance | undefined;
}

/** An item or call monomorphization cannot handle, with the construct named. */
export class MonoError extends Error {}
