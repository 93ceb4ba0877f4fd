// Thin LTO's global analysis, backend-agnostic: from every module's summary, which
// functions each module copies in from which other module for its own optimization
// (rustc's ThinLTO import map). The incremental layer compares a module's import list
// with the last build's (`importKey`) to know whether its thin LTO object can be reused.

import type { ThinSummary } from '../traits/write.js';

/** Instructions; LLVM's default `-import-instr-limit`. */
export const THIN_IMPORT_LIMIT = 100;

/** `symbols` (sorted) that a module imports from the module named `from`. */
export interface ImportList {
  from: string;
  symbols: string[];
}

/** Module name → its imports, sorted by `from`. */
export type ImportMap = Map<string, ImportList[]>;

// Code-unit order: the same everywhere, whatever the locale.
const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Module A imports S from B iff A references S, B is the only other module exporting S,
 * and that export is importable and at most `limit` instructions. Imports are not
 * followed further (a copy's own callees are not imported). Every module has an entry.
 */
export function computeImportMap(summaries: Map<string, ThinSummary>, limit = THIN_IMPORT_LIMIT): ImportMap {
  const names = [...summaries.keys()].sort(byString);
  const exporters = new Map<string, { module: string; size: number; importable: boolean }[]>();
  for (const name of names) {
    for (const e of summaries.get(name)!.exports) {
      let list = exporters.get(e.symbol);
      if (!list) exporters.set(e.symbol, (list = []));
      list.push({ module: name, size: e.size, importable: e.importable });
    }
  }
  const map: ImportMap = new Map();
  for (const name of names) {
    const byModule = new Map<string, string[]>();
    for (const symbol of summaries.get(name)!.references) {
      // A symbol several modules export is ambiguous: which copy the linker keeps is not ours to guess.
      const others = (exporters.get(symbol) ?? []).filter((x) => x.module !== name);
      if (others.length !== 1) continue;
      const only = others[0]!;
      if (!only.importable || only.size > limit) continue;
      let symbols = byModule.get(only.module);
      if (!symbols) byModule.set(only.module, (symbols = []));
      symbols.push(symbol);
    }
    const lists = [...byModule.entries()]
      .sort(([a], [b]) => byString(a, b))
      .map(([from, symbols]): ImportList => ({ from, symbols: [...new Set(symbols)].sort(byString) }));
    map.set(name, lists);
  }
  return map;
}

/** A canonical string of one module's import list: equal lists give equal keys. */
export function importKey(list: ImportList[]): string {
  const canonical = [...list]
    .sort((a, b) => byString(a.from, b.from))
    .map((l) => [l.from, [...l.symbols].sort(byString)]);
  return JSON.stringify(canonical);
}
