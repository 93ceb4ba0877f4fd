// The printer gives back rustc's text, and parse(print(x)) equals x.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiagnosticSink, SourceFile } from '../../src/diagnostics.js';
import { parseMirFile } from '../../src/mir/index.js';
import { printFile } from '../../src/mir/printer.js';
import { corpusMirFiles } from '../support/paths.js';
import { stripSpans } from '../support/strip-spans.js';

/** rustc's banner is a comment; everything else must come back unchanged. */
function withoutBanner(text: string): string {
  return text
    .split('\n')
    .filter((l) => !/^\/\/ (WARNING|and is subject|HINT)/.test(l))
    .join('\n');
}

describe('round trip', () => {
  for (const path of corpusMirFiles()) {
    it(basename(path), () => {
      const text = readFileSync(path, 'utf8');
      const sink = new DiagnosticSink();
      const first = parseMirFile(new SourceFile(path, text), sink);
      expect(sink.list).toEqual([]);
      const printed = printFile(first);
      expect(printed).toBe(withoutBanner(text));
      const second = parseMirFile(new SourceFile('printed.mir', printed), sink);
      expect(sink.list).toEqual([]);
      expect(stripSpans(second.items)).toEqual(stripSpans(first.items));
    });
  }
});
