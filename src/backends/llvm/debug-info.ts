// The least debug metadata that makes `llc` write a line table: a compile unit, a file
// per MIR source file, a subprogram per defined function and a DILocation (MIR line and
// column) per instruction. Only `emit`'s assembly prints a module with it, so `.loc`
// directives say where each instruction came from; builds never do (their objects stay
// byte-identical). Instructions of no MIR get line 0, which DWARF reads as "no source".

import type { SourceLoc } from '../../ssa/traits/builder.js';
import type { FnDecl } from './ir.js';
import { type DebugLocations, escapeBytes } from './printer.js';

type SourceFile = SourceLoc['file'];

/** Nodes every module has: the unit, the two module flags, the unit's file, an empty subroutine type. */
const CU = 0;
const UNIT_FILE = 3;
const FN_TYPE = 4;

export class DebugInfo implements DebugLocations {
  private readonly nodes: string[];
  private readonly files = new Map<SourceFile, number>();
  /** Interned nodes by their text: locations and lexical block files. */
  private readonly interned = new Map<string, number>();
  private sp = -1;
  private spFile: SourceFile | undefined;

  constructor(unitName: string) {
    this.nodes = [
      `distinct !DICompileUnit(language: DW_LANG_Rust, file: !${UNIT_FILE}, producer: "codegend", isOptimized: false, runtimeVersion: 0, emissionKind: LineTablesOnly)`,
      '!{i32 2, !"Debug Info Version", i32 3}',
      '!{i32 7, !"Dwarf Version", i32 4}',
      `!DIFile(filename: "${escapeBytes(unitName)}", directory: "")`,
      '!DISubroutineType(types: !{})',
    ];
  }

  subprogram(f: FnDecl, locs: readonly SourceLoc[]): string {
    // The function's file is that of its first location; its line the first line there.
    const file = locs[0]?.file;
    let line = 0;
    for (const l of locs) {
      if (l.file !== file) continue;
      const at = l.file.position(l.span.lo).line;
      if (line === 0 || at < line) line = at;
    }
    const scope = file ? this.file(file) : UNIT_FILE;
    const local = f.linkage === 'internal' ? ' | DISPFlagLocalToUnit' : '';
    this.sp = this.add(
      `distinct !DISubprogram(name: "${escapeBytes(f.symbol)}", scope: !${scope}, file: !${scope}, line: ${line}, type: !${FN_TYPE}, scopeLine: ${line}, spFlags: DISPFlagDefinition${local}, unit: !${CU})`,
    );
    this.spFile = file;
    return `!${this.sp}`;
  }

  location(loc: SourceLoc | undefined): string {
    if (this.sp < 0) throw new Error('debug location outside a function');
    if (!loc) return `!${this.intern(`!DILocation(line: 0, scope: !${this.sp})`)}`;
    const { line, col } = loc.file.position(loc.span.lo);
    // A location in another file than the function's needs a scope in that file.
    const scope = loc.file === this.spFile ? this.sp : this.intern(`!DILexicalBlockFile(scope: !${this.sp}, file: !${this.file(loc.file)}, discriminator: 0)`);
    return `!${this.intern(`!DILocation(line: ${line}, column: ${col}, scope: !${scope})`)}`;
  }

  finish(): string[] {
    return ['!llvm.dbg.cu = !{!0}', '!llvm.module.flags = !{!1, !2}', ...this.nodes.map((n, i) => `!${i} = ${n}`)];
  }

  /**
   * The source file a `.file` directive names: `directory` and `filename` as this module
   * gave them to llc (which prints them back unchanged), or joined.
   */
  fileNamed(directory: string, filename: string): SourceFile | undefined {
    for (const f of this.files.keys()) {
      const [dir, name] = splitPath(f.name);
      if ((dir === directory && name === filename) || f.name === (directory === '' ? filename : `${directory}/${filename}`)) return f;
    }
    return undefined;
  }

  private file(f: SourceFile): number {
    let n = this.files.get(f);
    if (n === undefined) {
      const [dir, name] = splitPath(f.name);
      n = this.add(`!DIFile(filename: "${escapeBytes(name)}", directory: "${escapeBytes(dir)}")`);
      this.files.set(f, n);
    }
    return n;
  }

  private intern(node: string): number {
    let n = this.interned.get(node);
    if (n === undefined) {
      n = this.add(node);
      this.interned.set(node, n);
    }
    return n;
  }

  private add(node: string): number {
    this.nodes.push(node);
    return this.nodes.length - 1;
  }
}

/** A path as its directory ('' when it has none) and its last component. */
function splitPath(path: string): [string, string] {
  const slash = path.lastIndexOf('/');
  if (slash < 0) return ['', path];
  return [slash === 0 ? '/' : path.slice(0, slash), path.slice(slash + 1)];
}
