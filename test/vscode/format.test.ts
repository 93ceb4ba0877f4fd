// The extension's pure parts, as data: the status bar's text and tooltip for each state,
// the Explain Rebuild and Cache Stats reports, the settings and the daemon's command
// line, and the generated-code documents' addresses and line maps.

import { describe, expect, it } from 'vitest';
import { formatBytes, formatCacheStats, formatDuration } from '../../client/cache-stats-text.js';
import { LineMap, emitDocumentParts, parseEmitQuery } from '../../client/vscode/emit-document.mjs';
import { buildFailureMessage, formatExplain, statusView } from '../../client/vscode/format.mjs';
import { withBuild, withConnection, withStatus, type BuildSummary, type StatusState } from '../../client/vscode/status-state.mjs';
import { readSettings, serverCommand } from '../../client/vscode/settings.mjs';
import type { CacheStatsResult, ExplainResult, StatusResult } from '../../server/protocol.js';

function build(over: Partial<BuildSummary> = {}): BuildSummary {
  return {
    ok: true,
    frontEnd: 'incremental',
    frontEndReason: null,
    output: null,
    ms: 1234,
    cgus: [
      ...Array.from({ length: 3 }, (_, i) => ({ name: `r${i}`, reuse: 'No' as const, items: 1, ms: 10, reasons: ['changed'] })),
      ...Array.from({ length: 14 }, (_, i) => ({ name: `p${i}`, reuse: 'PostLto' as const, items: 1, ms: 0, reasons: [] })),
    ],
    diagnostics: [],
    errors: [],
    warnings: [],
    ...over,
  };
}

function status(over: Partial<StatusResult> = {}): StatusResult {
  return { version: '0.1.0', root: '/ws', health: 'ok', problems: [], building: false, current: null, queued: false, lastBuild: null, clients: 1, uptimeMs: 5, memory: { rss: 1, heapUsed: 1 }, ...over };
}

