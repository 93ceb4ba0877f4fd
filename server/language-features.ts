// The language features of one workspace, on what the daemon keeps warm: the text of
// each document (the editor's or the disk's) as one SourceFile per text, in an LRU cache
// bounded by size, so the parses language.ts keeps per SourceFile are reused while a
// file does not change; and the placement of every function in the last build.

import { pathToFileURL } from 'node:url';
import { LRUCache } from 'lru-cache';
import type { CodeLens, DocumentSymbol, Hover, Location, Position } from 'vscode-languageserver';
import { SourceFile } from '../src/diagnostics.js';
import { codeLenses, definition, documentSymbols, type FunctionPlacement, hover, type PlacementInfo } from './language.js';
import { pathOf } from './uri.js';
import type { Workspace } from './workspace.js';

/** Documents kept parsed: bounded by their text's size (UTF-16 code units, two bytes each). */
const MAX_TEXT_BYTES = 512 * 1024 * 1024;

export class LanguageFeatures {
  private readonly files = new LRUCache<string, SourceFile>({ max: 256, maxSize: MAX_TEXT_BYTES, sizeCalculation: (f) => Math.max(1, f.text.length * 2) });
  private placementFor: { from: unknown; reuse: unknown; info: PlacementInfo } | undefined;

  constructor(private readonly workspace: Workspace) {}

  /** The document as the workspace sees it now; the same object while its text is the same. */
  private file(path: string): SourceFile | undefined {
    const text = this.workspace.textOf(path);
    if (text === undefined) return undefined;
    const known = this.files.get(path);
    if (known && known.text === text) return known;
    const f = new SourceFile(path, text);
    this.files.set(path, f);
    return f;
  }

  private fileOf(uri: string): SourceFile | undefined {
    const path = pathOf(uri);
    return path === undefined ? undefined : this.file(path);
  }

  /** The crate a document belongs to: the workspace's sources, or the document alone. */
  private crateOf(file: SourceFile): SourceFile[] {
    if (!this.workspace.isSource(file.name)) return [file];
    return (this.workspace.config?.sources ?? []).map((p) => this.file(p)).filter((f): f is SourceFile => f !== undefined);
  }

  private placement(): PlacementInfo | undefined {
    const units = this.workspace.placement;
    if (!units) return undefined;
    const last = this.workspace.lastBuild;
    if (this.placementFor?.from === units && this.placementFor.reuse === last) return this.placementFor.info;
    const reuse = new Map(last?.cgus.map((u) => [u.name, u.reuse]));
    const functions = new Map<string, FunctionPlacement[]>();
    for (const u of units) {
      for (const item of u.items) {
        if (item.path === undefined || item.key.startsWith('static ')) continue;
        const list = functions.get(item.path) ?? [];
        list.push({ unit: u.name, symbol: item.symbol, reuse: reuse.get(u.name), instance: item.key === item.path ? undefined : item.key });
        functions.set(item.path, list);
      }
    }
    const info = { functions };
    this.placementFor = { from: units, reuse: last, info };
    return info;
  }

  documentSymbols(uri: string): DocumentSymbol[] {
    const f = this.fileOf(uri);
    return f ? documentSymbols(f) : [];
  }

  hover(uri: string, position: Position): Hover | null {
    const f = this.fileOf(uri);
    return f ? hover(f, position, this.placement(), this.crateOf(f)) : null;
  }

  definition(uri: string, position: Position): Location[] {
    const f = this.fileOf(uri);
    return f ? definition(this.crateOf(f), f, position, (g) => pathToFileURL(g.name).href) : [];
  }

  codeLenses(uri: string): CodeLens[] {
    const f = this.fileOf(uri);
    return f ? codeLenses(f, this.placement(), uri) : [];
  }
}
