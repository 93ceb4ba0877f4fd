// The backend interface, one concern per file, re-exported for backends and the core.

export type * from './types.js';
export { I8, I32, I64, PTR, sameRegType, showRegType } from './types.js';
export type * from './declare.js';
export type * from './statics.js';
export type * from './consts.js';
export type * from './intrinsics.js';
export type * from './builder.js';
export type * from './misc.js';
export type * from './write.js';
export type * from './backend.js';
