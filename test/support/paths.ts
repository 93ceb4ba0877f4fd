// Where the test data lives: the repository's fixtures and the shared corpus beside it.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES = join(REPO_ROOT, 'test/fixtures');
export const SHARED = resolve(REPO_ROOT, '../shared');
export const CORPUS_DIR = join(SHARED, 'corpus/rust');

/** The corpus `.mir` files, sorted; fails loudly when the corpus is missing. */
export function corpusMirFiles(): string[] {
  if (!existsSync(CORPUS_DIR)) throw new Error(`the shared corpus is missing: ${CORPUS_DIR}`);
  return readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith('.mir'))
    .sort()
    .map((f) => join(CORPUS_DIR, f));
}
