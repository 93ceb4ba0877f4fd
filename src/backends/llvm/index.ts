// The LLVM backend: typed IR built behind the core's interfaces, printed once as LLVM IR
// text and compiled by `opt`/`llc`.

export { llvmBackend, compileIr, toolCommands, type LlvmBackendOptions } from './backend.js';
export { LlvmModule } from './module.js';
export { LlvmBuilder } from './builder.js';
export { printModule, printFunction, DATA_LAYOUT, TARGET_TRIPLE } from './printer.js';
export { findLlvmTools, parseLlvmVersion, MIN_LLVM_VERSION, type LlvmTools, type ToolSearch } from './tools.js';
export type { LlvmTypes } from './ir.js';
