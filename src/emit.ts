// `codegend emit`: the generated code of one function. The crate goes through the same
// pipeline as a build up to lowering; only the unit holding the function is lowered,
// and the backend prints that function.

import { type Diagnostic, DiagnosticSink, type SourceFile, sortDiagnostics } from './diagnostics.js';
import { pathKey } from './mir/ty.js';
import type { MonoItem } from './mono/types.js';
import { compileCodegenUnit } from './ssa/base.js';
import { type BackendName, selectBackend } from './backends/select.js';
import { prepareCrate } from './prepare.js';

export interface EmitOptions {
  backend: BackendName;
  opt: 0 | 1 | 2 | 3;
  cgus: number;
  /** A function's path as the MIR prints it (`sieve`, `m0::drive`), or its symbol. */
  function: string;
  form: 'llvm-ir';
  rustSources?: SourceFile[];
}

export async function emitFunction(sources: SourceFile[], options: EmitOptions): Promise<{ diagnostics: Diagnostic[]; text?: string }> {
  const prepared = prepareCrate(sources, { cgus: options.cgus, rustSources: options.rustSources });
  if (!prepared.input) return { diagnostics: prepared.diagnostics };
  const { input } = prepared;
  const matches = (m: MonoItem) => m.kind === 'fn' && m.instance.def.kind === 'item' && (pathKey(m.instance.def.item.item.name) === options.function || m.instance.symbol === options.function || m.instance.key === options.function);
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
  const texts = unit.items.filter((i) => matches(i.item)).map((i) => backend.functionText(module, (i.item as Extract<MonoItem, { kind: 'fn' }>).instance.symbol) ?? '');
  return { diagnostics: sink.list, text: texts.join('\n') };
}
