// The extension as it ships: the manifest, the bundle `npm install` / `npm run build`
// leave in client/vscode/dist (it loads with the editor stand-in and needs nothing but
// Node and `vscode`), and the .vsix `npm run package:vscode` makes.

import { spawnSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/paths.js';
import { EXTENSION_DIR } from './harness.js';
import { EditorStandIn } from './stand-in/editor.js';
import { loadExtension } from './stand-in/load.js';

const manifest = JSON.parse(readFileSync(join(EXTENSION_DIR, 'package.json'), 'utf8'));
const BUNDLE = join(EXTENSION_DIR, manifest.main);
const VSIX = join(REPO_ROOT, 'dist/codegend-vscode.vsix');

/** The names in a zip file's central directory. */
function zipEntries(zip: Buffer): string[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('not a zip file');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('bad central directory entry');
    const nameLength = zip.readUInt16LE(at + 28);
    names.push(zip.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return names;
}

describe('the extension package', () => {
  it('the manifest: one settings namespace, the activation events, the mir language', () => {
    expect(manifest).toMatchObject({ name: 'codegend', publisher: 'codegend', main: './dist/extension.js', engines: { vscode: '^1.91.0' } });
    expect(manifest.activationEvents).toEqual(['onLanguage:mir', 'workspaceContains:codegend.json']);
    expect(Object.keys(manifest.contributes.configuration.properties).sort()).toEqual(['codegend.emit.form', 'codegend.server.args', 'codegend.server.path', 'codegend.trace.server']);
    expect(manifest.contributes.languages).toEqual([expect.objectContaining({ id: 'mir', extensions: ['.mir'], configuration: './language-configuration.json' })]);
    for (const f of [manifest.contributes.languages[0].configuration, manifest.contributes.grammars[0].path]) expect(() => JSON.parse(readFileSync(join(EXTENSION_DIR, f), 'utf8'))).not.toThrow();
    // The devDependency the bundle is type-checked against must not promise more than the engine.
    const root = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
    expect(root.devDependencies['@types/vscode']).toBe(manifest.engines.vscode);
  });

  it('the bundle built by `npm run build` loads with the stand-in and needs only Node and vscode', () => {
    expect(existsSync(BUNDLE), `${BUNDLE} is missing: run \`npm run build\``).toBe(true);
    const ext = loadExtension(BUNDLE, new EditorStandIn());
    expect(typeof ext.activate).toBe('function');
    expect(typeof ext.deactivate).toBe('function');
    const required = new Set([...readFileSync(BUNDLE, 'utf8').matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!));
    const builtin = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    expect([...required].filter((m) => m !== 'vscode' && !builtin.has(m))).toEqual([]);
  });

  it('`npm run package:vscode` makes a .vsix with the manifest and the bundle, without sources', () => {
    rmSync(VSIX, { force: true });
    const r = spawnSync('npm', ['run', 'package:vscode'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const entries = zipEntries(readFileSync(VSIX));
    expect(entries).toEqual(expect.arrayContaining(['extension/package.json', 'extension/dist/extension.js', 'extension/syntaxes/mir.tmLanguage.json', 'extension/language-configuration.json', 'extension/readme.md', 'extension/LICENSE.txt']));
    expect(entries.filter((e) => /node_modules|\.m?ts$|\.map$/.test(e))).toEqual([]);
  });
});
