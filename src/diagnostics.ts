// Source files, spans and diagnostics shared by every phase.
// Phases never throw on bad input: they push a Diagnostic into a sink and go on,
// and the caller renders them as `file:line:col: error: message` with a caret.

/** A half-open byte range [lo, hi) of one source file's text. */
export interface Span {
  lo: number;
  hi: number;
}

export const NO_SPAN: Span = { lo: 0, hi: 0 };

export function span(lo: number, hi: number): Span {
  return { lo, hi };
}

export class SourceFile {
  private lineStarts: number[] | undefined;

  constructor(
    readonly name: string,
    readonly text: string,
  ) {}

  private starts(): number[] {
    if (!this.lineStarts) {
      const starts = [0];
      const t = this.text;
      let i = t.indexOf('\n');
      while (i !== -1) {
        starts.push(i + 1);
        i = t.indexOf('\n', i + 1);
      }
      this.lineStarts = starts;
    }
    return this.lineStarts;
  }

  /** The offset of a 1-based line and column (clamped to the line and to the text). */
  offsetAt(line: number, col: number): number {
    const starts = this.starts();
    const l = Math.min(Math.max(1, line), starts.length);
    const start = starts[l - 1]!;
    const end = l < starts.length ? starts[l]! - 1 : this.text.length;
    return Math.min(start + Math.max(0, col - 1), end);
  }

  /** 1-based line and column (columns count UTF-16 code units, as editors do). */
  position(offset: number): { line: number; col: number } {
    const starts = this.starts();
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - starts[lo]! + 1 };
  }

  lineText(line: number): string {
    const starts = this.starts();
    const start = starts[line - 1] ?? this.text.length;
    let end = starts[line] ?? this.text.length;
    if (end > start && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return this.text.slice(start, end);
  }
}

export type Severity = 'error' | 'warning' | 'note';

export interface Diagnostic {
  severity: Severity;
  message: string;
  file: SourceFile;
  span: Span;
  /** Secondary information printed after the main message. */
  notes?: string[];
}

/** Collects diagnostics; phases receive one instead of throwing. */
export class DiagnosticSink {
  readonly list: Diagnostic[] = [];

  error(file: SourceFile, at: Span, message: string, notes?: string[]): void {
    this.list.push({ severity: 'error', message, file, span: at, notes });
  }

  warning(file: SourceFile, at: Span, message: string): void {
    this.list.push({ severity: 'warning', message, file, span: at });
  }

  get errorCount(): number {
    let n = 0;
    for (const d of this.list) if (d.severity === 'error') n++;
    return n;
  }
}

/** Sorts by file name, then position, so output does not depend on phase order. */
export function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return [...list].sort((a, b) =>
    a.file.name < b.file.name ? -1 : a.file.name > b.file.name ? 1 : a.span.lo - b.span.lo || a.span.hi - b.span.hi,
  );
}

/** `file:line:col: error: message`, then the source line and a caret, as rustc prints. */
export function renderDiagnostic(d: Diagnostic): string {
  const { line, col } = d.file.position(d.span.lo);
  const head = `${d.file.name}:${line}:${col}: ${d.severity}: ${d.message}`;
  const src = d.file.lineText(line).replace(/\t/g, ' ');
  const gutter = String(line);
  const pad = ' '.repeat(gutter.length);
  const lineEnd = d.file.position(Math.max(d.span.lo, d.span.hi - 1)).line === line;
  const width = lineEnd ? Math.max(1, Math.min(d.span.hi - d.span.lo, src.length - col + 1)) : 1;
  const out = [head, `${pad} |`, `${gutter} | ${src}`, `${pad} | ${' '.repeat(col - 1)}${'^'.repeat(width)}`];
  for (const n of d.notes ?? []) out.push(`${pad} = note: ${n}`);
  return out.join('\n') + '\n';
}

/** The short form used by fixtures and editors: `file:line:col: error: message`. */
export function diagnosticHeadline(d: Diagnostic): string {
  const { line, col } = d.file.position(d.span.lo);
  return `${d.file.name}:${line}:${col}: ${d.severity}: ${d.message}`;
}
