// A scripted daemon that speaks server/protocol.ts with canned, predictable answers, run
// as `fake-daemon serve --stdio --root DIR` in place of codegend. It lets the extension's
// behaviour be checked exactly (texts, line maps, failures) without the real daemon,
// whose own answers real-server.test.ts checks. Scripted by files in the root:
// `FAIL` makes builds fail, `DEGRADED` makes the health degraded.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, SymbolKind, TextDocumentSyncKind, TextDocuments, createConnection, type Diagnostic } from 'vscode-languageserver/node';
import {
  Methods,
  type BuildFinishedParams,
  type BuildReport,
  type CacheStatsResult,
  type EmitParams,
  type EmitResult,
  type ExplainParams,
  type ExplainResult,
  type StatusResult,
} from '../../server/protocol.js';

const argv = process.argv.slice(2);
const root = argv.includes('--root') ? argv[argv.indexOf('--root') + 1]! : process.cwd();
const connection = createConnection();
// Tests check that the editor's shutdown ends this process.
writeFileSync(join(root, `fake-daemon.${process.pid}.pid`), String(process.pid));
const documents = new TextDocuments(TextDocument);
const started = Date.now();
let builds = 0;
let last: BuildFinishedParams | null = null;

connection.onInitialize(() => ({
  capabilities: {
    textDocumentSync: TextDocumentSyncKind.Full,
    hoverProvider: true,
    documentSymbolProvider: true,
    codeLensProvider: { resolveProvider: false },
  },
  serverInfo: { name: 'fake-daemon', version: '0.0.0' },
}));

/** The functions of a MIR text: `fn NAME` at column 0, with their 0-based lines. */
function functions(text: string): { name: string; line: number }[] {
  return text.split('\n').flatMap((l, line) => {
    const m = /^fn (\w+)/.exec(l);
    return m ? [{ name: m[1]!, line }] : [];
  });
}

// Warnings on lines that ask for one, so the client's diagnostics path is exercised.
documents.onDidChangeContent(({ document }) => {
  const diagnostics: Diagnostic[] = document
    .getText()
    .split('\n')
    .flatMap((l, line) => (l.includes('// WARN') ? [{ range: { start: { line, character: 0 }, end: { line, character: l.length } }, severity: DiagnosticSeverity.Warning, message: 'fake warning', source: 'codegend' }] : []));
  void connection.sendDiagnostics({ uri: document.uri, diagnostics });
});

connection.onDocumentSymbol(({ textDocument }) => {
  const doc = documents.get(textDocument.uri);
  if (!doc) return [];
  return functions(doc.getText()).map((f) => {
    const range = { start: { line: f.line, character: 0 }, end: { line: f.line, character: 3 + f.name.length } };
    return { name: f.name, kind: SymbolKind.Function, range, selectionRange: range };
  });
});

connection.onHover(() => ({ contents: { kind: 'markdown', value: 'fake hover' } }));

connection.onCodeLens(({ textDocument }) => {
  const doc = documents.get(textDocument.uri);
  if (!doc) return [];
  return functions(doc.getText()).flatMap((f) => {
    const range = { start: { line: f.line, character: 0 }, end: { line: f.line, character: 0 } };
    return [
      { range, command: { title: 'Explain', command: 'codegend.explain', arguments: [f.name] } },
      { range, command: { title: 'Show Generated Code', command: 'codegend.showGeneratedCode', arguments: [textDocument.uri, f.name] } },
    ];
  });
});

connection.onRequest(Methods.build, async (): Promise<BuildReport> => {
  const progress = await connection.window.createWorkDoneProgress();
  progress.begin('codegend: building');
  builds++;
  const failed = existsSync(join(root, 'FAIL'));
  const report: BuildReport = failed
    ? {
        ok: false,
        frontEnd: 'full',
        frontEndReason: null,
        output: null,
        ms: 420,
        cgus: [],
        diagnostics: [{ severity: 'error', file: join(root, 'prog.mir'), line: 5, column: 9, endLine: 5, endColumn: 20, message: 'mismatched operand types for `Add`: `i32` and `i64`' }],
        errors: [],
        warnings: [],
      }
    : {
        ok: true,
        frontEnd: 'incremental',
        frontEndReason: 'only function bodies changed',
        output: join(root, 'build/prog'),
        ms: 1234,
        cgus: [
          { name: 'prog.a', reuse: 'No', items: 2, ms: 800, reasons: ['the body of fib changed'] },
          { name: 'prog.b', reuse: 'PostLto', items: 3, ms: 0, reasons: [] },
          { name: 'prog.c', reuse: 'PreLto', items: 1, ms: 0, reasons: [] },
        ],
        diagnostics: [],
        errors: [],
        warnings: [],
      };
  last = { ...report, buildId: builds, trigger: 'request', keptLastGood: failed };
  progress.done();
  // As the protocol says: every client hears of every build, before the answer.
  await connection.sendNotification(Methods.buildFinished, last);
  return report;
});

