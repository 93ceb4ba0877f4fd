// Prints an IrModule as LLVM IR text (opaque pointers, accepted by LLVM 14 with
// `-opaque-pointers` and by LLVM 17+ as is). Pure and deterministic: symbols print in
// declaration order, intrinsics sorted by name, and values are numbered per function
// in print order (parameters first, then stack slots, then block by block). A function
// can also be printed as a listing, with the source location of each line, and a module
// with debug locations (`!dbg`, for `emit`'s assembly only: builds never print them).

import type { SourceLoc } from '../../ssa/traits/builder.js';
import {
  I1,
  sameTy,
  typeOf,
  type Block,
  type CallArg,
  type DataContents,
  type FnBody,
  type FnDecl,
  type FnType,
  type GlobalDecl,
  type Inst,
  type IrModule,
  type ParamTy,
  type Term,
  type Ty,
  type Value,
} from './ir.js';

export const TARGET_TRIPLE = 'x86_64-unknown-linux-gnu';
/** LLVM 14's x86-64 layout; newer versions upgrade it themselves (adding `i128:128`). */
export const DATA_LAYOUT = 'e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-f80:128-n8:16:32:64-S128';

/**
 * Debug locations for a module printed with them (debug-info.ts): the `!dbg` of each
 * function and instruction, and the metadata nodes they name.
 */
export interface DebugLocations {
  /** The subprogram of a function about to be printed, whose instructions have `locs`. */
  subprogram(f: FnDecl, locs: readonly SourceLoc[]): string;
  /** The location of an instruction of the function last given to `subprogram`. */
  location(loc: SourceLoc | undefined): string;
  /** The metadata, once every function is printed. */
  finish(): string[];
}

