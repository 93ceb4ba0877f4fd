// Seeded fuzzing of the MIR front-end: slices of corpus MIR are mutated (token edits,
// truncation, odd characters, line edits) and checkCrate must return, without throwing
// or hanging, diagnostics whose spans lie inside the text and which render.
// FUZZ_SEED, FUZZ_CASES and FUZZ_CASE (run one case) reproduce a reported failure.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitItems } from '../../src/mir/split.js';
import type { FuzzBatchResult, FuzzCase, FuzzFailure } from '../support/fuzz-worker.js';
import { corpusMirFiles, REPO_ROOT } from '../support/paths.js';

const SEED = envInt('FUZZ_SEED', 0x5eed2024);
const CASES = envInt('FUZZ_CASES', 5000);
const ONLY = process.env.FUZZ_CASE === undefined ? undefined : envInt('FUZZ_CASE', 0);
const BATCH = 100;
/** Generous: a batch normally takes well under a second. */
const BATCH_TIMEOUT_MS = 20_000;

function envInt(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got ${v}`);
  return n;
}

/** mulberry32: a small, fast, well-mixed 32-bit PRNG. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** Every case has its own generator, so one case can be rebuilt without the others. */
function caseRng(seed: number, index: number): Rng {
  return new Rng((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
}

interface CorpusText {
  name: string;
  text: string;
  items: { start: number; end: number }[];
  lineStarts: number[];
}

function loadCorpus(): CorpusText[] {
  return corpusMirFiles().map((path) => {
    const text = readFileSync(path, 'utf8');
    const lineStarts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
    return { name: basename(path), text, items: splitItems(text).items, lineStarts };
  });
}

/** A random item (or a few adjacent ones), or a window of up to a few hundred lines. */
function sliceOf(rng: Rng, c: CorpusText): string {
  if (c.items.length > 0 && rng.chance(0.55)) {
    const i = rng.int(c.items.length);
    const j = Math.min(c.items.length - 1, i + (rng.chance(0.15) ? rng.range(1, 2) : 0));
    const { start } = c.items[i]!;
    const { end } = c.items[j]!;
    if (end - start <= 24_000) return c.text.slice(start, end);
  }
  const lines = c.lineStarts.length;
  const from = rng.int(lines);
  const to = Math.min(lines, from + rng.range(5, 300));
  return c.text.slice(c.lineStarts[from]!, to < lines ? c.lineStarts[to]! : c.text.length);
}

const INSERTS = [
  '\0', '│', '╾', '╼', '─', '╾──', '──╼', 'é', '€', '😀', '\ud800', '\udc00', '\u00a0', '\u2028', '\ufeff',
  '"', "'", '\\', '{', '}', '(', ')', '[', ']', '<', '>', ';', ':', ',', '#', '!', '-', '/', '*', '.', '=', '&',
  '@', '$', '`', '~', '?', '|', '\n', '\t', '\r', ' ', '0', '9', 'x', '_', '/*', '*/', '//', '// DBG: ',
  '// MIR FOR CTFE\n', 'b"', "b'", '0x', '\n}', '\n}\n', '\nfn ', '\nalloc9 (size: 4, align: 4) {', '{closure@',
  '#[', '::', '->', '..', '...', 'e', 'f64', '_i32',
];

/** Openers repeated many times: deep nesting must be an error, not a stack overflow. */
const NESTERS = ['(', '[', '{', '<', '&', '*const ', '(*', 'Option<', 'fn(', 'dyn Fn(', 'S(', 'scope 1 {\n', '((x: T).0: '];

const REPLACEMENTS = [
  'bb0', 'bb1', 'bb99999999999999999999', '_0', '_1', '_07', '_99999999999999999999', 'const', 'move', 'copy', '->',
  '=>', 'unwind', 'return', 'otherwise', 'switchInt', 'let', 'mut', 'debug', 'scope', 'fn', 'static', 'alloc1',
  'alloc99', '1_i32', '0x', '0xffffffffffffffffffffffffffffffffff', '1.5', '1.5f64', '1e', '1e+', 'u8', 'i128', '*',
  '&', '"x"', "'a'", "'\\u{110000}'", '"\\x80"', 'as', 'PtrToPtr', 'PointerCoercion', 'Add', 'Not', 'discriminant',
  'promoted', 'inlined', 'size', 'align', 'static', 'ZeroSized', 'Indirect', 'transmute', 'of', 'success', 'real',
  'cleanup', 'terminate', 'assert', 'drop', 'goto', 'unreachable', 'dyn', 'impl', 'for', 'extern', '"C"', 'variant',
  'struct', 'union', 'enum', '#[no_mangle]', '{', '}', '(', ')', '<', '>',
];

