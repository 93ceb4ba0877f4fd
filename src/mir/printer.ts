// Prints the syntax tree back as MIR text, in rustc's layout: what rustc printed comes
// back byte for byte apart from ordinary comments, and parse(print(x)) equals x.

import type {
  AggregateKind, AllocItem, AssertMessage, BasicBlock, Body, Const, ConstArg, DebugVar, FnSig, GenericArg, Item,
  MirFile, Operand, Path, Place, Rvalue, Scope, Statement, Terminator, Ty, UnwindAction,
} from './ast.js';
import { ASSERT_TEMPLATES } from './parse/body.js';
import { intLimits } from './parse/operand.js';

export function printFile(file: MirFile): string {
  return file.items.map(printItem).join('\n');
}

export function printItem(item: Item): string {
  switch (item.kind) {
    case 'fn': {
      const params = item.params.map((p) => `_${p.local}: ${printTy(p.ty)}`).join(', ');
      const generics = item.generics ? `<${item.generics.join(', ')}>` : '';
      const head = `${item.ctfe ? '// MIR FOR CTFE\n' : ''}${item.exported ? '#[no_mangle]\n' : ''}fn ${printPath(item.name, 'value')}${generics}(${params}) -> ${printTy(item.ret)} `;
      return head + printBody(item.body);
    }
    case 'static':
      return `${item.exported ? '#[no_mangle]\n' : ''}static ${item.mutable ? 'mut ' : ''}${printPath(item.name, 'value')}: ${printTy(item.ty)} = ${printBody(item.body)}`;
    case 'const': {
      // rustc drops the keyword for anonymous consts that have a body.
      const last = item.name.segments[item.name.segments.length - 1]!;
      const keyword = item.body && last.kind === 'disambig' && last.name === 'constant' ? '' : 'const ';
      const head = `${item.ctfe ? '// MIR FOR CTFE\n' : ''}${keyword}${printPath(item.name, 'value')}: ${printTy(item.ty)} = `;
      return item.body ? head + printBody(item.body) : `${head}const ${printConst(item.value!)};\n`;
    }
    case 'alloc':
      return printAlloc(item);
    case 'adt': {
      const repr = item.repr.length > 0 ? `#[repr(${item.repr.join(', ')})]\n` : '';
      const generics = item.generics.length > 0 ? `<${item.generics.join(', ')}>` : '';
      const fields = (v: (typeof item.variants)[number]) =>
        v.braced ? ` { ${v.fields.map((f) => `${f.name}: ${printTy(f.ty)}`).join(', ')} }` : v.fields.length > 0 ? `(${v.fields.map((f) => printTy(f.ty)).join(', ')})` : '';
      const name = printPath(item.name, 'type') + generics;
      if (item.adtKind !== 'enum') {
        const v = item.variants[0]!;
        return `${repr}${item.adtKind} ${name}${fields(v)}${v.braced ? '' : ';'}\n`;
      }
      const variants = item.variants.map((v) => `    ${v.name}${fields(v)}${v.discriminant !== undefined ? ` = ${v.discriminant}` : ''},\n`);
      return `${repr}enum ${name} {\n${variants.join('')}}\n`;
    }
    case 'extern': {
      const fns = item.fns.map((f) => {
        const params = f.params.map(printTy);
        if (f.variadic) params.push('...');
        return `    fn ${f.name}(${params.join(', ')}) -> ${printTy(f.ret)};\n`;
      });
      return `extern "${item.abi}" {\n${fns.join('')}}\n`;
    }
  }
}

function printBody(body: Body): string {
  const out: string[] = ['{\n'];
  printScopeContents(body.root, 1, out);
  for (const b of body.blocks) {
    out.push('\n');
    printBlock(b, out);
  }
  out.push('}\n');
  return out.join('');
}

function indent(depth: number): string {
  return '    '.repeat(depth);
}

