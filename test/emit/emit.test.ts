// `emitFunction` in both forms, on corpus programs and test/fixtures/emit: the line map
// points into the function's own MIR body (or, in optimized assembly, into a callee the
// optimizer inlined), a known statement's instructions map to that statement's line,
// and the assembly holds the function and nothing else. Printing a module with the debug
// locations that assembly needs changes no instruction llc emits.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiagnosticSink, SourceFile } from '../../src/diagnostics.js';
import { emitFunction, type EmitForm, type EmitResult } from '../../src/emit.js';
import { compileAsm } from '../../src/backends/llvm/backend.js';
import { DebugInfo } from '../../src/backends/llvm/debug-info.js';
import { findLlvmTools, llvmBackend, printModule } from '../../src/backends/llvm/index.js';
import { asmListing } from '../../src/backends/llvm/asm-listing.js';
import { prepareCrate } from '../../src/prepare.js';
import { compileCodegenUnit } from '../../src/ssa/base.js';
import { CORPUS_DIR, FIXTURES } from '../support/paths.js';

interface Case {
  file: string;
  fn: string;
  cgus?: number;
  /**
   * A statement of the function (its MIR text): every IR line `ir` matches maps to it, and
   * so does at least one assembly line `asm` matches (llc may share others).
   */
  stmt?: { mir: string; ir: RegExp; asm: RegExp };
}

const corpus = (name: string): string => join(CORPUS_DIR, `${name}.mir`);
const fixture = (name: string): string => join(FIXTURES, 'emit', name);

const CASES: Case[] = [
  { file: corpus('t1_fib_rec'), fn: 'gcd', stmt: { mir: '_3 = Rem(copy _1, copy _2);', ir: /= urem i64 /, asm: /^\tdivq\t/ } },
  // A jump table at --opt 2.
  { file: corpus('t3_state_machine'), fn: 'apply', stmt: { mir: '_19 = AddWithOverflow(copy _11, copy _6);', ir: /@llvm\.sadd\.with\.overflow\.i64/, asm: /^\tadd[a-z]*\t/ } },
  // Constant pools at --opt 2.
  { file: corpus('t2_matrix'), fn: 'main' },
  // Four instances of a generic function, one after another.
  { file: corpus('t3_generics'), fn: 'sum_all' },
  { file: fixture('inline.mir'), fn: 'add_one', stmt: { mir: '_2 = AddWithOverflow(copy _1, const 1_u32);', ir: /@llvm\.uadd\.with\.overflow\.i32/, asm: /^\t(add|inc)l\t/ } },
  { file: fixture('inline.mir'), fn: 'entry', stmt: { mir: '_0 = Mul(copy _2, const 3_u32);', ir: /= mul i32 /, asm: /^\t(imul|lea)l\t/ } },
];

const FORMS: EmitForm[] = ['llvm-ir', 'asm'];
const OPTS = [0, 2] as const;

function source(path: string): SourceFile {
  return new SourceFile(path, readFileSync(path, 'utf8'));
}

