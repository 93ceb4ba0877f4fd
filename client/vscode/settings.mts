// The extension's settings (all under `codegend.*`) and the daemon's command line made
// from them. Reading goes through a getter, not `vscode`, so this is testable as data;
// `codegend.trace.server` is read by the language client itself.

import { isAbsolute, resolve } from 'node:path';

export type EmitForm = 'llvm-ir' | 'asm';

export interface Settings {
  /** `codegend.server.path`: the command to run. */
  serverPath: string;
  /** `codegend.server.args`: appended to `serve --stdio --root DIR`. */
  serverArgs: string[];
  /** `codegend.emit.form`: what Show Generated Code asks for. */
  emitForm: EmitForm;
}

/** Reads one key of the `codegend` section, with the manifest's default as fallback. */
export type SettingGetter = <T>(key: string, fallback: T) => T;

export function readSettings(get: SettingGetter): Settings {
  // Settings are user input: a wrong type falls back to the default instead of failing.
  const path = get<unknown>('server.path', 'codegend');
  const args = get<unknown>('server.args', []);
  const form = get<unknown>('emit.form', 'llvm-ir');
  return {
    serverPath: typeof path === 'string' && path.trim() !== '' ? path.trim() : 'codegend',
    serverArgs: Array.isArray(args) ? args.filter((a): a is string => typeof a === 'string') : [],
    emitForm: form === 'asm' ? 'asm' : 'llvm-ir',
  };
}

export interface ServerCommand {
  command: string;
  args: string[];
  /** The workspace folder (or the folder of the single .mir file served). */
  cwd: string | undefined;
}

/**
 * `codegend serve --stdio --root ROOT ARGS…`. `root` is a folder or a single .mir file,
 * as `serve --root` takes them; a relative command with a slash is relative to the
 * workspace, so a project-local `node_modules/.bin/codegend` works.
 */
export function serverCommand(settings: Settings, root: { path: string; folder: string } | undefined): ServerCommand {
  const relativeWithSlash = !isAbsolute(settings.serverPath) && /[\\/]/.test(settings.serverPath);
  const command = relativeWithSlash && root ? resolve(root.folder, settings.serverPath) : settings.serverPath;
  return {
    command,
    args: ['serve', '--stdio', ...(root ? ['--root', root.path] : []), ...settings.serverArgs],
    cwd: root?.folder,
  };
}
