// Giving memory back between builds. A full front end parses the whole crate (about
// 700 MB of syntax tree for the 40 MB benchmark crate), which is garbage once the build
// is done; V8 would keep it until its heap fills up, so an idle daemon would sit on
// it. A full collection once the workspace has been quiet for a moment returns it.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** How long the workspace must be quiet before a collection. */
const QUIET_MS = 1500;

let collect: (() => void) | undefined;

/** `gc()`: `--expose-gc` set at run time applies to contexts created afterwards. */
function collector(): () => void {
  if (!collect) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  return collect;
}

/** Returns a function to call after each build: it collects once nothing has happened for a while. */
export function collectWhenQuiet(isBusy: () => boolean): () => void {
  let timer: NodeJS.Timeout | undefined;
  return () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      if (!isBusy()) collector()();
    }, QUIET_MS);
    timer.unref();
  };
}
