// Hand-written valid MIR (test/fixtures/mir/valid) checks clean, and parse(print(x))
// equals x for the declaration extension as well as for rustc's syntax.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiagnosticSink, diagnosticHeadline, SourceFile } from '../../src/diagnostics.js';
import { checkCrate } from '../../src/mir/check.js';
import { parseMirFile } from '../../src/mir/index.js';
import { printFile } from '../../src/mir/printer.js';
import { FIXTURES } from '../support/paths.js';
import { stripSpans } from '../support/strip-spans.js';

const DIR = join(FIXTURES, 'mir/valid');
const fixtures = readdirSync(DIR).filter((f) => f.endsWith('.mir')).sort();

function check(name: string): void {
  const text = readFileSync(join(DIR, name), 'utf8');
  const { diagnostics } = checkCrate([new SourceFile(name, text)]);
  expect(diagnostics.map(diagnosticHeadline)).toEqual([]);
  const sink = new DiagnosticSink();
  const first = parseMirFile(new SourceFile(name, text), sink);
  const printed = printFile(first);
  const second = parseMirFile(new SourceFile(`printed-${name}`, printed), sink);
  expect(sink.list.map(diagnosticHeadline)).toEqual([]);
  expect(stripSpans(second.items)).toEqual(stripSpans(first.items));
  expect(printFile(second)).toBe(printed);
}

describe('valid hand-written MIR', () => {
  it('has fixtures', () => expect(fixtures.length).toBeGreaterThan(0));
  for (const name of fixtures) it(name, () => check(name));
});
