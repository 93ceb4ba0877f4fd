// What one body tells crate-wide inference that its typed text does not show (see
// chunk-hash.ts's shapes): the discriminant facts its control flow proves, and its
// calls of functions the crate does not define, whose signatures are inferred from
// their call sites (externs.ts). Each is written down as the inference receives it,
// before any lookup in what other bodies taught, so a body's trace depends on its text
// alone; the incremental front end compares a changed body's trace with the last one.

import type { Path, Ty } from './ast.js';
import { tyKey } from './body-types.js';
import { printPath } from './printer.js';

/** A call of a function the crate does not define, as the signature inference sees it. */
export interface ExternalCallSite {
  /** The callee as printed (`rotate_left::<u64>`): what the inference groups calls by. */
  name: string;
  /** `name` with the argument and result types: equal keys are the same evidence. */
  key: string;
  path: Path;
  args: (Ty | undefined)[];
  ret: Ty | undefined;
}

export interface BodyTrace {
  /** The distinct discriminant facts in the order first told. */
  discriminants: string[];
  /**
   * The distinct external call sites in the order first made. Repeating a call teaches
   * nothing new, while the order of first calls decides which of two compatible spellings
   * the inference keeps.
   */
  externalCalls: ExternalCallSite[];
}

export class InferenceTrace {
  private readonly facts = new Set<string>();
  private readonly calls = new Map<string, ExternalCallSite>();

  /** `ty`'s enum has `variant` at discriminant `value`. */
  discriminant(ty: Ty | undefined, variant: string, value: bigint): void {
    this.facts.add(`${ty ? tyKey(ty) : '?'} ${variant} ${value}`);
  }

  /** A call of `path`, a function the crate does not define. */
  externalCall(path: Path, args: (Ty | undefined)[], ret: Ty | undefined): void {
    const name = printPath(path, 'value');
    const key = `${name}(${args.map((a) => (a ? tyKey(a) : '?')).join(', ')}) -> ${ret ? tyKey(ret) : '?'}`;
    if (!this.calls.has(key)) this.calls.set(key, { name, key, path, args, ret });
  }

  /** The trace; undefined when the body told nothing. */
  result(): BodyTrace | undefined {
    if (this.facts.size === 0 && this.calls.size === 0) return undefined;
    return { discriminants: [...this.facts], externalCalls: [...this.calls.values()] };
  }
}