describe('the status bar', () => {
  it('shows the reuse summary of a good build', () => {
    const v = statusView({ connection: 'running', build: build({ buildId: 7, trigger: 'edit', frontEndReason: 'only function bodies changed' }) });
    expect(v.text).toBe('codegend: 3 rebuilt / 14 reused · 1.2 s');
    expect(v.tooltip).toBe(
      ['Build #7 (edit) succeeded in 1.2 s', 'Front end: incremental (only function bodies changed)', '3 units rebuilt, 14 reused (14 post-LTO)', 'Click for why units were rebuilt.'].join('\n'),
    );
    expect(v.severity).toBe('normal');
    expect(v.command).toBe('codegend.explain');
  });

  it('counts pre-LTO and post-LTO reuse, and says one unit', () => {
    const cgus = [
      { name: 'a', reuse: 'No' as const, items: 1, ms: 1, reasons: [] },
      { name: 'b', reuse: 'PreLto' as const, items: 1, ms: 0, reasons: [] },
    ];
    const v = statusView({ connection: 'running', build: build({ cgus, ms: 80, frontEnd: 'skipped' }) });
    expect(v.text).toBe('codegend: 1 rebuilt / 1 reused · 80 ms');
    expect(v.tooltip.split('\n').slice(0, 3)).toEqual(['Build succeeded in 80 ms', 'Front end: skipped', '1 unit rebuilt, 1 reused (1 pre-LTO)']);
  });

  it('a build with cache warnings is a warning', () => {
    const v = statusView({ connection: 'running', build: build({ warnings: ['cannot open the cache: read-only'] }) });
    expect(v.severity).toBe('warning');
    expect(v.tooltip).toContain('1 cache warning: cannot open the cache: read-only');
  });

  it('says a build failed, with its first error and whether the last good outputs remain', () => {
    const failed = build({
      ok: false,
      ms: 420,
      cgus: [],
      buildId: 3,
      trigger: 'watch',
      keptLastGood: true,
      diagnostics: [
        { severity: 'warning', file: 'a.mir', line: 1, column: 1, endLine: 1, endColumn: 2, message: 'unused' },
        { severity: 'error', file: 'a.mir', line: 5, column: 9, endLine: 5, endColumn: 20, message: 'mismatched types' },
        { severity: 'error', file: 'a.mir', line: 7, column: 9, endLine: 7, endColumn: 20, message: 'another' },
      ],
      errors: ['llc: exited with 1'],
    });
    const v = statusView({ connection: 'running', build: failed });
    expect(v.text).toBe('codegend: build failed');
    expect(v.tooltip).toBe(
      ['Build #3 (watch) failed in 420 ms: 2 errors, 1 tool error', 'a.mir:5:9: mismatched types', 'The outputs of the last good build are still in place.', 'Click to see the problems.'].join('\n'),
    );
    expect(v.severity).toBe('error');
    expect(v.command).toBe('workbench.actions.view.problems');
    expect(buildFailureMessage(failed)).toBe('codegend: build failed (2 errors, 1 tool error): a.mir:5:9: mismatched types');
    expect(buildFailureMessage(build({ ok: false, cgus: [], errors: ['cc: not found'] }))).toBe('codegend: build failed (1 tool error): cc: not found');
  });

  it('before any build: ready, or what the daemon\'s status knows of its last build', () => {
    expect(statusView({ connection: 'running' }).text).toBe('codegend: ready');
    expect(statusView({ connection: 'running', status: status() }).text).toBe('codegend: ready');
    const last = { buildId: 4, ok: true, ms: 2500, finishedAt: 0, trigger: 'start' as const };
    expect(statusView({ connection: 'running', status: status({ lastBuild: last }) })).toMatchObject({ text: 'codegend: built · 2.5 s', tooltip: 'Build #4 (start) succeeded in 2.5 s.\nClick for why units were rebuilt.' });
    expect(statusView({ connection: 'running', status: status({ lastBuild: { ...last, ok: false } }) })).toMatchObject({ text: 'codegend: build failed', severity: 'error' });
    expect(statusView({ connection: 'running', status: status({ building: true }) })).toMatchObject({ text: '$(sync~spin) codegend: building', tooltip: 'A build is running.' });
    const current = { buildId: 5, trigger: 'edit' as const, done: 3, total: 17 };
    expect(statusView({ connection: 'running', status: status({ building: true, current }) }).tooltip).toBe('Build #5 (edit) is running: 3 of 17 units done.');
  });

  it('a degraded daemon adds a warning sign and its problems', () => {
    const v = statusView({ connection: 'running', build: build(), status: status({ health: 'degraded', problems: ['codegend.json:3:14: error: bad', 'the cache is read-only'] }) });
    expect(v.text).toBe('$(warning) codegend: 3 rebuilt / 14 reused · 1.2 s');
    expect(v.severity).toBe('warning');
    expect(v.tooltip.split('\n').slice(-3)).toEqual(['The daemon is degraded:', '• codegend.json:3:14: error: bad', '• the cache is read-only']);
  });

  it('the connection: starting, stopped, failed to start', () => {
    expect(statusView({ connection: 'starting' }).text).toBe('$(sync~spin) codegend: starting');
    expect(statusView({ connection: 'stopped', connectionError: 'The daemon stopped.' })).toEqual({
      text: 'codegend: stopped',
      tooltip: 'The daemon stopped.\nClick to restart it.',
      severity: 'warning',
      command: 'codegend.restart',
    });
    // A connection that is down hides the last build: it may no longer be true.
    expect(statusView({ connection: 'failed', connectionError: 'spawn codegend ENOENT', build: build() })).toMatchObject({ text: 'codegend: not running', severity: 'error' });
  });

  it('a status answer and a buildFinished notification may cross', () => {
    const running: StatusState = { connection: 'running' };
    const finished = withBuild(withStatus(running, status({ building: true, current: { buildId: 1, trigger: 'start', done: 0, total: 3 } })), build({ buildId: 1 }));
    expect(statusView(finished).text).toBe('codegend: 3 rebuilt / 14 reused · 1.2 s');
    // A status answered before build 1 finished, arriving after its notification.
    const late = withStatus(finished, status({ building: true, current: { buildId: 1, trigger: 'start', done: 2, total: 3 } }));
    expect(statusView(late).text).toBe('codegend: 3 rebuilt / 14 reused · 1.2 s');
    // One that knows of a newer build than the one shown.
    const newer = withStatus(finished, status({ lastBuild: { buildId: 2, ok: false, ms: 10, finishedAt: 0, trigger: 'watch' } }));
    expect(statusView(newer).text).toBe('codegend: build failed');
    // A restart forgets both.
    expect(withConnection(finished, 'starting')).toEqual({ connection: 'starting', connectionError: undefined });
    expect(withConnection(finished, 'running').build).toBe(finished.build);
  });

  it('durations and sizes', () => {
    expect([0, 999.4, 1000, 1250, 59_949, 60_000, 125_000].map(formatDuration)).toEqual(['0 ms', '999 ms', '1.0 s', '1.3 s', '59.9 s', '1 min 0 s', '2 min 5 s']);
    expect([0, 1023, 1024, 1536 * 1024, 4 * 1024 ** 3].map(formatBytes)).toEqual(['0 B', '1023 B', '1.0 KiB', '1.5 MiB', '4.0 GiB']);
  });
});

