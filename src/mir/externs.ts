// Signatures of functions the crate calls but does not define (libc, core's panic entry
// points, intrinsics), inferred from their call sites: argument types give parameters,
// the destination gives the return type, and calls of different arity mean a variadic
// function (the common prefix is fixed). Calls that cannot agree get a diagnostic that
// asks for an `extern "C"` declaration. Generic callees (`rotate_left::<u32>`) are
// inferred per instantiation.

import type { FnSig, Path, Ty } from './ast.js';
import type { DiagnosticSink, SourceFile, Span } from '../diagnostics.js';
import { printPath } from './printer.js';
import { compatible, type NamedTypeClass, showTy } from './ty.js';

/** C functions that take a variable number of arguments after a fixed prefix. */
const KNOWN_VARIADIC: Record<string, number> = {
  printf: 1, fprintf: 2, sprintf: 2, snprintf: 3, dprintf: 2, scanf: 1, sscanf: 2, fscanf: 2, open: 2, fcntl: 2, ioctl: 2, execl: 2, execlp: 2,
};

interface CallSite {
  args: (Ty | undefined)[];
  ret: Ty | undefined;
  file: SourceFile;
  span: Span;
}

export interface InferredExtern {
  /** The callee as printed, generic arguments included: `rotate_left::<u32>`. */
  name: string;
  path: Path;
  sig: FnSig;
}

export class ExternInference {
  private readonly sites = new Map<string, { path: Path; calls: CallSite[] }>();

  noteCall(path: Path, args: (Ty | undefined)[], ret: Ty | undefined, file: SourceFile, span: Span): void {
    const name = printPath(path, 'value');
    let entry = this.sites.get(name);
    if (!entry) this.sites.set(name, (entry = { path, calls: [] }));
    entry.calls.push({ args, ret, file, span });
  }

  /** Infers every signature; disagreements become diagnostics. Sorted by name. */
  finish(sink: DiagnosticSink, classify: NamedTypeClass): InferredExtern[] {
    const out: InferredExtern[] = [];
    for (const name of [...this.sites.keys()].sort()) {
      const { path, calls } = this.sites.get(name)!;
      const sig = inferSignature(name, calls, sink, classify);
      if (sig) out.push({ name, path, sig });
    }
    return out;
  }
}

function inferSignature(name: string, calls: CallSite[], sink: DiagnosticSink, classify: NamedTypeClass): FnSig | undefined {
  const arities = calls.map((c) => c.args.length);
  const minArity = Math.min(...arities);
  const known = KNOWN_VARIADIC[name];
  const variadic = known !== undefined || arities.some((a) => a !== minArity);
  const fixed = known !== undefined ? Math.min(known, minArity) : minArity;
  const params: Ty[] = [];
  for (let i = 0; i < fixed; i++) {
    let ty: Ty | undefined;
    let first: CallSite | undefined;
    for (const c of calls) {
      const t = c.args[i];
      if (!t) continue;
      if (!ty) {
        ty = t;
        first = c;
      } else if (!compatible(ty, t, classify)) {
        const at = first!.file.position(first!.span.lo);
        sink.error(c.file, c.span, `cannot infer the signature of \`${name}\`: argument ${i + 1} is \`${showTy(t)}\` here but \`${showTy(ty)}\` at ${first!.file.name}:${at.line}:${at.col}`, [
          `declare it in an \`extern "C" { … }\` block`,
        ]);
        return undefined;
      }
    }
    // An argument whose type is never known (only `<uninit>` constants) cannot be passed.
    if (!ty) {
      sink.error(calls[0]!.file, calls[0]!.span, `cannot infer the type of argument ${i + 1} of \`${name}\` from its calls`, [`declare it in an \`extern "C" { … }\` block`]);
      return undefined;
    }
    params.push(ty);
  }
  let ret: Ty | undefined;
  let retSite: CallSite | undefined;
  for (const c of calls) {
    if (!c.ret) continue;
    if (!ret) {
      ret = c.ret;
      retSite = c;
    } else if (ret.kind === 'never' || c.ret.kind === 'never') {
      if (ret.kind === 'never') ret = c.ret;
    } else if (!compatible(ret, c.ret, classify)) {
      const at = retSite!.file.position(retSite!.span.lo);
      sink.error(c.file, c.span, `cannot infer the signature of \`${name}\`: it returns \`${showTy(c.ret)}\` here but \`${showTy(ret)}\` at ${retSite!.file.name}:${at.line}:${at.col}`, [
        `declare it in an \`extern "C" { … }\` block`,
      ]);
      return undefined;
    }
  }
  return { unsafe: true, abi: 'C', params, variadic, ret: ret ?? { kind: 'tuple', elems: [] } };
}
