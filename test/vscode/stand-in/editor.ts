// A stand-in for the editor behind the `vscode` module: commands, windows, documents,
// configuration and language features, with their state kept where tests can read it
// and drive it (open a document, move a cursor, change a setting). It covers what the
// extension and vscode-languageclient use — the client runs unmodified against it.

import { readFileSync } from 'node:fs';
import { extname, relative } from 'node:path';
import {
  CancellationError,
  CancellationTokenSource,
  CodeActionKind,
  CodeLens,
  Diagnostic,
  DiagnosticRelatedInformation,
  Disposable,
  DocumentSymbol,
  EventEmitter,
  Hover,
  Location,
  MarkdownString,
  Position,
  Range,
  Selection,
  SymbolInformation,
  TextEdit,
  ThemeColor,
  ThemeIcon,
  Uri,
  WorkspaceEdit,
  enums,
  plainClasses,
} from './values.js';
import { DiagnosticCollection, OutputChannel, StatusBarItem, TextDocument, TextEditor } from './objects.js';

export { DiagnosticCollection, OutputChannel, StatusBarItem, TextDocument, TextEditor } from './objects.js';

const LANGUAGES: Record<string, string> = { '.mir': 'mir', '.ll': 'llvm', '.s': 'asm', '.json': 'json' };

export interface RegisteredProvider {
  kind: string;
  selector: unknown;
  provider: any;
  disposed: boolean;
}

type DocumentFilter = { language?: string; scheme?: string; pattern?: unknown };

/** How well a document selector matches (0: not at all), as `languages.match` scores it. */
function matchSelector(selector: unknown, doc: { uri: Uri; languageId: string }): number {
  if (Array.isArray(selector)) return Math.max(0, ...selector.map((s) => matchSelector(s, doc)));
  if (typeof selector === 'string') return selector === '*' ? 5 : selector === doc.languageId ? 10 : 0;
  const f = selector as DocumentFilter;
  if (f.language !== undefined && f.language !== '*' && f.language !== doc.languageId) return 0;
  if (f.scheme !== undefined && f.scheme !== '*' && f.scheme !== doc.uri.scheme) return 0;
  return f.language !== undefined ? 10 : 5;
}

const PROVIDER_KINDS = [
  'CallHierarchy',
  'CodeActions',
  'CodeLens',
  'Color',
  'CompletionItem',
  'Declaration',
  'Definition',
  'DocumentFormattingEdit',
  'DocumentHighlight',
  'DocumentLink',
  'DocumentRangeFormattingEdit',
  'DocumentRangeSemanticTokens',
  'DocumentSemanticTokens',
  'DocumentSymbol',
  'EvaluatableExpression',
  'FoldingRange',
  'Hover',
  'Implementation',
  'InlayHints',
  'InlineCompletionItem',
  'InlineValues',
  'LinkedEditingRange',
  'OnTypeFormattingEdit',
  'Reference',
  'Rename',
  'SelectionRange',
  'SignatureHelp',
  'TypeDefinition',
  'TypeHierarchy',
  'WorkspaceSymbol',
];

export interface EditorOptions {
  /** Absolute paths of the open workspace folders. */
  workspaceFolders?: string[];
  /** Settings by full key (`codegend.server.path`). */
  settings?: Record<string, unknown>;
  /** The log level of log output channels (`LogLevel.Info` unless given). */
  logLevel?: number;
}

/** The editor state and the `vscode` module object over it. */
export class EditorStandIn {
  readonly commands = new Map<string, (...args: any[]) => unknown>();
  /** Commands run that nobody registered (the editor's own, such as `setContext`). */
  readonly builtinCommandsRun: { id: string; args: unknown[] }[] = [];
  readonly statusBarItems: StatusBarItem[] = [];
  readonly outputChannels: OutputChannel[] = [];
  readonly messages: { kind: 'error' | 'warning' | 'info'; text: string }[] = [];
  readonly providers: RegisteredProvider[] = [];
  readonly contentProviders = new Map<string, any>();
  readonly diagnosticCollections: DiagnosticCollection[] = [];
  readonly documents: TextDocument[] = [];
  visibleEditors: TextEditor[] = [];
  activeEditor: TextEditor | undefined;
  readonly settings = new Map<string, unknown>();
  readonly workspaceFolders: { uri: Uri; name: string; index: number }[];

