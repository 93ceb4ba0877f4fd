// An editor's session with the daemon over stdio, as LSP: initialize; an invalid .mir
// opened gets publishDiagnostics with the right range; on a valid file, documentSymbol,
// hover, definition and codeLens answer; `codegend/emit` returns the generated code of the
// function under the cursor with its map back to MIR lines; shutdown and exit end it.

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeLens, DocumentSymbol, Hover, Location } from 'vscode-languageserver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmitResult } from '../../server/protocol.js';
import { corpusWorkspace, stdioDaemon, type TestClient } from '../support/daemon.js';

const PROGRAM = 't4_dyn_traits';
const BAD = `fn add(_1: i32, _2: i64) -> i32 {
    let mut _0: i32;

    bb0: {
        _0 = Add(copy _1, copy _2);
        return;
    }
}
`;

let root: string;
let session: ReturnType<typeof stdioDaemon>;
let client: TestClient;
let uri: string;
let text: string;

/** The 0-based position of the first occurrence of `needle` at or after line `fromLine` (1-based), plus `delta` characters. */
function positionOf(needle: string, fromLine = 1, delta = 0): { line: number; character: number } {
  const lines = text.split('\n');
  for (let i = fromLine - 1; i < lines.length; i++) {
    const c = lines[i]!.indexOf(needle);
    if (c >= 0) return { line: i, character: c + delta };
  }
  throw new Error(`\`${needle}\` is not in ${PROGRAM}.mir`);
}

beforeAll(async () => {
  root = corpusWorkspace([PROGRAM], { sources: [`${PROGRAM}.mir`], output: 'out/prog', cgus: 4 });
  writeFileSync(join(root, 'bad.mir'), BAD);
  const file = join(root, `${PROGRAM}.mir`);
  uri = pathToFileURL(file).href;
  text = readFileSync(file, 'utf8');
  session = stdioDaemon(root, ['--no-watch']);
  client = session.client;
  const init = await client.request<{ capabilities: Record<string, unknown>; serverInfo: { name: string } }>('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(root).href,
    capabilities: { window: { workDoneProgress: true }, textDocument: { codeLens: {}, hover: {}, definition: {}, documentSymbol: {} } },
  });
  expect(init.serverInfo.name).toBe('codegend');
  expect(init.capabilities).toMatchObject({ hoverProvider: true, definitionProvider: true, documentSymbolProvider: true, codeLensProvider: {} });
  await client.connection.sendNotification('initialized', {});
});

afterAll(() => {
  if (session && session.child.exitCode === null) session.child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

describe('an LSP session over stdio', () => {
  it('publishes the diagnostics of an invalid .mir file with their range', async () => {
    const badUri = pathToFileURL(join(root, 'bad.mir')).href;
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: badUri, languageId: 'mir', version: 1, text: BAD } });
    const published = await client.waitFor('diagnostics of bad.mir', () => client.diagnostics.find((d) => d.uri === badUri));
    expect(published.diagnostics).toHaveLength(1);
    expect(published.diagnostics[0]).toMatchObject({
      message: 'mismatched operand types for `Add`: `i32` and `i64`',
      severity: 1,
      range: { start: { line: 4, character: 8 }, end: { line: 4, character: 35 } },
    });
  });

  it('builds the workspace at start and reports it', async () => {
    const built = await client.waitFor('the build at start', () => client.finished.find((f) => f.trigger === 'start'));
    expect(built.ok, JSON.stringify(built.errors)).toBe(true);
    // The editor supports server-initiated progress: it was asked to create the token, then got the notifications.
    expect(client.progress.filter((p) => p.token === `codegend/build/${built.buildId}`).map((p) => p.value.kind)).toContain('end');
  });

  it('lists the functions of a file', async () => {
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'mir', version: 1, text } });
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    const main = symbols.find((s) => s.name === 'main')!;
    expect(main.range.start.line).toBe(1714);
    expect(symbols.map((s) => s.name)).toContain('catalog_value');
  });

  it('tells the type of a local on hover, and where a function went', async () => {
    const local = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf('let mut _2: core::slice::Iter', 861, 'let mut '.length + 1) });
    expect(JSON.stringify(local.contents)).toContain('core::slice::Iter');
    const fn = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf('fn catalog_value', 1, 4) });
    expect(JSON.stringify(fn.contents)).toMatch(/unit `t4_dyn_traits\.[^`]+`/);
  });

  it('goes from a call to the callee', async () => {
    const at = positionOf('_7 = value(move _20', 1715, '_7 = '.length + 1);
    const locations = await client.request<Location[]>('textDocument/definition', { textDocument: { uri }, position: at });
    expect(locations).toHaveLength(1);
    expect(locations[0]!.uri).toBe(uri);
    expect(locations[0]!.range.start.line).toBe(positionOf('fn value(').line);
  });

  it('puts a code lens with its unit over each function', async () => {
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    const onMain = lenses.filter((l) => l.range.start.line === 1714);
    expect(onMain.map((l) => l.command?.title)).toEqual([expect.stringMatching(/^unit t4_dyn_traits\.\S+ · PostLto$|^unit t4_dyn_traits\.\S+ · rebuilt$/), 'Show generated code']);
    expect(onMain[0]!.command).toMatchObject({ command: 'codegend.explain', arguments: ['main'] });
  });

  it('emits the function under the cursor with a map back to its MIR', async () => {
    const inside = positionOf('let mut _2: core::slice::Iter', 861);
    for (const form of ['llvm-ir', 'asm'] as const) {
      const r = await client.request<EmitResult>('codegend/emit', { uri, position: inside, form });
      expect(r.function).toBe('catalog_value');
      expect(r.unit).toMatch(/^t4_dyn_traits\./);
      expect(r.text).toContain(form === 'llvm-ir' ? 'define' : 'catalog_value');
      expect(r.lines.length).toBeGreaterThan(0);
      const end = positionOf('fn value(').line + 1;
      for (const l of r.lines) {
        expect(l.file).toBe(join(root, `${PROGRAM}.mir`));
        expect(l.line).toBeGreaterThanOrEqual(861);
        expect(l.line).toBeLessThan(end);
        expect(l.output).toBeLessThan(r.text.split('\n').length);
      }
    }
  });

  it('ends on shutdown and exit', async () => {
    await client.request('shutdown');
    await client.connection.sendNotification('exit');
    expect(await session.exited).toBe(0);
  });
});
