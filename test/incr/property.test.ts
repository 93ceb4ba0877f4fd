// Incremental builds equal clean builds, for seeded random edit sequences on generated
// crates. Each step edits the MIR text (a literal, a function swapped for its mutated
// version, a call retargeted or added, no-op edits, an option change, or a revert to an
// earlier state), then builds it twice in-process: incrementally into a cache that
// persists across the steps, and clean without a cache. The static libraries must be
// byte-identical, every few steps the executables must print the same, and the reuse
// decisions must be as small as the edit: a one-function edit rebuilds at most two
// units, a no-op edit none, an opt-level change all. One sequence runs with `verify`
// (--verify-incremental), which must stay silent.

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build, type BuildResult, type UnitReport } from '../../src/build.js';
import { renderDiagnostic, SourceFile } from '../../src/diagnostics.js';
import { crateKey } from '../../src/incr/session.js';
import type { UnitFingerprint } from '../../src/incr/fingerprint.js';
import { WorkProductStore } from '../../src/incr/store.js';
import { BuildMemo } from '../../src/incr/memo.js';
import { readRustCompanions } from '../../server/companions.js';
import { generatedCrateMir } from '../support/generated-crate.js';
import {
  changeByteString,
  changeLiteral,
  differingMembers,
  type CallEditMode,
  editCall,
  editStatement,
  type Edit,
  functionItem,
  insertBlankLines,
  insertComments,
  reindent,
  Rng,
  stripTrivia,
  swapFunction,
} from '../support/mir-edits.js';

interface Sequence {
  spec: { fns: number; modules: number; seed: number };
  /** Functions with a `--mutate K` dump to swap in. */
  mutants: number[];
  steps: number;
  prng: number;
  verify: boolean;
}

// Specs differ from every other test file's (generated crates are built by one process at a time).
const SEQUENCES: Sequence[] = [
  { spec: { fns: 80, modules: 8, seed: 3 }, mutants: [9, 50], steps: 14, prng: 0xc0de03, verify: false },
  { spec: { fns: 80, modules: 8, seed: 11 }, mutants: [23, 71], steps: 12, prng: 0xc0de11, verify: true },
];

/** Every this many steps the executables are built and run too. */
const EXE_EVERY = 4;

type StepKind = 'literal' | 'bytes' | 'swap' | 'statement' | 'call' | 'comments' | 'indent' | 'blank-lines' | 'opt' | 'cgus' | 'revert';
const ONE_FUNCTION: readonly StepKind[] = ['literal', 'bytes', 'swap'];
const NO_OP: readonly StepKind[] = ['comments', 'indent', 'blank-lines'];

interface State {
  text: string;
  opt: 0 | 1 | 2 | 3;
  cgus: number;
}

interface Built {
  state: State;
  units: UnitReport[];
}

const ROOT = mkdtempSync(join(tmpdir(), 'codegend-property-'));
let keep = false;
afterAll(() => {
  if (!keep) rmSync(ROOT, { recursive: true, force: true });
  else console.log(`property test: kept ${ROOT} for reproduction`);
});

/** A schedule covering every kind, then random kinds; a revert only after something to revert. */
function schedule(rng: Rng, steps: number): StepKind[] {
  // The first `steps` kinds are shuffled: what every sequence (12 steps or more) must see
  // comes in the first 12.
  const all: StepKind[] = ['literal', 'bytes', 'swap', 'statement', 'call', 'comments', 'indent', 'blank-lines', 'opt', 'cgus', 'revert', 'call', 'statement', 'swap', 'revert'];
  const kinds = rng.shuffle(all.slice(0, Math.min(all.length, steps)));
  while (kinds.length < steps) kinds.push(rng.pick<StepKind>(['literal', 'statement', 'call', 'swap', 'comments', 'indent', 'blank-lines', 'revert', 'opt', 'cgus']));
  const first = kinds.findIndex((k) => k !== 'revert');
  [kinds[0], kinds[first]] = [kinds[first]!, kinds[0]!];
  return kinds;
}

function stateKey(s: State): string {
  return `${s.opt}/${s.cgus}/${s.text}`;
}

