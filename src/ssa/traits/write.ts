// Turning a finished module into an object file (rustc's `WriteBackendMethods`): the
// serialized pre-LTO form is what the incremental store keeps; `compile` optimizes and
// emits the native object. Both are deterministic: the same module gives the same bytes.

export interface ObjectFile {
  /** The unit's name, used for the file name (`<unit>.o`). */
  name: string;
  bytes: Uint8Array;
}

export interface WriteMethods<M> {
  /** The module as the backend's own portable form (LLVM: IR text). */
  serialize(module: M): Uint8Array;
  /** Optimizes at the module's opt level and emits an ELF relocatable object. */
  compile(module: M): Promise<ObjectFile>;
  /** The text of one function of the module in the backend's own form (LLVM IR, assembly). */
  functionText(module: M, symbol: string): string | undefined;
}
