// Operations a backend has a native form for, that MIR reaches through intrinsic calls
// (`ctpop`, `rotate_left`, `saturating_add`, …). The core maps rustc's intrinsic names
// to these; anything else is lowered by the core itself.

import type { BackendTypes } from './types.js';

export type IntrinsicOp =
  | 'ctpop'
  | 'ctlz'
  | 'cttz'
  | 'bswap'
  | 'bitreverse'
  | 'rotateLeft'
  | 'rotateRight'
  | 'saddSat'
  | 'uaddSat'
  | 'ssubSat'
  | 'usubSat'
  | 'fabs'
  | 'sqrt'
  | 'floor'
  | 'ceil'
  | 'trunc'
  | 'copysign'
  | 'fma'
  | 'minnum'
  | 'maxnum';

export interface IntrinsicMethods<B extends BackendTypes> {
  /** The operands and the result share one type (the shift amount of a rotate too). */
  intrinsic(op: IntrinsicOp, args: B['Value'][]): B['Value'];
  /** An unrecoverable stop: `unreachable` reached at run time, `abort`. */
  trap(): void;
}
