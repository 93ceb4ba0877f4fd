// The MIR front-end's public surface.
export * from './ast.js';
export { parseMirFile, parseChunk } from './parse/items.js';
export { splitItems, type ItemChunk } from './split.js';
