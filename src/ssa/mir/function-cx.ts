// The contexts of the lowering. `UnitCx` lives for one codegen unit: the backend's
// module context, layouts, the answers of monomorphization, and what has been declared
// in the module so far. `FunctionCx` (rustc's `fx`) lives for one function: its body,
// the types at its instantiation, its ABI, where each local lives and the blocks.

import type { Body, Local } from '../../mir/ast.js';
import type { BodyTypes } from '../../mir/body-types.js';
import type { CrateIndex } from '../../mir/resolve.js';
import type { SourceFile, Span } from '../../diagnostics.js';
import type { Instance, MonoQueries } from '../../mono/types.js';
import type { FnAbi } from '../abi/fn-abi.js';
import type { LayoutCx } from '../layout/layout-cx.js';
import type { BackendTypes, BuilderMethods, CodegenCx } from '../traits/index.js';
import type { OperandRef, PlaceRef } from './operand.js';

export interface DeclaredFn<B extends BackendTypes> {
  fn: B['Function'];
  abi: FnAbi;
}

export interface UnitCx<B extends BackendTypes> {
  cx: CodegenCx<B>;
  layouts: LayoutCx;
  mono: MonoQueries;
  index: CrateIndex;
  crateName: string;
  /** Functions declared in this module, by symbol. */
  fns: Map<string, DeclaredFn<B>>;
  /** Data symbols emitted in this module, by symbol. */
  data: Map<string, B['Global']>;
  /** Dumped allocations already emitted, by `file#id`, and their content keys: each is hashed once. */
  allocs: Map<string, B['Global']>;
  allocKeys: Map<string, string>;
  /** The symbol of the runtime's panic entry point. */
  panicSymbol: string;
  /** Linkage of the unit's own items, by symbol; anything else is external. */
  linkage: Map<string, 'external' | 'internal'>;
}

/** Where a local lives: in a stack slot, or as an SSA operand (undefined until assigned). */
export type LocalRef<B extends BackendTypes> = { kind: 'place'; place: PlaceRef<B> } | { kind: 'operand'; op?: OperandRef<B> };

export interface FunctionCx<B extends BackendTypes> {
  ucx: UnitCx<B>;
  bx: BuilderMethods<B>;
  instance: Instance;
  body: Body;
  file: SourceFile;
  types: BodyTypes;
  abi: FnAbi;
  locals: Map<Local, LocalRef<B>>;
  blocks: B['Block'][];
  /** A block that calls the panic entry point, made on first use. */
  panicBlock?: B['Block'];
}

/** MIR the core cannot lower (yet): reported at its location, never a crash. */
export class CodegenError extends Error {
  constructor(
    message: string,
    readonly span?: Span,
  ) {
    super(message);
  }
}
