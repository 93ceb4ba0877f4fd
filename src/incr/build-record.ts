// What a build record keeps beyond reuse: the warnings of a good build, so a build that
// reuses everything reports them again (as cargo replays them), and the output it linked,
// so a build that changes nothing can keep that output instead of linking it again.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type Diagnostic, DiagnosticSink, type SourceFile } from '../diagnostics.js';
import type { BuildRecord } from './store.js';

/** Where and how the output is linked. */
export interface OutputOptions {
  output: string;
  emit: string;
  linkArgs?: string[];
}

/** The warnings of a good build, kept so a build that reuses everything reports them again, like cargo. */
interface WarningsRecord {
  /** The exact input hash (`exactInputHash`): warnings point into that text. */
  text: string;
  list: { file: string; lo: number; hi: number; message: string }[];
}

export function warningsRecord(exactInputs: string, diagnostics: Diagnostic[]): WarningsRecord | undefined {
  const warnings = diagnostics.filter((d) => d.severity === 'warning');
  if (warnings.length === 0) return undefined;
  return { text: exactInputs, list: warnings.map((d) => ({ file: d.file.name, lo: d.span.lo, hi: d.span.hi, message: d.message })) };
}

/** The last build's warnings on the current text; undefined when they cannot be placed (the text moved). */
export function replayWarnings(last: BuildRecord, sources: SourceFile[], exactInputs: string): Diagnostic[] | undefined {
  const rec = (last.options as { warnings?: WarningsRecord } | null)?.warnings;
  if (!rec) return [];
  if (rec.text !== exactInputs) return undefined;
  const byName = new Map(sources.map((s) => [s.name, s]));
  const sink = new DiagnosticSink();
  for (const w of rec.list) {
    const file = byName.get(w.file);
    if (!file) return undefined;
    sink.warning(file, { lo: w.lo, hi: w.hi }, w.message);
  }
  return sink.list;
}

interface OutputRecord {
  path: string;
  emit: string;
  linkArgs: string[];
  /** SHA-256 of the file as linked. */
  hash: string;
}

export function outputRecord(options: OutputOptions): OutputRecord | undefined {
  const hash = fileHash(options.output);
  return hash === undefined ? undefined : { path: options.output, emit: options.emit, linkArgs: options.linkArgs ?? [], hash };
}

export function sameOutput(last: BuildRecord, options: OutputOptions): boolean {
  const prev = (last.options as { output?: OutputRecord } | null)?.output;
  if (!prev || prev.path !== options.output || prev.emit !== options.emit || prev.linkArgs.join('\0') !== (options.linkArgs ?? []).join('\0')) return false;
  return fileHash(options.output) === prev.hash;
}

function fileHash(path: string): string | undefined {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return undefined;
  }
}
