// The benchmark's results: one JSON-serialisable object (written by `--json FILE`)
// and the compact table printed from it.

import type { Timing } from './timing.js';

/** A timing with its throughput (MB = 1e6 bytes of UTF-8 input). */
export interface Throughput extends Timing {
  MBps: number;
}

export interface Results {
  node: string;
  rustc: string;
  reps: number;
  crate: { fns: number; modules: number; seed: number; mir: string; bytes: number };
  sha256: Throughput;
  splitItems: Throughput & { items: number };
  parse: Throughput & { items: number; diagnostics: number };
  check: Throughput & { items: number; diagnostics: number };
  /** The rustc run that printed the MIR; `ms` is null when the MIR came from the cache. */
  rustcEmitMir: { ms: number | null; MBps: number | null };
  target: { name: string; MBps: number; met: boolean };
  edit: {
    mutate: number;
    chunksBefore: number;
    chunksAfter: number;
    /** Chunks of the edited file with no identical chunk (by sha256) in the original. */
    changed: number;
    /** Chunks of the original with no identical chunk in the edited file. */
    removed: number;
    changedHeads: string[];
    splitHashBoth: Timing;
    reparseChanged: Timing & { items: number; diagnostics: number };
  };
  peakRssMB: number;
}

export function printReport(r: Results): void {
  const mb = (r.crate.bytes / 1e6).toFixed(1);
  console.log(`codegend bench: node ${r.node}, ${r.rustc.split('\n')[0]}`);
  console.log(`crate: ${r.crate.fns} fns / ${r.crate.modules} modules / seed ${r.crate.seed}; ${r.crate.mir} (${mb} MB)`);
  console.log(`median of ${r.reps} after 1 warm-up\n`);
  console.log(frontEndTable(r));
  console.log('');
  const check = r.check.medianMs;
  const rustcRatio = r.rustcEmitMir.ms === null ? 'cached, not run this time (--fresh to time it)' : `${ratio(r.rustcEmitMir.ms, check)} parse+check`;
  console.log(`ratios: parse+check = ${ratio(check, r.sha256.medianMs)} sha256; rustc --emit=mir = ${rustcRatio}`);
  console.log(`target: ${r.target.name}: ${r.target.met ? 'met' : 'NOT met'} (${r.check.MBps.toFixed(1)} MB/s)\n`);
  printEdit(r.edit);
  console.log(`\npeak RSS: ${r.peakRssMB.toFixed(0)} MB`);
}

function frontEndTable(r: Results): string {
  const base = r.sha256.medianMs;
  const row = (name: string, t: Throughput, items?: number, diags?: number): string[] => [
    name, ms(t.medianMs), `${ms(t.minMs)}-${ms(t.maxMs)}`, t.MBps.toFixed(1), ratio(t.medianMs, base), items === undefined ? '-' : String(items), diags === undefined ? '-' : String(diags),
  ];
  const rows = [
    ['measurement', 'median ms', 'min-max ms', 'MB/s', 'x sha256', 'items', 'diags'],
    row('sha256 (peer, lower bound)', r.sha256),
    row('splitItems', r.splitItems, r.splitItems.items),
    row('parseMirFile (parse)', r.parse, r.parse.items, r.parse.diagnostics),
    row('checkCrate (parse+check)', r.check, r.check.items, r.check.diagnostics),
  ];
  const rc = r.rustcEmitMir;
  rows.push(rc.ms === null
    ? ['rustc --emit=mir (peer)', 'cached', '-', '-', '-', '-', '-']
    : ['rustc --emit=mir (peer)', ms(rc.ms), '1 run', (rc.MBps ?? 0).toFixed(1), ratio(rc.ms, base), '-', '-']);
  return formatTable(rows);
}

function printEdit(e: Results['edit']): void {
  console.log(`one-function edit (--mutate ${e.mutate}):`);
  console.log(`  chunks: ${e.chunksBefore} -> ${e.chunksAfter}; differing by hash: ${e.changed} changed/new, ${e.removed} gone`);
  for (const head of e.changedHeads) console.log(`    ${head}`);
  console.log(`  split+hash both files: ${ms(e.splitHashBoth.medianMs)} ms (sha256 per chunk)`);
  console.log(`  re-parse of the changed chunks: ${ms(e.reparseChanged.medianMs)} ms (${e.reparseChanged.items} items, ${e.reparseChanged.diagnostics} diags)`);
}

/** Left-aligns the first column and right-aligns the rest. */
function formatTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows
    .map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '))
    .join('\n');
}

function ms(x: number): string {
  return x >= 100 ? x.toFixed(0) : x.toFixed(2);
}

function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(a / b >= 10 ? 0 : 2)}x`;
}
