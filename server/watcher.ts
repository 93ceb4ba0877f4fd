// Watches a workspace's root for edits on disk (chokidar) and turns them into debounced
// builds: a source the manifest's patterns match, the manifest itself, or a Rust file
// beside the sources (enum declarations settle variant orders). A file an editor has
// open is the editor's: its changes come through the session, not the disk. The cache
// and the outputs are never watched, so a build does not trigger itself.

import { basename, relative, sep } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { MANIFEST_NAME, matchesSources, SKIPPED_DIRS } from './manifest.js';
import type { Workspace } from './workspace.js';

export function watchWorkspace(workspace: Workspace): FSWatcher {
  const root = workspace.root;
  const ignored = (path: string): boolean => {
    const config = workspace.config;
    if (SKIPPED_DIRS.has(basename(path))) return true;
    if (config && (path === config.cache || path.startsWith(config.cache + sep) || path === config.output)) return true;
    return false;
  };
  const watcher = watch(root, { ignoreInitial: true, ignored, persistent: true });
  const onEvent = (path: string) => {
    if (workspace.hasOverlay(path)) return;
    const rel = relative(root, path).split(sep).join('/');
    const config = workspace.config;
    const relevant = rel === MANIFEST_NAME || path.endsWith('.rs') || (config ? matchesSources(rel, config.patterns) || workspace.isSource(path) : path.endsWith('.mir'));
    if (relevant) workspace.scheduleBuild('watch');
  };
  watcher.on('add', onEvent).on('change', onEvent).on('unlink', onEvent);
  // A watcher error (a directory removed under it, too many watches) must not end the daemon.
  watcher.on('error', (e) => process.stderr.write(`codegend: watcher: ${(e as Error).message}\n`));
  return watcher;
}
