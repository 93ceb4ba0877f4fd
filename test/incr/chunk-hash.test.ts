// Chunk fingerprints on rustc's own output: the fixtures in test/fixtures/incr/chunks are
// small programs and the MIR rustc 1.95 prints for them, each edit a second program.
// `REGEN_CHUNK_FIXTURES=1 npx vitest run test/incr/chunk-hash.test.ts` rewrites the MIR.

import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { type ChunkMemo, chunkShapes, hashFile, normalizeChunk, type ChunkHash, type FileHashes } from '../../src/incr/chunk-hash.js';
import { splitItems } from '../../src/mir/split.js';
import { corpusMirFiles, FIXTURES } from '../support/paths.js';

const DIR = join(FIXTURES, 'incr/chunks');
const PROGRAMS = ['base', 'mid', 'literal', 'table', 'cycle', 'cycle-shifted'];
/** `-O` so that bodies name allocations (`alloc_id: allocN`), not only statics do. */
const RUSTC_ARGS = ['--edition', '2021', '-O', '--crate-name', 'main', '--emit=mir', '-o', 'main.mir', 'main.rs'];

const mir = (name: string) => readFileSync(join(DIR, `${name}.mir`), 'utf8');

/** The lines that name an item: its header, with a CTFE marker or attributes before it. */
function itemKey(text: string, c: ChunkHash): string {
  const lines = normalizeChunk(text, c.start, c.end).split('\n');
  const header = lines.findIndex((l) => !l.startsWith('//') && !l.startsWith('#['));
  return lines.slice(0, header + 1).join(' | ');
}

/** Hashes of the non-allocation chunks by item, and the allocation hashes. */
function byItem(text: string): { items: Map<string, string>; allocs: string[] } {
  const h = hashFile(text);
  const items = new Map<string, string>();
  for (const c of h.chunks) {
    if (c.kind === 'alloc') continue;
    let key = itemKey(text, c);
    while (items.has(key)) key += ' (again)';
    items.set(key, c.hash);
  }
  return { items, allocs: h.chunks.filter((c) => c.kind === 'alloc').map((c) => c.hash) };
}

function changedItems(a: string, b: string): string[] {
  const x = byItem(a).items;
  const y = byItem(b).items;
  const keys = new Set([...x.keys(), ...y.keys()]);
  return [...keys].filter((k) => x.get(k) !== y.get(k)).sort();
}

/** Hashes in `b` and not in `a`, counted as a multiset. */
function added(a: string[], b: string[]): string[] {
  const left = [...a];
  return b.filter((h) => {
    const i = left.indexOf(h);
    if (i < 0) return true;
    left.splice(i, 1);
    return false;
  });
}

function chunkNamed(text: string, header: string | RegExp): ChunkHash {
  const c = hashFile(text).chunks.find((c) => (typeof header === 'string' ? text.startsWith(header, c.start) : header.test(text.slice(c.start, c.end))));
  if (!c) throw new Error(`no chunk starts with ${header}`);
  return c;
}

/** The hash of one allocation written out on its own. */
function allocHash(dump: string): string {
  return hashFile(dump).chunks[0]!.hash;
}

