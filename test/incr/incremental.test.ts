// Incremental builds across revisions of one program, in the manner of rustc's
// `tests/incremental`: each folder of test/fixtures/incremental holds the revisions
// `rpass1.rs`, `rpass2.rs`, … of a program, the MIR rustc prints for each (`rpassN.mir`),
// the stdout and exit status of rustc's own binary (`rpassN.stdout`, `rpassN.exit`; all
// written by `regen.sh`, which the test never runs), and `expect.txt`:
//
//   # flags: --lto thin --opt 2 --cgus 16      build options (optional; these are the defaults
//                                              but for --lto off and --opt 0)
//   # known-bug: <text>                        the fixture shows a known bug: the test passes
//                                              while running it fails with a message that
//                                              contains <text>, and fails once it does not
//   # free text                                any other comment
//   rpass1: * No                               the reuse of every unit after revision 1
//   rpass2: b PostLto, c No, * PostLto         `b` is the unit whose name ends in `.b`; `*` is
//                                              every unit not named on the line
//   rpass2 reasons b: references               some rebuild reason of unit `b` contains the text
//   rpass2 front-end: incremental              how the front end ran (full, incremental, skipped)
//   rpass3 same-mir: b::total, b::scale        these functions' MIR text is byte-identical to
//                                              the previous revision's (guards what a fixture
//                                              claims against a change of rustc's output)
//
// The revisions are built in order into one cache (a fresh folder per fixture), always from
// the same path with the same crate name (the store keys a crate by both), and after each
// one the test checks:
//   1. the reuse of every unit (each named unit must match exactly one unit; without `*`
//      every unit must be named) and the reasons asked for;
//   2. that a clean build (no cache) gives byte-identical objects. Both builds emit a static
//      library: `ar crsD` stores every unit's object verbatim, in unit order, with no
//      timestamps, owners or modes, so equal archives mean equal objects, and a difference
//      names the unit whose object differs. An executable would also pass through `cc` and
//      the system's crt files and libc, which add nothing about reuse and hide which unit
//      differs. A unit that was reused although its clean object differs is a fingerprint
//      bug (it missed a dependency).
//   3. that a second build of the same revision reuses every unit (the "nothing changed"
//      path), and that its executable prints what rustc's binary printed and exits alike.
// `INCR_DEBUG=1` prints every build's units, reuse and reasons (to write a new expect.txt).

import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build, type BuildOptions, type BuildResult } from '../../src/build.js';
import { renderDiagnostic, SourceFile } from '../../src/diagnostics.js';
import { link } from '../../src/ssa/back/link.js';
import type { CguReuse, LtoMode } from '../../src/incr/reuse.js';
import { FIXTURES } from '../support/paths.js';