connection.onRequest(Methods.status, (): StatusResult => {
  const degraded = existsSync(join(root, 'DEGRADED'));
  return {
    version: '0.0.0-fake',
    root,
    health: degraded ? 'degraded' : 'ok',
    problems: degraded ? ['codegend.json:1:1: error: the manifest must be a JSON object'] : [],
    building: false,
    current: null,
    queued: false,
    lastBuild: last && { buildId: last.buildId, ok: last.ok, ms: last.ms, finishedAt: Date.now(), trigger: last.trigger },
    clients: 1,
    uptimeMs: Date.now() - started,
    memory: { rss: process.memoryUsage().rss, heapUsed: process.memoryUsage().heapUsed },
  };
});

connection.onRequest(Methods.explain, (p: ExplainParams): ExplainResult => {
  if (!last) return { build: null, units: [], text: '' };
  const units = last.cgus
    .filter((u) => p.target === undefined || u.name === p.target || (p.target === 'fib' && u.name === 'prog.a'))
    .map((u) => ({ name: u.name, reuse: u.reuse, reasons: u.reasons, matched: p.target === 'fib' ? ['fib'] : [] }));
  const text = [`last build of prog (#${last.buildId}, ${last.ok ? 'succeeded' : 'failed'}, ${last.ms} ms):`, ...units.flatMap((u) => [`  ${u.name}: ${u.reuse === 'No' ? 'rebuilt' : `reused (${u.reuse})`}`, ...u.reasons.map((r) => `    - ${r}`)])].join('\n');
  return { build: { id: last.buildId, ok: last.ok, ms: last.ms, startedAt: 0, frontEnd: { kind: last.frontEnd } }, units, text: `${text}\n` };
});

connection.onRequest(Methods.cacheStats, (): CacheStatsResult => ({
  dir: join(root, '.codegend'),
  schema: 3,
  crates: ['prog'],
  entries: 3,
  blobs: [
    { kind: 'pre', count: 3, bytes: 2 * 1024 * 1024 },
    { kind: 'post', count: 3, bytes: 1024 * 1024 },
  ],
  bytes: 3 * 1024 * 1024,
  maxBytes: 4 * 1024 * 1024 * 1024,
  hits: [
    { kind: 'PostLto', count: 7 },
    { kind: 'PreLto', count: 1 },
  ],
  misses: 2,
  corrupt: 0,
  evicted: 0,
  history: [{ id: 2, startedAt: Date.UTC(2025, 0, 2, 3, 4, 5), crate: 'prog', ok: true, ms: 1234, units: 3, compiled: 1, reusedPre: 1, reusedPost: 1 }],
}));

/** The function at a position, or by name, in the open documents or the root's prog.mir. */
function locate(p: EmitParams): { file: string; name: string; line: number } {
  const sources = documents.all().map((d) => ({ uri: d.uri, text: d.getText() }));
  const fallback = join(root, 'prog.mir');
  if (sources.length === 0 && existsSync(fallback)) sources.push({ uri: pathToFileURL(fallback).href, text: readFileSync(fallback, 'utf8') });
  for (const s of sources) {
    if (p.uri !== undefined && s.uri !== p.uri) continue;
    const fns = functions(s.text);
    const f = p.function !== undefined ? fns.find((x) => x.name === p.function) : fns.filter((x) => x.line <= p.position!.line).pop();
    if (f) return { file: fileURLToPath(s.uri), ...f };
  }
  throw new Error(`no function ${p.function ?? `at ${p.uri}:${p.position?.line}`}`);
}

connection.onRequest(Methods.emit, (p: EmitParams): EmitResult => {
  const f = locate(p);
  const form = p.form ?? 'llvm-ir';
  const text =
    form === 'asm'
      ? [`${f.name}:`, `\tmovl $3, %eax`, `\tretq`, ''].join('\n')
      : [`; ${f.name} after build ${builds}`, `define i32 @${f.name}() {`, `start:`, `  %_2 = add i32 1, 2`, `  ret i32 %_2`, `}`, ''].join('\n');
  // The body's first two statements (0-based lines fn+4 and fn+5), one output line each.
  const lines =
    form === 'asm'
      ? [{ output: 1, file: f.file, line: f.line + 5, column: 9 }]
      : [
          { output: 3, file: f.file, line: f.line + 5, column: 9 },
          { output: 4, file: f.file, line: f.line + 6, column: 9 },
        ];
  return { function: f.name, unit: 'prog.a', form, text, lines };
});

documents.listen(connection);
connection.listen();