describe('edits rustc made', () => {
  it('a new branch in one function changes that function and adds its allocation, though later allocations are renumbered', () => {
    const base = mir('base');
    const mid = mir('mid');
    expect(changedItems(base, mid)).toEqual(['fn first(_1: u32) -> &str {']);
    const a = byItem(base).allocs;
    const b = byItem(mid).allocs;
    expect(added(a, b)).toEqual([allocHash('alloc1 (size: 3, align: 1) {\n    6d 69 64     │ mid\n}\n')]);
    expect(added(b, a)).toEqual([]);
    // The renumbering is real: `is_lparen` names another allocation, yet hashes the same.
    const before = chunkNamed(base, 'fn is_lparen');
    const after = chunkNamed(mid, 'fn is_lparen');
    expect(normalizeChunk(base, before.start, before.end)).toContain('alloc_id: alloc18,');
    expect(normalizeChunk(mid, after.start, after.end)).toContain('alloc_id: alloc19,');
    expect(after.hash).toBe(before.hash);
  });

  it('a changed string literal changes its function and nothing else', () => {
    const base = mir('base');
    const literal = mir('literal');
    expect(changedItems(base, literal)).toEqual(['fn first(_1: u32) -> &str {']);
    const a = byItem(base).allocs;
    const b = byItem(literal).allocs;
    expect(added(a, b)).toEqual([allocHash('alloc9 (size: 5, align: 1) {\n    74 69 6e 79 21  │ tiny!\n}\n')]);
    expect(added(b, a)).toEqual([allocHash('alloc9 (size: 5, align: 1) {\n    73 6d 61 6c 6c  │ small\n}\n')]);
  });

  it('new contents of a static reach the function that points at it, whose text is the same', () => {
    const base = mir('base');
    const table = mir('table');
    expect(changedItems(base, table)).toEqual(['fn table(_1: usize) -> u32 {', 'static TABLE: [u32; 4] = {']);
    const before = chunkNamed(base, 'fn table');
    const after = chunkNamed(table, 'fn table');
    expect(normalizeChunk(table, after.start, after.end)).toBe(normalizeChunk(base, before.start, before.end));
    expect(after.hash).not.toBe(before.hash);
  });

  it('the file hash follows an edit', () => {
    expect(hashFile(mir('mid')).file).not.toBe(hashFile(mir('base')).file);
    expect(hashFile(mir('table')).file).not.toBe(hashFile(mir('base')).file);
  });

  it('two statics that point at each other terminate and hash the same after renumbering', () => {
    const cycle = mir('cycle');
    const shifted = mir('cycle-shifted');
    // The fixture holds a real cycle whose numbers move.
    expect(cycle).toMatch(/^alloc2 \(static: A, size: 16, align: 8\) \{\n.*alloc1<imm>/m);
    expect(cycle).toMatch(/^alloc1 \(static: B, size: 16, align: 8\) \{\n.*alloc2<imm>/m);
    expect(shifted).toMatch(/^alloc5 \(static: A, size: 16, align: 8\) \{\n.*alloc4<imm>/m);
    // New: the static in front (and its length constant); changed: `main`, which reads it.
    expect(changedItems(cycle, shifted)).toEqual(['const FIRST::{constant#0}: usize = const 3_usize;', 'fn main() -> () {', 'static FIRST: [u8; 3] = {']);
    const full = (text: string, name: string) => chunkNamed(text, new RegExp(`^alloc\\d+ \\(static: ${name}, size`)).hash;
    for (const name of ['A', 'B']) expect(full(shifted, name)).toBe(full(cycle, name));
    expect(full(cycle, 'A')).not.toBe(full(cycle, 'B'));
    expect(hashFile(cycle).chunks).toEqual(hashFile(cycle).chunks);
  });
});

describe('hashing with a memo of the last version', () => {
  it('gives what hashing from scratch gives, for every pair of versions and with unrelated memos', () => {
    const versions = readdirSync(DIR).filter((f) => f.endsWith('.mir')).map((f) => readFileSync(join(DIR, f), 'utf8'));
    const plain = (h: ReturnType<typeof hashFile>) => ({ prelude: h.prelude, file: h.file, chunks: h.chunks });
    for (const a of versions) {
      for (const b of versions) {
        const memo: ChunkMemo = new Map();
        hashFile(a, memo);
        expect(plain(hashFile(b, memo))).toEqual(plain(hashFile(b)));
        // The memo now holds `b`: hashing `b` again reuses every chunk.
        expect(plain(hashFile(b, memo))).toEqual(plain(hashFile(b)));
      }
    }
  });
});

describe('what does not count', () => {
  /** `base.mir` dressed up by hand in every way that must not change a hash. */
  function dressUp(text: string): string {
    let n = 0;
    return text
      .split('\n')
      .map((line) => {
        n++;
        const t = line.trim();
        if (t === '') return n % 2 ? '\n\t' : '';
        if (t.startsWith('let ')) return `        scope ${n} {\n\t${t}  \n    }\n            debug v${n} => _${n};`;
        if (/^bb\d+: \{$/.test(t)) return `${line} // block ${n}\n   // a comment line`;
        if (line.startsWith(" ") && t.endsWith(";") && !/["']/.test(t)) return `  \t${t.replace(/ = /, '  =\t').replace(/, /g, ',   ')}   // at main.rs:${n}:1: ${n}:9`;
        if (t.endsWith(';')) return `${line} // at main.rs:${n}:5 "quoted // in a comment"`;
        return line;
      })
      .join('\n')
      .replace(/\nfn /g, '\n// a comment before an item\n\nfn ');
  }

  it('comments, debug lines, blank lines, indentation and scopes', () => {
    const base = mir('base');
    const dressed = dressUp(base);
    expect(dressed).not.toBe(base);
    expect(dressed).toContain('"a // not a comment {alloc3: x}"; // at main.rs:');
    const a = hashFile(base);
    const b = hashFile(dressed);
    expect(b.chunks.map((c) => [c.kind, c.hash])).toEqual(a.chunks.map((c) => [c.kind, c.hash]));
    expect(b.prelude).toBe(a.prelude);
    expect(b.file).toBe(a.file);
  });

  it('the normalized text keeps `let` lines in order and drops the rest', () => {
    const text = [
      'fn f(_1: i32) -> i32 {',
      '    debug x => _1;',
      '    let mut _0: i32;',
      '    scope 1 {',
      '        debug y => _2;',
      '        let _2: i32;',
      '        scope 2 (inlined g) {',
      '            let _3: &str;',
      '        }',
      '    }',
      '',
      '    bb0: {  // entry',
      '        _3 = const "a  //  b";',
      "        _2 = Add(copy _1,\t const 1_i32); // at a.rs:1:2",
      "        _0 = Eq(const '\"', const '\\''); // what about '\"'",
      '        return;',
      '    }',
      '}',
      '',
    ].join('\n');
    expect(normalizeChunk(text, 0, text.length)).toBe(
      [
        'fn f(_1: i32) -> i32 {',
        'let mut _0: i32;',
        'let _2: i32;',
        'let _3: &str;',
        'bb0: {',
        '_3 = const "a  //  b";',
        '_2 = Add(copy _1, const 1_i32);',
        "_0 = Eq(const '\"', const '\\'');",
        'return;',
        '',
      ].join('\n'),
    );
  });

  it('keeps the CTFE marker, which changes what the item is', () => {
    const item = 'fn f() -> i32 {\n    bb0: {\n        _0 = const 1_i32;\n        return;\n    }\n}\n';
    const text = `${item}\n// MIR FOR CTFE\n${item}`;
    const h = hashFile(text);
    expect(h.chunks).toHaveLength(2);
    expect(normalizeChunk(text, h.chunks[1]!.start, h.chunks[1]!.end).startsWith('// MIR FOR CTFE\nfn f() -> i32 {\n')).toBe(true);
    expect(h.chunks[1]!.hash).not.toBe(h.chunks[0]!.hash);
  });

  it('keeps closure and impl spans, which are identity', () => {
    const a = 'fn <impl at a.rs:10:1: 20:2>::f(_1: {closure@a.rs:3:5: 3:10}) -> () {\n    bb0: {\n        return;\n    }\n}\n';
    const b = a.replace('3:5: 3:10', '4:5: 4:10');
    expect(hashFile(b).chunks[0]!.hash).not.toBe(hashFile(a).chunks[0]!.hash);
    expect(normalizeChunk(a, 0, a.length)).toContain('{closure@a.rs:3:5: 3:10}');
  });
});

describe('allocations', () => {
  const body = (ref: string) => `fn f() -> &[u8; 3] {\n    bb0: {\n        _0 = ${ref};\n        return;\n    }\n}\n\n`;
  const bytes = (n: number, hex: string) => `alloc${n} (size: 3, align: 1) {\n    ${hex}                                        │ ...\n}\n\n`;

  it.each([
    ['const {alloc7: &[u8; 3]}', true],
    ['const {ALLOC7: &[u8; 3]}', true],
    ['const {alloc7+0x1: *const u8}', true],
    ['const Indirect { alloc_id: alloc7, offset: Size(0 bytes) }: [u8; 3]', true],
    ['alloc7() -> [return: bb1, unwind continue]', false],
    ['const "{alloc7: &[u8; 3]}"', false],
    ['const alloc7 as fn() {alloc7} (PointerCoercion(ReifyFnPointer))', false],
  ])('`%s` follows the contents of alloc7: %s', (ref, follows) => {
    const a = body(ref) + bytes(7, '61 62 63');
    const b = body(ref) + bytes(7, '61 62 64');
    expect(hashFile(b).chunks[0]!.hash !== hashFile(a).chunks[0]!.hash).toBe(follows);
  });

  it('a reference hashes by contents, not by number', () => {
    const a = body('const {alloc7: &[u8; 3]}') + bytes(7, '61 62 63') + bytes(8, '00 00 00');
    const b = body('const {alloc8: &[u8; 3]}') + bytes(7, '00 00 00') + bytes(8, '61 62 63');
    expect(hashFile(b).chunks[0]!.hash).toBe(hashFile(a).chunks[0]!.hash);
    expect(hashFile(b).chunks.map((c) => c.alloc)).toEqual([undefined, 7, 8]);
  });

  it('drops the header number, offsets, the ASCII column and the dashes of relocations', () => {
    const dump = [
      'alloc12 (static: PACKED, size: 29, align: 1) {',
      '    0x00 │ 00 00 00 00 00 00 00 00 00 00 00 00 00 ╾─────── │ .............╾──',
      '    0x10 │ alloc10<imm>─╼ ╾────alloc11<imm>─────╼          │ ────╼╾──────╼',
      '}',
      '',
    ].join('\n');
    expect(normalizeChunk(dump, 0, dump.length)).toBe(
      'alloc12 (static: PACKED, size: 29, align: 1) {\n00 00 00 00 00 00 00 00 00 00 00 00 00 ╾alloc10<imm>╼ ╾alloc11<imm>╼\n',
    );
    // rustc's real dump of the same allocation.
    const base = mir('base');
    const real = chunkNamed(base, 'alloc12 (static: PACKED, size');
    expect(normalizeChunk(base, real.start, real.end)).toBe(normalizeChunk(dump, 0, dump.length));
  });

  it('a relocation hashes the same wherever renumbering puts its label', () => {
    const target = bytes(3, '61 62 63');
    const split = (label: string, line1: boolean) =>
      [
        'alloc1 (size: 24, align: 1) {',
        `    0x00 │ 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d ${line1 ? `╾${label}` : '╾───────'} │ .............╾──`,
        `    0x10 │ ${line1 ? '─────────────╼' : `${label}─╼`} 00 00 00          │ ────╼...`,
        '}',
        '',
      ].join('\n');
    const a = hashFile(split('alloc3<imm>', false) + target);
    const b = hashFile(split('a3<imm> (8 ptr bytes)', true) + target);
    expect(b.chunks[0]!.hash).toBe(a.chunks[0]!.hash);
    const one = 'alloc1 (size: 8, align: 1) {\n    ╾─────alloc3<imm>─────╼                         │ ╾──────╼\n}\n\n' + target;
    const oneLine = 'alloc1 (size: 8, align: 1) { ╾alloc3<imm>╼ │ ╾──────╼ }\n\n' + target;
    expect(hashFile(oneLine).chunks[0]!.hash).toBe(hashFile(one).chunks[0]!.hash);
  });

  /** Allocations 1 → 2 → 3 → 1 and 3 → 4, and a body that points at 2, numbered by `ids`. */
  function cycleFile(ids: [number, number, number, number], order: number[]): string {
    const [p, q, r, s] = ids;
    const reloc = (n: number) => `╾─────alloc${n}<imm>─────╼`;
    const dumps = [
      `alloc${p} (static: P, size: 16, align: 8) {\n    0x00 │ ${reloc(q)} 01 00 00 00 00 00 00 00 │ ╾──────╼........\n}\n\n`,
      `alloc${q} (static: Q, size: 16, align: 8) {\n    0x00 │ ${reloc(r)} 02 00 00 00 00 00 00 00 │ ╾──────╼........\n}\n\n`,
      `alloc${r} (size: 16, align: 8) {\n    0x00 │ ${reloc(p)} ${reloc(s)} │ ╾──────╼╾──────╼\n}\n\n`,
      bytes(s, '61 62 63'),
    ];
    return body(`const {alloc${q}: &[u8; 3]}`) + order.map((i) => dumps[i]).join('');
  }

  it('a cycle terminates and hashes the same under any numbering and order', () => {
    const a = hashFile(cycleFile([1, 2, 3, 4], [0, 1, 2, 3]));
    const b = hashFile(cycleFile([9, 12, 5, 100], [3, 2, 1, 0]));
    expect(b.chunks[0]!.hash).toBe(a.chunks[0]!.hash);
    const allocs = (h: FileHashes) => new Map(h.chunks.filter((c) => c.kind === 'alloc').map((c) => [c.alloc, c.hash]));
    const x = allocs(a);
    const y = allocs(b);
    expect([y.get(9), y.get(12), y.get(5), y.get(100)]).toEqual([x.get(1), x.get(2), x.get(3), x.get(4)]);
    expect(new Set([x.get(1), x.get(2), x.get(3)]).size).toBe(3);
    const c = hashFile(cycleFile([1, 2, 3, 4], [0, 1, 2, 3]).replace('61 62 63', '61 62 64'));
    expect(c.chunks[0]!.hash).not.toBe(a.chunks[0]!.hash);
  });

  it('an allocation that points at itself', () => {
    const self = (n: number) => `alloc${n} (static: S, size: 8, align: 8) {\n    ╾─────alloc${n}<imm>─────╼                         │ ╾──────╼\n}\n`;
    expect(hashFile(self(4)).chunks[0]!.hash).toBe(hashFile(self(70)).chunks[0]!.hash);
  });

  it('hashes an allocation printed twice by its fullest copy', () => {
    const cycle = mir('cycle');
    const h = hashFile(cycle);
    const short = h.chunks.find((c) => cycle.startsWith('alloc1 (static: B)\n', c.start))!;
    const full = h.chunks.find((c) => cycle.startsWith('alloc1 (static: B, size', c.start))!;
    expect(short.hash).not.toBe(full.hash);
    expect(h.chunks.indexOf(short)).toBeLessThan(h.chunks.indexOf(full));
    // `main` points at A, whose first copy has no bytes: new bytes in the full copy count.
    const edited = cycle.replace('alloc1<imm>─────╼ 01 00 00 00', 'alloc1<imm>─────╼ 07 00 00 00');
    expect(edited).not.toBe(cycle);
    expect(chunkNamed(edited, 'fn main').hash).not.toBe(chunkNamed(cycle, 'fn main').hash);
  });
});

describe('hashFile', () => {
  it('finds the chunk that holds an offset', () => {
    const text = mir('base');
    const h = hashFile(text);
    expect(h.chunkAt(0)).toBeUndefined();
    expect(h.chunkAt(text.length)).toBeUndefined();
    for (const c of h.chunks) {
      expect(h.chunkAt(c.start)).toBe(c);
      expect(h.chunkAt(c.end - 1)).toBe(c);
    }
  });

  it('hashes rustc\'s comment header as the empty prelude', () => {
    expect(hashFile(mir('base')).prelude).toBe(hashFile('').prelude);
    expect(hashFile('').chunks).toEqual([]);
  });

  describe('the corpus', () => {
    for (const path of corpusMirFiles()) {
      it(basename(path), () => {
        const text = readFileSync(path, 'utf8');
        const h = hashFile(text);
        const { items } = splitItems(text);
        expect(h.chunks.map((c) => [c.start, c.end])).toEqual(items.map((c) => [c.start, c.end]));
        for (const c of h.chunks) {
          expect(c.hash).toMatch(/^[0-9a-f]{32}$/);
          expect(c.kind).not.toBe('other');
          if (c.kind === 'alloc') expect(c.alloc).toBe(Number(/^alloc(\d+)/.exec(text.slice(c.start, c.start + 30))![1]));
        }
        const again = hashFile(text);
        expect([again.prelude, again.file, again.chunks]).toEqual([h.prelude, h.file, h.chunks]);
      });
    }
  });
});

function rustc195(): boolean {
  try {
    return execFileSync('rustc', ['--version'], { encoding: 'utf8' }).startsWith('rustc 1.95.');
  } catch {
    return false;
  }
}

describe.skipIf(!rustc195())('the fixtures', () => {
  it('are what rustc 1.95 prints for their sources', async () => {
    const run = promisify(execFile);
    await Promise.all(
      PROGRAMS.map(async (name) => {
        const dir = mkdtempSync(join(tmpdir(), 'chunk-hash-'));
        try {
          copyFileSync(join(DIR, `${name}.rs`), join(dir, 'main.rs'));
          await run('rustc', RUSTC_ARGS, { cwd: dir });
          const printed = readFileSync(join(dir, 'main.mir'), 'utf8');
          if (process.env.REGEN_CHUNK_FIXTURES) writeFileSync(join(DIR, `${name}.mir`), printed);
          expect(printed, name).toBe(mir(name));
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
    );
  });
});

describe('shapes', () => {
  const fn = (line: string, discriminant = false) =>
    `fn f(_1: u64) -> u64 {\n    let mut _0: u64;\n    let mut _2: bool;\n    let mut _3: isize;\n    let mut _4: u64;\n\n    bb0: {\n${discriminant ? '        _3 = discriminant(_1);\n' : ''}        ${line}\n        return;\n    }\n}\n`;
  const shapes = (line: string, discriminant = false) => {
    const text = fn(line, discriminant);
    return chunkShapes(text, hashFile(text).chunks[0]!);
  };
  const shape = (line: string, discriminant = false) => shapes(line, discriminant).typed;
  const same = (a: string, b: string, d = false) => expect(shape(a, d)).toBe(shape(b, d));
  const differ = (a: string, b: string, d = false) => expect(shape(a, d)).not.toBe(shape(b, d));

  it('erases literal values and keeps their types', () => {
    same('_0 = g(copy _1, const 14738916472820989084_u64);', '_0 = g(copy _1, const 7_u64);');
    same('_0 = g(const 1.5f64, const true);', '_0 = g(const 2f64, const false);');
    same('_0 = g(const "one");', '_0 = g(const "two, \\" three");');
    differ('_0 = g(copy _1, const 5_u64);', '_0 = g(copy _1, const 5_u32);');
    differ('_0 = g(const true);', '_0 = g(const "true");');
  });

  it('does not see statements no inference or collection reads, nor local and block numbers', () => {
    same('_0 = Add(copy _1, const 5_u64);', '_0 = Sub(copy _1, const 5_u64);');
    same('_0 = Add(copy _1, const 5_u64);', '_4 = Mul(copy _1, const 2_u64);\n        _0 = BitXor(copy _4, const 1_u64);');
    same('_0 = g(copy _1) -> [return: bb1, unwind unreachable];', '_0 = g(copy _4) -> [return: bb7, unwind unreachable];');
    // Discriminant facts follow control flow; the inference trace covers them, not the shape.
    same('_0 = Add(copy _1, const 5_u64);', '_0 = Sub(copy _1, const 5_u64);', true);
    same('switchInt(move _3) -> [0: bb1, otherwise: bb2];', 'switchInt(move _3) -> [0: bb2, otherwise: bb1];', true);
  });

  it('keeps what inference or collection could read', () => {
    // Comparisons feed discriminant evidence; a byte string's length is its type; calls are references.
    differ('_2 = Eq(copy _1, const 0_u64);', '_2 = Eq(copy _1, const 1_u64);');
    differ('_0 = g(const b"ab");', '_0 = g(const b"abc");');
    differ('_0 = g(const 5_u64) -> [return: bb1, unwind unreachable];', '_0 = h(const 5_u64) -> [return: bb1, unwind unreachable];');
    differ('_0 = g(copy _1);', '_0 = g(copy _2);');
    differ('_0 = copy _1;', '_0 = (_1.0: u64);');
    differ('switchInt(move _3) -> [0: bb1, otherwise: bb2];', 'switchInt(move _3) -> [1: bb1, otherwise: bb2];', true);
  });

  it('has a weaker shape without plain calls and the locals\' types', () => {
    const calls = (line: string) => shapes(line).calls;
    // Another callee, other operands, a call more or less: the same without calls.
    expect(calls('_0 = g(const 5_u64) -> [return: bb1, unwind unreachable];')).toBe(calls('_0 = h(copy _1, const 2_u32) -> [return: bb1, unwind continue];'));
    expect(calls('_0 = g(copy _1) -> [return: bb1, unwind: bb3];')).toBe(calls('_0 = copy _1;'));
    expect(calls('_0 = <T as Tr>::f::<u8>(move _4) -> unwind unreachable;')).toBe(calls('_0 = copy _1;'));
    // A call with an operand inference reads, or into a projection, stays.
    expect(calls('_0 = g(const Tok::Plus) -> [return: bb1, unwind unreachable];')).not.toBe(calls('_0 = copy _1;'));
    expect(calls('(*_4) = g(copy _1) -> [return: bb1, unwind unreachable];')).not.toBe(calls('_0 = copy _1;'));
    expect(calls('_0 = g(copy (_1.0: u64)) -> [return: bb1, unwind unreachable];')).not.toBe(calls('_0 = copy _1;'));
    // Everything else is as in the typed shape.
    expect(calls('_2 = Eq(copy _1, const 0_u64);')).not.toBe(calls('_2 = Eq(copy _1, const 1_u64);'));
  });

  it('does not see allocation numbers or comments', () => {
    same('_0 = g(const {alloc3: &[u8; 2]});', '_0 = g(const {alloc17: &[u8; 2]});');
    same('_0 = g(const 1_u64); // one', '_0 = g(const 2_u64);');
  });
});
