// The cache's commands: `codegend explain`, `stats` and `clean`. They find the store the
// way `build` does (`--cache DIR`, else `.codegend/` beside the first file, else in the
// current directory) and print what the library reads from it.

import { dirname, join, resolve } from 'node:path';
import { crateNameOf } from '../src/build.js';
import { SourceFile } from '../src/diagnostics.js';
import { explainLastBuild, formatExplanation, frontEndOf, latestCrate } from '../src/incr/explain.js';
import { crateKey } from '../src/incr/session.js';
import { CacheError, WorkProductStore } from '../src/incr/store.js';
import { cacheStatsResult } from '../server/cache-stats.js';
import { CACHE_DIR_NAME } from '../server/manifest.js';
import { formatCacheStats } from './cache-stats-text.js';
import { parseArgs, type ParsedArgs, UsageError } from './args.js';

/** The cache directory of a build: `--cache DIR`, else `.codegend/` beside the first input. */
export function cacheDirOf(p: ParsedArgs, files: string[]): string | undefined {
  if (p.switches.has('--no-cache')) return undefined;
  const given = p.values.get('--cache');
  if (given !== undefined) return resolve(given);
  return join(files.length > 0 ? dirname(resolve(files[0]!)) : process.cwd(), CACHE_DIR_NAME);
}

function openForReading(p: ParsedArgs): WorkProductStore | undefined {
  const dir = cacheDirOf(p, p.files.filter((f) => f.endsWith('.mir')))!;
  if (!WorkProductStore.exists(dir)) {
    process.stderr.write(`codegend: no cache at ${dir} (build with --cache DIR, or pass the .mir files)\n`);
    return undefined;
  }
  return WorkProductStore.open(dir, { readonly: true });
}

/** The crate the command is about: from the files given, else the one built last. */
function crateOf(store: WorkProductStore, files: string[]): string | undefined {
  if (files.length === 0) return latestCrate(store);
  const sources = files.map((f) => new SourceFile(f, ''));
  return crateKey(crateNameOf(sources), sources);
}

export function explainCommand(args: string[]): number {
  const p = parseArgs(args, { values: ['--cache'], switches: ['--json'] });
  const files = p.files.filter((f) => f.endsWith('.mir'));
  const targets = p.files.filter((f) => !f.endsWith('.mir'));
  if (targets.length > 1) throw new UsageError('explain takes at most one UNIT or FUNCTION');
  return withStore(p, (store) => {
    const crate = crateOf(store, files);
    const ex = crate === undefined ? undefined : explainLastBuild(store, crate, targets[0]);
    if (!ex) {
      process.stderr.write(`codegend: the cache at ${store.dir} has no build${files.length > 0 ? ' of these files' : ''} to explain\n`);
      return 1;
    }
    if (p.switches.has('--json')) {
      process.stdout.write(JSON.stringify({ crate: ex.crate, build: { id: ex.build.id, ok: ex.build.ok, ms: ex.build.ms, startedAt: ex.build.startedAt, frontEnd: frontEndOf(ex.build) }, units: ex.units }) + '\n');
      return 0;
    }
    if (targets[0] !== undefined && ex.units.length === 0) {
      process.stderr.write(`codegend: no unit or function matching '${targets[0]}' in the last build of ${ex.crate}\n`);
      return 1;
    }
    process.stdout.write(formatExplanation(ex));
    return 0;
  });
}

export function statsCommand(args: string[]): number {
  const p = parseArgs(args, { values: ['--cache'], switches: ['--json'] });
  return withStore(p, (store) => {
    const s = store.stats();
    process.stdout.write(p.switches.has('--json') ? JSON.stringify(s) + '\n' : formatCacheStats(cacheStatsResult(s)));
    return 0;
  });
}

export function cleanCommand(args: string[]): number {
  const p = parseArgs(args, { values: ['--cache'], switches: [] });
  const files = p.files.filter((f) => f.endsWith('.mir'));
  if (p.files.length !== files.length) throw new UsageError('clean takes only .mir files');
  const dir = cacheDirOf(p, files)!;
  if (!WorkProductStore.exists(dir)) {
    process.stdout.write(`nothing to clean at ${dir}\n`);
    return 0;
  }
  let store: WorkProductStore;
  try {
    store = WorkProductStore.open(dir);
  } catch (e) {
    if (!(e instanceof CacheError) || files.length > 0) throw e;
    // A cache this codegend cannot open (a newer schema): emptying it means removing it.
    WorkProductStore.remove(dir);
    process.stdout.write(`removed the cache at ${dir} (${e.message})\n`);
    return 0;
  }
  try {
    const crate = files.length > 0 ? crateOf(store, files) : undefined;
    store.clean(crate);
    process.stdout.write(crate ? `removed the work products of ${crate} from ${dir}\n` : `emptied the cache at ${dir}\n`);
    return 0;
  } finally {
    store.close();
  }
}

function withStore(p: ParsedArgs, f: (store: WorkProductStore) => number): number {
  let store: WorkProductStore | undefined;
  try {
    store = openForReading(p);
    if (!store) return 1;
    return f(store);
  } catch (e) {
    if (!(e instanceof CacheError)) throw e;
    process.stderr.write(`codegend: error: ${e.message}\n`);
    return 1;
  } finally {
    store?.close();
  }
}
