// Cache statistics as text, laid out like `sccache --show-stats`: what `codegend stats`
// prints and what the VS Code extension's Cache Stats shows.

import type { CacheStatsResult } from '../server/protocol.js';

/** `850 ms`, `1.2 s`, `2 min 5 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

const KIB = 1024;
const MIB = 1024 * KIB;
const GIB = 1024 * MIB;

export function formatBytes(n: number): string {
  if (n >= GIB) return `${(n / GIB).toFixed(1)} GiB`;
  if (n >= MIB) return `${(n / MIB).toFixed(1)} MiB`;
  if (n >= KIB) return `${(n / KIB).toFixed(1)} KiB`;
  return `${n} B`;
}

/** The statistics, one row each, then the recent builds. */
export function formatCacheStats(s: CacheStatsResult): string {
  const row = (label: string, value: string) => `${label.padEnd(34)}${value}`;
  const blobKind = { pre: 'pre-LTO modules', post: 'objects', lto: 'fat LTO objects' } as const;
  const hits = s.hits.reduce((a, h) => a + h.count, 0);
  const lookups = hits + s.misses;
  const lines = [
    'Cache Stats',
    row('Cache location', s.dir),
    row('Schema version', String(s.schema)),
    row('Crates', s.crates.length > 0 ? `${s.crates.length} (${s.crates.join(', ')})` : '0'),
    row('Units (entries)', String(s.entries)),
    ...s.blobs.map((b) => row(`  ${blobKind[b.kind]}`, `${b.count} (${formatBytes(b.bytes)})`)),
    row('Cache size', `${formatBytes(s.bytes)} of ${formatBytes(s.maxBytes)}`),
    ...s.hits.map((h) => row(`Hits (${h.kind})`, String(h.count))),
    row('Misses (rebuilt units)', String(s.misses)),
    row('Hit rate', lookups > 0 ? `${((100 * hits) / lookups).toFixed(1)} %` : '-'),
    row('Corrupt blobs detected', String(s.corrupt)),
    row('Evicted blobs', String(s.evicted)),
    '',
    'Recent builds:',
  ];
  for (const b of s.history) {
    const when = new Date(b.startedAt).toISOString();
    lines.push(`  #${b.id} ${when} ${b.crate}: ${b.ok ? 'ok' : 'failed'}, ${formatDuration(b.ms)}, ${plural(b.units, 'unit')}: ${b.compiled} compiled, ${b.reusedPost} PostLto, ${b.reusedPre} PreLto`);
  }
  if (s.history.length === 0) lines.push('  (none)');
  return lines.join('\n') + '\n';
}
