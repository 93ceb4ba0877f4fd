// The evidence about types that needs the whole crate before it can be decided:
// discriminants and variant order of enums (enum-evidence.ts), field templates of
// generic ADTs (generic-fields.ts) and closure captures (closure-captures.ts). The body
// checker feeds it; `finish` writes the results into the AdtTable once every body has
// been checked.

import type { DiagnosticSink } from '../diagnostics.js';
import type { AdtTable } from './adt-table.js';
import { ClosureEvidence } from './closure-captures.js';
import { EnumEvidence } from './enum-evidence.js';
import { GenericFieldEvidence } from './generic-fields.js';
import type { RustEnumDecl } from './rust-enums.js';

export class AdtEvidence {
  readonly enums: EnumEvidence;
  readonly fields: GenericFieldEvidence;
  readonly closures: ClosureEvidence;

  constructor(
    private readonly adts: AdtTable,
    sink: DiagnosticSink,
    /** Enum declarations from the Rust source the MIR was printed from, when the caller has it. */
    private readonly rustEnums?: ReadonlyMap<string, RustEnumDecl>,
  ) {
    this.enums = new EnumEvidence(sink);
    this.fields = new GenericFieldEvidence(sink);
    this.closures = new ClosureEvidence(sink, adts);
  }

  finish(): void {
    this.fields.finish(this.adts);
    this.enums.finish(this.adts, this.rustEnums);
    this.closures.finish();
  }
}