describe('the reports', () => {
  const explained: ExplainResult = {
    build: { id: 9, ok: true, ms: 850, startedAt: 0, frontEnd: { kind: 'full', why: 'a new item' } },
    units: [
      { name: 'm0', reuse: 'No', reasons: ['the body of f changed', 'the signature of g changed'], matched: ['f'] },
      { name: 'm1', reuse: 'PostLto', reasons: [], matched: [] },
    ],
    text: 'last build of prog (#9, succeeded, 850 ms):\n  m0: rebuilt\n',
  };

  it('Explain Rebuild: a heading, then the daemon\'s text', () => {
    expect(formatExplain(explained, undefined)).toBe('Explain Rebuild: every unit\nlast build of prog (#9, succeeded, 850 ms):\n  m0: rebuilt\n');
    expect(formatExplain(explained, 'f').split('\n')[0]).toBe('Explain Rebuild: f');
  });

  it('Explain Rebuild: no build, or nothing matching', () => {
    expect(formatExplain({ build: null, units: [], text: '' }, undefined)).toBe('Explain Rebuild: every unit\nNo build to explain yet: run “codegend: Build”.\n');
    expect(formatExplain({ ...explained, units: [] }, 'zz')).toBe("Explain Rebuild: zz\nNo unit or function matching 'zz' in the last build (#9).\n");
  });

  it('Cache Stats, laid out like `codegend stats`', () => {
    const stats: CacheStatsResult = {
      dir: '/ws/.codegend',
      schema: 3,
      crates: ['prog'],
      entries: 4,
      blobs: [
        { kind: 'pre', count: 4, bytes: 2048 },
        { kind: 'post', count: 4, bytes: 3 * 1024 * 1024 },
      ],
      bytes: 3 * 1024 * 1024 + 2048,
      maxBytes: 4 * 1024 ** 3,
      hits: [{ kind: 'PostLto', count: 3 }],
      misses: 1,
      corrupt: 0,
      evicted: 2,
      history: [{ id: 5, startedAt: Date.UTC(2025, 5, 1, 12, 0, 0), crate: 'prog', ok: false, ms: 61_000, units: 4, compiled: 1, reusedPre: 0, reusedPost: 3 }],
    };
    expect(formatCacheStats(stats)).toBe(
      [
        'Cache Stats',
        'Cache location                    /ws/.codegend',
        'Schema version                    3',
        'Crates                            1 (prog)',
        'Units (entries)                   4',
        '  pre-LTO modules                 4 (2.0 KiB)',
        '  objects                         4 (3.0 MiB)',
        'Cache size                        3.0 MiB of 4.0 GiB',
        'Hits (PostLto)                    3',
        'Misses (rebuilt units)            1',
        'Hit rate                          75.0 %',
        'Corrupt blobs detected            0',
        'Evicted blobs                     2',
        '',
        'Recent builds:',
        '  #5 2025-06-01T12:00:00.000Z prog: failed, 1 min 1 s, 4 units: 1 compiled, 3 PostLto, 0 PreLto',
        '',
      ].join('\n'),
    );
    const empty = formatCacheStats({ ...stats, crates: [], hits: [], misses: 0, history: [] });
    expect(empty).toContain('\nCrates                            0\n');
    expect(empty).toContain('\nHit rate                          -\n');
    expect(empty).toMatch(/\nRecent builds:\n  \(none\)\n$/);
  });
});