function noUnits(units: UnitReport[]): string[] {
  return units.filter((u) => u.reuse === 'No').map((u) => u.name);
}

function describeBuild(r: BuildResult): string {
  return [
    ...r.diagnostics.map(renderDiagnostic),
    ...r.toolErrors,
    ...r.warnings.map((w) => `warning: ${w}`),
    ...r.units.map((u) => `  ${u.name}: ${u.reuse}${u.reasons.length > 0 ? ` (${u.reasons.join('; ')})` : ''}`),
  ].join('\n');
}

function runExe(path: string): { stdout: string; status: number | null } {
  const r = spawnSync(path, [], { encoding: 'latin1', timeout: 20_000, stdio: ['ignore', 'pipe', 'pipe'] });
  return { stdout: r.stdout, status: r.status };
}

/** The unit whose recorded items include function `name`, from the store's records. */
function unitsHolding(cache: string, sources: SourceFile[], crateName: string, name: string): string[] {
  const store = WorkProductStore.open(cache, { readonly: true });
  try {
    const out: string[] = [];
    for (const r of store.units(crateKey(crateName, sources)).values()) {
      const items = (r.details as UnitFingerprint | null)?.items ?? [];
      if (items.some((i) => i.key === name || i.key.startsWith(`${name}<`) || i.key.endsWith(`::${name}`))) out.push(r.name);
    }
    return out;
  } finally {
    store.close();
  }
}

