// Enum declarations read from the Rust source the MIR names: the scanner itself, and the
// variant order it settles when the MIR only builds variants as constants.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SourceFile } from '../../src/diagnostics.js';
import { checkCrate, companionRustFiles } from '../../src/mir/check.js';
import { readRustEnums } from '../../src/mir/rust-enums.js';
import { FIXTURES } from '../support/paths.js';

const DIR = join(FIXTURES, 'mir/rust-source');

describe('readRustEnums', () => {
  it.each([
    ['enum E { A, B(u8), C { x: i32 } }', 'E', 'A=0 B=1 C=2', undefined],
    ['#[repr(u8)]\nenum E { A = 3, B, C = 0x10, D }', 'E', 'A=3 B=4 C=16 D=17', 'u8'],
    ['#[derive(Clone)] #[repr(i8)] pub enum O { Less = -1, Equal = 0, Greater = 1 }', 'O', 'Less=-1 Equal=0 Greater=1', 'i8'],
    ['enum G<T: Copy> where T: Sized { X(T, (u8, u8)), /* Y, */ Z { a: [T; 2] } }', 'G', 'X=0 Z=1', undefined],
    ['enum S { A = "}".len() as isize, B }', 'S', 'A=? B=?', undefined],
    ["enum C { A, // '}'\n B = 7_u16, #[default] D }", 'C', 'A=0 B=7 D=8', undefined],
  ])('%s', (text, name, expected, repr) => {
    const decl = readRustEnums(text).get(name)!;
    let next: bigint | undefined = 0n;
    const shown = decl.variants.map((v) => {
      const d: bigint | undefined = v.opaque ? undefined : (v.discriminant ?? next);
      next = d === undefined ? undefined : d + 1n;
      return `${v.name}=${d ?? '?'}`;
    });
    expect(shown.join(' ')).toBe(expected);
    expect(decl.repr).toBe(repr);
  });

  it('leaves out an enum declared twice', () => {
    expect(readRustEnums('mod a { enum E { X } } mod b { enum E { Y, Z } }').has('E')).toBe(false);
  });
});

describe('variant order from the Rust source', () => {
  const mir = readFileSync(join(DIR, 'tokens.mir'), 'utf8');
  const variants = (rust?: string) => {
    const { crate, diagnostics } = checkCrate([new SourceFile(join(DIR, 'tokens.mir'), mir)], { rustSources: rust === undefined ? [] : [new SourceFile(join(DIR, 'tokens.rs'), rust)] });
    const tok = crate.index.adts.lookupSegments(['Tok'])!;
    return { order: tok.variants.map((v) => `${v.name}=${v.discriminant}`).join(' '), diagnostics: diagnostics.map((d) => `${d.severity}: ${d.message}`) };
  };

  it('names its companion', () => {
    expect(companionRustFiles(mir)).toEqual(['tokens.rs']);
  });

  it('without the source, the order is a guess and a warning says so', () => {
    const r = variants();
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatch(/^warning: the discriminants of .* in `Tok` cannot be inferred from the MIR/);
  });

  it('with the source, the declaration settles it', () => {
    const r = variants(readFileSync(join(DIR, 'tokens.rs'), 'utf8'));
    expect(r.diagnostics).toEqual([]);
    expect(r.order).toBe('Num=0 Plus=1 Minus=2 Star=3 Slash=4');
  });

  it('a source that disagrees with the MIR is ignored', () => {
    // The MIR proves nothing about unit variants here, but a declaration lacking one is not this enum.
    const r = variants('enum Tok { Num(i64), Plus, Minus }');
    expect(r.diagnostics[0]).toMatch(/^warning: /);
  });
});
