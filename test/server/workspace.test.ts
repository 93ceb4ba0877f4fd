// The workspace in-process: the text of a source as builds see it. An editor's text wins
// over the disk; the disk is read again whenever a file may have changed, even by a
// write of the same size within one tick of the file system's clock.

import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Workspace } from '../../server/workspace.js';

const root = mkdtempSync(join(tmpdir(), 'codegend-workspace-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the text of a workspace file', () => {
  const file = join(root, 'a.mir');
  writeFileSync(join(root, 'codegend.json'), JSON.stringify({ sources: ['*.mir'], output: 'out' }));

  it('follows writes of the same size, however quick', () => {
    writeFileSync(file, 'fn one() {}\n');
    const w = new Workspace(root);
    expect(w.textOf(file)).toBe('fn one() {}\n');
    for (const word of ['two', 'six', 'ten']) {
      writeFileSync(file, `fn ${word}() {}\n`);
      expect(w.textOf(file)).toBe(`fn ${word}() {}\n`);
    }
  });

  it('does not read a file again while it keeps its old size and time', () => {
    writeFileSync(file, 'fn old() {}\n');
    const past = new Date(Date.now() - 10_000);
    utimesSync(file, past, past);
    const w = new Workspace(root);
    const first = w.textOf(file);
    expect(w.textOf(file)).toBe(first);
    // Another text under the same size and time (which no real edit makes): the cached one is kept.
    writeFileSync(file, 'fn new() {}\n');
    utimesSync(file, past, past);
    expect(w.textOf(file)).toBe('fn old() {}\n');
  });

  it("prefers an editor's text, and reads nothing outside the workspace", () => {
    const w = new Workspace(root);
    w.setOverlay(file, 'fn edited() {}\n');
    expect(w.textOf(file)).toBe('fn edited() {}\n');
    w.clearOverlay(file);
    expect(w.textOf(file)).toBe('fn new() {}\n');
    expect(w.textOf('/etc/hostname')).toBeUndefined();
  });
});
