// The incremental front end on a corpus program: a literal edit, added statements and an
// added call take it and build what a clean build builds; a call of an external function,
// or a changed body that does not check, falls back to the full front end; and `verify` notices when the restored results disagree
// with the full front end's (here, because the stored fingerprints were tampered with).

import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildOptions, type BuildResult } from '../../src/build.js';
import { SourceFile } from '../../src/diagnostics.js';
import type { UnitFingerprint } from '../../src/incr/fingerprint.js';
import { CORPUS_DIR, FIXTURES } from '../support/paths.js';

const NAME = 't4_dyn_traits';
let dir: string;
let mir: string;
let original: string;

function run(text: string, extra: Partial<BuildOptions> = {}): Promise<BuildResult> {
  writeFileSync(mir, text);
  return build([new SourceFile(mir, text)], { backend: 'llvm', opt: 0, cgus: 4, emit: 'staticlib', output: join(dir, `${NAME}.a`), cache: join(dir, 'cache'), ...extra });
}

async function cleanArchive(text: string): Promise<Buffer> {
  const out = join(dir, 'clean.a');
  const r = await build([new SourceFile(mir, text)], { backend: 'llvm', opt: 0, cgus: 4, emit: 'staticlib', output: out });
  expect(r.ok).toBe(true);
  return readFileSync(out);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'codegend-front-end-'));
  mir = join(dir, `${NAME}.mir`);
  copyFileSync(join(CORPUS_DIR, `${NAME}.rs`), join(dir, `${NAME}.rs`));
  original = readFileSync(join(CORPUS_DIR, `${NAME}.mir`), 'utf8');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const literalEdit = () => original.replace('qty: const 7_u32 }', 'qty: const 9_u32 }');

