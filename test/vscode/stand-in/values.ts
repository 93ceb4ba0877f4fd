// The value types of the stand-in `vscode` module: Uri, Position, Range, EventEmitter,
// Disposable, the provider result classes and the enums. They behave like the editor's
// where the extension or vscode-languageclient relies on it (Uri round trips, Range
// arithmetic, events); the rest are plain records, there so `class X extends
// vscode.Y` and `instanceof` in the language client work.

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly authority: string,
    readonly path: string,
    readonly query: string,
    readonly fragment: string,
  ) {}

  static file(path: string): Uri {
    return new Uri('file', '', path.replace(/\\/g, '/'), '', '');
  }

  static parse(value: string): Uri {
    const u = new URL(value);
    const decode = (s: string) => decodeURIComponent(s);
    return new Uri(u.protocol.slice(0, -1), u.host, decode(u.pathname), decode(u.search.replace(/^\?/, '')), decode(u.hash.replace(/^#/, '')));
  }

  static from(c: { scheme: string; authority?: string; path?: string; query?: string; fragment?: string }): Uri {
    return new Uri(c.scheme, c.authority ?? '', c.path ?? '', c.query ?? '', c.fragment ?? '');
  }

  static joinPath(base: Uri, ...segments: string[]): Uri {
    return base.with({ path: [base.path.replace(/\/$/, ''), ...segments].join('/') });
  }

  get fsPath(): string {
    return this.path;
  }

  with(c: { scheme?: string; authority?: string; path?: string; query?: string; fragment?: string }): Uri {
    return new Uri(c.scheme ?? this.scheme, c.authority ?? this.authority, c.path ?? this.path, c.query ?? this.query, c.fragment ?? this.fragment);
  }

  /** Encoded like the editor's: parse(toString()) gives the same Uri back. */
  toString(): string {
    const enc = (s: string) => encodeURIComponent(s);
    const path = this.path.split('/').map(enc).join('/');
    const authority = this.authority !== '' || this.scheme === 'file' ? `//${this.authority}` : '';
    return `${this.scheme}:${authority}${path}${this.query ? `?${enc(this.query)}` : ''}${this.fragment ? `#${enc(this.fragment)}` : ''}`;
  }

  toJSON(): unknown {
    return { scheme: this.scheme, authority: this.authority, path: this.path, query: this.query, fragment: this.fragment, fsPath: this.fsPath };
  }
}

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
  compareTo(o: Position): number {
    return this.line - o.line || this.character - o.character;
  }
  isBefore(o: Position): boolean {
    return this.compareTo(o) < 0;
  }
  isBeforeOrEqual(o: Position): boolean {
    return this.compareTo(o) <= 0;
  }
  isAfter(o: Position): boolean {
    return this.compareTo(o) > 0;
  }
  isAfterOrEqual(o: Position): boolean {
    return this.compareTo(o) >= 0;
  }
  isEqual(o: Position): boolean {
    return this.compareTo(o) === 0;
  }
  translate(lineDelta = 0, characterDelta = 0): Position {
    return new Position(this.line + lineDelta, this.character + characterDelta);
  }
  with(line = this.line, character = this.character): Position {
    return new Position(line, character);
  }
}

export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(a: Position | number, b: Position | number, c?: number, d?: number) {
    const [s, e] = typeof a === 'number' ? [new Position(a, b as number), new Position(c!, d!)] : [a, b as Position];
    [this.start, this.end] = s.isAfter(e) ? [e, s] : [s, e];
  }
  get isEmpty(): boolean {
    return this.start.isEqual(this.end);
  }
  get isSingleLine(): boolean {
    return this.start.line === this.end.line;
  }
  contains(x: Position | Range): boolean {
    return x instanceof Range ? this.contains(x.start) && this.contains(x.end) : x.isAfterOrEqual(this.start) && x.isBeforeOrEqual(this.end);
  }
  with(start = this.start, end = this.end): Range {
    return new Range(start, end);
  }
}

export class Selection extends Range {
  constructor(
    readonly anchor: Position,
    readonly active: Position,
  ) {
    super(anchor, active);
  }
  get isReversed(): boolean {
    return this.active.isBefore(this.anchor);
  }
}

export class Location {
  readonly range: Range;
  constructor(
    readonly uri: Uri,
    at: Range | Position,
  ) {
    this.range = at instanceof Position ? new Range(at, at) : at;
  }
}