const DIR = join(FIXTURES, 'incremental');
const fixtures = readdirSync(DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

const REUSE: readonly CguReuse[] = ['No', 'PreLto', 'PostLto'];

interface Revision {
  name: string;
  /** Unit suffix (or `*`) → expected reuse. */
  reuse: Map<string, CguReuse>;
  /** Unit suffix → substrings some reason of that unit must contain. */
  reasons: [string, string][];
  /** Functions whose MIR is the same as in the previous revision. */
  sameMir: string[];
  /** How the front end must have run, when given. */
  frontEnd?: string;
}

interface Expectations {
  lto: LtoMode;
  opt: 0 | 1 | 2 | 3;
  cgus: number;
  /** Set when the fixture is expected to fail with a message containing this text. */
  knownBug?: string;
  revisions: Revision[];
}

/** Parses `expect.txt`; throws on any line it does not understand. */
function parseExpectations(text: string, file = 'expect.txt'): Expectations {
  const out: Expectations = { lto: 'off', opt: 0, cgus: 16, revisions: [] };
  const revision = (name: string): Revision => {
    let r = out.revisions.find((x) => x.name === name);
    if (!r) out.revisions.push((r = { name, reuse: new Map(), reasons: [], sameMir: [] }));
    return r;
  };
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    const where = `${file}:${i + 1}`;
    if (line === '') continue;
    if (line.startsWith('#')) {
      const flags = /^#\s*flags:(.*)$/.exec(line);
      if (flags) parseFlags(flags[1]!.trim().split(/\s+/).filter(Boolean), out, where);
      const bug = /^#\s*known-bug:(.*)$/.exec(line);
      if (bug) {
        if (!bug[1]!.trim()) throw new Error(`${where}: known-bug needs the text of the failure`);
        out.knownBug = bug[1]!.trim();
      }
      continue;
    }
    const reasons = /^(rpass\d+)\s+reasons\s+(\S+)\s*:\s*(.+)$/.exec(line);
    if (reasons) {
      revision(reasons[1]!).reasons.push([reasons[2]!, reasons[3]!.trim()]);
      continue;
    }
    const front = /^(rpass\d+)\s+front-end\s*:\s*(full|incremental|skipped)$/.exec(line);
    if (front) {
      revision(front[1]!).frontEnd = front[2]!;
      continue;
    }
    const same = /^(rpass\d+)\s+same-mir\s*:(.+)$/.exec(line);
    if (same) {
      revision(same[1]!).sameMir.push(...same[2]!.split(',').map((f) => f.trim()).filter(Boolean));
      continue;
    }
    const reuse = /^(rpass\d+)\s*:(.*)$/.exec(line);
    if (!reuse) throw new Error(`${where}: expected \`rpassN: <unit> <Reuse>, …\`, \`rpassN reasons <unit>: <text>\` or \`rpassN same-mir: <fn>, …\`, found: ${line}`);
    const rev = revision(reuse[1]!);
    if (rev.reuse.size > 0) throw new Error(`${where}: a second reuse line for ${rev.name}`);
    for (const part of reuse[2]!.split(',')) {
      const m = /^\s*(\S+)\s+(\S+)\s*$/.exec(part);
      if (!m || !REUSE.includes(m[2] as CguReuse)) throw new Error(`${where}: expected \`<unit> No|PreLto|PostLto\`, found: ${part.trim()}`);
      if (rev.reuse.has(m[1]!)) throw new Error(`${where}: unit ${m[1]} is named twice`);
      rev.reuse.set(m[1]!, m[2] as CguReuse);
    }
  }
  out.revisions.sort((a, b) => revNumber(a.name) - revNumber(b.name));
  out.revisions.forEach((r, i) => {
    if (revNumber(r.name) !== i + 1) throw new Error(`${file}: revisions must be rpass1, rpass2, … without gaps; found ${r.name}`);
    if (r.reuse.size === 0) throw new Error(`${file}: ${r.name} has no reuse line`);
    if (i === 0 && r.sameMir.length > 0) throw new Error(`${file}: same-mir needs a previous revision`);
  });
  return out;
}

function parseFlags(args: string[], out: Expectations, where: string): void {
  for (let i = 0; i < args.length; i += 2) {
    const [flag, value] = [args[i]!, args[i + 1]];
    if (flag === '--lto' && (value === 'off' || value === 'thin' || value === 'fat')) out.lto = value;
    else if (flag === '--opt' && value !== undefined && /^[0-3]$/.test(value)) out.opt = Number(value) as 0 | 1 | 2 | 3;
    else if (flag === '--cgus' && value !== undefined && /^[1-9]\d*$/.test(value)) out.cgus = Number(value);
    else throw new Error(`${where}: unknown or malformed flag: ${flag} ${value ?? ''}`);
  }
}

const revNumber = (name: string): number => Number(name.slice('rpass'.length));

/** The unit a suffix names: exactly one unit whose name ends in `.<suffix>`. */
function unitNamed(units: string[], suffix: string, rev: string): string {
  const matches = units.filter((u) => u.endsWith(`.${suffix}`));
  if (matches.length !== 1) throw new Error(`${rev}: \`${suffix}\` must name exactly one unit, but it matches ${matches.length} of: ${units.join(', ')}`);
  return matches[0]!;
}