describe.each(SEQUENCES)('incremental equals clean: seed $spec.seed', (seq) => {
  it(`${seq.steps} seeded edit steps${seq.verify ? ' with --verify-incremental' : ''}`, { timeout: 900_000 }, async () => {
    const basePath = generatedCrateMir(seq.spec);
    const base = readFileSync(basePath, 'utf8');
    const donors = new Map<number, string>(seq.mutants.map((k) => [k, readFileSync(generatedCrateMir({ ...seq.spec, mutate: k }), 'utf8')]));
    const dir = join(ROOT, `seed${seq.spec.seed}`);
    mkdirSync(dir, { recursive: true });
    const mirPath = join(dir, 'prop.mir');
    copyFileSync(join(dirname(basePath), 'main.rs'), join(dir, 'main.rs'));
    const cache = join(dir, 'cache');
    const crateName = 'prop';
    const rng = new Rng(seq.prng);
    const cleanOutputs = new Map<string, Buffer>();
    const cleanRuns = new Map<string, { stdout: string; status: number | null }>();
    const history: Built[] = [];
    const log: string[] = [];

    const sourcesOf = (text: string) => {
      writeFileSync(mirPath, text);
      const sources = [new SourceFile(mirPath, text)];
      return { sources, rustSources: readRustCompanions(sources) };
    };

    /** How each incremental build's front end ran, in order. */
    const frontEnds: string[] = [];
    const memo = new BuildMemo();
    const buildBoth = async (state: State, label: string): Promise<UnitReport[]> => {
      const { sources, rustSources } = sourcesOf(state.text);
      const common = { backend: 'llvm' as const, opt: state.opt, cgus: state.cgus, emit: 'staticlib' as const, rustSources, crateName };
      const incOut = join(dir, 'inc.a');
      // The incremental builds keep a memo, as the daemon does: unchanged text is not hashed again.
      const inc = await build(sources, { ...common, output: incOut, cache, verify: seq.verify, memo });
      frontEnds.push(inc.frontEnd);
      const context = `${label}\n${describeBuild(inc)}`;
      expect(inc.ok, context).toBe(true);
      expect(inc.diagnostics.filter((d) => d.severity === 'error').map(renderDiagnostic), context).toEqual([]);
      if (seq.verify) expect(inc.diagnostics.map(renderDiagnostic), context).toEqual([]);
      expect(inc.warnings, context).toEqual([]);

      const key = stateKey(state);
      let clean = cleanOutputs.get(key);
      if (!clean) {
        const cleanOut = join(dir, 'clean.a');
        const r = await build(sources, { ...common, output: cleanOut });
        expect(r.ok, `clean build, ${label}\n${describeBuild(r)}`).toBe(true);
        expect(r.units.every((u) => u.reuse === 'No')).toBe(true);
        clean = readFileSync(cleanOut);
        cleanOutputs.set(key, clean);
      }
      const incBytes = readFileSync(incOut);
      if (!incBytes.equals(clean)) {
        keep = true;
        writeFileSync(join(dir, `mismatch-${history.length}.mir`), state.text);
        copyFileSync(incOut, join(dir, `mismatch-${history.length}-incremental.a`));
        writeFileSync(join(dir, `mismatch-${history.length}-clean.a`), clean);
      }
      expect(incBytes.equals(clean), `${label}: the incremental staticlib differs from the clean one in ${differingMembers(incBytes, clean).join(', ')}\n${context}`).toBe(true);
      return inc.units;
    };

    const checkExe = async (state: State, label: string) => {
      const { sources, rustSources } = sourcesOf(state.text);
      const common = { backend: 'llvm' as const, opt: state.opt, cgus: state.cgus, emit: 'exe' as const, rustSources, crateName };
      const incExe = join(dir, 'inc-exe');
      const inc = await build(sources, { ...common, output: incExe, cache, verify: seq.verify });
      expect(inc.ok, `${label} (exe)\n${describeBuild(inc)}`).toBe(true);
      // The same inputs as the step's build: nothing is compiled again.
      expect(noUnits(inc.units), `${label} (exe)`).toEqual([]);
      const key = stateKey(state);
      let clean = cleanRuns.get(key);
      if (!clean) {
        const cleanExe = join(dir, 'clean-exe');
        const r = await build(sources, { ...common, output: cleanExe });
        expect(r.ok, `${label} (clean exe)\n${describeBuild(r)}`).toBe(true);
        clean = runExe(cleanExe);
        cleanRuns.set(key, clean);
      }
      const got = runExe(incExe);
      expect(got, `${label}: the incremental executable behaves differently`).toEqual(clean);
      expect(got.stdout).toMatch(/^[a-z]+=\d+\n$/);
    };

    // Step 0: the cold build.
    let state: State = { text: base, opt: 0, cgus: 16 };
    let units = await buildBoth(state, 'step 0 (cold)');
    expect(units.every((u) => u.reuse === 'No')).toBe(true);
    history.push({ state, units });
    await checkExe(state, 'step 0');

    const kinds = schedule(rng, seq.steps);
    // Call steps alternate between the two call edits, so a sequence with two sees both.
    const callModes = rng.shuffle<CallEditMode>(['retarget', 'add']);
    let calls = 0;
    for (let step = 1; step <= seq.steps; step++) {
      const kind = kinds[step - 1]!;
      const prev = history[history.length - 1]!;
      let next: State = { ...state };
      let edit: Edit | undefined;
      let revertedTo = -1;
      switch (kind) {
        case 'literal':
          edit = changeLiteral(state.text, rng);
          break;
        case 'bytes':
          edit = changeByteString(state.text, rng);
          break;
        case 'statement':
          edit = editStatement(state.text, rng);
          break;
        case 'call':
          edit = editCall(state.text, rng, callModes[calls++ % callModes.length]);
          break;
        case 'swap': {
          const k = rng.pick(seq.mutants);
          const name = `f${k}`;
          const mine = stripTrivia(state.text.slice(functionItem(state.text, name)!.start, functionItem(state.text, name)!.end));
          const choices = [base, donors.get(k)!].filter((d) => {
            const f = functionItem(d, name)!;
            return stripTrivia(d.slice(f.start, f.end)) !== mine;
          });
          const donor = rng.pick(choices);
          edit = swapFunction(state.text, donor, name);
          edit.detail += donor === base ? ' (the original version)' : ` (the version of --mutate ${k})`;
          break;
        }
        case 'comments':
          edit = insertComments(state.text, rng);
          break;
        case 'indent':
          edit = reindent(state.text, rng);
          break;
        case 'blank-lines':
          edit = insertBlankLines(state.text, rng);
          break;
        case 'opt':
          next.opt = rng.pick(([0, 1, 2] as const).filter((o) => o !== state.opt));
          break;
        case 'cgus':
          next.cgus = rng.pick([3, 4, 6, 16].filter((c) => c !== state.cgus));
          break;
        case 'revert':
          revertedTo = rng.int(0, history.length - 2);
          next = { ...history[revertedTo]!.state };
          break;
      }
      if (edit) {
        expect(edit.text, `step ${step}: ${kind} made no edit`).not.toBe(state.text);
        next.text = edit.text;
      }
      const detail = edit ? edit.detail : kind === 'revert' ? `back to the state of step ${revertedTo}` : `opt ${next.opt}, cgus ${next.cgus}`;
      const label = `step ${step} (${kind}: ${detail})`;
      units = await buildBoth(next, label);
      const rebuilt = noUnits(units);
      log.push(`${label}: ${frontEnds[frontEnds.length - 1]} front end, rebuilt ${rebuilt.length}/${units.length} ${rebuilt.join(' ')}`);
      // Edits inside bodies take the incremental front end (verify mode runs the full one as well).
      if ((kind === 'literal' || kind === 'statement' || kind === 'call') && !seq.verify) expect(frontEnds[frontEnds.length - 1], label).toBe('incremental');
      const context = `${label}\n${units.map((u) => `  ${u.name}: ${u.reuse} ${u.reasons.join('; ')}`).join('\n')}`;

      if (ONE_FUNCTION.includes(kind)) {
        // The unit holding the function, plus at most one more; everything else reused.
        expect(rebuilt.length, context).toBeLessThanOrEqual(2);
        expect(units.filter((u) => u.reuse !== 'No').every((u) => u.reuse === 'PostLto'), context).toBe(true);
        const holders = unitsHolding(cache, sourcesOf(next.text).sources, crateName, edit!.fn!);
        expect(holders.length, `${context}\n\`${edit!.fn}\` is in no unit`).toBeGreaterThan(0);
        for (const h of holders) expect(rebuilt, `${context}\nthe unit holding \`${edit!.fn}\` was reused`).toContain(h);
      } else if (kind === 'statement' || kind === 'call') {
        // The body's size changed, which may merge units otherwise, and a call edit changes
        // the call graph the partitioning follows: the unit holding the function is
        // rebuilt, whatever else is.
        const holders = unitsHolding(cache, sourcesOf(next.text).sources, crateName, edit!.fn!);
        for (const h of holders) expect(rebuilt, `${context}\nthe unit holding \`${edit!.fn}\` was reused`).toContain(h);
      } else if (NO_OP.includes(kind)) {
        expect(rebuilt, context).toEqual([]);
        expect(units.every((u) => u.reuse === 'PostLto'), context).toBe(true);
      } else if (kind === 'opt') {
        expect(units.every((u) => u.reuse === 'No'), context).toBe(true);
      } else if (kind === 'cgus') {
        // `--cgus` is not a codegen option of a unit (DESIGN.md: backend, opt level, target,
        // LTO, version): a unit whose items stay the same may be reused; one whose items
        // changed may not.
        const before = new Map(prev.units.map((u) => [u.name, u.items]));
        for (const u of units) {
          if (before.get(u.name) !== u.items) expect(u.reuse, `${context}\n${u.name} changed its items`).toBe('No');
        }
      } else if (kind === 'revert') {
        // What changed since that state may be rebuilt; a unit untouched since is reused.
        const since = history.slice(revertedTo + 1);
        const allowed = new Set(since.flatMap((b) => noUnits(b.units)));
        for (const b of since) {
          const present = new Set(b.units.map((u) => u.name));
          for (const u of units) if (!present.has(u.name)) allowed.add(u.name);
        }
        for (const name of rebuilt) expect(allowed.has(name), `${context}\n${name} did not change since step ${revertedTo}`).toBe(true);
      }
      state = next;
      history.push({ state, units });
      if (step % EXE_EVERY === 0 || step === seq.steps) await checkExe(state, label);
    }
    console.log(`seed ${seq.spec.seed}${seq.verify ? ' (verify)' : ''}:\n  ${log.join('\n  ')}`);
  });
});
