// The LSP features of server/language.ts on real corpus files and small inline
// fixtures. In a fixture, `$0` marks the cursor and is removed from the text.

import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DiagnosticSeverity, type DocumentSymbol, type Hover, type Position, SymbolKind } from 'vscode-languageserver';
import { describe, expect, it } from 'vitest';
import { type Diagnostic, SourceFile } from '../../src/diagnostics.js';
import { checkCrate } from '../../src/mir/check.js';
import {
  codeLenses, definition, documentSymbols, EXPLAIN_COMMAND, hover, type PlacementInfo, SHOW_GENERATED_CODE_COMMAND, toLspDiagnostics,
} from '../../server/language.js';
import { CORPUS_DIR, corpusMirFiles, FIXTURES } from '../support/paths.js';

function corpusFile(name: string): SourceFile {
  const path = join(CORPUS_DIR, name);
  return new SourceFile(path, readFileSync(path, 'utf8'));
}

/** A file from fixture text with one `$0` cursor marker: the file and the marker's position. */
function fixture(text: string, name = 'fixture.mir'): { file: SourceFile; position: Position } {
  const at = text.indexOf('$0');
  const clean = text.replace('$0', '');
  const before = clean.slice(0, Math.max(0, at)).split('\n');
  return { file: new SourceFile(name, clean), position: { line: before.length - 1, character: before[before.length - 1]!.length } };
}

/** The position of the first occurrence of `needle` on the first line matching `line` (offset by `plus` characters). */
function positionOf(file: SourceFile, line: RegExp, needle: string, plus = 0): Position {
  const lines = file.text.split('\n');
  const l = lines.findIndex((x) => line.test(x));
  expect(l, `no line matches ${line}`).toBeGreaterThanOrEqual(0);
  const c = lines[l]!.indexOf(needle);
  expect(c, `${needle} is not on line ${l + 1}`).toBeGreaterThanOrEqual(0);
  return { line: l, character: c + plus };
}

function markdown(h: Hover | null): string {
  expect(h).not.toBeNull();
  const c = h!.contents as { kind: string; value: string };
  expect(c.kind).toBe('markdown');
  return c.value;
}

const uriOf = (f: SourceFile) => `file://${f.name.startsWith('/') ? '' : '/'}${f.name}`;

const BAD = `fn add(_1: i32, _2: i64) -> i32 {
    let mut _0: i32;

    bb0: {
        _0 = Add(copy _1, copy _2);
        return;
    }
}
`;

describe('toLspDiagnostics', () => {
  it('gives the README example its 0-based range', () => {
    const file = new SourceFile('bad.mir', BAD);
    const diags = toLspDiagnostics(checkCrate([file]).diagnostics, file);
    expect(diags).toEqual([
      {
        range: { start: { line: 4, character: 8 }, end: { line: 4, character: 35 } },
        severity: DiagnosticSeverity.Error,
        source: 'codegend',
        message: 'mismatched operand types for `Add`: `i32` and `i64`',
      },
    ]);
  });

  it('counts UTF-16 code units on a line with non-ASCII text', () => {
    // `é` is one code unit, `😀` two: the error starts at character 8 + 18.
    const text = BAD.replace('let mut _0: i32;', 'let mut _0: i32;\n    let _3: &str;').replace('        _0 = Add', '        _3 = const "é😀"; _0 = Add');
    const file = new SourceFile('bad.mir', text);
    const diags = toLspDiagnostics(checkCrate([file]).diagnostics, file);
    expect(diags.map((d) => d.range)).toEqual([{ start: { line: 5, character: 26 }, end: { line: 5, character: 53 } }]);
  });

  it('keeps the file\'s own diagnostics, appends notes, maps severities and widens empty spans', () => {
    const file = new SourceFile('a.mir', 'fn f() -> () {\n}\n');
    const other = new SourceFile('b.mir', 'x');
    const diags: Diagnostic[] = [
      { severity: 'warning', message: 'w', file, span: { lo: 3, hi: 4 }, notes: ['first', 'second'] },
      { severity: 'error', message: 'elsewhere', file: other, span: { lo: 0, hi: 1 } },
      { severity: 'note', message: 'n', file, span: { lo: 15, hi: 15 } },
    ];
    expect(toLspDiagnostics(diags, file)).toEqual([
      { range: { start: { line: 0, character: 3 }, end: { line: 0, character: 4 } }, severity: DiagnosticSeverity.Warning, source: 'codegend', message: 'w\nnote: first\nnote: second' },
      { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } }, severity: DiagnosticSeverity.Information, source: 'codegend', message: 'n' },
    ]);
  });
});

