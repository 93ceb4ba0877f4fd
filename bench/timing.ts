// Timing helpers: `measure` times an in-process function (one warm-up run, then the median
// of N timed repetitions); `timingOf` summarizes times taken elsewhere (whole builds,
// child processes).

import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A full garbage collection. `--expose-gc` set at run time applies to contexts created
 * afterwards, so `npm run bench` needs no node flags.
 */
export const collectGarbage: () => void = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

export interface Timing {
  medianMs: number;
  minMs: number;
  maxMs: number;
  reps: number;
}

export interface MeasureOptions {
  /**
   * Run a full GC before each repetition, outside the timed region, so that one repetition
   * does not pay for collecting the previous one's garbage (and two large results never
   * coexist). For whole-file runs that build a large AST; it slows sub-millisecond runs
   * down by an order of magnitude, so leave it off for those.
   */
  collectBetween?: boolean;
}

/** Times `fn` and returns the result of its last run. */
export function measure<T>(reps: number, fn: () => T, opts: MeasureOptions = {}): { timing: Timing; result: T } {
  let result: T | undefined = fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    result = undefined;
    if (opts.collectBetween) collectGarbage();
    const t0 = performance.now();
    result = fn();
    times.push(performance.now() - t0);
  }
  return { timing: timingOf(times), result: result as T };
}

/** The median, minimum and maximum of `times` (in ms; at least one). */
export function timingOf(times: number[]): Timing {
  if (times.length === 0) throw new Error('timingOf: no times');
  const sorted = [...times].sort((a, b) => a - b);
  return { medianMs: median(sorted), minMs: sorted[0]!, maxMs: sorted[sorted.length - 1]!, reps: sorted.length };
}

/** The median of an ascending array. */
function median(sorted: number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Throughput in MB/s (MB = 1e6 bytes). */
export function mbPerSec(bytes: number, ms: number): number {
  return bytes / 1e6 / (ms / 1e3);
}
