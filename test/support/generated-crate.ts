// Crates from ../shared/bench/gen-crate.mjs with the MIR rustc prints for them, for tests
// that need realistic crates of a chosen size. They share the benchmarks' cache
// (bench/.cache, ignored by git), so each spec runs rustc once per machine. Test files
// running in parallel must use different specs: a spec is built by one process at a time.

import { join } from 'node:path';
import { type CrateSpec, prepareCrate, rustcVersion } from '../../bench/crate.js';
import { REPO_ROOT, SHARED } from './paths.js';

let rustc: string | undefined;

/** The path of the MIR file of the generated crate `spec`. */
export function generatedCrateMir(spec: CrateSpec): string {
  rustc ??= rustcVersion();
  return prepareCrate(spec, { shared: SHARED, cache: join(REPO_ROOT, 'bench/.cache') }, rustc, false).mirPath;
}