/** The `fn` lines of a file, as the outline should list them: name and 0-based line. */
function fnLines(file: SourceFile): { name: string; line: number }[] {
  return file.text.split('\n').flatMap((l, i) => {
    const m = /^fn ([^(]+)\(/.exec(l);
    return m ? [{ name: m[1]!.replace(/<[A-Za-z, ]*>$/, ''), line: i }] : [];
  });
}

function functionsOf(symbols: DocumentSymbol[]): { name: string; line: number }[] {
  return symbols.filter((s) => s.kind === SymbolKind.Function).map((s) => ({ name: s.name, line: s.selectionRange.start.line }));
}

describe('documentSymbols', () => {
  it.each(corpusMirFiles().map((f) => [basename(f), f]))('%s lists every function on its header line', (_name, path) => {
    const file = new SourceFile(path, readFileSync(path, 'utf8'));
    const symbols = documentSymbols(file);
    expect(functionsOf(symbols)).toEqual(fnLines(file));
    const lines = file.text.split('\n');
    for (const s of symbols) {
      // The selection is the name, inside the item's range.
      const sel = s.selectionRange;
      if (sel.start.line === sel.end.line) expect(lines[sel.start.line]!.slice(sel.start.character, sel.end.character)).toBe(s.kind === SymbolKind.Function ? s.name : lines[sel.start.line]!.slice(sel.start.character, sel.end.character));
      expect(s.range.start.line).toBeLessThanOrEqual(sel.start.line);
      expect(s.range.end.line).toBeGreaterThanOrEqual(sel.end.line);
    }
  });

  it('gives each kind of item its symbol kind, range and detail', () => {
    const file = corpusFile('t3_generics.mir');
    const symbols = documentSymbols(file);
    const byName = (n: string) => symbols.find((s) => s.name === n)!;
    const add = byName('<impl at t3_generics.rs:73:1: 73:19>::add');
    expect(add).toMatchObject({ kind: SymbolKind.Function, detail: '(_1: Money, _2: Money) -> Money' });
    expect(add.selectionRange.start).toEqual(positionOf(file, /^fn <impl at t3_generics.rs:73:1: 73:19>::add/, '<'));
    // The whole function: from its header to its closing brace.
    const lines = file.text.split('\n');
    expect(lines[add.range.end.line]).toBe('}');
    expect(lines.slice(add.range.start.line, add.range.end.line).filter((l) => l === '}')).toEqual([]);
    expect(byName('<impl at t3_generics.rs:29:1: 29:17>::ZERO')).toMatchObject({ kind: SymbolKind.Constant, detail: 'const i32' });
    expect(byName('alloc1')).toMatchObject({ kind: SymbolKind.Object, detail: 'size: 29, align: 1' });

    const statics = documentSymbols(corpusFile('t2_statics_bytes.mir'));
    expect(statics.find((s) => s.name === 'CALLS')).toMatchObject({ kind: SymbolKind.Variable, detail: 'static mut u32' });
    expect(statics.find((s) => s.name === 'TEXTS')).toMatchObject({ kind: SymbolKind.Constant, detail: 'static [&[u8]; 4]' });
  });

  it('lists hand-written declarations with their fields, variants and extern functions', () => {
    const path = join(FIXTURES, 'mir/valid/declarations.mir');
    const symbols = documentSymbols(new SourceFile(path, readFileSync(path, 'utf8')));
    const brief = (s: DocumentSymbol): unknown => (s.children ? [s.name, s.kind, s.children.map(brief)] : [s.name, s.kind]);
    expect(symbols.slice(0, 7).map(brief)).toEqual([
      ['Point', SymbolKind.Struct, [['x', SymbolKind.Field], ['y', SymbolKind.Field]]],
      ['Kg', SymbolKind.Struct, [['0', SymbolKind.Field]]],
      ['Marker', SymbolKind.Struct, []],
      ['Shape', SymbolKind.Enum, [['Circle', SymbolKind.EnumMember, [['0', SymbolKind.Field]]], ['Rect', SymbolKind.EnumMember, [['w', SymbolKind.Field], ['h', SymbolKind.Field]]], ['Empty', SymbolKind.EnumMember, []]]],
      ['Bits', SymbolKind.Struct, [['f', SymbolKind.Field], ['u', SymbolKind.Field]]],
      ['Wrapper<T>', SymbolKind.Struct, [['inner', SymbolKind.Field]]],
      ['extern "C"', SymbolKind.Namespace, [['printf', SymbolKind.Function], ['exit', SymbolKind.Function]]],
    ]);
  });

  it('keeps what parses in a file with syntax errors', () => {
    const text = [
      'fn good(_1: i32) -> i32 {',
      '    let mut _0: i32;',
      '    bb0: { _0 = copy _1; return; }',
      '}',
      '',
      'fn broken_body(_1: i32) -> i32 {',
      '    let mut _0: i32;',
      '    bb0: { _0 = ??? ; return; }',
      '}',
      '',
      'fn broken_header(_1: i32 -> i32 {',
      '}',
      '',
      'static S: i32 = {',
      '    let mut _0: i32;',
      '    bb0: { _0 = const 1_i32; return; }',
      '}',
    ].join('\n');
    const symbols = documentSymbols(new SourceFile('broken.mir', text));
    expect(symbols.map((s) => [s.name, s.kind, s.selectionRange.start.line, s.detail])).toEqual([
      ['good', SymbolKind.Function, 0, '(_1: i32) -> i32'],
      ['broken_body', SymbolKind.Function, 5, '(_1: i32) -> i32'],
      ['broken_header', SymbolKind.Function, 10, '(does not parse)'],
      ['S', SymbolKind.Constant, 13, 'static i32'],
    ]);
  });
});

describe('hover', () => {
  const generics = corpusFile('t3_generics.mir');

  it('shows a local\'s declared type, debug name and scope', () => {
    expect(markdown(hover(generics, positionOf(generics, /^\s+_4 = copy _0;/, '_0')))).toBe('```mir\nlet mut _0: T\n```\n\nthe return place · debug `acc`');
    expect(markdown(hover(generics, positionOf(generics, /_3 = copy \(\(_2 as Some\).0: &T\);/, '_2')))).toBe('```mir\nlet mut _2: core::option::Option<&T>\n```');
    const x = markdown(hover(generics, positionOf(generics, /^\s+_5 = copy \(\*_3\);/, '_3', 1)));
    expect(x).toBe('```mir\nlet _3: &T\n```\n\ndebug `x` · scope 2');
  });

  it('shows a parameter with its debug name, also in the header', () => {
    const h = hover(generics, positionOf(generics, /^fn sum_all/, '_1'));
    expect(markdown(h)).toBe('```mir\n_1: &[T]\n```\n\nparameter 1 · debug `xs`');
    expect(h!.range).toEqual({ start: positionOf(generics, /^fn sum_all/, '_1'), end: positionOf(generics, /^fn sum_all/, '_1', 2) });
  });

  it('shows the type of a place, or of the part of it under the cursor', () => {
    expect(markdown(hover(generics, positionOf(generics, /^\s+_5 = copy \(\*_3\);/, '*')))).toBe('```mir\n(*_3)\n```\n\ntype `T`');
    const some = positionOf(generics, /_3 = copy \(\(_2 as Some\).0: &T\);/, 'Some');
    expect(markdown(hover(generics, some))).toBe('```mir\n(_2 as Some)\n```\n\ntype `core::option::Option<&T>`, viewed as variant `Some`');
    const field = positionOf(generics, /_3 = copy \(\(_2 as Some\).0: &T\);/, '.0');
    expect(markdown(hover(generics, field))).toBe('```mir\n((_2 as Some).0: &T)\n```\n\ntype `&T`');
    const { file, position } = fixture(`fn f(_1: &(i32, [u8; 4])) -> u8 {
    let mut _0: u8;

    bb0: {
        _0 = copy ((*_1).1: [u8; 4])[2 $0of 4];
        return;
    }
}
`);
    expect(markdown(hover(file, position))).toBe('```mir\n((*_1).1: [u8; 4])[2 of 4]\n```\n\ntype `u8`');
  });

  it('shows a function\'s signature and placement in its header and at a call site', () => {
    const context: PlacementInfo = {
      functions: new Map([
        ['sum_all', [
          { unit: 'main.m1', symbol: '_ZN4main7sum_all17h01E', reuse: 'PostLto', instance: 'sum_all::<i32>' },
          { unit: 'main.m2', symbol: '_ZN4main7sum_all17h02E', reuse: 'No', instance: 'sum_all::<u8>' },
        ]],
      ]),
    };
    const header = markdown(hover(generics, positionOf(generics, /^fn sum_all/, 'sum_all', 2), context));
    expect(header).toBe([
      '```mir\nfn sum_all(_1: &[T]) -> T\n```',
      '`_1` xs',
      '**Codegen** (last build)',
      '- `sum_all::<i32>`: unit `main.m1` · symbol `_ZN4main7sum_all17h01E` · PostLto\n- `sum_all::<u8>`: unit `main.m2` · symbol `_ZN4main7sum_all17h02E` · rebuilt',
    ].join('\n\n'));
    const call = hover(generics, positionOf(generics, /= sum_all::<T>\(/, 'sum_all'), context);
    const line = positionOf(generics, /^fn sum_all/, 'fn').line + 1;
    expect(markdown(call)).toBe(header.replace('\n\n**Codegen**', `\n\nDefined in \`t3_generics.mir:${line}\`\n\n**Codegen**`));
    expect(call!.range).toEqual({ start: positionOf(generics, /= sum_all::<T>\(/, 'sum_all'), end: positionOf(generics, /= sum_all::<T>\(/, '(') });
    // Without instances: not compiled.
    expect(markdown(hover(generics, positionOf(generics, /^fn max_of/, 'max_of'), context))).toContain('Not compiled in the last build');
  });

  it('finds the associated constants of a trait constant', () => {
    const h = markdown(hover(generics, positionOf(generics, /_0 = const <T as Num>::ZERO;/, 'ZERO')));
    expect(h).toMatch(/^One of 4 candidates for `<T as Num>::ZERO`/);
    expect(h).toContain('const <impl at t3_generics.rs:29:1: 29:17>::ZERO: i32 = const 0_i32;');
  });

  it('lists the candidates of a trait method call', () => {
    const h = markdown(hover(generics, positionOf(generics, /= <T as Num>::add\(move _4/, 'add')));
    expect(h).toMatch(/^One of 4 candidates for `<T as Num>::add`/);
    expect(h).toContain('fn <impl at t3_generics.rs:73:1: 73:19>::add(_1: Money, _2: Money) -> Money');
  });

  it('says when a callee is not in the crate, and shows allocations', () => {
    const fmt = corpusFile('t1_fib_rec.mir');
    expect(markdown(hover(fmt, positionOf(fmt, /= printf\(/, 'printf')))).toBe('```mir\nprintf\n```\n\nNot defined in this crate: an external, core or intrinsic item.');
    const alloc = markdown(hover(generics, positionOf(generics, /^alloc1 \(/, 'alloc1')));
    expect(alloc.split('\n').slice(0, 2)).toEqual(['```mir', 'alloc1 (size: 29, align: 1) {']);
  });

  it('resolves a callee in another file of the crate', () => {
    const a = fixture(`fn main() -> i32 {
    let mut _0: i32;

    bb0: {
        _0 = hel$0per(const 1_i32) -> [return: bb1, unwind unreachable];
    }

    bb1: {
        return;
    }
}
`, 'a.mir');
    const b = new SourceFile('b.mir', 'fn helper(_1: i32) -> i32 {\n    debug n => _1;\n    let mut _0: i32;\n\n    bb0: {\n        _0 = copy _1;\n        return;\n    }\n}\n');
    expect(markdown(hover(a.file, a.position, undefined, [a.file, b]))).toBe('```mir\nfn helper(_1: i32) -> i32\n```\n\n`_1` n\n\nDefined in `b.mir:1`');
    expect(definition([a.file, b], a.file, a.position, uriOf)).toEqual([{ uri: 'file:///b.mir', range: { start: { line: 0, character: 3 }, end: { line: 0, character: 9 } } }]);
  });
});

describe('hover and definition on hand-written declarations', () => {
  const path = join(FIXTURES, 'mir/valid/declarations.mir');
  const file = new SourceFile(path, readFileSync(path, 'utf8'));

  it('finds an extern function and a constructor\'s type', () => {
    const call = positionOf(file, /= printf\(/, 'printf');
    expect(markdown(hover(file, call))).toBe('```mir\nextern "C" fn printf(*const u8, ...) -> i32\n```\n\nDefined in `declarations.mir:10`');
    expect(definition([file], file, call, uriOf).map((l) => l.range)).toEqual([{ start: { line: 9, character: 7 }, end: { line: 9, character: 13 } }]);
    const ctor = positionOf(file, /_2 = Shape::Rect \{/, 'Rect');
    expect(definition([file], file, ctor, uriOf).map((l) => l.range.start)).toEqual([{ line: 5, character: 5 }]);
    expect(markdown(hover(file, positionOf(file, /_1 = Point \{/, 'Point')))).toMatch(/^```mir\n#\[repr\(C\)\]\nstruct Point \{ x: i32, y: i32 \}\n```/);
  });
});

describe('a body that does not parse', () => {
  const { file, position } = fixture(`fn f(_1: i32) -> i32 {
    debug n => _1;
    let mut _0: i32;
    let mut _3: (i32, bool);
    scope 1 {
        debug pair => _3;
    }

    bb0: {
        _3 = ??? ;
        _0 = copy ($0_3.0: i32);
        return;
    }
}
`);

  it('still knows its locals from their declarations', () => {
    expect(markdown(hover(file, position))).toBe('```mir\nlet mut _3: (i32, bool)\n```\n\ndebug `pair` · read from the text: the body does not parse');
    expect(definition([file], file, position, uriOf)).toEqual([{ uri: 'file:///fixture.mir', range: { start: { line: 3, character: 4 }, end: { line: 3, character: 27 } } }]);
    // The parameters are in the header, which parses.
    expect(markdown(hover(file, { line: 0, character: 6 }))).toBe('```mir\n_1: i32\n```\n\nparameter 1');
  });
});

describe('definition', () => {
  const generics = corpusFile('t3_generics.mir');
  const at = (line: RegExp, needle: string, plus = 0) => definition([generics], generics, positionOf(generics, line, needle, plus), uriOf);
  const lineOf = (line: RegExp) => positionOf(generics, line, '').line;

  it('jumps from a call to the callee\'s header', () => {
    const locs = at(/= sum_all::<T>\(/, 'sum_all', 3);
    expect(locs).toEqual([{ uri: uriOf(generics), range: { start: { line: lineOf(/^fn sum_all/), character: 3 }, end: { line: lineOf(/^fn sum_all/), character: 10 } } }]);
    // Also with the cursor just after the name, on the `(`.
    const fib = corpusFile('t1_fib_rec.mir');
    const after = definition([fib], fib, positionOf(fib, /= hanoi\(/, '('), uriOf);
    expect(after.map((l) => l.range.start)).toEqual([positionOf(fib, /^fn hanoi\(/, 'hanoi')]);
  });

  it('jumps from an inherent method call to the impl\'s method', () => {
    expect(at(/= Ring::<u8, 4>::push\(/, 'push').map((l) => l.range.start.line)).toEqual([lineOf(/^fn <impl at t3_generics.rs:157:1: 157:40>::push/)]);
  });

  it('gives every candidate of a trait method call on a type parameter', () => {
    const lines = at(/= <T as Num>::add\(move _4/, 'Num').map((l) => l.range.start.line);
    expect(lines).toEqual([29, 42, 55, 73].map((n) => lineOf(new RegExp(`^fn <impl at t3_generics.rs:${n}:1: ${n}:1\\d>::add`))));
  });

  it('jumps to a local\'s declaration, a block and an allocation', () => {
    const decl = at(/_3 = copy \(\(_2 as Some\).0: &T\);/, '_2');
    expect(decl[0]!.range.start).toEqual(positionOf(generics, /^    let mut _2: core::option::Option<&T>;/, 'let'));
    const param = at(/^\s+_5 = copy \(\*_3\);/, '_3');
    expect(param[0]!.range.start).toEqual(positionOf(generics, /^\s+let _3: &T;/, 'let'));
    const loop = fixture(`fn f() -> () {
    let mut _0: ();

    bb0: {
        goto -> b$0b2;
    }

    bb1: {
        return;
    }

    bb2: {
        goto -> bb1;
    }
}
`);
    expect(definition([loop.file], loop.file, loop.position, uriOf)).toEqual([{ uri: 'file:///fixture.mir', range: { start: { line: 11, character: 4 }, end: { line: 11, character: 7 } } }]);
    const statics = corpusFile('t2_statics_bytes.mir');
    const header = (id: number) => {
      const line = positionOf(statics, new RegExp(`^alloc${id} \\(`), '').line;
      return [{ uri: uriOf(statics), range: { start: { line, character: 0 }, end: { line, character: `alloc${id}`.length } } }];
    };
    expect(definition([statics], statics, positionOf(statics, /= const \{alloc11: /, 'alloc11', 3), uriOf)).toEqual(header(11));
    // A pointer in another allocation's dump.
    expect(definition([statics], statics, positionOf(statics, /╾─────alloc7<imm>─────╼/, 'alloc7'), uriOf)).toEqual(header(7));
  });

  it('jumps from a fn value to the function', () => {
    const fnptr = corpusFile('t4_closures_fnptr.mir');
    const use = positionOf(fnptr, /= op_add as fn\(/, 'op_add');
    expect(definition([fnptr], fnptr, use, uriOf).map((l) => l.range.start)).toEqual([positionOf(fnptr, /^fn op_add\(/, 'op_add')]);
  });
});

describe('codeLenses', () => {
  const file = corpusFile('t3_generics.mir');
  const uri = uriOf(file);
  const context: PlacementInfo = {
    functions: new Map([
      ['main', [{ unit: 'main.m3', symbol: 'main', reuse: 'PostLto' }]],
      ['<impl at t3_generics.rs:29:1: 29:17>::add', [{ unit: 'main.m0', symbol: '_ZN1a', reuse: 'No' }]],
      ['sum_all', [
        { unit: 'main.m1', symbol: '_ZN1b', reuse: 'PreLto', instance: 'sum_all::<i32>' },
        { unit: 'main.m1', symbol: '_ZN1c', reuse: 'PreLto', instance: 'sum_all::<u8>' },
      ]],
      ['max_of', [
        { unit: 'main.m1', symbol: '_ZN1d', reuse: 'PreLto' },
        { unit: 'main.m2', symbol: '_ZN1e', reuse: 'No' },
      ]],
    ]),
  };
  const lenses = codeLenses(file, context, uri);
  const of = (fnLine: RegExp) => lenses.filter((l) => l.range.start.line === positionOf(file, fnLine, '').line).map((l) => l.command);

  it('shows each function\'s unit and reuse, running explain', () => {
    expect(of(/^fn main\(/)).toEqual([
      { title: 'unit main.m3 · PostLto', command: EXPLAIN_COMMAND, arguments: ['main'] },
      { title: 'Show generated code', command: SHOW_GENERATED_CODE_COMMAND, arguments: [uri, 'main'] },
    ]);
    expect(of(/^fn <impl at t3_generics.rs:29:1: 29:17>::add/)[0]).toEqual({ title: 'unit main.m0 · rebuilt', command: 'codegend.explain', arguments: ['<impl at t3_generics.rs:29:1: 29:17>::add'] });
    expect(of(/^fn sum_all/)[0]!.title).toBe('unit main.m1 · PreLto · 2 instances');
    expect(of(/^fn max_of/)[0]!.title).toBe('2 instances: main.m1 · PreLto, main.m2 · rebuilt');
  });

  it('says `not compiled` for a function in no unit, without the generated code lens', () => {
    expect(of(/^fn <impl at t3_generics.rs:42:1: 42:16>::less/)).toEqual([{ title: 'not compiled', command: EXPLAIN_COMMAND, arguments: ['<impl at t3_generics.rs:42:1: 42:16>::less'] }]);
  });

  it('has one placement lens per function, on its header line', () => {
    expect(lenses.filter((l) => l.command!.command === EXPLAIN_COMMAND).map((l) => l.range.start.line)).toEqual(fnLines(file).map((f) => f.line));
    // Before the first build: only the generated code.
    expect(codeLenses(file, undefined, uri).map((l) => l.command!.command)).toEqual(fnLines(file).map(() => SHOW_GENERATED_CODE_COMMAND));
  });
});

describe('totality', () => {
  it('gives empty results for garbage and positions outside the file, never a throw', () => {
    const files = [new SourceFile('empty.mir', ''), new SourceFile('junk.mir', '}}}{{ fn ( \u0000 é😀\n\r\nalloc'), corpusFile('t1_loops.mir')];
    const positions: Position[] = [{ line: 0, character: 0 }, { line: 1e9, character: 1e9 }, { line: -1, character: -5 }, { line: 2, character: 1e6 }];
    for (const f of files) {
      expect(() => documentSymbols(f)).not.toThrow();
      for (const p of positions) {
        expect(() => hover(f, p, { functions: new Map() })).not.toThrow();
        expect(() => definition(files, f, p, uriOf)).not.toThrow();
      }
      expect(() => codeLenses(f, undefined, 'file:///x')).not.toThrow();
    }
    expect(hover(files[0]!, { line: 0, character: 0 })).toBeNull();
    expect(definition(files, files[1]!, { line: 0, character: 3 }, uriOf)).toEqual([]);
  });
});
