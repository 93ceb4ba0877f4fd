// Turning finished modules into object files (rustc's `WriteBackendMethods`). A module
// is first serialized to the backend's portable form, the pre-LTO work product the
// incremental store keeps; everything after that works on serialized modules, so a
// module lowered in this build and one read back from the store take the same path.
// All of it is deterministic: the same modules and options give the same bytes.

import type { SourceFile } from '../../diagnostics.js';
import type { ModuleOptions } from './misc.js';

export interface ObjectFile {
  /** The unit's name, used for the file name (`<unit>.o`). */
  name: string;
  bytes: Uint8Array;
}

/** A module in the backend's own portable form (LLVM: IR text), named by its unit. */
export interface SerializedModule {
  name: string;
  bytes: Uint8Array;
}

/** One function a module defines, as thin LTO's global analysis sees it. */
export interface ThinExport {
  symbol: string;
  /** Instructions in its body: the import threshold compares against this. */
  size: number;
  /**
   * A copy may be placed in another module (externally visible, and referring only to
   * externally visible symbols, so the copy links against the original's neighbours).
   */
  importable: boolean;
}

/** What thin LTO needs to know of a module without reading its code (rustc's ThinLTO summary). */
export interface ThinSummary {
  /** The functions the module defines with external linkage, sorted by symbol. */
  exports: ThinExport[];
  /** The function symbols the module calls or takes the address of but does not define, sorted. */
  references: string[];
}

/** Definitions to copy into a module for its thin LTO optimization: `symbols` from `from`. */
export interface ThinImport {
  from: SerializedModule;
  symbols: string[];
}

/** `ir`: the backend's own intermediate form as built (LLVM IR); `asm`: the assembly `compile` makes of it. */
export type ListingForm = 'ir' | 'asm';

/** A line of a listing (0-based) and the 1-based position of the MIR it came from. */
export interface ListingLine {
  output: number;
  file: SourceFile;
  line: number;
  column: number;
}

/** One function's code, with the MIR position of every line that came from MIR. */
export interface FunctionListing {
  text: string;
  /** In line order; lines of no statement (labels, directives, glue) have no entry. */
  lines: ListingLine[];
}

export interface WriteMethods<M> {
  serialize(module: M): SerializedModule;
  /** Optimizes at `options.opt` and emits an ELF relocatable object. */
  compile(module: SerializedModule, options: ModuleOptions): Promise<ObjectFile>;
  /** Fat LTO: merges all modules into one, optimizes it as a whole and emits one object named `name`. */
  fatLto(name: string, modules: SerializedModule[], options: ModuleOptions): Promise<ObjectFile>;
  thinSummary(module: SerializedModule): ThinSummary;
  /**
   * The thin LTO backend of one module: the module with copies of its imports (for
   * inlining only; the originals stay where they are), optimized and emitted.
   */
  thinBackend(module: SerializedModule, imports: ThinImport[], options: ModuleOptions): Promise<ObjectFile>;
  /** The text of one function of the module in the backend's own form (LLVM IR, assembly). */
  functionText(module: M, symbol: string): string | undefined;
  /**
   * Functions of the module (the instances of one, say) as listings of `form`, in the
   * order of `symbols`, assembly at the module's own `opt` from one compilation of the
   * module. Undefined for a function the module does not define, or (assembly) one the
   * optimizer left no code of its own: inlined into every caller, then dropped.
   */
  functionListings(module: M, symbols: readonly string[], form: ListingForm): Promise<(FunctionListing | undefined)[]>;
}