/** Unit name → expected reuse, with `*` spread over the units the line does not name. */
function expectedReuse(units: string[], rev: Revision): Record<string, CguReuse | 'unlisted'> {
  const out: Record<string, CguReuse | 'unlisted'> = {};
  for (const [suffix, reuse] of rev.reuse) if (suffix !== '*') out[unitNamed(units, suffix, rev.name)] = reuse;
  for (const u of units) out[u] ??= rev.reuse.get('*') ?? 'unlisted';
  return out;
}

/** The MIR text of function `path` (from its `fn path(` line to the closing brace at column 0). */
function fnMir(mir: string, path: string): string | undefined {
  const lines = mir.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`fn ${path}(`));
  if (start < 0) return undefined;
  const end = lines.indexOf('}', start);
  return lines.slice(start, end + 1).join('\n');
}

/** The members of a GNU `ar` archive, long names resolved; the symbol table is `/`. */
function archiveMembers(bytes: Uint8Array): { name: string; bytes: Buffer }[] {
  const buf = Buffer.from(bytes);
  if (buf.subarray(0, 8).toString('latin1') !== '!<arch>\n') throw new Error('not an ar archive');
  const members: { name: string; bytes: Buffer }[] = [];
  let longNames = '';
  let at = 8;
  while (at + 60 <= buf.length) {
    const header = buf.subarray(at, at + 60).toString('latin1');
    const size = Number(header.slice(48, 58).trim());
    const data = buf.subarray(at + 60, at + 60 + size);
    let name = header.slice(0, 16).trimEnd();
    if (name === '//') longNames = data.toString('latin1');
    else if (/^\/\d+$/.test(name)) {
      const start = Number(name.slice(1));
      name = longNames.slice(start, longNames.indexOf('/\n', start));
    } else if (name !== '/') name = name.replace(/\/$/, '');
    if (name !== '//') members.push({ name, bytes: data });
    at += 60 + size + (size % 2);
  }
  return members;
}

/** Which objects of two archives differ (by member), or undefined when they are byte-identical. */
function archiveDifference(incremental: Uint8Array, clean: Uint8Array): string | undefined {
  if (Buffer.from(incremental).equals(Buffer.from(clean))) return undefined;
  const a = archiveMembers(incremental);
  const b = archiveMembers(clean);
  const names = (ms: { name: string }[]) => ms.map((m) => m.name).join(', ');
  if (names(a) !== names(b)) return `the members differ: incremental [${names(a)}], clean [${names(b)}]`;
  const differing = a.filter((m, i) => !m.bytes.equals(b[i]!.bytes)).map((m) => m.name);
  return `the objects of ${differing.join(', ')} differ from a clean build's`;
}

function failure(r: BuildResult): string {
  return [...r.diagnostics.map(renderDiagnostic), ...r.toolErrors, ...r.warnings].join('\n');
}

