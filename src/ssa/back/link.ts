// Producing the build's output from the units' objects: an executable (through `cc`,
// with libc, as the programs rustc builds for the corpus are linked), a static library
// (`ar`), or one relocatable object (`cc -r`). Objects are written to a private
// temporary directory in unit order, so the result does not depend on scheduling.

import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { ObjectFile } from '../traits/index.js';
import { ARCHIVER, LINKER, runTool } from './linker.js';

export type OutputKind = 'exe' | 'staticlib' | 'obj';

export interface LinkOptions {
  kind: OutputKind;
  /** Extra arguments for the linker driver (`-lm`, `-static`, …). */
  linkArgs?: string[];
}

export async function link(objects: ObjectFile[], output: string, options: LinkOptions): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'codegend-link-'));
  try {
    const paths: string[] = [];
    for (const [i, o] of objects.entries()) {
      const p = join(dir, `${String(i).padStart(4, '0')}-${o.name.replace(/[^A-Za-z0-9_.-]/g, '_')}.o`);
      await writeFile(p, o.bytes);
      paths.push(p);
    }
    // Link beside the output, then rename over it: a build stopped midway never leaves a
    // half-written output, and the old one stays until the new one is complete.
    const partial = join(dirname(output), `.${basename(output)}.codegend-${process.pid}`);
    await rm(partial, { force: true });
    try {
      await runLinker(options, paths, partial);
      await rename(partial, output);
    } finally {
      await rm(partial, { force: true });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function runLinker(options: LinkOptions, objects: string[], output: string): Promise<void> {
  switch (options.kind) {
    case 'exe':
      // libm: float `%` lowers to `fmod`/`fmodf`, which rustc's binaries get from compiler_builtins.
      await runTool(LINKER, ['-o', output, ...objects, ...(options.linkArgs ?? []), '-lm', '-lc']);
      return;
    case 'staticlib':
      // `D`: deterministic archive (no timestamps, uids or modes).
      await runTool(ARCHIVER, ['crsD', output, ...objects]);
      return;
    case 'obj':
      await runTool(LINKER, ['-r', '-nostdlib', '-o', output, ...objects, ...(options.linkArgs ?? [])]);
      return;
  }
}