function printScopeContents(scope: Scope, depth: number, out: string[]): void {
  const ind = indent(depth);
  for (const d of scope.debugs) out.push(`${ind}${printDebug(d)}\n`);
  for (const l of scope.locals) out.push(`${ind}let ${l.mutable ? 'mut ' : ''}_${l.local}: ${printTy(l.ty)};\n`);
  for (const child of scope.children) {
    out.push(`${ind}scope ${child.index}${child.inlined !== undefined ? ` (inlined ${child.inlined})` : ''} {\n`);
    printScopeContents(child, depth + 1, out);
    out.push(`${ind}}\n`);
  }
}

function printDebug(d: DebugVar): string {
  let name = d.name;
  if (d.composite) {
    name = `(${d.name}: ${printTy(d.composite.ty)})`;
    for (const f of d.composite.path) name = `(${name}.${f.index}: ${printTy(f.ty)})`;
  }
  const value = d.value.kind === 'place' ? printPlace(d.value.place) : `const ${printConst(d.value.value)}`;
  return `debug ${name} => ${value};`;
}

function printBlock(b: BasicBlock, out: string[]): void {
  out.push(`    bb${b.id}${b.cleanup ? ' (cleanup)' : ''}: {\n`);
  for (const s of b.statements) out.push(`        ${printStatement(s)}\n`);
  out.push(`        ${printTerminator(b.terminator)}\n`);
  out.push('    }\n');
}

export function printStatement(s: Statement): string {
  switch (s.kind) {
    case 'assign':
      return `${printPlace(s.place)} = ${printRvalue(s.rvalue)};`;
    case 'fakeRead':
      return `FakeRead(${s.cause}, ${printPlace(s.place)});`;
    case 'setDiscriminant':
      return `discriminant(${printPlace(s.place)}) = ${s.variant};`;
    case 'deinit':
      return `Deinit(${printPlace(s.place)});`;
    case 'storageLive':
      return `StorageLive(_${s.local});`;
    case 'storageDead':
      return `StorageDead(_${s.local});`;
    case 'retag':
      return `Retag(${s.retagKind !== undefined ? `[${s.retagKind}] ` : ''}${printPlace(s.place)});`;
    case 'placeMention':
      return `PlaceMention(${printPlace(s.place)});`;
    case 'ascribeUserType':
      return `AscribeUserType(${printPlace(s.place)}, ${s.text});`;
    case 'coverage':
      return `Coverage${s.text};`;
    case 'assume':
      return `assume(${printOperand(s.operand)});`;
    case 'copyNonOverlapping':
      return `copy_nonoverlapping(dst = ${printOperand(s.dst)}, src = ${printOperand(s.src)}, count = ${printOperand(s.count)});`;
    case 'constEvalCounter':
      return 'ConstEvalCounter;';
    case 'nop':
      return 'nop;';
    case 'backwardIncompatibleDropHint':
      return `BackwardIncompatibleDropHint(${printPlace(s.place)});`;
    case 'debugInfo':
      return `// DBG: _${s.local} = &${s.place ? printPlace(s.place) : '?'};`;
  }
}

function printUnwind(u: UnwindAction): string {
  switch (u.kind) {
    case 'continue':
      return 'unwind continue';
    case 'unreachable':
      return 'unwind unreachable';
    case 'terminate':
      return `unwind terminate(${u.reason})`;
    case 'cleanup':
      return `unwind: bb${u.block}`;
  }
}

function printCallee(op: Operand): string {
  return op.kind === 'const' && op.value.kind === 'path' ? printPath(op.value.path, 'value') : printOperand(op);
}

