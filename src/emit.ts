// `codegend emit`: the generated code of one function, with the MIR statement or
// terminator each line came from. The crate goes through the same pipeline as a build up
// to lowering; only the unit holding the function is lowered, and the backend lists that
// function: its IR as built, or the assembly the build would make of it at `opt`.

import { type Diagnostic, DiagnosticSink, type SourceFile, sortDiagnostics } from './diagnostics.js';
import { pathKey } from './mir/ty.js';
import type { Instance, MonoItem } from './mono/types.js';
import { compileCodegenUnit } from './ssa/base.js';
import type { FunctionListing, ListingForm } from './ssa/traits/index.js';
import { type BackendName, selectBackend } from './backends/select.js';
import { prepareCrate } from './prepare.js';

export type EmitForm = 'llvm-ir' | 'asm';

export interface EmitOptions {
  backend: BackendName;
  opt: 0 | 1 | 2 | 3;
  cgus: number;
  /** A function's path as the MIR prints it (`sieve`, `m0::drive`), or its symbol. */
  function: string;
  form: EmitForm;
  rustSources?: SourceFile[];
}

/** A line of the text (0-based) and the 1-based position of the MIR statement or terminator it came from. */
export interface EmitLine {
  output: number;
  file: string;
  line: number;
  column: number;
}

export interface EmitResult {
  diagnostics: Diagnostic[];
  /** Every instance of the function (a generic one has several), a blank line apart. */
  text?: string;
  /** In line order; lines of no statement have no entry. */
  lines?: EmitLine[];
  /** The unit that holds the function. */
  unit?: string;
  /** The function's path as the MIR prints it. */
  function?: string;
}

const LISTING_FORMS: Record<EmitForm, ListingForm> = { 'llvm-ir': 'ir', asm: 'asm' };

export async function emitFunction(sources: SourceFile[], options: EmitOptions): Promise<EmitResult> {
  const prepared = prepareCrate(sources, { cgus: options.cgus, rustSources: options.rustSources });
  if (!prepared.input) return { diagnostics: prepared.diagnostics };
  const { input } = prepared;
  const matches = (m: MonoItem): m is Extract<MonoItem, { kind: 'fn' }> =>
    m.kind === 'fn' && m.instance.def.kind === 'item' && (pathKey(m.instance.def.item.item.name) === options.function || m.instance.symbol === options.function || m.instance.key === options.function);
  const unit = input.units.find((u) => u.items.some((i) => matches(i.item)));
  const sink = new DiagnosticSink();
  if (!unit) {
    const file = sources[0]!;
    sink.error(file, { lo: 0, hi: 0 }, `no function \`${options.function}\` is compiled in this crate (generic functions are emitted at their instantiations; unreachable functions are not compiled)`);
    return { diagnostics: sink.list };
  }
  const backend = selectBackend(options.backend);
  const module = compileCodegenUnit(backend, input, unit, { opt: options.opt }, sink);
  if (!module) return { diagnostics: sortDiagnostics(sink.list) };
  const instances = unit.items.map((i) => i.item).filter(matches).map((m) => m.instance);
  const def = itemOf(instances[0]!);
  const listings: FunctionListing[] = [];
  try {
    const listed = await backend.functionListings(module, instances.map((inst) => inst.symbol), LISTING_FORMS[options.form]);
    instances.forEach((inst, i) => {
      const listing = listed[i];
      if (listing) listings.push(listing);
      else sink.warning(def.file, def.item.nameSpan, `\`${inst.key}\` has no code of its own at --opt ${options.opt}: the optimizer inlined it into its callers`);
    });
  } catch (e) {
    // A tool that fails (llc missing or crashing) is reported at the function.
    for (const inst of instances) sink.error(def.file, def.item.nameSpan, `cannot list \`${inst.key}\`: ${e instanceof Error ? e.message : String(e)}`);
  }
  const result: EmitResult = { diagnostics: sortDiagnostics(sink.list), unit: unit.name, function: pathKey(def.item.name) };
  if (sink.errorCount > 0 || listings.length === 0) return result;
  return { ...result, ...concatenate(listings) };
}

function itemOf(inst: Instance) {
  if (inst.def.kind !== 'item') throw new Error('internal: emit lists crate functions only');
  return inst.def.item;
}

/** The listings one after another, a blank line apart, the line numbers moved along. */
function concatenate(listings: FunctionListing[]): { text: string; lines: EmitLine[] } {
  const lines: EmitLine[] = [];
  let offset = 0;
  for (const l of listings) {
    for (const x of l.lines) lines.push({ output: x.output + offset, file: x.file.name, line: x.line, column: x.column });
    offset += countLines(l.text) + 1;
  }
  return { text: listings.map((l) => l.text).join('\n'), lines };
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
