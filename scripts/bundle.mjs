// Bundles the CLI (and the benchmark driver) into dist/ with esbuild.
// Runs from `npm install` (prepare), so a fresh clone gets a working `npx codegend`.
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: 'linked',
  logLevel: 'warning',
  // A native addon: loaded from node_modules at run time.
  external: ['better-sqlite3'],
  // Bundled CommonJS dependencies may call require(); give ESM output one.
  banner: { js: "import { createRequire as __cjsRequire } from 'node:module'; const require = __cjsRequire(import.meta.url);" },
};

await build({
  ...common,
  entryPoints: ['client/cli.ts'],
  outfile: 'dist/codegend.mjs',
  banner: { js: '#!/usr/bin/env node\n' + common.banner.js },
});
chmodSync('dist/codegend.mjs', 0o755);

await build({ ...common, entryPoints: ['bench/main.ts'], outfile: 'dist/bench.mjs' });
