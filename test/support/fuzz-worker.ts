// Worker thread for test/mir/fuzz.test.ts: checks batches of mutated MIR and reports
// every case that throws or yields a malformed diagnostic. It publishes the index of the
// case it is working on in shared memory, so a hang can be pinned to one case.

import { parentPort, workerData } from 'node:worker_threads';
import { diagnosticHeadline, renderDiagnostic, SourceFile } from '../../src/diagnostics.js';
import { checkCrate } from '../../src/mir/check.js';

export interface FuzzCase {
  index: number;
  name: string;
  text: string;
}

export interface FuzzBatch {
  cases: FuzzCase[];
}

export interface FuzzFailure {
  index: number;
  problem: string;
}

export interface FuzzBatchResult {
  failures: FuzzFailure[];
  diagnostics: number;
}

/** What is wrong with checking `c`, or undefined when nothing is. */
function checkCase(c: FuzzCase): { problem?: string; diagnostics: number } {
  const file = new SourceFile(c.name, c.text);
  let result: ReturnType<typeof checkCrate>;
  try {
    result = checkCrate([file]);
  } catch (e) {
    return { problem: `checkCrate threw: ${(e as Error)?.stack ?? String(e)}`, diagnostics: 0 };
  }
  if (!result || !Array.isArray(result.diagnostics)) return { problem: 'checkCrate returned no diagnostics array', diagnostics: 0 };
  for (const d of result.diagnostics) {
    const { lo, hi } = d.span;
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 0 || lo > hi || hi > c.text.length) {
      return { problem: `diagnostic span [${lo}, ${hi}) is outside the text (length ${c.text.length}): ${d.message}`, diagnostics: 0 };
    }
    if (typeof d.message !== 'string' || d.message.trim() === '') return { problem: `diagnostic at ${lo} has an empty message`, diagnostics: 0 };
    try {
      renderDiagnostic(d);
      diagnosticHeadline(d);
    } catch (e) {
      return { problem: `renderDiagnostic threw on "${d.message}": ${(e as Error)?.stack ?? String(e)}`, diagnostics: 0 };
    }
  }
  return { diagnostics: result.diagnostics.length };
}

const progress = new Int32Array(workerData as SharedArrayBuffer);

parentPort!.on('message', (batch: FuzzBatch) => {
  const failures: FuzzFailure[] = [];
  let diagnostics = 0;
  for (const c of batch.cases) {
    Atomics.store(progress, 0, c.index);
    const r = checkCase(c);
    if (r.problem !== undefined) failures.push({ index: c.index, problem: r.problem });
    diagnostics += r.diagnostics;
  }
  const result: FuzzBatchResult = { failures, diagnostics };
  parentPort!.postMessage(result);
});
