// Lazy bodies: parsing headers now and bodies on first read must give the same items,
// spans and diagnostics as parsing everything at once, on every corpus file and the
// hand-written fixtures; an invalid body reports its errors when it is read, not before.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiagnosticSink, SourceFile } from '../../src/diagnostics.js';
import type { Item } from '../../src/mir/ast.js';
import { parseMirFile } from '../../src/mir/parse/items.js';
import { corpusMirFiles, FIXTURES } from '../support/paths.js';

const VALID = join(FIXTURES, 'mir/valid');
const INVALID = join(FIXTURES, 'mir/invalid');

function parseBoth(path: string) {
  const file = new SourceFile(path, readFileSync(path, 'utf8'));
  const eagerSink = new DiagnosticSink();
  const eager = parseMirFile(file, eagerSink);
  const lazySink = new DiagnosticSink();
  const lazy = parseMirFile(file, lazySink, { lazyBodies: true });
  return { eager, eagerSink, lazy, lazySink };
}

/** Reads every body, which parses it. */
function force(items: Item[]): void {
  for (const it of items) if ('body' in it) void it.body;
}

describe('lazy bodies', () => {
  const files = [...corpusMirFiles(), ...readdirSync(VALID).filter((f) => f.endsWith('.mir')).map((f) => join(VALID, f))];

  it.each(files.map((f) => [f.split('/').pop()!, f]))('%s parses to the same items', (_name, path) => {
    const { eager, eagerSink, lazy, lazySink } = parseBoth(path);
    force(lazy.items);
    expect(lazySink.list).toEqual(eagerSink.list);
    expect(lazy.items).toEqual(eager.items);
  });

  it('parses no body before it is read', () => {
    const path = join(INVALID, 'missing-semi.mir');
    const { eagerSink, lazy, lazySink } = parseBoth(path);
    expect(eagerSink.list.length).toBeGreaterThan(0);
    // The error is inside a body: the headers parse cleanly.
    expect(lazySink.list).toEqual([]);
    expect(lazy.items.map((i) => i.kind)).toContain('fn');
    force(lazy.items);
    expect(lazySink.list.map((d) => [d.span, d.message])).toEqual(eagerSink.list.map((d) => [d.span, d.message]));
  });

  it('reads a body that fails to parse as empty, and parses it once', () => {
    const path = join(INVALID, 'missing-terminator.mir');
    const { lazy, lazySink } = parseBoth(path);
    const fn = lazy.items.find((i) => i.kind === 'fn')!;
    expect(fn.kind === 'fn' && fn.body.blocks).toEqual([]);
    const errors = lazySink.list.length;
    expect(errors).toBeGreaterThan(0);
    force(lazy.items);
    expect(lazySink.list.length).toBe(errors);
  });
});
