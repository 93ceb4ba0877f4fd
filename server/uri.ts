// Documents are named by `file://` URIs on the wire and by absolute paths everywhere else.

import { fileURLToPath } from 'node:url';

/** The path of a `file://` URI; undefined for any other scheme or a malformed URI. */
export function pathOf(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}