export function printTerminator(t: Terminator): string {
  switch (t.kind) {
    case 'goto':
      return `goto -> bb${t.target};`;
    case 'switchInt': {
      if (t.targets.length === 0) return `switchInt(${printOperand(t.discr)}) -> bb${t.otherwise};`;
      const arms = t.targets.map((x) => `${x.value}: bb${x.target}`);
      arms.push(`otherwise: bb${t.otherwise}`);
      return `switchInt(${printOperand(t.discr)}) -> [${arms.join(', ')}];`;
    }
    case 'unwindResume':
      return 'resume;';
    case 'unwindTerminate':
      return `terminate(${t.reason});`;
    case 'return':
      return 'return;';
    case 'unreachable':
      return 'unreachable;';
    case 'drop': {
      const labels = [`return: bb${t.target}`];
      if (t.unwind.kind === 'cleanup') labels.push(printUnwind(t.unwind));
      if (t.dropTarget !== undefined) labels.push(`drop: bb${t.dropTarget}`);
      if (t.unwind.kind !== 'cleanup') labels.push(printUnwind(t.unwind));
      return `drop(${printPlace(t.place)}) -> [${labels.join(', ')}];`;
    }
    case 'call': {
      const call = `${printPlace(t.dest)} = ${printCallee(t.func)}(${t.args.map(printOperand).join(', ')})`;
      if (t.target !== undefined) return `${call} -> [return: bb${t.target}, ${printUnwind(t.unwind)}];`;
      // A diverging call's lone cleanup successor prints without its label.
      return t.unwind.kind === 'cleanup' ? `${call} -> bb${t.unwind.block};` : `${call} -> ${printUnwind(t.unwind)};`;
    }
    case 'tailCall':
      return `tailcall ${printCallee(t.func)}(${t.args.map(printOperand).join(', ')});`;
    case 'assert': {
      const { template, args } = assertParts(t.msg);
      const all = [`${t.expected ? '' : '!'}${printOperand(t.cond)}`, template, ...args.map(printOperand)];
      return `assert(${all.join(', ')}) -> [success: bb${t.target}, ${printUnwind(t.unwind)}];`;
    }
    case 'falseEdge':
      return `falseEdge -> [real: bb${t.real}, imaginary: bb${t.imaginary}];`;
    case 'falseUnwind':
      return `falseUnwind -> [real: bb${t.real}, ${printUnwind(t.unwind)}];`;
  }
}

function assertParts(m: AssertMessage): { template: string; args: Operand[] } {
  switch (m.kind) {
    case 'boundsCheck':
      return { template: ASSERT_TEMPLATES.boundsCheck, args: [m.len, m.index] };
    case 'overflow': {
      const template = ASSERT_TEMPLATES.overflow.find(([, op]) => op === m.op)![0];
      return { template, args: m.lhs ? [m.lhs, m.rhs] : [m.rhs] };
    }
    case 'overflowNeg':
      return { template: ASSERT_TEMPLATES.overflowNeg, args: [m.operand] };
    case 'divisionByZero':
      return { template: ASSERT_TEMPLATES.divisionByZero, args: [m.operand] };
    case 'remainderByZero':
      return { template: ASSERT_TEMPLATES.remainderByZero, args: [m.operand] };
    case 'misalignedPointerDereference':
      return { template: ASSERT_TEMPLATES.misaligned, args: [m.required, m.found] };
    case 'nullPointerDereference':
      return { template: ASSERT_TEMPLATES.nullPointer, args: [] };
    case 'invalidEnumConstruction':
      return { template: ASSERT_TEMPLATES.invalidEnum, args: [m.operand] };
    case 'resumedAfter':
      return { template: `"${m.what}"`, args: [] };
  }
}