describe('the incremental front end', () => {
  it('takes a literal edit and builds what a clean build builds', async () => {
    expect((await run(original)).frontEnd).toBe('full');
    const text = literalEdit();
    const r = await run(text);
    expect(r.ok).toBe(true);
    expect(r.frontEnd).toBe('incremental');
    expect(r.units.filter((u) => u.reuse === 'No').map((u) => u.reasons)).toEqual([['the body of `main` changed']]);
    expect(readFileSync(join(dir, `${NAME}.a`)).equals(await cleanArchive(text))).toBe(true);
  });

  it('takes an operator change', async () => {
    const text = literalEdit().replace('_4 = Add(copy _5, const 1_u8);', '_4 = Sub(copy _5, const 1_u8);');
    const r = await run(text);
    expect(r.ok).toBe(true);
    expect(r.frontEnd).toBe('incremental');
    expect(readFileSync(join(dir, `${NAME}.a`)).equals(await cleanArchive(text))).toBe(true);
  });

  it('falls back when a changed body does not check, and reports it', async () => {
    await run(literalEdit());
    const r = await run(literalEdit().replace('_4 = Add(copy _5, const 1_u8);', '_4 = Add(copy _5, const 300_u8);'));
    expect(r.ok).toBe(false);
    expect(r.frontEnd).toBe('full');
    expect(r.frontEndReason).toBe('a changed body has errors');
    expect(r.diagnostics.map((d) => d.message)).toContain('literal out of range for `u8`: 300');
  });

  it('works on a crate of several files', async () => {
    // A hand-written program split in two: its functions in one file, `main` in the other.
    const lines = readFileSync(join(FIXTURES, 'run-pass', 'integer-semantics.mir'), 'utf8').split('\n');
    const at = lines.findIndex((l) => l.startsWith('fn main('));
    const sub = mkdtempSync(join(dir, 'two-files-'));
    const [a, b] = [join(sub, 'ops.mir'), join(sub, 'main.mir')];
    const texts = [lines.slice(0, at).join('\n') + '\n', lines.slice(at).join('\n')];
    const twoFiles = (second: string, extra: Partial<BuildOptions> = {}) => {
      writeFileSync(b, second);
      const sources = [new SourceFile(a, texts[0]!), new SourceFile(b, second)];
      return build(sources, { backend: 'llvm', opt: 0, cgus: 4, emit: 'staticlib', output: join(sub, 'out.a'), crateName: 'ints', ...extra });
    };
    writeFileSync(a, texts[0]!);
    const cache = join(sub, 'cache');
    expect((await twoFiles(texts[1]!, { cache })).frontEnd).toBe('full');
    const edited = texts[1]!.replace('shifts(const -100_i32, const 3_u32)', 'shifts(const -100_i32, const 5_u32)');
    expect(edited).not.toBe(texts[1]);
    const r = await twoFiles(edited, { cache });
    expect(r.ok).toBe(true);
    expect(r.frontEnd).toBe('incremental');
    expect(r.units.filter((u) => u.reuse === 'No').map((u) => u.reasons)).toEqual([['the body of `main` changed']]);
    const incremental = readFileSync(join(sub, 'out.a'));
    expect((await twoFiles(edited)).ok).toBe(true);
    expect(incremental.equals(readFileSync(join(sub, 'out.a')))).toBe(true);
  });

  it('takes an edit that adds statements and temporaries, partitioning again', async () => {
    const text = readFileSync(join(FIXTURES, 'run-pass', 'integer-semantics.mir'), 'utf8');
    const sub = mkdtempSync(join(dir, 'structural-'));
    const file = join(sub, 'ints.mir');
    const once = (t: string, extra: Partial<BuildOptions> = {}) => {
      writeFileSync(file, t);
      return build([new SourceFile(file, t)], { backend: 'llvm', opt: 0, cgus: 2, emit: 'staticlib', output: join(sub, 'out.a'), ...extra });
    };
    const cache = join(sub, 'cache');
    expect((await once(text, { cache })).frontEnd).toBe('full');
    // `mul64` multiplies `_1 ^ 0` (a new temporary and a new statement) instead of `_1`.
    const edited = text
      .replace('    let mut _3: (i64, bool);\n\n    bb0: {\n        _3 = MulWithOverflow(copy _1, copy _2);', '    let mut _3: (i64, bool);\n    let mut _4: i64;\n\n    bb0: {\n        _4 = BitXor(copy _1, const 0_i64);\n        _3 = MulWithOverflow(copy _4, copy _2);');
    expect(edited).not.toBe(text);
    const r = await once(edited, { cache });
    expect(r.ok).toBe(true);
    expect(r.frontEnd).toBe('incremental');
    expect(r.units.filter((u) => u.reuse === 'No').flatMap((u) => u.reasons)).toContain('the body of `mul64` changed');
    const incremental = readFileSync(join(sub, 'out.a'));
    expect((await once(edited)).ok).toBe(true);
    expect(incremental.equals(readFileSync(join(sub, 'out.a')))).toBe(true);
    // Calling another function of the crate: the body is walked again, and the result is a clean build's.
    const call = (callee: string) =>
      edited
        .replace('    let mut _4: i64;\n', '    let mut _4: i64;\n    let mut _5: i8;\n')
        .replace('        _4 = BitXor(copy _1, const 0_i64);', `        _4 = BitXor(copy _1, const 0_i64);\n        _5 = ${callee}(const 1_i32, const 2_i32) -> [return: bb2, unwind unreachable];\n    }\n\n    bb2: {`);
    const c = await once(call('cmp3'), { cache });
    expect(c.ok).toBe(true);
    expect(c.frontEnd).toBe('incremental');
    const withCall = readFileSync(join(sub, 'out.a'));
    expect((await once(call('cmp3'))).ok).toBe(true);
    expect(withCall.equals(readFileSync(join(sub, 'out.a')))).toBe(true);
    // Taking the call out again, checked against the full front end.
    const v = await once(edited, { cache, verify: true });
    expect(v.ok, v.toolErrors.join('\n')).toBe(true);
    expect(v.frontEndReason).toBe('verify mode runs the full front end too');
    // A call of a function the crate does not define teaches the inference of external signatures.
    const x = await once(call('cmp_external'), { cache });
    expect(x.frontEnd).toBe('full');
    expect(x.frontEndReason).toBe('the external function `cmp_external` is called for the first time');
  });

  it('takes a structural edit of a body that reads discriminants, unless its discriminant facts change', async () => {
    const name = 't3_enum_shapes';
    const sub = mkdtempSync(join(dir, 'discriminants-'));
    const file = join(sub, `${name}.mir`);
    copyFileSync(join(CORPUS_DIR, `${name}.rs`), join(sub, `${name}.rs`));
    const text = readFileSync(join(CORPUS_DIR, `${name}.mir`), 'utf8');
    const once = (t: string, extra: Partial<BuildOptions> = {}) => {
      writeFileSync(file, t);
      return build([new SourceFile(file, t)], { backend: 'llvm', opt: 0, cgus: 2, emit: 'staticlib', output: join(sub, 'out.a'), rustSources: [new SourceFile(join(sub, `${name}.rs`), readFileSync(join(sub, `${name}.rs`), 'utf8'))], ...extra });
    };
    const cache = join(sub, 'cache');
    expect((await once(text, { cache })).frontEnd).toBe('full');
    // `area100` reaches the downcast to `Tagged` through one more block: the same facts.
    const split = text.replace('    bb2: {\n        _47 = copy (((*_1) as Tagged).0: Color);', '    bb2: {\n        goto -> bb99;\n    }\n\n    bb99: {\n        _47 = copy (((*_1) as Tagged).0: Color);');
    expect(split).not.toBe(text);
    const r = await once(split, { cache });
    expect(r.ok).toBe(true);
    expect(r.frontEnd).toBe('incremental');
    const incremental = readFileSync(join(sub, 'out.a'));
    expect((await once(split)).ok).toBe(true);
    expect(incremental.equals(readFileSync(join(sub, 'out.a')))).toBe(true);
    // Switching 3 and 4 tells other values for `Triangle` and `Tagged`.
    const swapped = split.replace('3: bb3, 4: bb2, otherwise: bb1]', '3: bb2, 4: bb3, otherwise: bb1]');
    expect(swapped).not.toBe(split);
    const s = await once(swapped, { cache });
    expect(s.frontEnd).toBe('full');
    expect(s.frontEndReason).toBe('`fn <impl at t3_enum_shapes.rs:59:1: 59:11>::area100(_1: &Shape) -> i64` tells the discriminants of enums something new');
  });

  it('verify compares the restored front end with the full one', async () => {
    await run(original);
    // Tamper with the stored fingerprint parts of the unit holding `main`.
    const db = new Database(join(dir, 'cache', 'cache.db'));
    try {
      const rows = db.prepare('SELECT crate, name, details FROM units').all() as { crate: string; name: string; details: string }[];
      const row = rows.find((r) => r.details.includes('"key":"main"'))!;
      const details = JSON.parse(row.details) as UnitFingerprint;
      const main = details.items.find((i) => i.key === 'main')!;
      main.body = { ...main.body!, identity: '0'.repeat(32) };
      db.prepare('UPDATE units SET details = ? WHERE crate = ? AND name = ?').run(JSON.stringify(details), row.crate, row.name);
    } finally {
      db.close();
    }
    const r = await run(literalEdit(), { verify: true });
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => d.message).join('\n')).toMatch(/incremental verification failed: the incremental front end disagrees with the full one: unit `.*` differs/);
  });
});