interface Token {
  start: number;
  end: number;
}

/** Non-blank tokens: identifier/number runs and single other characters. */
function tokens(text: string): Token[] {
  const out: Token[] = [];
  const re = /[\p{L}\p{N}_]+|[^\s]/gu;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push({ start: m.index, end: m.index + m[0].length });
  return out;
}

function lineBounds(text: string): Token[] {
  const out: Token[] = [];
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    out.push({ start, end: i + 1 });
    start = i + 1;
  }
  if (start < text.length) out.push({ start, end: text.length });
  return out;
}

const show = (s: string) => JSON.stringify(s.length > 40 ? s.slice(0, 40) + '…' : s);

/** Applies one random mutation to `text`; returns the new text and what was done. */
function mutate(rng: Rng, text: string): { text: string; what: string } {
  const toks = tokens(text);
  const lines = lineBounds(text);
  // Kinds 0-9 are equally likely; deep nesting (10) half as likely as each of them.
  const kind = rng.int(21) >> 1;
  if (toks.length < 2 || lines.length < 2) {
    const at = rng.int(text.length + 1);
    const ins = rng.pick(INSERTS);
    return { text: text.slice(0, at) + ins + text.slice(at), what: `insert ${show(ins)} at ${at}` };
  }
  switch (kind) {
    case 0: {
      const t = rng.pick(toks);
      return { text: text.slice(0, t.start) + text.slice(t.end), what: `delete token ${show(text.slice(t.start, t.end))} at ${t.start}` };
    }
    case 1: {
      // Swap a token with its neighbour, or with any other token.
      const i = rng.int(toks.length - 1);
      const j = rng.chance(0.7) ? i + 1 : rng.range(i + 1, toks.length - 1);
      const a = toks[i]!;
      const b = toks[j]!;
      const swapped = text.slice(0, a.start) + text.slice(b.start, b.end) + text.slice(a.end, b.start) + text.slice(a.start, a.end) + text.slice(b.end);
      return { text: swapped, what: `swap tokens at ${a.start} and ${b.start}` };
    }
    case 2: {
      const t = rng.pick(toks);
      const tok = text.slice(t.start, t.end);
      return { text: text.slice(0, t.end) + (rng.chance(0.5) ? ' ' : '') + tok + text.slice(t.end), what: `duplicate token ${show(tok)} at ${t.start}` };
    }
    case 3: {
      const at = rng.int(text.length);
      return { text: text.slice(0, at), what: `truncate at ${at}` };
    }
    case 4:
    case 5: {
      const at = rng.int(text.length + 1);
      const ins = rng.pick(INSERTS);
      return { text: text.slice(0, at) + ins + text.slice(at), what: `insert ${show(ins)} at ${at}` };
    }
    case 6: {
      const t = rng.pick(toks);
      const rep = rng.pick(REPLACEMENTS);
      return { text: text.slice(0, t.start) + rep + text.slice(t.end), what: `replace token ${show(text.slice(t.start, t.end))} at ${t.start} with ${show(rep)}` };
    }
    case 7: {
      const l = rng.pick(lines);
      return { text: text.slice(0, l.start) + text.slice(l.end), what: `delete line at ${l.start}` };
    }
    case 8: {
      const l = rng.pick(lines);
      const line = text.slice(l.start, l.end);
      return { text: text.slice(0, l.end) + line + (line.endsWith('\n') ? '' : '\n') + text.slice(l.end), what: `duplicate line at ${l.start}` };
    }
    case 9: {
      // Replace a random character with a random one (a byte-level edit).
      const at = rng.int(text.length);
      const ins = rng.pick(INSERTS);
      return { text: text.slice(0, at) + ins + text.slice(at + 1), what: `overwrite char at ${at} with ${show(ins)}` };
    }
    default: {
      const t = rng.pick(toks);
      const opener = rng.pick(NESTERS);
      const times = rng.range(50, 20_000);
      return { text: text.slice(0, t.start) + opener.repeat(times) + text.slice(t.start), what: `insert ${show(opener)} × ${times} at ${t.start}` };
    }
  }
}

interface Generated extends FuzzCase {
  mutations: string[];
}