export function printRvalue(r: Rvalue): string {
  switch (r.kind) {
    case 'use':
      return printOperand(r.operand);
    case 'repeat':
      return `[${printOperand(r.operand)}; ${printConstArg(r.count)}]`;
    case 'ref': {
      const region = r.region ? `${r.region} ` : '';
      const kind = r.borrow === 'mut' ? 'mut ' : r.borrow === 'fakeShallow' ? 'fake shallow ' : r.borrow === 'fakeDeep' ? 'fake ' : '';
      return `&${region}${kind}${printPlace(r.place)}`;
    }
    case 'threadLocalRef':
      return `&/*tls*/ ${r.mutable ? 'mut ' : ''}${printPath(r.path, 'value')}`;
    case 'rawPtr':
      return `&raw ${r.mutability === 'fake' ? 'const (fake)' : r.mutability} ${printPlace(r.place)}`;
    case 'cast': {
      const kind = r.cast.kind === 'PointerCoercion' ? `PointerCoercion(${r.cast.coercion}${r.cast.source ? `, ${r.cast.source}` : ''})` : r.cast.kind;
      const operand = r.operand.kind === 'const' && r.operand.bare ? printCallee(r.operand) : printOperand(r.operand);
      return `${operand} as ${printTy(r.ty)} (${kind})`;
    }
    case 'binary':
      return `${r.op}(${printOperand(r.lhs)}, ${printOperand(r.rhs)})`;
    case 'nullary':
      if (r.op === 'UbChecks' || r.op === 'ContractChecks') return `${r.op}()`;
      return r.op === 'OffsetOf' ? `OffsetOf(${printTy(r.ty)}, [${r.fields ?? ''}])` : `${r.op}(${printTy(r.ty)})`;
    case 'unary':
      return `${r.op}(${printOperand(r.operand)})`;
    case 'discriminant':
      return `discriminant(${printPlace(r.place)})`;
    case 'aggregate':
      return printAggregate(r.agg, r.operands);
    case 'shallowInitBox':
      return `ShallowInitBox(${printOperand(r.operand)}, ${printTy(r.ty)})`;
    case 'copyForDeref':
      return `deref_copy ${printPlace(r.place)}`;
    case 'wrapUnsafeBinder':
      return `wrap_binder!(${printOperand(r.operand)}; ${printTy(r.ty)})`;
  }
}

function printAggregate(agg: AggregateKind, ops: Operand[]): string {
  const list = () => ops.map(printOperand).join(', ');
  const braced = (names: string[]) => ` { ${ops.map((o, i) => `${names[i]}: ${printOperand(o)}`).join(', ')} }`;
  switch (agg.kind) {
    case 'array':
      return `[${list()}]`;
    case 'tuple':
      return ops.length === 1 ? `(${list()},)` : `(${list()})`;
    case 'adt': {
      const path = printPath(agg.path, 'value');
      if (agg.braced) return path + braced(agg.fieldNames ?? []);
      return ops.length > 0 ? `${path}(${list()})` : path;
    }
    case 'closure':
    case 'coroutine':
      return `{${agg.text}}${ops.length > 0 ? braced(agg.fieldNames) : ''}`;
    case 'rawPtr':
      return `*${agg.mutable ? 'mut' : 'const'} ${printTy(agg.ty)} from (${list()})`;
  }
}

export function printOperand(o: Operand): string {
  switch (o.kind) {
    case 'copy':
      return `copy ${printPlace(o.place)}`;
    case 'move':
      return `move ${printPlace(o.place)}`;
    case 'const':
      return o.bare ? printCallee(o) : `const ${printConst(o.value)}`;
    case 'runtimeChecks':
      return o.check;
  }
}

export function printPlace(p: Place): string {
  let s = `_${p.local}`;
  for (const e of p.projection) {
    switch (e.kind) {
      case 'deref':
        s = `(*${s})`;
        break;
      case 'field':
        s = `(${s}.${e.index}: ${printTy(e.ty)})`;
        break;
      case 'index':
        s = `${s}[_${e.local}]`;
        break;
      case 'constIndex':
        s = `${s}[${e.fromEnd ? '-' : ''}${e.offset} of ${e.minLength}]`;
        break;
      case 'subslice':
        if (!e.fromEnd) s = `${s}[${e.from}..${e.to}]`;
        else if (e.to === 0) s = `${s}[${e.from}:]`;
        else if (e.from === 0) s = `${s}[:-${e.to}]`;
        else s = `${s}[${e.from}:-${e.to}]`;
        break;
      case 'downcast':
        s = `(${s} as ${e.variant})`;
        break;
      case 'opaqueCast':
        s = `(${s} as opaque ${printTy(e.ty)})`;
        break;
      case 'subtype':
        s = `(${s} as subtype ${printTy(e.ty)})`;
        break;
    }
  }
  return s;
}