describe('settings', () => {
  const from = (values: Record<string, unknown>) => readSettings(<T,>(key: string, fallback: T) => (key in values ? (values[key] as T) : fallback));

  it('defaults, and wrong types fall back to them', () => {
    expect(from({})).toEqual({ serverPath: 'codegend', serverArgs: [], emitForm: 'llvm-ir' });
    expect(from({ 'server.path': 42, 'server.args': 'x', 'emit.form': 'wat' })).toEqual({ serverPath: 'codegend', serverArgs: [], emitForm: 'llvm-ir' });
    expect(from({ 'server.path': '  ', 'server.args': ['--jobs', 2, '4'], 'emit.form': 'asm' })).toEqual({ serverPath: 'codegend', serverArgs: ['--jobs', '4'], emitForm: 'asm' });
  });

  it('the daemon\'s command line', () => {
    const s = from({ 'server.args': ['--no-watch'] });
    expect(serverCommand(s, { path: '/ws', folder: '/ws' })).toEqual({ command: 'codegend', args: ['serve', '--stdio', '--root', '/ws', '--no-watch'], cwd: '/ws' });
    expect(serverCommand(s, { path: '/ws/a.mir', folder: '/ws' }).args).toEqual(['serve', '--stdio', '--root', '/ws/a.mir', '--no-watch']);
    expect(serverCommand(s, undefined)).toEqual({ command: 'codegend', args: ['serve', '--stdio', '--no-watch'], cwd: undefined });
    // A project-local install, relative to the workspace; absolute paths and bare names as given.
    expect(serverCommand(from({ 'server.path': 'node_modules/.bin/codegend' }), { path: '/ws', folder: '/ws' }).command).toBe('/ws/node_modules/.bin/codegend');
    expect(serverCommand(from({ 'server.path': '/opt/codegend' }), { path: '/ws', folder: '/ws' }).command).toBe('/opt/codegend');
  });
});

describe('generated-code documents', () => {
  it('are addressed by function and form, and the address says what to ask for again', () => {
    const parts = emitDocumentParts({ function: '<impl Foo for Bar>::baz/2', form: 'llvm-ir' });
    expect(parts.path).toBe('/<impl Foo for Bar>::baz_2.ll');
    expect(parseEmitQuery(parts.query)).toEqual({ function: '<impl Foo for Bar>::baz/2', form: 'llvm-ir' });
    expect(emitDocumentParts({ function: 'fib', form: 'asm' }).path).toBe('/fib.s');
    expect(parseEmitQuery('function=fib&form=wasm')).toBeUndefined();
    expect(parseEmitQuery('form=asm')).toBeUndefined();
  });

  it('map generated lines to MIR lines and back', () => {
    const map = new LineMap(
      [
        { output: 3, file: 'src/a.mir', line: 5, column: 9 },
        { output: 4, file: '/ws/src/a.mir', line: 5, column: 9 },
        { output: 6, file: '/ws/src/a.mir', line: 6, column: 9 },
      ],
      '/ws',
    );
    expect(map.size).toBe(3);
    expect(map.mirAt(3)).toEqual({ file: '/ws/src/a.mir', line: 5, column: 9 });
    expect(map.mirAt(5)).toBeUndefined();
    expect(map.outputLinesFor('/ws/src/a.mir', 5)).toEqual([3, 4]);
    expect(map.outputLinesFor('/ws/src/a.mir', 7)).toEqual([]);
  });
});
