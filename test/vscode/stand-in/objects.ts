// The objects the stand-in editor hands out: text documents, text editors, output
// channels, status bar items and diagnostic collections. Each records what the extension
// did with it (text appended, decorations set, ranges revealed) for the tests to read.

import { enums, EventEmitter, Position, Range, Selection, Uri, type Diagnostic, type ThemeColor } from './values.js';

export class TextDocument {
  version = 1;
  isClosed = false;
  readonly isDirty = false;
  readonly isUntitled = false;
  readonly eol = enums.EndOfLine.LF;
  private lines: string[] = [];

  constructor(
    readonly uri: Uri,
    readonly languageId: string,
    private text: string,
  ) {
    this.setText(text);
  }

  get fileName(): string {
    return this.uri.fsPath;
  }
  get lineCount(): number {
    return this.lines.length;
  }
  getText(range?: Range): string {
    if (!range) return this.text;
    return this.text.slice(this.offsetAt(range.start), this.offsetAt(range.end));
  }
  lineAt(at: number | Position) {
    const line = typeof at === 'number' ? at : at.line;
    if (line < 0 || line >= this.lines.length) throw new Error(`Illegal value for \`line\`: ${line}`);
    const text = this.lines[line]!;
    return {
      lineNumber: line,
      text,
      range: new Range(line, 0, line, text.length),
      rangeIncludingLineBreak: new Range(line, 0, line + 1, 0),
      firstNonWhitespaceCharacterIndex: text.length - text.trimStart().length,
      isEmptyOrWhitespace: text.trim() === '',
    };
  }
  offsetAt(p: Position): number {
    let offset = 0;
    for (let i = 0; i < p.line && i < this.lines.length; i++) offset += this.lines[i]!.length + 1;
    return Math.min(this.text.length, offset + p.character);
  }
  positionAt(offset: number): Position {
    let line = 0;
    while (line < this.lines.length - 1 && offset > this.lines[line]!.length) offset -= this.lines[line++]!.length + 1;
    return new Position(line, Math.max(0, offset));
  }
  getWordRangeAtPosition(p: Position): Range | undefined {
    const text = this.lineAt(p.line).text;
    for (const m of text.matchAll(/[\w:<>]+/g)) {
      if (m.index! <= p.character && p.character <= m.index! + m[0].length) return new Range(p.line, m.index!, p.line, m.index! + m[0].length);
    }
    return undefined;
  }
  validateRange(r: Range): Range {
    return r;
  }
  validatePosition(p: Position): Position {
    return p;
  }
  save(): Promise<boolean> {
    return Promise.resolve(true);
  }
  /** The stand-in's own: replaces the text, as an edit or a provider's refresh would. */
  setText(text: string): void {
    this.text = text;
    this.lines = text.split(/\r?\n/);
  }
}

export class TextEditor {
  selection: Selection = new Selection(new Position(0, 0), new Position(0, 0));
  readonly decorations = new Map<string, Range[]>();
  readonly revealed: Range[] = [];
  readonly options = { tabSize: 4, insertSpaces: true };

  constructor(
    readonly document: TextDocument,
    public viewColumn: number,
  ) {}

  get selections(): Selection[] {
    return [this.selection];
  }
  get visibleRanges(): Range[] {
    return [new Range(0, 0, Math.max(0, this.document.lineCount - 1), 0)];
  }
  setDecorations(type: { key: string }, ranges: Range[]): void {
    this.decorations.set(type.key, ranges);
  }
  revealRange(range: Range): void {
    this.revealed.push(range);
  }
  edit(): Promise<boolean> {
    return Promise.resolve(true);
  }
}

export class OutputChannel {
  /** Everything appended since the last clear. */
  text = '';
  shown = 0;
  private readonly levelChanged = new EventEmitter<number>();
  readonly onDidChangeLogLevel = this.levelChanged.event;

  constructor(
    readonly name: string,
    readonly isLog: boolean,
    /** `LogLevel`: at Trace, the language client traces the protocol per `<id>.trace.server`. */
    readonly logLevel: number,
  ) {}

  /** The complete lines. */
  get lines(): string[] {
    return this.text.split('\n').slice(0, -1);
  }
  append(s: string): void {
    this.text += s;
  }
  appendLine(s: string): void {
    this.append(`${s}\n`);
  }
  replace(s: string): void {
    this.text = s;
  }
  clear(): void {
    this.text = '';
  }
  show(): void {
    this.shown++;
  }
  hide(): void {}
  dispose(): void {}
  trace(s: string): void {
    this.appendLine(`[trace] ${s}`);
  }
  debug(s: string): void {
    this.appendLine(`[debug] ${s}`);
  }
  info(s: string): void {
    this.appendLine(`[info] ${s}`);
  }
  warn(s: string): void {
    this.appendLine(`[warning] ${s}`);
  }
  error(s: string | Error): void {
    this.appendLine(`[error] ${s instanceof Error ? s.message : s}`);
  }
}

export class StatusBarItem {
  text = '';
  tooltip: unknown = undefined;
  command: unknown = undefined;
  backgroundColor: ThemeColor | undefined = undefined;
  name: string | undefined = undefined;
  visible = false;
  disposed = false;
  constructor(
    readonly id: string | undefined,
    readonly alignment: number,
    readonly priority: number | undefined,
  ) {}
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  dispose(): void {
    this.disposed = true;
    this.visible = false;
  }
}

export class DiagnosticCollection {
  private readonly byUri = new Map<string, { uri: Uri; diagnostics: Diagnostic[] }>();
  constructor(readonly name: string | undefined) {}
  set(uriOrEntries: Uri | [Uri, Diagnostic[] | undefined][], diagnostics?: Diagnostic[]): void {
    const entries: [Uri, Diagnostic[] | undefined][] = uriOrEntries instanceof Uri ? [[uriOrEntries, diagnostics]] : uriOrEntries;
    for (const [uri, d] of entries) {
      if (d === undefined) this.byUri.delete(uri.toString());
      else this.byUri.set(uri.toString(), { uri, diagnostics: [...d] });
    }
  }
  get(uri: Uri): Diagnostic[] | undefined {
    return this.byUri.get(uri.toString())?.diagnostics;
  }
  has(uri: Uri): boolean {
    return this.byUri.has(uri.toString());
  }
  delete(uri: Uri): void {
    this.byUri.delete(uri.toString());
  }
  clear(): void {
    this.byUri.clear();
  }
  forEach(f: (uri: Uri, d: Diagnostic[]) => void): void {
    for (const { uri, diagnostics } of this.byUri.values()) f(uri, diagnostics);
  }
  dispose(): void {
    this.clear();
  }
}