  readonly events = {
    didOpen: new EventEmitter<TextDocument>(),
    didClose: new EventEmitter<TextDocument>(),
    didChange: new EventEmitter<{ document: TextDocument; contentChanges: unknown[]; reason: undefined }>(),
    didChangeConfiguration: new EventEmitter<{ affectsConfiguration(section: string): boolean }>(),
    activeEditor: new EventEmitter<TextEditor | undefined>(),
    visibleEditors: new EventEmitter<TextEditor[]>(),
    selection: new EventEmitter<{ textEditor: TextEditor; selections: Selection[]; kind: number }>(),
  };

  readonly vscode: Record<string, unknown>;
  private readonly logLevel: number;

  constructor(options: EditorOptions = {}) {
    this.logLevel = options.logLevel ?? enums.LogLevel.Info;
    this.workspaceFolders = (options.workspaceFolders ?? []).map((p, index) => ({ uri: Uri.file(p), name: p.split('/').pop()!, index }));
    for (const [k, v] of Object.entries(options.settings ?? {})) this.settings.set(k, v);
    this.vscode = this.module();
  }

  // --- Driving the editor from a test -------------------------------------------------

  /** Opens a file (read from disk) as the editor would, telling the listeners. */
  async openDocument(path: string): Promise<TextDocument> {
    return this.openTextDocument(Uri.file(path));
  }

  /** Opens `path` in the active editor with the cursor at (line, character), 0-based. */
  async showFile(path: string, line = 0, character = 0): Promise<TextEditor> {
    const doc = await this.openDocument(path);
    const editor = this.showTextDocument(doc, { viewColumn: enums.ViewColumn.One }) as TextEditor;
    this.moveCursor(editor, line, character);
    return editor;
  }

  /** Moves an editor's cursor, telling the selection listeners. */
  moveCursor(editor: TextEditor, line: number, character = 0): void {
    const p = new Position(line, character);
    editor.selection = new Selection(p, p);
    this.events.selection.fire({ textEditor: editor, selections: editor.selections, kind: 2 });
  }

  /** Runs a command as the palette, a key binding or a code lens does. */
  execute(id: string, ...args: unknown[]): Promise<unknown> {
    return (this.vscode.commands as { executeCommand(id: string, ...args: unknown[]): Promise<unknown> }).executeCommand(id, ...args);
  }

  /** Changes a setting, telling the listeners. */
  setSetting(key: string, value: unknown): void {
    this.settings.set(key, value);
    this.events.didChangeConfiguration.fire({ affectsConfiguration: (section) => key === section || key.startsWith(`${section}.`) });
  }

  /** Every provider registered of a kind (`Hover`, `CodeLens`, …) still in force. */
  providersOf(kind: string): RegisteredProvider[] {
    return this.providers.filter((p) => p.kind === kind && !p.disposed);
  }

  /** The provider of `kind` whose selector matches `doc` best. */
  providerFor(kind: string, doc: { uri: Uri; languageId: string }): any {
    const scored = this.providersOf(kind)
      .map((p) => ({ p, score: matchSelector(p.selector, doc) }))
      .filter((x) => x.score > 0)
      .sort((a, b) => b.score - a.score);
    return scored[0]?.p.provider;
  }

  /** The diagnostics every collection holds for a document. */
  diagnosticsOf(uri: Uri): Diagnostic[] {
    return this.diagnosticCollections.flatMap((c) => c.get(uri) ?? []);
  }

  outputChannel(name: string): OutputChannel | undefined {
    return this.outputChannels.find((c) => c.name === name);
  }

