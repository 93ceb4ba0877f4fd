// The generated-code documents of Show Generated Code, as data: the `codegend-emit:`
// address of a function's code (a tab titled `<function>.ll`, a query that is enough
// to ask the daemon again) and the map between its lines and the MIR lines they came
// from. No `vscode` import: the view in generated-code.mts wraps these.

import { resolve } from 'node:path';
import type { EmitResult } from '../../server/protocol.js';
import type { EmitForm } from './settings.mjs';

export const EMIT_SCHEME = 'codegend-emit';

export interface EmitTarget {
  function: string;
  form: EmitForm;
}

/** The path and query of the document showing `target`. */
export function emitDocumentParts(target: EmitTarget): { path: string; query: string } {
  // The path is only the tab's title; the query says what to ask for.
  const title = target.function.replace(/[\\/?#%]/g, '_');
  return {
    path: `/${title}.${target.form === 'asm' ? 's' : 'll'}`,
    query: new URLSearchParams({ function: target.function, form: target.form }).toString(),
  };
}

export function parseEmitQuery(query: string): EmitTarget | undefined {
  const q = new URLSearchParams(query);
  const fn = q.get('function');
  const form = q.get('form');
  if (!fn || (form !== 'llvm-ir' && form !== 'asm')) return undefined;
  return { function: fn, form };
}

/** A MIR position, 1-based as the protocol gives it, with an absolute file path. */
export interface MirLocation {
  file: string;
  line: number;
  column: number;
}

/** Both directions between the lines of generated code (0-based) and MIR lines. */
export class LineMap {
  private readonly byOutput = new Map<number, MirLocation>();
  private readonly byMir = new Map<string, number[]>();

  /** `root` resolves the relative file names a daemon may report. */
  constructor(lines: EmitResult['lines'], root: string | undefined) {
    for (const l of lines) {
      const loc = { file: resolve(root ?? '/', l.file), line: l.line, column: l.column };
      this.byOutput.set(l.output, loc);
      const key = mirKey(loc.file, loc.line);
      const outs = this.byMir.get(key);
      if (outs) outs.push(l.output);
      else this.byMir.set(key, [l.output]);
    }
  }

  /** Where output line `line` (0-based) came from, when it came from a statement or terminator. */
  mirAt(line: number): MirLocation | undefined {
    return this.byOutput.get(line);
  }

  /** The output lines (0-based, ascending) that came from MIR line `line` (1-based) of `file`. */
  outputLinesFor(file: string, line: number): number[] {
    return [...(this.byMir.get(mirKey(resolve(file), line)) ?? [])].sort((a, b) => a - b);
  }

  get size(): number {
    return this.byOutput.size;
  }
}

function mirKey(file: string, line: number): string {
  return `${line}:${file}`;
}