export function printConst(c: Const): string {
  switch (c.kind) {
    case 'int': {
      if (c.spelled) return printPath(c.spelled, 'value');
      if (!c.ty) return `${c.value}`;
      const [min, max] = intLimits(c.ty);
      // rustc names the extremes (`u64::MAX`, `i32::MIN`), but not an unsigned 0.
      if (c.value === max || (c.value === min && min !== 0n)) return `${c.ty}::${c.value === max ? 'MAX' : 'MIN'}`;
      return `${c.value}_${c.ty}`;
    }
    case 'float':
      return c.text;
    case 'bool':
      return String(c.value);
    case 'char':
      return `'${escapeChar(c.value, "'")}'`;
    case 'unit':
      return '()';
    case 'str':
      return `"${[...c.value].map((ch) => escapeChar(ch.codePointAt(0)!, '"')).join('')}"`;
    case 'byteStr':
      return `${c.byValue ? '*' : ''}b"${Array.from(c.bytes, escapeByte).join('')}"`;
    case 'path':
      return printPath(c.path, 'value');
    case 'ctor': {
      const path = printPath(c.path, 'value');
      if (c.braced) return `${path} {{ ${c.fields.map((f) => `${f.name}: ${printConst(f.value)}`).join(', ')} }}`;
      return `${path}(${c.fields.map((f) => printConst(f.value)).join(', ')})`;
    }
    case 'tuple':
      return c.elems.length === 1 ? `(${printConst(c.elems[0]!)},)` : `(${c.elems.map(printConst).join(', ')})`;
    case 'array':
      return `[${c.elems.map(printConst).join(', ')}]`;
    case 'alloc':
      return `{alloc${c.alloc}${c.offset !== undefined ? `+0x${c.offset.toString(16)}` : ''}${c.imm ? '<imm>' : ''}: ${printTy(c.ty)}}`;
    case 'fnPtr':
      return `{${printPath(c.path, 'value')} as ${printTy(c.ty)}}`;
    case 'transmute':
      return `{transmute(0x${c.bits.toString(16).padStart(c.digits, '0')}): ${printTy(c.ty)}}`;
    case 'intPtr':
      return `{0x${c.value.toString(16)} as ${printTy(c.ty)}}`;
    case 'indirect':
      return `Indirect { alloc_id: alloc${c.alloc}, offset: Size(${c.offset} bytes) }: ${printTy(c.ty)}`;
    case 'zst':
      return `ZeroSized: ${printTy(c.ty)}`;
    case 'uninit':
      return '<uninit>';
  }
}

const NEEDS_UNICODE_ESCAPE = /[\p{Cc}\p{Cn}\p{Co}\p{Cs}\p{Zl}\p{Zp}\p{Cf}\p{Mn}]/u;

/** Rust's `char::escape_debug`, close enough for every character rustc's MIR holds. */
function escapeChar(cp: number, quote: string): string {
  switch (cp) {
    case 0:
      return '\\0';
    case 9:
      return '\\t';
    case 10:
      return '\\n';
    case 13:
      return '\\r';
    case 92:
      return '\\\\';
  }
  const ch = String.fromCodePoint(cp);
  if (ch === quote) return `\\${quote}`;
  if (cp === 32) return ch;
  if (NEEDS_UNICODE_ESCAPE.test(ch)) return `\\u{${cp.toString(16)}}`;
  return ch;
}

/** Rust's `ascii::escape_default`, as rustc prints byte strings. */
function escapeByte(b: number): string {
  switch (b) {
    case 9:
      return '\\t';
    case 10:
      return '\\n';
    case 13:
      return '\\r';
    case 34:
      return '\\"';
    case 39:
      return "\\'";
    case 92:
      return '\\\\';
  }
  if (b >= 0x20 && b < 0x7f) return String.fromCharCode(b);
  return `\\x${b.toString(16).padStart(2, '0')}`;
}