/** Every item of a dump with a body, by name: its first and last line (1-based), header to closing brace. */
function bodies(text: string): Map<string, [number, number]> {
  const lines = text.split('\n');
  const out = new Map<string, [number, number]>();
  lines.forEach((l, i) => {
    const m = /^(?:fn (.+?)\(|(?:const|static) (.+?): .* = \{$)/.exec(l);
    if (!m) return;
    const end = lines.findIndex((e, j) => j > i && e === '}');
    out.set(m[1] ?? m[2]!, [i + 1, end + 1]);
  });
  return out;
}

function lineOf(src: SourceFile, text: string, range: [number, number]): number {
  const found: number[] = [];
  for (let l = range[0]; l <= range[1]; l++) if (src.lineText(l).trim() === text) found.push(l);
  expect(found, `\`${text}\` once in the function`).toHaveLength(1);
  return found[0]!;
}

async function emit(c: Case, form: EmitForm, opt: 0 | 2): Promise<EmitResult> {
  return emitFunction([source(c.file)], { backend: 'llvm', opt, cgus: c.cgus ?? 16, function: c.fn, form });
}

/** Whether an output line is code (an instruction or terminator), not a label, directive or comment. */
function isCode(form: EmitForm, line: string): boolean {
  return form === 'asm' ? /^\s+[a-z]/.test(line) : /^\s/.test(line) && !/^\s*;/.test(line);
}

describe('emit', () => {
  for (const c of CASES) {
    for (const opt of OPTS) {
      it(`${c.fn} in ${c.file.split('/').pop()} at --opt ${opt}`, async () => {
        const src = source(c.file);
        const items = bodies(src.text);
        const own = items.get(c.fn)!;
        expect(own).toBeDefined();
        const ir = await emit(c, 'llvm-ir', opt);
        const symbols = [...(ir.text ?? '').matchAll(/^define .*?@("[^"]+"|[^(\s]+)\(/gm)].map((m) => m[1]!);
        expect(symbols.length).toBeGreaterThan(0);
        for (const form of FORMS) {
          const r = form === 'llvm-ir' ? ir : await emit(c, form, opt);
          expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
          expect(r.function).toBe(c.fn);
          expect(r.unit).toMatch(/\S/);
          const text = r.text!;
          const out = text.split('\n');
          const lines = r.lines!;
          expect(lines.length).toBeGreaterThan(0);
          // In line order, on code, and into the function's own body — or, in optimized
          // assembly, into the body of a function inlined into it.
          const inlined = form === 'asm' && opt > 0;
          lines.forEach((l, i) => {
            if (i > 0) expect(l.output).toBeGreaterThan(lines[i - 1]!.output);
            expect(isCode(form, out[l.output] ?? ''), `line ${l.output}: ${out[l.output]}`).toBe(true);
            expect(l.file).toBe(c.file);
            const inOwn = l.line >= own[0] && l.line <= own[1];
            const inAny = [...items.values()].some(([a, b]) => l.line >= a && l.line <= b);
            expect(inOwn || (inlined && inAny), `${form} line ${l.output} → MIR line ${l.line}, outside ${c.fn} (${own[0]}–${own[1]})`).toBe(true);
            expect(l.column).toBeGreaterThanOrEqual(1);
          });
          expect(lines.some((l) => l.line > own[0] && l.line <= own[1])).toBe(true);
          if (form === 'asm') {
            // The function's labels and no other function's.
            const globals = out.flatMap((l) => /^([A-Za-z_$][\w$.]*):/.exec(l)?.[1] ?? []);
            expect(new Set(globals)).toEqual(new Set(symbols));
            const types = out.flatMap((l) => /^\s*\.type\s+([^,]+),@function/.exec(l)?.[1] ?? []);
            expect(new Set(types)).toEqual(new Set(symbols));
            expect(text).not.toMatch(/^\s*\.(loc|file)\s/m);
          }
          if (c.stmt) {
            const at = lineOf(src, c.stmt.mir, own);
            const pattern = form === 'asm' ? c.stmt.asm : c.stmt.ir;
            const code = lines.filter((l) => pattern.test(out[l.output]!));
            expect(code.length, `${pattern} mapped in ${text}`).toBeGreaterThan(0);
            if (form === 'llvm-ir') expect(code.every((l) => l.line === at)).toBe(true);
            else expect(code.some((l) => l.line === at)).toBe(true);
          }
        }
      });
    }
  }

  it('at --opt 2, a function inlined into its only caller has no assembly, and its caller maps the inlined statement', async () => {
    const file = fixture('inline.mir');
    const src = source(file);
    const addOne = bodies(src.text).get('add_one')!;
    const add = lineOf(src, '_2 = AddWithOverflow(copy _1, const 1_u32);', addOne);
    const gone = await emit({ file, fn: 'add_one', cgus: 1 }, 'asm', 2);
    expect(gone.text).toBeUndefined();
    expect(gone.diagnostics.map((d) => `${d.severity}: ${d.message}`)).toEqual([expect.stringMatching(/^warning: `add_one` has no code of its own at --opt 2/)]);
    // Its IR, as built, is still there.
    expect((await emit({ file, fn: 'add_one', cgus: 1 }, 'llvm-ir', 2)).text).toMatch(/^define /);
    const caller = await emit({ file, fn: 'entry', cgus: 1 }, 'asm', 2);
    const out = caller.text!.split('\n');
    expect(caller.lines!.some((l) => l.line === add && /^\t(add|inc)l\t/.test(out[l.output]!))).toBe(true);
  });

  it('names a function that is not compiled', async () => {
    const r = await emitFunction([source(corpus('t1_fib_rec'))], { backend: 'llvm', opt: 0, cgus: 16, function: 'no_such_fn', form: 'asm' });
    expect(r.text).toBeUndefined();
    expect(r.diagnostics.map((d) => d.message)).toEqual([expect.stringContaining('no function `no_such_fn`')]);
  });

  it('debug locations change no instruction llc emits, at --opt 0 and 2', async () => {
    const tools = await findLlvmTools();
    const backend = llvmBackend();
    for (const name of ['t3_state_machine', 't2_matrix']) {
      const prepared = prepareCrate([source(corpus(name))], { cgus: 4 });
      for (const unit of prepared.input!.units) {
        for (const opt of OPTS) {
          const m = compileCodegenUnit(backend, prepared.input!, unit, { opt }, new DiagnosticSink())!;
          const plain = await compileAsm(tools, unit.name, printModule(m.ir), opt);
          const debug = await compileAsm(tools, unit.name, printModule(m.ir, new DebugInfo(unit.name)), opt);
          expect(debug).toMatch(/^\s*\.loc\s/m);
          expect(withoutDebugInfo(plain).length).toBeGreaterThan(10);
          expect(withoutDebugInfo(debug), `${unit.name} at --opt ${opt}`).toEqual(withoutDebugInfo(plain));
        }
      }
    }
  });

  it('cuts one function out of llc output and maps its instructions', () => {
    const a = new SourceFile('a "b".mir', 'x\ny\nz\n');
    const asm = [
      '\t.text',
      '\t.globl\tother # -- Begin function other',
      'other:',
      '\t.file\t1 "a \\"b\\".mir"',
      '\t.loc\t1 1 5',
      '\tretq',
      '# -- End function',
      '\t.section\t.rodata.cst8,"aM",@progbits,8',
      '\t.p2align\t3 # -- Begin function f',
      '.LCPI1_0:',
      '\t.quad\t1',
      '\t.text',
      'f:',
      '.Lfunc_begin1:',
      '\t.loc\t1 2 0',
      '\t.cfi_startproc',
      '\tpushq\t%rax',
      '.Ltmp0:',
      '\t.loc\t1 3 7 prologue_end',
      '\tmovsd\t.LCPI1_0(%rip), %xmm0',
      '.Ltmp1:',
      '\tleaq\t.Ltmp1(%rip), %rax',
      '\t.loc\t1 0 7 is_stmt 0',
      '\tpopq\t%rcx',
      '\tretq',
      '\t.cfi_endproc',
      '# -- End function',
      '\t.cfi_sections .debug_frame',
    ].join('\n');
    const listing = asmListing(asm, 'f', (dir, name) => (dir === '' && name === a.name ? a : undefined))!;
    expect(listing.text.split('\n')).toEqual([
      '\t.section\t.rodata.cst8,"aM",@progbits,8',
      '\t.p2align\t3 # -- Begin function f',
      '.LCPI1_0:',
      '\t.quad\t1',
      '\t.text',
      'f:',
      '\tpushq\t%rax',
      '\tmovsd\t.LCPI1_0(%rip), %xmm0',
      '.Ltmp1:',
      '\tleaq\t.Ltmp1(%rip), %rax',
      '\tpopq\t%rcx',
      '\tretq',
      '# -- End function',
      '',
    ]);
    expect(listing.lines.map((l) => [l.output, l.file.name, l.line, l.column])).toEqual([
      [6, a.name, 2, 1],
      [7, a.name, 3, 7],
      [9, a.name, 3, 7],
    ]);
    expect(asmListing(asm, 'g', () => undefined)).toBeUndefined();
  });
});

/** Assembly without what debug info adds: `.loc`/`.file`, its labels, CFI for `.debug_frame`, its sections. */
function withoutDebugInfo(asm: string): string[] {
  const out: string[] = [];
  let skip = false;
  for (const l of asm.split('\n')) {
    if (/^\t\.section\t\.debug_/.test(l)) skip = true;
    else if (/^\t\.(text|file\t")/.test(l) || /^\t\.section\t/.test(l)) skip = false;
    if (skip || /^\s*\.(loc|file|cfi_\w+)\b/.test(l) || /^\.(Ltmp|Lfunc_begin|Lcu_begin|Lline_table_start)\d*:/.test(l)) continue;
    out.push(l.replace(/\s*#.*$/, ''));
  }
  return out.filter((l) => l !== '');
}