  // --- The editor's side of the API ---------------------------------------------------

  private async openTextDocument(target: Uri | string | { language?: string; content?: string }): Promise<TextDocument> {
    if (!(target instanceof Uri) && typeof target !== 'string') {
      const doc = new TextDocument(Uri.from({ scheme: 'untitled', path: `Untitled-${this.documents.length + 1}` }), target.language ?? 'plaintext', target.content ?? '');
      return this.addDocument(doc);
    }
    const uri = typeof target === 'string' ? Uri.file(target) : target;
    const open = this.documents.find((d) => d.uri.toString() === uri.toString() && !d.isClosed);
    if (open) return open;
    let text: string;
    if (uri.scheme === 'file') {
      text = readFileSync(uri.fsPath, 'utf8');
    } else {
      const provider = this.contentProviders.get(uri.scheme);
      if (!provider) throw new Error(`cannot open ${uri.toString()}: no content provider for '${uri.scheme}'`);
      text = (await provider.provideTextDocumentContent(uri, new CancellationTokenSource().token)) ?? '';
    }
    return this.addDocument(new TextDocument(uri, LANGUAGES[extname(uri.path)] ?? 'plaintext', text));
  }

  private addDocument(doc: TextDocument): TextDocument {
    this.documents.push(doc);
    this.events.didOpen.fire(doc);
    return doc;
  }

  private showTextDocument(target: TextDocument | Uri, opts?: number | { viewColumn?: number; preserveFocus?: boolean; preview?: boolean; selection?: Range }): TextEditor | Promise<TextEditor> {
    if (target instanceof Uri) return this.openTextDocument(target).then((d) => this.showTextDocument(d, opts) as TextEditor);
    const o = typeof opts === 'number' ? { viewColumn: opts } : (opts ?? {});
    const activeColumn = this.activeEditor?.viewColumn ?? 1;
    const column = o.viewColumn === enums.ViewColumn.Beside ? activeColumn + 1 : o.viewColumn === undefined || o.viewColumn === enums.ViewColumn.Active ? activeColumn : o.viewColumn;
    let editor = this.visibleEditors.find((e) => e.document === target && e.viewColumn === column);
    if (!editor) {
      // One editor per column, as tabs in a group: the new one replaces the visible one.
      editor = new TextEditor(target, column);
      this.visibleEditors = [...this.visibleEditors.filter((e) => e.viewColumn !== column), editor];
      this.events.visibleEditors.fire(this.visibleEditors);
    }
    if (o.selection) editor.selection = new Selection(o.selection.start, o.selection.end);
    if (!o.preserveFocus) {
      this.activeEditor = editor;
      this.events.activeEditor.fire(editor);
    }
    return editor;
  }

  private message(kind: 'error' | 'warning' | 'info') {
    return (text: string, ..._items: unknown[]) => {
      this.messages.push({ kind, text });
      return Promise.resolve(undefined);
    };
  }

  private configuration(section?: string) {
    const full = (key: string) => (section ? `${section}.${key}` : key);
    const lookup = (key: string): unknown => {
      const k = full(key);
      if (this.settings.has(k)) return this.settings.get(k);
      // A section read as an object (`get('server')`): the settings below it.
      const below = [...this.settings].filter(([s]) => s.startsWith(`${k}.`));
      if (below.length === 0) return undefined;
      const obj: Record<string, unknown> = {};
      for (const [s, v] of below) obj[s.slice(k.length + 1)] = v;
      return obj;
    };
    return {
      get: (key: string, fallback?: unknown) => lookup(key) ?? fallback,
      has: (key: string) => lookup(key) !== undefined,
      inspect: (key: string) => ({ key: full(key), globalValue: lookup(key) }),
      update: (key: string, value: unknown) => {
        this.setSetting(full(key), value);
        return Promise.resolve();
      },
    };
  }