// ---------------------------------------------------------------- types and paths

export function printTy(t: Ty): string {
  switch (t.kind) {
    case 'int':
    case 'float':
      return t.name;
    case 'bool':
    case 'char':
    case 'str':
      return t.kind;
    case 'never':
      return '!';
    case 'tuple':
      return t.elems.length === 1 ? `(${printTy(t.elems[0]!)},)` : `(${t.elems.map(printTy).join(', ')})`;
    case 'array':
      return `[${printTy(t.elem)}; ${printConstArg(t.len)}]`;
    case 'slice':
      return `[${printTy(t.elem)}]`;
    case 'ref':
      return `&${t.region ? `${t.region} ` : ''}${t.mutable ? 'mut ' : ''}${printTy(t.pointee)}`;
    case 'ptr':
      return `*${t.mutable ? 'mut' : 'const'} ${printTy(t.pointee)}`;
    case 'fnPtr':
      return `${t.binder ? `for<${t.binder.join(', ')}> ` : ''}${printSig(t.sig)}`;
    case 'fnDef':
      return `${printSig(t.sig)} {${printPath(t.item, 'value')}}`;
    case 'named':
      return printPath(t.path, 'type');
    case 'projection':
      return `<${printTy(t.self)} as ${printPath(t.trait, 'type')}>::${t.name}`;
    case 'dyn':
      return `dyn ${t.bounds.map((b) => printPath(b, 'type')).join(' + ')}${t.region ? ` + ${t.region}` : ''}`;
    case 'impl':
      return `impl ${t.bounds.map((b) => printPath(b, 'type')).join(' + ')}`;
    case 'closure':
      return `{${t.text}}`;
    case 'infer':
      return '_';
  }
}

function printSig(s: FnSig): string {
  const params = s.params.map(printTy);
  if (s.variadic) params.push('...');
  const ret = s.ret.kind === 'tuple' && s.ret.elems.length === 0 ? '' : ` -> ${printTy(s.ret)}`;
  return `${s.unsafe ? 'unsafe ' : ''}${s.abi !== undefined ? `extern "${s.abi}" ` : ''}fn(${params.join(', ')})${ret}`;
}

export function printConstArg(c: ConstArg): string {
  switch (c.kind) {
    case 'value':
      return c.suffix ? `${c.value}_${c.suffix}` : `${c.value}`;
    case 'param':
      return c.name;
    case 'opaque':
      return c.text;
  }
}

function printGenericArgs(args: GenericArg[]): string {
  return `<${args.map(printGenericArg).join(', ')}>`;
}

function printGenericArg(a: GenericArg): string {
  switch (a.kind) {
    case 'type':
      return printTy(a.ty);
    case 'lifetime':
      return a.name;
    case 'const':
      return printConstArg(a.value);
    case 'binding':
      return `${a.name} = ${printTy(a.ty)}`;
  }
}

export function printPath(p: Path, mode: 'type' | 'value'): string {
  const parts: string[] = [];
  for (const s of p.segments) {
    switch (s.kind) {
      case 'ident': {
        if (s.sugar && s.args) {
          const inputs = s.args[0]?.kind === 'type' && s.args[0].ty.kind === 'tuple' ? s.args[0].ty.elems.map(printTy).join(', ') : '';
          const out = s.args[1]?.kind === 'binding' ? ` -> ${printTy(s.args[1].ty)}` : '';
          parts.push(`${s.name}(${inputs})${out}`);
        } else if (s.args) parts.push(`${s.name}${mode === 'value' ? '::' : ''}${printGenericArgs(s.args)}`);
        else parts.push(s.name);
        break;
      }
      case 'impl':
        parts.push(`<${s.text}>`);
        break;
      case 'qualified':
        parts.push(s.trait ? `<${printTy(s.self)} as ${printPath(s.trait, 'type')}>` : `<${printTy(s.self)}>`);
        break;
      case 'disambig':
        parts.push(`{${s.name}#${s.index}}`);
        break;
      case 'promoted':
        parts.push(`promoted[${s.index}]`);
        break;
    }
  }
  return parts.join('::');
}