function generate(corpus: CorpusText[], index: number): Generated {
  const rng = caseRng(SEED, index);
  const source = rng.pick(corpus);
  let text = sliceOf(rng, source);
  const mutations: string[] = [];
  const n = rng.chance(0.6) ? 1 : rng.range(2, 5);
  for (let k = 0; k < n; k++) {
    const m = mutate(rng, text);
    text = m.text;
    mutations.push(m.what);
  }
  return { index, name: `fuzz-${index}.mir`, text, mutations: [`slice of ${source.name}`, ...mutations] };
}

/** A failure report with everything needed to reproduce it. */
function report(c: Generated, problem: string, dir: string): string {
  const saved = join(dir, `case-${SEED}-${c.index}.mir`);
  writeFileSync(saved, c.text);
  const shown = c.text.length > 3000 ? c.text.slice(0, 3000) + `\n… (${c.text.length - 3000} more characters)` : c.text;
  return [
    `fuzz case failed: seed ${SEED}, case ${c.index} (reproduce: FUZZ_SEED=${SEED} FUZZ_CASE=${c.index} npx vitest run test/mir/fuzz.test.ts)`,
    `problem: ${problem}`,
    `mutations: ${c.mutations.join('; ')}`,
    `input saved to ${saved}; as JSON: ${JSON.stringify(c.text.slice(0, 600))}${c.text.length > 600 ? '…' : ''}`,
    '--- input (truncated) ---',
    shown,
    '---',
  ].join('\n');
}

let workDir = '';
let workerFile = '';

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'codegend-fuzz-'));
  workerFile = join(workDir, 'fuzz-worker.mjs');
  await build({
    entryPoints: [join(REPO_ROOT, 'test/support/fuzz-worker.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    outfile: workerFile,
    logLevel: 'silent',
  });
});

afterAll(() => {
  if (workDir && !process.env.FUZZ_KEEP) rmSync(workDir, { recursive: true, force: true });
});

/** Runs one batch; resolves with its result, or with 'timeout' when it takes too long. */
function runBatch(worker: Worker, cases: FuzzCase[]): Promise<FuzzBatchResult | 'timeout' | Error> {
  return new Promise((resolve) => {
    const done = (r: FuzzBatchResult | 'timeout' | Error) => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      resolve(r);
    };
    const onMessage = (r: FuzzBatchResult) => done(r);
    const onError = (e: Error) => done(e);
    const timer = setTimeout(() => done('timeout'), BATCH_TIMEOUT_MS);
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.postMessage({ cases });
  });
}

describe('front-end fuzzing', () => {
  it(`survives ${ONLY === undefined ? CASES : 1} mutated inputs (seed ${SEED})`, async () => {
    const corpus = loadCorpus();
    const indices = ONLY === undefined ? Array.from({ length: CASES }, (_, i) => i) : [ONLY];
    const progress = new SharedArrayBuffer(4);
    // A main-thread-sized stack (a worker's default is larger), as the CLI would have.
    const worker = new Worker(workerFile, { workerData: progress, resourceLimits: { stackSizeMb: 1 } });
    const reports: string[] = [];
    let diagnostics = 0;
    try {
      for (let b = 0; b < indices.length && reports.length < 5; b += BATCH) {
        const batch = indices.slice(b, b + BATCH).map((i) => generate(corpus, i));
        const r = await runBatch(worker, batch.map(({ index, name, text }) => ({ index, name, text })));
        if (r === 'timeout') {
          const at = Atomics.load(new Int32Array(progress), 0);
          const c = batch.find((x) => x.index === at) ?? batch[0]!;
          reports.push(report(c, `checkCrate did not return within ${BATCH_TIMEOUT_MS / 1000} s (hang)`, workDir));
          break;
        }
        if (r instanceof Error) {
          const at = Atomics.load(new Int32Array(progress), 0);
          const c = batch.find((x) => x.index === at) ?? batch[0]!;
          reports.push(report(c, `the worker died: ${r.stack ?? r.message}`, workDir));
          break;
        }
        diagnostics += r.diagnostics;
        for (const f of r.failures as FuzzFailure[]) reports.push(report(batch.find((x) => x.index === f.index)!, f.problem, workDir));
      }
    } finally {
      await worker.terminate();
    }
    if (reports.length > 0) {
      process.env.FUZZ_KEEP = '1';
      console.error(reports.join('\n\n'));
    }
    expect(reports, reports.join('\n\n')).toEqual([]);
    // Mutations that keep MIR valid are common, but most cases must be errors.
    if (ONLY === undefined) expect(diagnostics).toBeGreaterThan(indices.length / 2);
  });
});
