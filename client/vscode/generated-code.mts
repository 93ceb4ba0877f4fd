// Show Generated Code: a function's LLVM IR or assembly from `codegend/emit`, in a
// read-only `codegend-emit:` document beside the MIR. The emit result's line map links
// the two: the cursor on a generated line highlights and reveals its MIR line, the
// cursor on a MIR line highlights its generated lines, and hover and go-to-definition
// on a generated line lead to the MIR. After every build the open documents refresh.

import * as vscode from 'vscode';
import type { EmitParams, EmitResult } from '../../server/protocol.js';
import { EMIT_SCHEME, LineMap, emitDocumentParts, parseEmitQuery, type EmitTarget, type MirLocation } from './emit-document.mjs';
import { Requests, type DaemonSession } from './session.mjs';
import type { EmitForm } from './settings.mjs';

interface Shown {
  result: EmitResult;
  map: LineMap;
  /** A build happened since: ask again when the editor next asks for the text. */
  stale: boolean;
}

export class GeneratedCodeView implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly shown = new Map<string, Shown>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly highlight: vscode.TextEditorDecorationType;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly session: DaemonSession,
    private readonly form: () => EmitForm,
    /** Resolves the relative MIR file names a daemon may report. */
    private readonly root: () => string | undefined,
  ) {
    this.highlight = vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      backgroundColor: new vscode.ThemeColor('editor.rangeHighlightBackground'),
    });
    this.disposables.push(
      vscode.workspace.registerTextDocumentContentProvider(EMIT_SCHEME, this),
      vscode.languages.registerHoverProvider({ scheme: EMIT_SCHEME }, { provideHover: (doc, pos) => this.hover(doc, pos) }),
      vscode.languages.registerDefinitionProvider({ scheme: EMIT_SCHEME }, { provideDefinition: (doc, pos) => this.definition(doc, pos) }),
      vscode.window.onDidChangeTextEditorSelection((e) => this.followSelection(e.textEditor)),
      vscode.workspace.onDidCloseTextDocument((doc) => this.shown.delete(doc.uri.toString())),
      this.changed,
      this.highlight,
    );
  }

  /**
   * The function at the active editor's cursor, or `fn` (a code lens names it), opened
   * beside the source without taking the focus.
   */
  async show(fn?: string): Promise<vscode.TextEditor> {
    const source = vscode.window.activeTextEditor;
    const form = this.form();
    let params: EmitParams;
    if (fn !== undefined) {
      params = { function: fn, form };
    } else {
      if (source?.document.languageId !== 'mir') throw new Error('Show Generated Code needs a .mir file open with the cursor in a function.');
      const at = source.selection.active;
      params = { uri: source.document.uri.toString(), position: { line: at.line, character: at.character }, form };
    }
    const result = await this.session.request(Requests.emit, params);
    const uri = this.uriFor({ function: result.function, form: result.form });
    this.remember(uri, result);
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true, preview: true });
    if (source?.document.languageId === 'mir') this.followSelection(source);
    return editor;
  }

  /** After a build: the open documents' code may have changed. */
  invalidate(): void {
    for (const [key, s] of this.shown) {
      s.stale = true;
      this.changed.fire(vscode.Uri.parse(key));
    }
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const key = uri.toString();
    const known = this.shown.get(key);
    if (known && !known.stale) return known.result.text;
    const target = parseEmitQuery(uri.query);
    if (!target) return `; not a codegend generated-code address: ${key}\n`;
    try {
      const result = await this.session.request(Requests.emit, { function: target.function, form: target.form });
      return this.remember(uri, result).result.text;
    } catch (e) {
      // Keep showing the last code rather than an error, when there is one.
      if (known) return known.result.text;
      const comment = target.form === 'asm' ? '#' : ';';
      return `${comment} codegend could not emit ${target.function}: ${e instanceof Error ? e.message : String(e)}\n`;
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.shown.clear();
  }

  private uriFor(target: EmitTarget): vscode.Uri {
    return vscode.Uri.from({ scheme: EMIT_SCHEME, ...emitDocumentParts(target) });
  }

  private remember(uri: vscode.Uri, result: EmitResult): Shown {
    const s = { result, map: new LineMap(result.lines, this.root()), stale: false };
    this.shown.set(uri.toString(), s);
    return s;
  }

  /** Where a generated line came from, if it came from MIR. */
  private mirLocation(uri: vscode.Uri, line: number): MirLocation | undefined {
    return this.shown.get(uri.toString())?.map.mirAt(line);
  }

  /** Highlights, in the other kind of editor, the lines that correspond to the cursor's. */
  private followSelection(editor: vscode.TextEditor): void {
    const doc = editor.document;
    const line = editor.selection.active.line;
    if (doc.uri.scheme === EMIT_SCHEME) {
      const loc = this.mirLocation(doc.uri, line);
      for (const e of vscode.window.visibleTextEditors) {
        if (e.document.uri.scheme !== 'file' || e.document.languageId !== 'mir') continue;
        if (!loc || e.document.uri.fsPath !== loc.file) {
          e.setDecorations(this.highlight, []);
          continue;
        }
        const range = new vscode.Range(loc.line - 1, 0, loc.line - 1, 0);
        e.setDecorations(this.highlight, [range]);
        e.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
      }
    } else if (doc.languageId === 'mir' && doc.uri.scheme === 'file') {
      for (const e of vscode.window.visibleTextEditors) {
        const s = e.document.uri.scheme === EMIT_SCHEME ? this.shown.get(e.document.uri.toString()) : undefined;
        if (!s) continue;
        const ranges = s.map.outputLinesFor(doc.uri.fsPath, line + 1).map((l) => new vscode.Range(l, 0, l, 0));
        e.setDecorations(this.highlight, ranges);
        if (ranges.length > 0) e.revealRange(ranges[0]!, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
      }
    }
  }

  private async hover(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.Hover | undefined> {
    const loc = this.mirLocation(doc.uri, pos.line);
    if (!loc) return undefined;
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`From MIR \`${vscode.workspace.asRelativePath(loc.file)}:${loc.line}:${loc.column}\``);
    try {
      const mir = await vscode.workspace.openTextDocument(vscode.Uri.file(loc.file));
      if (loc.line - 1 < mir.lineCount) md.appendCodeblock(mir.lineAt(loc.line - 1).text.trim(), 'mir');
    } catch {
      // The file went away: the location alone still helps.
    }
    return new vscode.Hover(md, new vscode.Range(pos.line, 0, pos.line, doc.lineAt(pos.line).text.length));
  }

  private definition(doc: vscode.TextDocument, pos: vscode.Position): vscode.Location | undefined {
    const loc = this.mirLocation(doc.uri, pos.line);
    return loc && new vscode.Location(vscode.Uri.file(loc.file), new vscode.Position(loc.line - 1, Math.max(0, loc.column - 1)));
  }
}
