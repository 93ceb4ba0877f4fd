// The store's statistics as the protocol gives them (`codegend/cacheStats`, and what
// `codegend stats --json` prints).

import type { CacheStats } from '../src/incr/store.js';
import type { CacheStatsResult } from './protocol.js';

export function cacheStatsResult(s: CacheStats): CacheStatsResult {
  return { dir: s.dir, schema: s.schema, crates: s.crates, entries: s.entries, blobs: s.blobs, bytes: s.bytes, maxBytes: s.maxBytes, hits: s.hits, misses: s.misses, corrupt: s.corrupt, evicted: s.evicted, history: s.recent };
}

/** The statistics of a workspace whose cache does not exist yet. */
export function emptyCacheStats(dir: string): CacheStatsResult {
  return { dir, schema: 0, crates: [], entries: 0, blobs: [], bytes: 0, maxBytes: 0, hits: [], misses: 0, corrupt: 0, evicted: 0, history: [] };
}
