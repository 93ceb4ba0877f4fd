// The incremental front end against the full one on every corpus program, for edits that
// change what a body references: a call taken out (its line replaced by a jump to where
// the call returned), then put back. Each step restores the front end from the previous
// step's snapshot and must find what the full front end finds: the same units with the
// same items and linkage, the same fingerprints (assembled as a build assembles them,
// from the previous step's item parts plus the items walked again), and a snapshot the
// full front end would take too, so chains of incremental builds stay exact. Taking a
// call out can leave functions and generic instances unreached; putting it back reaches
// them again.

import { basename } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SourceFile } from '../../src/diagnostics.js';
import { type FileHashes, hashFile } from '../../src/incr/chunk-hash.js';
import { fingerprintUnits, type ItemFingerprint, itemFingerprinter, type UnitFingerprint } from '../../src/incr/fingerprint.js';
import { changedBodies, type FrontSnapshot, restoreFrontEnd, takeSnapshot } from '../../src/incr/front-end.js';
import { reassembleAll } from '../../src/incr/plan.js';
import { monoItemKey } from '../../src/mono/instance.js';
import type { CodegenUnit } from '../../src/mono/types.js';
import { crateNameOf, prepareCrate } from '../../src/prepare.js';
import type { CrateInput } from '../../src/ssa/base.js';
import { readRustCompanions } from '../../server/companions.js';
import { corpusMirFiles } from '../support/paths.js';

const CGUS = 4;
const CONTEXT = 'front-end-corpus';
const OPTIONS = 'options';
/** Call sites taken out per program: spread over the file. */
const EDITS_PER_PROGRAM = 3;

/** `_5 = f::<T>(move _3, const 1_u32) -> [return: bb2, unwind continue];` with plain operands. */
const PLAIN_CALL = /^( +)_\d+ = [^\n]+?\((?:(?:copy|move) _\d+|const -?[0-9][0-9_a-z.]*)?(?:, (?:(?:copy|move) _\d+|const -?[0-9][0-9_a-z.]*))*\) -> \[return: (bb\d+), unwind [^\]]+\];$/gm;

interface State {
  text: string;
  source: SourceFile;
  hashes: Map<SourceFile, FileHashes>;
  snapshot: FrontSnapshot;
  /** Item fingerprints by key, as the store would hold them. */
  items: Map<string, ItemFingerprint>;
  structure: Pick<UnitFingerprint, 'options' | 'structure'>;
}

function describeUnits(units: CodegenUnit[]): string[] {
  return units.map((u) => `${u.name} (${u.sizeEstimate}): ${u.items.map((i) => `${monoItemKey(i.item)} ${i.linkage}`).join(', ')}`);
}

function itemsOf(fps: UnitFingerprint[]): Map<string, ItemFingerprint> {
  return new Map(fps.flatMap((u) => u.items.map((i) => [i.key, i] as const)));
}

/**
 * The snapshot with its maps' entries in key order, and without source positions (the
 * spans of external functions' paths are where a call was first seen, which an edit
 * elsewhere moves): two snapshots of one crate compare equal.
 */
