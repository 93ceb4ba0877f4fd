// Loads the bundled extension (client/vscode/dist/extension.js) the way the editor does
// — with require() — while `require('vscode')` returns the stand-in's module object. The
// bundle is the artifact that ships, so the tests run exactly it, with the real
// vscode-languageclient inside.

import Module, { createRequire } from 'node:module';
import { join } from 'node:path';
import { Uri } from './values.js';
import type { EditorStandIn } from './editor.js';

export interface ExtensionModule {
  activate(context: ExtensionContext): unknown;
  deactivate(): Promise<void> | void;
}

export interface ExtensionContext {
  subscriptions: { dispose(): unknown }[];
  extensionPath: string;
  extensionUri: Uri;
  extensionMode: number;
  asAbsolutePath(p: string): string;
}

type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
const loader = Module as unknown as { _load: Loader };
const require = createRequire(import.meta.url);

let current: EditorStandIn | undefined;
let original: Loader | undefined;

/** Routes `require('vscode')`, from anywhere in this process, to `editor` from now on. */
function provideVscode(editor: EditorStandIn): void {
  current = editor;
  if (original) return;
  original = loader._load;
  const load = original;
  loader._load = function (this: unknown, request, parent, isMain) {
    if (request === 'vscode') {
      if (!current) throw new Error("require('vscode') outside an editor stand-in");
      return current.vscode;
    }
    return load.call(this, request, parent, isMain);
  };
}

/** A fresh instance of the bundle (its module state included), bound to `editor`. */
export function loadExtension(bundle: string, editor: EditorStandIn): ExtensionModule {
  provideVscode(editor);
  delete require.cache[require.resolve(bundle)];
  return require(bundle) as ExtensionModule;
}

export function extensionContext(extensionPath: string): ExtensionContext {
  return {
    subscriptions: [],
    extensionPath,
    extensionUri: Uri.file(extensionPath),
    extensionMode: 3,
    asAbsolutePath: (p) => join(extensionPath, p),
  };
}

/** What the editor does on shutdown: deactivate, then dispose the subscriptions. */
export async function shutDown(ext: ExtensionModule, context: ExtensionContext): Promise<void> {
  await ext.deactivate();
  for (const d of context.subscriptions.splice(0)) d.dispose();
}
