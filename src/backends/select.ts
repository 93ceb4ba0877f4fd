// The backends codegend has, by the name `--backend` uses.

import { llvmBackend } from './llvm/index.js';

export const BACKENDS = ['llvm'] as const;
export type BackendName = (typeof BACKENDS)[number];

export function selectBackend(name: BackendName) {
  switch (name) {
    case 'llvm':
      return llvmBackend();
  }
}