function canonical(s: FrontSnapshot): unknown {
  const byKey = <T>(pairs: [string, T][]) => [...pairs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const sorted = { ...s, bodyFacts: byKey(s.bodyFacts), assoc: byKey(s.assoc), graph: { ...s.graph, edges: byKey(s.graph.edges), sizes: byKey(s.graph.sizes) } };
  return JSON.parse(JSON.stringify(sorted, (k, v: unknown) => (k === 'span' ? undefined : typeof v === 'bigint' ? `${v}n` : v)));
}

function fullState(path: string, text: string, rust: SourceFile[]): { state: State; input: CrateInput; fps: UnitFingerprint[] } {
  const source = new SourceFile(path, text);
  const hashes = new Map([[source, hashFile(text)]]);
  const prepared = prepareCrate([source], { cgus: CGUS, rustSources: rust });
  expect(prepared.diagnostics.filter((d) => d.severity === 'error'), path).toEqual([]);
  const input = prepared.input!;
  const fps = fingerprintUnits({ input, collected: prepared.collected!, hashes, optionsKey: OPTIONS, structureKey: prepared.structureKey! });
  const snapshot = takeSnapshot(prepared, [source], hashes, CONTEXT);
  return { state: { text, source, hashes, snapshot, items: itemsOf(fps), structure: fps[0]! }, input, fps };
}

/** One incremental step from `prev` to `text`, checked against the full front end; the new state, or why it fell back. */
function step(path: string, prev: State, text: string, rust: SourceFile[], label: string): State | string {
  const source = new SourceFile(path, text);
  const hashes = new Map([[source, hashFile(text)]]);
  const changed = changedBodies(prev.snapshot, [source], hashes, CONTEXT);
  if (typeof changed === 'string') return changed;
  const restored = restoreFrontEnd(prev.snapshot, [source], hashes, changed, crateNameOf([source]), CGUS);
  if (typeof restored === 'string') return restored;
  const full = fullState(path, text, rust);
  expect(describeUnits(restored.input.units), `${label}: units`).toEqual(describeUnits(full.input.units));
  const fresh = restored.fresh && { keys: restored.fresh.keys, fingerprint: itemFingerprinter({ input: restored.input, collected: restored.fresh.collected, hashes }) };
  const fps = reassembleAll(prev.items, prev.structure, restored.input, hashes, fresh);
  expect(fps, `${label}: an item lacks its last fingerprint`).toBeDefined();
  expect(fps!.map((u) => [u.name, u.items.map((i) => [i.key, i.fingerprint])]), `${label}: fingerprints`).toEqual(full.fps.map((u) => [u.name, u.items.map((i) => [i.key, i.fingerprint])]));
  expect(canonical(restored.snapshot), `${label}: snapshot`).toEqual(canonical(full.state.snapshot));
  return { ...full.state, snapshot: restored.snapshot, items: itemsOf(fps!) };
}

/** Up to `n` plain call sites, spread over the file: [line start, line end, return block, indent]. */
function callSites(text: string, n: number): { start: number; end: number; target: string; indent: string }[] {
  const all = [...text.matchAll(PLAIN_CALL)].map((m) => ({ start: m.index!, end: m.index! + m[0].length, target: m[2]!, indent: m[1]! }));
  if (all.length <= n) return all;
  return Array.from({ length: n }, (_, i) => all[Math.floor((i * (all.length - 1)) / (n - 1))]!);
}

describe('the incremental front end equals the full one when calls change', () => {
  const files = corpusMirFiles();
  it.for(files.map((f) => [basename(f, '.mir'), f] as const))('%s', ([, path], { skip }) => {
    const text = readFileSync(path, 'utf8');
    const rust = readRustCompanions([new SourceFile(path, text)]);
    // A program codegend cannot compile yet has no front end results to compare.
    const errors = prepareCrate([new SourceFile(path, text)], { cgus: CGUS, rustSources: rust }).diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) return skip(`codegend reports errors for it: ${errors[0]!.message}`);
    const base = fullState(path, text, rust).state;
    const fallbacks: string[] = [];
    let taken = 0;
    for (const site of callSites(text, EDITS_PER_PROGRAM)) {
      const line = text.slice(site.start, site.end).trim();
      const edited = `${text.slice(0, site.start)}${site.indent}goto -> ${site.target};${text.slice(site.end)}`;
      const out = step(path, base, edited, rust, `without \`${line}\``);
      if (typeof out === 'string') {
        fallbacks.push(`without \`${line}\`: ${out}`);
        continue;
      }
      taken++;
      const back = step(path, out, text, rust, `\`${line}\` put back`);
      if (typeof back === 'string') fallbacks.push(`\`${line}\` put back: ${back}`);
      else taken++;
    }
    // Most programs have calls; falling back is allowed (the full front end is always right) but is listed.
    if (fallbacks.length > 0) console.log(`${basename(path)}: fell back ${fallbacks.length} times:\n  ${fallbacks.join('\n  ')}`);
    if (callSites(text, 1).length > 0) expect(taken + fallbacks.length).toBeGreaterThan(0);
  });
});