  private registerProvider(kind: string) {
    return (selector: unknown, provider: any) => {
      const entry: RegisteredProvider = { kind, selector, provider, disposed: false };
      this.providers.push(entry);
      return new Disposable(() => (entry.disposed = true));
    };
  }

  private module(): Record<string, unknown> {
    const fileEvents = () => new EventEmitter<unknown>().event;
    const languages: Record<string, unknown> = {
      createDiagnosticCollection: (name?: string) => {
        const c = new DiagnosticCollection(name);
        this.diagnosticCollections.push(c);
        return c;
      },
      match: matchSelector,
      getDiagnostics: () => [],
      onDidChangeDiagnostics: new EventEmitter<unknown>().event,
      setTextDocumentLanguage: (doc: TextDocument) => Promise.resolve(doc),
    };
    for (const k of PROVIDER_KINDS) languages[`register${k}Provider`] = this.registerProvider(k);
    // The language client registers semantic token providers under their legend; keep the kind.
    const tabGroups = {
      onDidChangeTabs: new EventEmitter<unknown>().event,
      onDidChangeTabGroups: new EventEmitter<unknown>().event,
      get all() {
        return [];
      },
    };
    const self = this;
    return {
      version: '1.91.0',
      ...enums,
      ...plainClasses,
      Uri,
      Position,
      Range,
      Selection,
      Location,
      Disposable,
      EventEmitter,
      CancellationTokenSource,
      CancellationError,
      ThemeColor,
      ThemeIcon,
      MarkdownString,
      Hover,
      Diagnostic,
      DiagnosticRelatedInformation,
      DocumentSymbol,
      SymbolInformation,
      CodeLens,
      TextEdit,
      WorkspaceEdit,
      CodeActionKind,
      env: {
        appName: 'Visual Studio Code (stand-in)',
        appRoot: '/',
        language: 'en',
        machineId: 'stand-in',
        sessionId: 'stand-in',
        uriScheme: 'vscode',
        uiKind: enums.UIKind.Desktop,
        openExternal: () => Promise.resolve(false),
        clipboard: { readText: () => Promise.resolve(''), writeText: () => Promise.resolve() },
      },
      commands: {
        registerCommand: (id: string, f: (...args: any[]) => unknown) => {
          if (this.commands.has(id)) throw new Error(`command '${id}' already exists`);
          this.commands.set(id, f);
          return new Disposable(() => this.commands.delete(id));
        },
        executeCommand: async (id: string, ...args: unknown[]) => {
          const f = this.commands.get(id);
          if (f) return f(...args);
          this.builtinCommandsRun.push({ id, args });
          return undefined;
        },
        getCommands: () => Promise.resolve([...this.commands.keys()]),
      },
      window: {
        get activeTextEditor() {
          return self.activeEditor;
        },
        get visibleTextEditors() {
          return self.visibleEditors;
        },
        onDidChangeActiveTextEditor: this.events.activeEditor.event,
        onDidChangeVisibleTextEditors: this.events.visibleEditors.event,
        onDidChangeTextEditorSelection: this.events.selection.event,
        onDidChangeWindowState: new EventEmitter<unknown>().event,
        tabGroups,
        createStatusBarItem: (a?: string | number, b?: number, c?: number) => {
          const item = typeof a === 'string' ? new StatusBarItem(a, b ?? enums.StatusBarAlignment.Left, c) : new StatusBarItem(undefined, a ?? enums.StatusBarAlignment.Left, b);
          this.statusBarItems.push(item);
          return item;
        },
        createOutputChannel: (name: string, options?: string | { log: true }) => {
          const c = new OutputChannel(name, typeof options === 'object' && options.log, this.logLevel);
          this.outputChannels.push(c);
          return c;
        },
        createTextEditorDecorationType: () => {
          const key = `decoration-${Math.random().toString(36).slice(2)}`;
          return { key, dispose: () => undefined };
        },
        showTextDocument: (target: TextDocument | Uri, opts?: any) => Promise.resolve(this.showTextDocument(target, opts)),
        showErrorMessage: this.message('error'),
        showWarningMessage: this.message('warning'),
        showInformationMessage: this.message('info'),
        setStatusBarMessage: () => new Disposable(() => undefined),
        withProgress: (_options: unknown, task: (progress: { report(v: unknown): void }, token: unknown) => unknown) =>
          Promise.resolve(task({ report: () => undefined }, new CancellationTokenSource().token)),
      },
      workspace: {
        get workspaceFolders() {
          return self.workspaceFolders.length > 0 ? self.workspaceFolders : undefined;
        },
        get textDocuments() {
          return self.documents.filter((d) => !d.isClosed);
        },
        notebookDocuments: [],
        getWorkspaceFolder: (uri: Uri) => this.workspaceFolders.find((f) => uri.fsPath === f.uri.fsPath || uri.fsPath.startsWith(`${f.uri.fsPath}/`)),
        asRelativePath: (p: string | Uri) => {
          const path = typeof p === 'string' ? p : p.fsPath;
          const folder = this.workspaceFolders.find((f) => path.startsWith(`${f.uri.fsPath}/`));
          return folder ? relative(folder.uri.fsPath, path) : path;
        },
        getConfiguration: (section?: string) => this.configuration(section),
        onDidChangeConfiguration: this.events.didChangeConfiguration.event,
        onDidOpenTextDocument: this.events.didOpen.event,
        onDidCloseTextDocument: this.events.didClose.event,
        onDidChangeTextDocument: this.events.didChange.event,
        onDidSaveTextDocument: fileEvents(),
        onWillSaveTextDocument: fileEvents(),
        onDidChangeWorkspaceFolders: fileEvents(),
        onDidOpenNotebookDocument: fileEvents(),
        onDidChangeNotebookDocument: fileEvents(),
        onDidSaveNotebookDocument: fileEvents(),
        onDidCloseNotebookDocument: fileEvents(),
        onDidCreateFiles: fileEvents(),
        onDidRenameFiles: fileEvents(),
        onDidDeleteFiles: fileEvents(),
        onWillCreateFiles: fileEvents(),
        onWillRenameFiles: fileEvents(),
        onWillDeleteFiles: fileEvents(),
        openTextDocument: (target: any) => this.openTextDocument(target),
        registerTextDocumentContentProvider: (scheme: string, provider: any) => {
          this.contentProviders.set(scheme, provider);
          // The editor asks again for the text of an open document the provider says changed.
          const sub = provider.onDidChange?.((uri: Uri) => void this.refresh(uri, provider));
          return new Disposable(() => {
            sub?.dispose();
            this.contentProviders.delete(scheme);
          });
        },
        createFileSystemWatcher: () => ({
          onDidCreate: fileEvents(),
          onDidChange: fileEvents(),
          onDidDelete: fileEvents(),
          ignoreCreateEvents: false,
          ignoreChangeEvents: false,
          ignoreDeleteEvents: false,
          dispose: () => undefined,
        }),
        applyEdit: () => Promise.resolve(true),
        fs: {},
      },
      languages,
      extensions: { getExtension: () => undefined, all: [] },
    };
  }

  /** Refreshes were asked for, in order; each resolves when the document has its new text. */
  readonly refreshes: Promise<void>[] = [];

  private refresh(uri: Uri, provider: any): Promise<void> {
    const doc = this.documents.find((d) => d.uri.toString() === uri.toString() && !d.isClosed);
    if (!doc) return Promise.resolve();
    const done = Promise.resolve(provider.provideTextDocumentContent(uri, new CancellationTokenSource().token)).then((text: string | undefined) => {
      if (text === undefined || text === doc.getText()) return;
      doc.setText(text);
      doc.version++;
      this.events.didChange.fire({ document: doc, contentChanges: [{ text }], reason: undefined });
    });
    this.refreshes.push(done);
    return done;
  }
}
