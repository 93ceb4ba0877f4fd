// The thin LTO import map (src/ssa/back/lto.ts) on hand-made summaries: who imports what
// from whom, what is never imported (ambiguous, non-importable, too big, transitive), and
// that the result and its keys do not depend on the order summaries were added in.

import { describe, expect, it } from 'vitest';
import { computeImportMap, importKey, THIN_IMPORT_LIMIT, type ImportMap } from '../../src/ssa/back/lto.js';
import type { ThinExport, ThinSummary } from '../../src/ssa/traits/index.js';

const exp = (symbol: string, size = 3, importable = true): ThinExport => ({ symbol, size, importable });
const summary = (exports: ThinExport[], references: string[] = []): ThinSummary => ({ exports, references });

const plain = (map: ImportMap): [string, [string, string[]][]][] => [...map].map(([m, lists]) => [m, lists.map((l) => [l.from, l.symbols])]);

describe('thin LTO import map', () => {
  it('imports each referenced function from its only exporter, grouped and sorted', () => {
    const map = computeImportMap(
      new Map([
        ['main', summary([exp('main')], ['z_util', 'a_util', 'lib_f', 'printf'])],
        ['util', summary([exp('a_util'), exp('z_util')])],
        ['lib', summary([exp('lib_f')], ['a_util'])],
      ]),
    );
    expect(plain(map)).toEqual([
      ['lib', [['util', ['a_util']]]],
      ['main', [['lib', ['lib_f']], ['util', ['a_util', 'z_util']]]],
      ['util', []],
    ]);
  });

  it('leaves out ambiguous, non-importable and too large exports, and never follows imports further', () => {
    const map = computeImportMap(
      new Map([
        ['a', summary([], ['twice', 'hidden', 'big', 'limit', 'chain'])],
        ['b', summary([exp('twice'), exp('hidden', 2, false), exp('big', THIN_IMPORT_LIMIT + 1), exp('limit', THIN_IMPORT_LIMIT), exp('chain')], ['leaf'])],
        ['c', summary([exp('twice'), exp('leaf')])],
      ]),
    );
    // `chain` (in b) calls `leaf` (in c): a gets `chain`, not `leaf`.
    expect(plain(map)).toEqual([
      ['a', [['b', ['chain', 'limit']]]],
      ['b', [['c', ['leaf']]]],
      ['c', []],
    ]);
  });

  it('honours a smaller limit', () => {
    const summaries = new Map([
      ['a', summary([], ['f', 'g'])],
      ['b', summary([exp('f', 10), exp('g', 11)])],
    ]);
    expect(plain(computeImportMap(summaries, 10))).toEqual([
      ['a', [['b', ['f']]]],
      ['b', []],
    ]);
  });

  it('gives every module an entry, also when nothing it references is exported', () => {
    const map = computeImportMap(
      new Map([
        ['a', summary([exp('f')], ['printf', 'exit'])],
        ['empty', summary([])],
      ]),
    );
    expect(plain(map)).toEqual([
      ['a', []],
      ['empty', []],
    ]);
  });

  it('does not depend on insertion order, and its keys are canonical', () => {
    const entries: [string, ThinSummary][] = [
      ['m2', summary([exp('f2')], ['f1', 'f3'])],
      ['m1', summary([exp('f1')], ['f3', 'f2'])],
      ['m3', summary([exp('f3')], ['f2', 'f1'])],
    ];
    const forward = computeImportMap(new Map(entries));
    const backward = computeImportMap(new Map([...entries].reverse()));
    expect(plain(backward)).toEqual(plain(forward));
    expect([...forward.keys()]).toEqual(['m1', 'm2', 'm3']);
    for (const [m, lists] of forward) expect(importKey(lists)).toBe(importKey(backward.get(m)!));

    expect(importKey([])).toBe(importKey([]));
    expect(importKey([{ from: 'b', symbols: ['y', 'x'] }, { from: 'a', symbols: ['z'] }])).toBe(
      importKey([{ from: 'a', symbols: ['z'] }, { from: 'b', symbols: ['x', 'y'] }]),
    );
    expect(importKey([{ from: 'a', symbols: ['x'] }])).not.toBe(importKey([{ from: 'a', symbols: ['x', 'y'] }]));
    expect(importKey([{ from: 'a', symbols: ['x'] }])).not.toBe(importKey([{ from: 'b', symbols: ['x'] }]));
    // Names with separators in them cannot run together.
    expect(importKey([{ from: 'a', symbols: ['b,c'] }])).not.toBe(importKey([{ from: 'a', symbols: ['b', 'c'] }]));
  });
});
