// Bundles the CLI (and the benchmark driver) into dist/, and the VS Code extension into
// client/vscode/dist/, with esbuild. Runs from `npm install` (prepare), so a fresh clone
// gets a working `npx codegend`.
//
//     node scripts/bundle.mjs             everything (also the tests' global setup)
//     node scripts/bundle.mjs extension   the extension only (`npm run package:vscode`)
//
// Every file is written beside its place and renamed into it: tests run and package the
// bundles while other tests rebuild them, and must never see half a file.
import { build } from 'esbuild';
import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const node = { bundle: true, platform: 'node', target: 'node20', sourcemap: 'linked', logLevel: 'warning' };

// The CLI and the benchmark driver.
const esm = {
  ...node,
  format: 'esm',
  // A native addon: loaded from node_modules at run time.
  external: ['better-sqlite3'],
  // Bundled CommonJS dependencies may call require(); give ESM output one.
  banner: { js: "import { createRequire as __cjsRequire } from 'node:module'; const require = __cjsRequire(import.meta.url);" },
};

/** esbuild's build, its outputs renamed into place (`mode` for all but the source maps). */
async function bundle(options, mode = 0o644) {
  const result = await build({ ...options, write: false });
  for (const f of result.outputFiles) {
    mkdirSync(dirname(f.path), { recursive: true });
    const tmp = `${f.path}.${process.pid}.tmp`;
    writeFileSync(tmp, f.contents);
    chmodSync(tmp, f.path.endsWith('.map') ? 0o644 : mode);
    renameSync(tmp, f.path);
  }
}

// The editor loads extensions with require() and provides `vscode` itself; the language
// client and the protocol are bundled in, so the .vsix needs no node_modules.
async function bundleExtension() {
  await bundle({ ...node, format: 'cjs', external: ['vscode'], entryPoints: ['client/vscode/extension.mts'], outfile: 'client/vscode/dist/extension.js' });
}

if (process.argv[2] === 'extension') {
  await bundleExtension();
} else {
  await bundle(
    {
      ...esm,
      entryPoints: ['client/cli.ts'],
      outfile: 'dist/codegend.mjs',
      banner: { js: '#!/usr/bin/env node\n' + esm.banner.js },
    },
    0o755,
  );
  await bundle({ ...esm, entryPoints: ['bench/main.ts'], outfile: 'dist/bench.mjs' });
  await bundleExtension();
}