async function runFixture(name: string): Promise<void> {
  const dir = join(DIR, name);
  const exp = parseExpectations(readFileSync(join(dir, 'expect.txt'), 'utf8'), `${name}/expect.txt`);
  const revFiles = readdirSync(dir).filter((f) => /^rpass\d+\.rs$/.test(f));
  expect(revFiles.length, `${name}: one expectation line per revision`).toBe(exp.revisions.length);

  const crateName = name.replace(/-/g, '_');
  const tmp = mkdtempSync(join(tmpdir(), `codegend-incremental-${name}-`));
  try {
    // One path and one cache for every revision: the store keys a crate by name and file path.
    const mirPath = join(tmp, `${crateName}.mir`);
    const base: BuildOptions = { backend: 'llvm', opt: exp.opt, cgus: exp.cgus, lto: exp.lto, crateName, emit: 'staticlib', output: '' };
    const cache = join(tmp, 'cache');
    for (const rev of exp.revisions) {
      const file = (ext: string) => join(dir, `${rev.name}.${ext}`);
      for (const ext of ['rs', 'mir', 'stdout', 'exit']) expect(existsSync(file(ext)), `${name}/${rev.name}.${ext} exists`).toBe(true);
      for (const f of rev.sameMir) {
        const before = fnMir(readFileSync(join(dir, `rpass${revNumber(rev.name) - 1}.mir`), 'utf8'), f);
        expect(before, `${name}: \`${f}\` is in the previous revision's MIR`).toBeDefined();
        expect(fnMir(readFileSync(file('mir'), 'utf8'), f), `${name} ${rev.name}: the MIR of \`${f}\` is unchanged`).toBe(before);
      }
      copyFileSync(file('mir'), mirPath);
      const sources = () => [new SourceFile(mirPath, readFileSync(mirPath, 'utf8'))];
      const what = `${name} ${rev.name}`;

      // 1. The incremental build and its reuse decisions.
      const incr = await build(sources(), { ...base, cache, output: join(tmp, 'incremental.a') });
      expect(incr.ok, `${what}: incremental build\n${failure(incr)}`).toBe(true);
      expect(incr.warnings, `${what}: cache warnings`).toEqual([]);
      if (rev.frontEnd) expect(incr.frontEnd, `${what}: how the front end ran`).toBe(rev.frontEnd);
      if (process.env.INCR_DEBUG) console.log(what, incr.frontEnd, JSON.stringify(incr.units.map((u) => ({ name: u.name, reuse: u.reuse, items: u.items, reasons: u.reasons })), null, 1));
      const units = incr.units.map((u) => u.name);
      const actual = Object.fromEntries(incr.units.map((u) => [u.name, u.reuse]));
      expect(actual, `${what}: reuse per unit (reasons: ${JSON.stringify(Object.fromEntries(incr.units.map((u) => [u.name, u.reasons])))})`).toEqual(expectedReuse(units, rev));
      for (const [suffix, text] of rev.reasons) {
        const unit = incr.units.find((u) => u.name === unitNamed(units, suffix, rev.name))!;
        expect(unit.reasons.some((r) => r.includes(text)), `${what}: a reason of ${unit.name} contains "${text}"; its reasons: ${JSON.stringify(unit.reasons)}`).toBe(true);
      }

      // 2. A clean build gives the same objects.
      const clean = await build(sources(), { ...base, cache: undefined, output: join(tmp, 'clean.a') });
      expect(clean.ok, `${what}: clean build\n${failure(clean)}`).toBe(true);
      expect(clean.units.map((u) => u.name), `${what}: the clean build's units`).toEqual(units);
      const difference = archiveDifference(readFileSync(join(tmp, 'incremental.a')), readFileSync(join(tmp, 'clean.a')));
      expect(difference === undefined, `${what}: incremental vs clean build: ${difference} (reuse: ${JSON.stringify(actual)})`).toBe(true);

      // 3. Unchanged inputs reuse everything; the program behaves like rustc's.
      const exe = join(tmp, 'program');
      const again = await build(sources(), { ...base, cache, emit: 'exe', output: exe });
      expect(again.ok, `${what}: executable\n${failure(again)}`).toBe(true);
      expect(again.units.filter((u) => u.reuse === 'No').map((u) => u.name), `${what}: a second build with the same inputs rebuilds nothing`).toEqual([]);
      const run = spawnSync(exe, [], { encoding: 'latin1', timeout: 10_000, stdio: ['ignore', 'pipe', 'pipe'] });
      expect(run.stdout, `${what}: stdout`).toBe(readFileSync(file('stdout'), 'latin1'));
      expect(run.status, `${what}: exit status`).toBe(Number(readFileSync(file('exit'), 'utf8').trim()));
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

describe('incremental fixtures', () => {
  it('has fixtures', () => expect(fixtures.length).toBeGreaterThan(0));
  for (const name of fixtures) {
    const knownBug = parseExpectations(readFileSync(join(DIR, name, 'expect.txt'), 'utf8'), `${name}/expect.txt`).knownBug;
    if (knownBug === undefined) it.concurrent(name, () => runFixture(name));
    else
      it.concurrent(`${name} (known bug)`, async () => {
        const outcome = await runFixture(name).then(
          () => 'it passes: the bug is fixed, remove the known-bug line from its expect.txt',
          (e: unknown) => (e instanceof Error ? e.message : String(e)),
        );
        expect(outcome, `${name} fails with the known bug`).toContain(knownBug);
      });
  }
});

describe('expect.txt', () => {
  it('parses flags, reuse lines and reason lines', () => {
    const e = parseExpectations(['# flags: --lto thin --opt 2 --cgus 8', '# known-bug: it breaks', '# a comment', 'rpass1: * No', 'rpass2: b PreLto, * PostLto', 'rpass2 reasons b: imports from `x`', 'rpass2 same-mir: b::f, g'].join('\n'));
    expect([e.lto, e.opt, e.cgus, e.knownBug]).toEqual(['thin', 2, 8, 'it breaks']);
    expect(e.revisions.map((r) => [r.name, [...r.reuse], r.reasons, r.sameMir])).toEqual([
      ['rpass1', [['*', 'No']], [], []],
      ['rpass2', [['b', 'PreLto'], ['*', 'PostLto']], [['b', 'imports from `x`']], ['b::f', 'g']],
    ]);
  });

  it('rejects what it does not understand', () => {
    expect(() => parseExpectations('rpass1: * Maybe')).toThrow(/No\|PreLto\|PostLto/);
    expect(() => parseExpectations('rpass1: * No\nrpass3: * No')).toThrow(/without gaps/);
    expect(() => parseExpectations('# flags: --lto medium')).toThrow(/flag/);
    expect(() => parseExpectations('# known-bug:')).toThrow(/known-bug/);
    expect(() => parseExpectations('rpass1 * No')).toThrow(/expected/);
    expect(() => parseExpectations('rpass1: a No, a PostLto')).toThrow(/twice/);
    expect(() => parseExpectations('rpass1: * No\nrpass1 same-mir: f')).toThrow(/previous revision/);
  });

  it('spreads `*` over the units a line does not name, and names each unit once', () => {
    const rev = parseExpectations('rpass1: b No, * PostLto').revisions[0]!;
    expect(expectedReuse(['k.a', 'k.b', 'k.runtime'], rev)).toEqual({ 'k.a': 'PostLto', 'k.b': 'No', 'k.runtime': 'PostLto' });
    expect(expectedReuse(['k.a', 'k.b'], parseExpectations('rpass1: b No').revisions[0]!)).toEqual({ 'k.a': 'unlisted', 'k.b': 'No' });
    expect(() => expectedReuse(['k.a', 'k.ba'], parseExpectations('rpass1: z No').revisions[0]!)).toThrow(/exactly one/);
  });

  it("finds a function's MIR", () => {
    const mir = 'fn a::f(_1: u32) -> u32 {\n    bb0: {\n    }\n}\n\nfn a::fg() -> () {\n}\n';
    expect(fnMir(mir, 'a::f')).toBe('fn a::f(_1: u32) -> u32 {\n    bb0: {\n    }\n}');
    expect(fnMir(mir, 'a::fg')).toBe('fn a::fg() -> () {\n}');
    expect(fnMir(mir, 'a::g')).toBeUndefined();
  });
});

describe('archive comparison', () => {
  it('names the unit whose object differs, long member names included', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'codegend-incremental-ar-'));
    try {
      const obj = (name: string, text: string) => ({ name, bytes: new TextEncoder().encode(text) });
      await link([obj('crate.a', 'one\n'), obj('crate.a-rather-long-unit', 'two\n')], join(tmp, 'x.a'), { kind: 'staticlib' });
      await link([obj('crate.a', 'one\n'), obj('crate.a-rather-long-unit', 'TWO\n')], join(tmp, 'y.a'), { kind: 'staticlib' });
      const x = readFileSync(join(tmp, 'x.a'));
      expect(archiveMembers(x).map((m) => [m.name, m.bytes.toString()])).toEqual([
        ['0000-crate.a.o', 'one\n'],
        ['0001-crate.a-rather-long-unit.o', 'two\n'],
      ]);
      expect(archiveDifference(x, x)).toBeUndefined();
      expect(archiveDifference(x, readFileSync(join(tmp, 'y.a')))).toBe("the objects of 0001-crate.a-rather-long-unit.o differ from a clean build's");
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