export function printModule(m: IrModule, debug?: DebugLocations): string {
  const out: string[] = [
    `; ModuleID = '${m.unitName.replace(/[^\x20-\x7e]|'/g, '?')}'`,
    `source_filename = "${escapeBytes(m.unitName)}"`,
    `target datalayout = "${DATA_LAYOUT}"`,
    `target triple = "${TARGET_TRIPLE}"`,
  ];
  const globals = [...m.symbols.values()].filter((s): s is GlobalDecl => s.kind === 'global');
  const fns = [...m.symbols.values()].filter((s): s is FnDecl => s.kind === 'fn');
  if (globals.length > 0) out.push('');
  for (const g of globals) out.push(printGlobal(g));
  for (const f of fns) {
    out.push('');
    out.push(f.body ? new FnPrinter(m, f, f.body, debug).print().text : printDeclare(f));
  }
  const intrinsics = [...m.intrinsics.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (intrinsics.length > 0) out.push('');
  for (const [name, ty] of intrinsics) {
    out.push(`declare ${showTy(ty.ret)} @${name}(${ty.params.map((p) => showTy(p.ty)).join(', ')})`);
  }
  if (debug) out.push('', ...debug.finish());
  return out.join('\n') + '\n';
}

/** One function as it appears in the module's text (`define …` or `declare …`); undefined if there is none. */
export function printFunction(m: IrModule, symbol: string): string | undefined {
  const f = m.symbols.get(symbol);
  if (!f || f.kind !== 'fn') return undefined;
  return (f.body ? new FnPrinter(m, f, f.body).print().text : printDeclare(f)) + '\n';
}

/** A defined function's text as `printFunction` prints it, and the source location of each of its lines. */
export function printFunctionListing(m: IrModule, symbol: string): { text: string; locs: (SourceLoc | undefined)[] } | undefined {
  const f = m.symbols.get(symbol);
  if (!f || f.kind !== 'fn' || !f.body) return undefined;
  const printed = new FnPrinter(m, f, f.body).print();
  return { text: printed.text + '\n', locs: printed.locs };
}

// ---- types, names, constants

export function showTy(t: Ty): string {
  switch (t.kind) {
    case 'int':
      return `i${t.bits}`;
    case 'float':
      return t.bits === 32 ? 'float' : 'double';
    case 'ptr':
      return 'ptr';
    case 'void':
      return 'void';
    case 'struct':
      return `{ ${t.fields.map(showTy).join(', ')} }`;
    case 'bytes':
      return `[${t.size} x i8]`;
  }
}

/** `@name`, quoted unless it is a plain LLVM identifier. */
export function globalName(symbol: string): string {
  return /^[-a-zA-Z$._][-a-zA-Z$._0-9]*$/.test(symbol) ? `@${symbol}` : `@"${escapeBytes(symbol)}"`;
}

/** The UTF-8 bytes of `s` (or raw bytes) with `"`, `\` and non-printables as `\XX`. */
export function escapeBytes(s: string | Uint8Array): string {
  const bytes = typeof s === 'string' ? new TextEncoder().encode(s) : s;
  let out = '';
  for (const b of bytes) {
    out += b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c ? String.fromCharCode(b) : `\\${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The operand text of an integer constant of `bits` (two's complement, signed decimal). */
function showInt(bits: number, value: bigint): string {
  if (bits === 1) return value === 0n ? 'false' : 'true';
  return BigInt.asIntN(bits, value).toString();
}

/** LLVM writes every float constant as the hex bits of a double; f32 widens exactly. */
export function showFloat(bits: 32 | 64, raw: bigint): string {
  const double = bits === 64 ? raw : f32BitsToF64Bits(Number(raw));
  return `0x${double.toString(16).toUpperCase().padStart(16, '0')}`;
}

function f32BitsToF64Bits(b: number): bigint {
  const exp = (b >>> 23) & 0xff;
  if (exp === 0xff) {
    // Inf and NaN: keep sign and payload (the payload's top bits stay on top), quiet bit included.
    return (BigInt(b >>> 31) << 63n) | (0x7ffn << 52n) | (BigInt(b & 0x7fffff) << 29n);
  }
  const view = new DataView(new ArrayBuffer(8));
  view.setUint32(0, b);
  view.setFloat64(0, view.getFloat32(0));
  return view.getBigUint64(0);
}

// ---- data

function printGlobal(g: GlobalDecl): string {
  const name = globalName(g.symbol);
  if (!g.def) return `${name} = external global [0 x i8]`;
  const linkage = g.linkage === 'internal' ? 'internal ' : '';
  const kind = g.def.mutable ? 'global' : 'constant';
  return `${name} = ${linkage}${kind} ${printContents(g.def)}, align ${g.def.align}`;
}

/** The type and initializer of data: bytes, or a packed struct of byte runs and pointers. */
function printContents(d: DataContents): string {
  if (d.relocs.length === 0) return byteRun(d.bytes).join(' ');
  const fields: [string, string][] = [];
  let at = 0;
  for (const r of d.relocs) {
    if (r.offset > at) fields.push(byteRun(d.bytes.subarray(at, r.offset)));
    const target = globalName(r.target.symbol);
    fields.push(['ptr', r.addend === 0 ? target : `getelementptr (i8, ptr ${target}, i64 ${r.addend})`]);
    at = r.offset + 8;
  }
  if (at < d.bytes.length) fields.push(byteRun(d.bytes.subarray(at)));
  return `<{ ${fields.map((f) => f[0]).join(', ')} }> <{ ${fields.map((f) => `${f[0]} ${f[1]}`).join(', ')} }>`;
}

/** A run of bytes as its type and initializer. */
function byteRun(bytes: Uint8Array): [string, string] {
  return [`[${bytes.length} x i8]`, bytes.every((b) => b === 0) ? 'zeroinitializer' : `c"${escapeBytes(bytes)}"`];
}

// ---- functions

function fnAttrs(f: FnDecl): string {
  return f.sig.noReturn ? 'nounwind noreturn' : 'nounwind';
}

function paramAttrs(p: ParamTy): string {
  let s = '';
  if (p.ext) s += p.ext === 'sext' ? ' signext' : ' zeroext';
  if (p.byval) s += ` byval([${p.byval.size} x i8]) align ${p.byval.align}`;
  if (p.sret) s += ` sret([${p.sret.size} x i8]) align ${p.sret.align}`;
  return s;
}

function paramList(ty: FnType, names: boolean): string {
  const parts = ty.params.map((p, i) => `${showTy(p.ty)}${paramAttrs(p)}${names ? ` %${i}` : ''}`);
  if (ty.variadic) parts.push('...');
  return parts.join(', ');
}

function printDeclare(f: FnDecl): string {
  return `declare ${showTy(f.fnTy.ret)} ${globalName(f.symbol)}(${paramList(f.fnTy, false)}) ${fnAttrs(f)}`;
}

class FnPrinter {
  private readonly numbers = new Map<Inst, number>();
  private readonly referenced = new Set<Block>();
  private readonly dropped = new Set<Inst>();
  private readonly lines: string[] = [];
  /** The source location of each line of `lines`. */
  private readonly locs: (SourceLoc | undefined)[] = [];

  constructor(
    private readonly m: IrModule,
    private readonly f: FnDecl,
    private readonly body: FnBody,
    private readonly debug?: DebugLocations,
  ) {}

  print(): { text: string; locs: (SourceLoc | undefined)[] } {
    const { f, body } = this;
    for (const b of body.blocks) if (b.term) for (const t of successors(b.term)) this.referenced.add(t);
    const blocks = body.blocks.filter((b) => this.keep(b));
    this.dropUnusedBoolWidening(blocks);
    let next = f.fnTy.params.length;
    for (const a of body.allocas) this.numbers.set(a, next++);
    for (const b of blocks) for (const i of b.insts) if (i.ty.kind !== 'void' && !this.dropped.has(i)) this.numbers.set(i, next++);

    const linkage = f.linkage === 'internal' ? 'internal ' : '';
    const sp = this.debug ? ` !dbg ${this.debug.subprogram(f, sourceLocs(blocks, this.dropped))}` : '';
    this.push(`define ${linkage}${showTy(f.fnTy.ret)} ${globalName(f.symbol)}(${paramList(f.fnTy, true)}) ${fnAttrs(f)}${sp} {`, undefined);
    // The builder never hands out its entry block, so nothing branches to it: stack slots go there.
    blocks.forEach((b, i) => this.block(b, i === 0 ? body.allocas : []));
    this.push('}', undefined);
    return { text: this.lines.join('\n'), locs: this.locs };
  }

  private push(line: string, loc: SourceLoc | undefined): void {
    this.lines.push(line);
    this.locs.push(loc);
  }

  /** `, !dbg !N` after an instruction or terminator when printing with debug locations. */
  private dbg(loc: SourceLoc | undefined): string {
    return this.debug ? `, !dbg ${this.debug.location(loc)}` : '';
  }

  /** The builder widens every comparison to an i8 the core may only branch on: unused ones are left out. */
  private dropUnusedBoolWidening(blocks: Block[]): void {
    const used = new Set<Value>();
    for (const b of blocks) {
      for (const i of b.insts) for (const v of operands(i)) used.add(v);
      if (b.term?.kind === 'condBr') used.add(b.term.cond);
      else if (b.term?.kind === 'switch') used.add(b.term.v);
      else if (b.term?.kind === 'ret' && b.term.value) used.add(b.term.value);
    }
    for (const b of blocks) {
      for (const i of b.insts) {
        if (i.op.op === 'cast' && i.op.code === 'zext' && !used.has(i) && sameTy(typeOf(i.op.v), I1)) this.dropped.add(i);
      }
    }
  }

  /**
   * Left out: blocks no branch targets that hold no instructions, which the core appended
   * but never filled, or the builder opened after a terminator (`trap(); unreachable()`).
   */
  private keep(b: Block): boolean {
    if (b.insts.length > 0 || this.referenced.has(b) || b === this.body.blocks[0]) return true;
    return b.term !== undefined && !b.dead;
  }

  private block(b: Block, allocas: Inst[]): void {
    this.push(`${b.label}:`, undefined);
    for (const a of allocas) this.inst(a);
    for (const i of b.insts) if (!this.dropped.has(i)) this.inst(i);
    if (b.term) this.term(b.term, b.termLoc);
    else if (b.dead) this.push(`  unreachable${this.dbg(undefined)}`, undefined);
    else throw new Error(`${this.m.unitName}: ${this.f.symbol}: block '${b.label}' has no terminator`);
  }

  private inst(i: Inst): void {
    const o = i.op;
    const def = i.ty.kind === 'void' ? '  ' : `  ${this.v(i)} = `;
    let text: string;
    switch (o.op) {
      case 'bin':
        text = `${o.code} ${this.typed(o.a)}, ${this.v(o.b)}`;
        break;
      case 'fneg':
        text = `fneg ${this.typed(o.a)}`;
        break;
      case 'icmp':
        text = `icmp ${o.pred} ${this.typed(o.a)}, ${this.v(o.b)}`;
        break;
      case 'fcmp':
        text = `fcmp ${o.pred} ${this.typed(o.a)}, ${this.v(o.b)}`;
        break;
      case 'cast':
        text = `${o.code} ${this.typed(o.v)} to ${showTy(i.ty)}`;
        break;
      case 'select':
        text = `select ${this.typed(o.cond)}, ${this.typed(o.a)}, ${this.typed(o.b)}`;
        break;
      case 'alloca':
        text = `alloca [${o.size} x i8], align ${o.align}`;
        break;
      case 'load':
        text = `load ${showTy(i.ty)}, ${this.typed(o.ptr)}, align ${o.align}`;
        break;
      case 'store':
        text = `store ${this.typed(o.v)}, ${this.typed(o.ptr)}, align ${o.align}`;
        break;
      case 'gep':
        text = `getelementptr i8, ${this.typed(o.ptr)}, ${this.typed(o.offset)}`;
        break;
      case 'call':
        text = this.call(i.ty, o.callee, o.fnTy, o.args, o.noReturn);
        break;
      case 'extract':
        text = `extractvalue ${this.typed(o.agg)}, ${o.index}`;
        break;
      case 'insert':
        text = `insertvalue ${this.typed(o.agg)}, ${this.typed(o.v)}, ${o.index}`;
        break;
    }
    // Stack slots belong to the whole function: no location.
    this.push(def + text + (o.op === 'alloca' ? '' : this.dbg(i.loc)), i.loc);
  }

  private call(ret: Ty, callee: Extract<Inst['op'], { op: 'call' }>['callee'], fnTy: FnType, args: CallArg[], noReturn: boolean): string {
    let target: string;
    let full: boolean;
    switch (callee.kind) {
      case 'fn':
        target = globalName(callee.fn.symbol);
        full = fnTy.variadic;
        break;
      case 'intrinsic':
        target = `@${callee.name}`;
        full = false;
        break;
      case 'value':
        target = this.v(callee.value);
        full = true;
        break;
    }
    // Variadic and indirect calls spell out the callee's type: `call i32 (ptr, ...) @printf(…)`.
    const head = full ? `${showTy(ret)} (${paramList({ ...fnTy, params: fnTy.params.map((p) => ({ ty: p.ty })) }, false)})` : showTy(ret);
    const argText = args.map((a) => `${showTy(a.param.ty)}${paramAttrs(a.param)}${a.align ? ` align ${a.align}` : ''} ${this.v(a.value)}`);
    return `call ${head} ${target}(${argText.join(', ')})${noReturn ? ' noreturn' : ''}`;
  }

  private term(t: Term, loc: SourceLoc | undefined): void {
    const dbg = this.dbg(loc);
    switch (t.kind) {
      case 'br':
        this.push(`  br label %${t.to.label}${dbg}`, loc);
        return;
      case 'condBr':
        this.push(`  br ${this.typed(t.cond)}, label %${t.then.label}, label %${t.otherwise.label}${dbg}`, loc);
        return;
      case 'switch': {
        const ty = typeOf(t.v);
        const bits = ty.kind === 'int' ? ty.bits : 64;
        this.push(`  switch ${this.typed(t.v)}, label %${t.otherwise.label} [`, loc);
        for (const [value, block] of t.cases) this.push(`    ${showTy(ty)} ${showInt(bits, value)}, label %${block.label}`, loc);
        this.push(`  ]${dbg}`, loc);
        return;
      }
      case 'ret':
        this.push((t.value ? `  ret ${this.typed(t.value)}` : '  ret void') + dbg, loc);
        return;
      case 'unreachable':
        this.push(`  unreachable${dbg}`, loc);
        return;
    }
  }

  private typed(v: Value): string {
    return `${showTy(typeOf(v))} ${this.v(v)}`;
  }

  private v(v: Value): string {
    switch (v.kind) {
      case 'param':
        return `%${v.index}`;
      case 'int':
        return showInt(v.ty.bits, v.value);
      case 'float':
        return showFloat(v.bits, v.raw);
      case 'null':
        return 'null';
      case 'undef':
        return 'undef';
      case 'fnAddr':
        return globalName(v.fn.symbol);
      case 'dataAddr': {
        const name = globalName(v.global.symbol);
        return v.offset === 0 ? name : `getelementptr (i8, ptr ${name}, i64 ${v.offset})`;
      }
      case 'inst': {
        const n = this.numbers.get(v);
        if (n === undefined) throw new Error(`${this.m.unitName}: ${this.f.symbol}: a value used here is defined in another function or a dropped block`);
        return `%${n}`;
      }
    }
  }
}

/** The source locations of the printed instructions and terminators of `blocks`, in order. */
function sourceLocs(blocks: Block[], dropped: Set<Inst>): SourceLoc[] {
  const out: SourceLoc[] = [];
  for (const b of blocks) {
    for (const i of b.insts) if (i.loc && !dropped.has(i)) out.push(i.loc);
    if (b.termLoc) out.push(b.termLoc);
  }
  return out;
}

/** The values an instruction reads. */
function operands(i: Inst): Value[] {
  const o = i.op;
  switch (o.op) {
    case 'bin':
    case 'icmp':
    case 'fcmp':
      return [o.a, o.b];
    case 'fneg':
      return [o.a];
    case 'cast':
      return [o.v];
    case 'select':
      return [o.cond, o.a, o.b];
    case 'alloca':
      return [];
    case 'load':
      return [o.ptr];
    case 'store':
      return [o.v, o.ptr];
    case 'gep':
      return [o.ptr, o.offset];
    case 'call':
      return o.callee.kind === 'value' ? [o.callee.value, ...o.args.map((a) => a.value)] : o.args.map((a) => a.value);
    case 'extract':
      return [o.agg];
    case 'insert':
      return [o.agg, o.v];
  }
}

function successors(t: Term): Block[] {
  switch (t.kind) {
    case 'br':
      return [t.to];
    case 'condBr':
      return [t.then, t.otherwise];
    case 'switch':
      return [t.otherwise, ...t.cases.map((c) => c[1])];
    case 'ret':
    case 'unreachable':
      return [];
  }
}