export class Disposable {
  constructor(private readonly callOnDispose: () => unknown) {}
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((i) => i.dispose()));
  }
  dispose(): void {
    this.callOnDispose();
  }
}

export type Listener<T> = (e: T) => unknown;
export type Event<T> = (listener: Listener<T>, thisArgs?: unknown, disposables?: Disposable[]) => Disposable;

export class EventEmitter<T> {
  private listeners = new Set<Listener<T>>();
  readonly event: Event<T> = (listener, thisArgs, disposables) => {
    const bound: Listener<T> = (e) => listener.call(thisArgs, e);
    this.listeners.add(bound);
    const d = new Disposable(() => this.listeners.delete(bound));
    disposables?.push(d);
    return d;
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

export class CancellationTokenSource {
  private readonly emitter = new EventEmitter<void>();
  readonly token = { isCancellationRequested: false, onCancellationRequested: this.emitter.event };
  cancel(): void {
    if (this.token.isCancellationRequested) return;
    this.token.isCancellationRequested = true;
    this.emitter.fire();
  }
  dispose(): void {
    this.emitter.dispose();
  }
}

export class CancellationError extends Error {
  constructor() {
    super('Canceled');
    this.name = 'Canceled';
  }
}

export class ThemeColor {
  constructor(readonly id: string) {}
}

export class ThemeIcon {
  constructor(readonly id: string) {}
}

export class MarkdownString {
  isTrusted = false;
  supportThemeIcons = false;
  constructor(public value = '') {}
  appendText(s: string): this {
    this.value += s.replace(/[\\`*_{}[\]()#+\-.!]/g, '\\$&');
    return this;
  }
  appendMarkdown(s: string): this {
    this.value += s;
    return this;
  }
  appendCodeblock(code: string, language = ''): this {
    this.value += `\n\`\`\`${language}\n${code}\n\`\`\`\n`;
    return this;
  }
}

export class Hover {
  readonly contents: unknown[];
  constructor(
    contents: unknown,
    readonly range?: Range,
  ) {
    this.contents = Array.isArray(contents) ? contents : [contents];
  }
}

export class Diagnostic {
  source?: string;
  code?: unknown;
  tags?: number[];
  relatedInformation?: unknown[];
  constructor(
    public range: Range,
    public message: string,
    public severity: number = DiagnosticSeverity.Error,
  ) {}
}

export class DiagnosticRelatedInformation {
  constructor(
    readonly location: Location,
    readonly message: string,
  ) {}
}

export class DocumentSymbol {
  children: DocumentSymbol[] = [];
  tags?: number[];
  constructor(
    public name: string,
    public detail: string,
    public kind: number,
    public range: Range,
    public selectionRange: Range,
  ) {}
}

export class SymbolInformation {
  tags?: number[];
  constructor(
    public name: string,
    public kind: number,
    public containerName: string,
    public location: Location,
  ) {}
}

export class CodeLens {
  constructor(
    public range: Range,
    public command?: { title: string; command: string; arguments?: unknown[] },
  ) {}
  get isResolved(): boolean {
    return this.command !== undefined;
  }
}

export class TextEdit {
  constructor(
    public range: Range,
    public newText: string,
  ) {}
}

export class WorkspaceEdit {
  readonly edits: { uri: Uri; edit: TextEdit }[] = [];
  replace(uri: Uri, range: Range, newText: string): void {
    this.edits.push({ uri, edit: new TextEdit(range, newText) });
  }
}

export class CodeActionKind {
  private constructor(readonly value: string) {}
  static readonly Empty = new CodeActionKind('');
  static readonly QuickFix = new CodeActionKind('quickfix');
  static readonly Refactor = new CodeActionKind('refactor');
  static readonly RefactorExtract = new CodeActionKind('refactor.extract');
  static readonly RefactorInline = new CodeActionKind('refactor.inline');
  static readonly RefactorRewrite = new CodeActionKind('refactor.rewrite');
  static readonly Source = new CodeActionKind('source');
  static readonly SourceOrganizeImports = new CodeActionKind('source.organizeImports');
  static readonly SourceFixAll = new CodeActionKind('source.fixAll');
  append(part: string): CodeActionKind {
    return new CodeActionKind(this.value ? `${this.value}.${part}` : part);
  }
  contains(other: CodeActionKind): boolean {
    return this.value === '' || other.value === this.value || other.value.startsWith(`${this.value}.`);
  }
  intersects(other: CodeActionKind): boolean {
    return this.contains(other) || other.contains(this);
  }
}

/** Result classes the language client only constructs or extends: their arguments, kept. */
function record(name: string): new (...args: any[]) => { args: unknown[] } {
  return {
    [name]: class {
      readonly args: unknown[];
      constructor(...args: unknown[]) {
        this.args = args;
      }
    },
  }[name]!;
}

export const plainClasses = Object.fromEntries(
  [
    'CallHierarchyItem',
    'CallHierarchyIncomingCall',
    'CallHierarchyOutgoingCall',
    'CodeAction',
    'Color',
    'ColorInformation',
    'ColorPresentation',
    'CompletionItem',
    'CompletionList',
    'DocumentHighlight',
    'DocumentLink',
    'FoldingRange',
    'InlayHint',
    'InlayHintLabelPart',
    'InlineCompletionItem',
    'InlineCompletionList',
    'InlineValueEvaluatableExpression',
    'InlineValueText',
    'InlineValueVariableLookup',
    'LinkedEditingRanges',
    'ParameterInformation',
    'RelativePattern',
    'SelectionRange',
    'SemanticTokens',
    'SemanticTokensEdit',
    'SemanticTokensEdits',
    'SignatureHelp',
    'SignatureInformation',
    'SnippetString',
    'SnippetTextEdit',
    'TypeHierarchyItem',
    'TabInputText',
    'TabInputTextDiff',
    'TabInputCustom',
    'TabInputNotebook',
  ].map((n) => [n, record(n)]),
);

/** A TypeScript-style numeric enum object (names to numbers and back). */
function numericEnum(names: string[], first = 0): Record<string, number | string> {
  const e: Record<string, number | string> = {};
  names.forEach((n, i) => {
    e[n] = i + first;
    e[i + first] = n;
  });
  return e;
}

export const DiagnosticSeverity = { Error: 0, Warning: 1, Information: 2, Hint: 3 } as const;

export const enums = {
  DiagnosticSeverity,
  DiagnosticTag: { Unnecessary: 1, Deprecated: 2 },
  StatusBarAlignment: { Left: 1, Right: 2 },
  ViewColumn: { Active: -1, Beside: -2, One: 1, Two: 2, Three: 3 },
  TextEditorRevealType: { Default: 0, InCenter: 1, InCenterIfOutsideViewport: 2, AtTop: 3 },
  ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
  LogLevel: { Off: 0, Trace: 1, Debug: 2, Info: 3, Warning: 4, Error: 5 },
  EndOfLine: { LF: 1, CRLF: 2 },
  ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
  NotebookCellKind: { Markup: 1, Code: 2 },
  TextDocumentSaveReason: { Manual: 1, AfterDelay: 2, FocusOut: 3 },
  SymbolKind: numericEnum(
    'File Module Namespace Package Class Method Property Field Constructor Enum Interface Function Variable Constant String Number Boolean Array Object Key Null EnumMember Struct Event Operator TypeParameter'.split(' '),
  ),
  SymbolTag: { Deprecated: 1 },
  CompletionItemKind: numericEnum(
    'Text Method Function Constructor Field Variable Class Interface Module Property Unit Value Enum Keyword Snippet Color File Reference Folder EnumMember Constant Struct Event Operator TypeParameter User Issue'.split(' '),
  ),
  CompletionItemTag: { Deprecated: 1 },
  CompletionTriggerKind: { Invoke: 0, TriggerCharacter: 1, TriggerForIncompleteCompletions: 2 },
  CodeActionTriggerKind: { Invoke: 1, Automatic: 2 },
  DocumentHighlightKind: { Text: 0, Read: 1, Write: 2 },
  FoldingRangeKind: { Comment: 1, Imports: 2, Region: 3 },
  SignatureHelpTriggerKind: { Invoke: 1, TriggerCharacter: 2, ContentChange: 3 },
  InlineCompletionTriggerKind: { Invoke: 0, Automatic: 1 },
  InlayHintKind: { Type: 1, Parameter: 2 },
  ExtensionMode: { Production: 1, Development: 2, Test: 3 },
  UIKind: { Desktop: 1, Web: 2 },
};