// ---------------------------------------------------------------- allocations

const PTR_SIZE = 8;

function printAlloc(a: AllocItem): string {
  const al = a.alloc;
  switch (al.kind) {
    case 'vtable':
      return `alloc${a.id} (vtable: ${al.text})\n`;
    case 'typeId':
      return `alloc${a.id} (typeid for ${al.text})\n`;
    case 'fn':
      return `alloc${a.id} (fn: ${al.text})\n`;
    case 'static':
      return `alloc${a.id} (static: ${al.name})\n`;
    case 'externStatic':
      return `alloc${a.id} (extern static: ${al.text})\n`;
    case 'memory':
      break;
  }
  const head = `alloc${a.id} (${al.static !== undefined ? `static: ${al.static}, ` : ''}size: ${al.size}, align: ${al.align}) {`;
  if (al.size === 0) return `${head}}\n`;
  // Cells: one per byte, as [hex text, ascii text]; a relocation's cells merge into one run.
  const relocAt = new Map<number, (typeof al.relocs)[number]>();
  for (const r of al.relocs) relocAt.set(r.offset, r);
  const lines: string[] = [];
  const prefixWidth = al.size > 16 ? Math.max(1, al.size.toString(16).length) : 0;
  let off = 0;
  let pendingReloc: { label: string; left: number } | undefined;
  while (off < al.size) {
    const lineStart = off;
    const lineEnd = Math.min(al.size, lineStart + 16);
    let hex = '';
    let ascii = '';
    for (let i = lineStart; i < lineEnd; ) {
      const r = relocAt.get(i);
      if (r || pendingReloc) {
        const label = pendingReloc ? pendingReloc.label : `alloc${r!.alloc}${r!.addend ? `+0x${r!.addend.toString(16)}` : ''}${r!.imm ? '<imm>' : ''}`;
        const left = pendingReloc ? pendingReloc.left : PTR_SIZE;
        const here = Math.min(left, lineEnd - i);
        hex += (hex ? ' ' : '') + drawReloc(label, here, !pendingReloc, here === left, left === PTR_SIZE && here === left);
        ascii += (pendingReloc ? '' : '╾') + '─'.repeat(Math.max(0, here - (pendingReloc ? 0 : 1) - (here === left ? 1 : 0))) + (here === left ? '╼' : '');
        pendingReloc = here === left ? undefined : { label, left: left - here };
        i += here;
        continue;
      }
      const b = al.bytes[i]!;
      const init = al.init[i] === 1;
      hex += (hex ? ' ' : '') + (init ? b.toString(16).padStart(2, '0') : '__');
      ascii += !init ? '░' : b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
      i++;
    }
    hex = hex.padEnd(16 * 3 - 1, ' ');
    const prefix = prefixWidth > 0 ? `0x${lineStart.toString(16).padStart(prefixWidth, '0')} │ ` : '';
    lines.push(`    ${prefix}${hex} │ ${ascii}`);
    off = lineEnd;
  }
  return `${head}\n${lines.join('\n')}\n}\n`;
}

/** `╾─────alloc7<imm>─────╼`: 3 characters a byte, label centred; split over lines when needed. */
function drawReloc(label: string, bytes: number, open: boolean, close: boolean, whole: boolean): string {
  const width = bytes * 3 - 1;
  if (whole) {
    const inner = width - 2;
    const pad = Math.max(0, inner - label.length);
    const left = Math.floor(pad / 2);
    return `╾${'─'.repeat(left)}${label}${'─'.repeat(pad - left)}╼`;
  }
  // A relocation crossing a line: the label goes with its opening part.
  const body = open ? `╾${label}` : '';
  const fill = Math.max(0, width - body.length - (close ? 1 : 0));
  return `${body}${'─'.repeat(fill)}${close ? '╼' : ''}`;
}
