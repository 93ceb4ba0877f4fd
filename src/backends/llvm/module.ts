// The per-unit context (`CodegenCx`) of the LLVM backend: declares functions and data,
// gives data its bytes and relocations, and starts function bodies. It owns the
// IrModule that printer.ts prints; nothing here produces text.

import type { CodegenCx } from '../../ssa/traits/backend.js';
import type { BuilderMethods } from '../../ssa/traits/builder.js';
import type { BackendSig, Linkage } from '../../ssa/traits/declare.js';
import type { ModuleOptions } from '../../ssa/traits/misc.js';
import type { DataDef } from '../../ssa/traits/statics.js';
import { LlvmBuilder } from './builder.js';
import { checkAlign, fnTypeOf, type DataContents, type FnDecl, type GlobalDecl, type IrModule, type LlvmTypes } from './ir.js';

export class LlvmModule implements CodegenCx<LlvmTypes> {
  readonly ir: IrModule;

  constructor(
    readonly unitName: string,
    readonly options: ModuleOptions,
  ) {
    this.ir = { unitName, symbols: new Map(), intrinsics: new Map() };
  }

  /** Idempotent per symbol: a second declaration returns the first (its signature and linkage win). */
  declareFn(symbol: string, sig: BackendSig, linkage: Linkage): FnDecl {
    checkSymbol(symbol);
    const existing = this.ir.symbols.get(symbol);
    if (existing) {
      if (existing.kind !== 'fn') throw new Error(`${this.unitName}: '${symbol}' is declared as data and as a function`);
      return existing;
    }
    const own: BackendSig = {
      params: sig.params.map((p) => ({ ...p })),
      returns: [...sig.returns],
      variadic: sig.variadic,
      noReturn: sig.noReturn,
    };
    const fn: FnDecl = { kind: 'fn', symbol, sig: own, fnTy: fnTypeOf(own), linkage };
    this.ir.symbols.set(symbol, fn);
    return fn;
  }

  declareData(symbol: string, linkage: Linkage): GlobalDecl {
    checkSymbol(symbol);
    const existing = this.ir.symbols.get(symbol);
    if (existing) {
      if (existing.kind !== 'global') throw new Error(`${this.unitName}: '${symbol}' is declared as a function and as data`);
      return existing;
    }
    const global: GlobalDecl = { kind: 'global', symbol, linkage };
    this.ir.symbols.set(symbol, global);
    return global;
  }

  defineData(global: GlobalDecl, def: DataDef<LlvmTypes>): void {
    this.checkOwn(global);
    if (global.def) throw new Error(`${this.unitName}: data '${global.symbol}' is defined twice`);
    const relocs = def.relocs
      .map((r) => {
        const target = r.target.kind === 'data' ? r.target.global : r.target.fn;
        this.checkOwn(target);
        return { offset: r.offset, target, addend: r.addend };
      })
      .sort((a, b) => a.offset - b.offset);
    let end = 0;
    for (const r of relocs) {
      if (!Number.isInteger(r.offset) || r.offset < end || r.offset + 8 > def.bytes.length) {
        throw new Error(`${this.unitName}: data '${global.symbol}': relocation at offset ${r.offset} overlaps another or leaves the ${def.bytes.length} bytes`);
      }
      end = r.offset + 8;
    }
    const align = checkAlign(def.align, `${this.unitName}: data '${global.symbol}'`);
    const contents: DataContents = { bytes: def.bytes.slice(), relocs, align, mutable: def.mutable };
    global.def = contents;
  }

  defineFn(fn: FnDecl): BuilderMethods<LlvmTypes> {
    this.checkOwn(fn);
    if (fn.body) throw new Error(`${this.unitName}: function '${fn.symbol}' is defined twice`);
    return new LlvmBuilder(this.ir, fn);
  }

  private checkOwn(sym: FnDecl | GlobalDecl): void {
    if (this.ir.symbols.get(sym.symbol) !== sym) throw new Error(`${this.unitName}: '${sym.symbol}' belongs to another module`);
  }
}

function checkSymbol(symbol: string): void {
  if (symbol.length === 0) throw new Error('an empty symbol name');
  if (symbol.includes('\0')) throw new Error(`a symbol name with a NUL byte: ${JSON.stringify(symbol)}`);
}
