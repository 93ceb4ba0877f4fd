// The corpus as an oracle: every program in PASSING must build with the LLVM backend at
// --opt 0 and --opt 2 (with the Rust sources the MIR names beside it, as the CLI reads
// them) and print exactly what rustc's binary printed, with the same exit status. A program that is not in the list but passes fails the suite too, so that it
// joins the list (progress is recorded, regressions are caught).

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildAndRun } from '../support/build-and-run.js';
import { corpusMirFiles } from '../support/paths.js';

const PASSING = new Set<string>([
  't1_bitops',
  't1_checked_wrapping',
  't1_fib_rec',
  't1_int_widths',
  't1_loops',
  't1_many_args',
  't2_arrays_sort',
  't2_large_struct',
  't2_matrix',
  't2_refs_mut',
  't2_slices',
  't2_statics_bytes',
  't2_structs_points',
  't3_enum_shapes',
  't3_generics',
  't3_match_guards',
  't3_option_result',
  't3_state_machine',
  't3_traits_static',
  't4_closures_fnptr',
  't4_control_mem',
  't4_dyn_traits',
  't4_floats',
  't4_raw_ptr_malloc',
  't4_u128_math',
  't5_add_overflow',
  't5_div_zero',
  't5_explicit_panic',
  't5_index_oob',
  't5_slice_range',
  't5_unwrap_none',
]);

const files = corpusMirFiles();

describe.each([0, 2] as const)('corpus at --opt %i', (opt) => {
  it.concurrent.each(files.map((f) => [basename(f, '.mir'), f]))('%s', async (name, file) => {
    const expectedStdout = readFileSync(file.replace(/\.mir$/, '.stdout'), 'latin1');
    const expectedExit = Number(readFileSync(file.replace(/\.mir$/, '.exit'), 'utf8').trim());
    const r = await buildAndRun([file], { opt });
    const passed = r.built && r.stdout === expectedStdout && r.exit === expectedExit;
    if (PASSING.has(name)) {
      expect(r.errors).toBe('');
      expect(r.stdout).toBe(expectedStdout);
      expect(r.exit).toBe(expectedExit);
    } else {
      expect(passed, `${name} passes now: add it to PASSING`).toBe(false);
    }
  }, 120_000);
});
