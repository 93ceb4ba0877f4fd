// A reader of the LLVM IR text printer.ts prints, for thin LTO: it finds the top-level
// functions and data of a serialized module (the work product LTO starts from) without an
// LLVM parser. It knows only the printer's shapes: `define`/`declare` at column 0, a body
// closed by `}` at column 0, one line per global, `@"…"` names with `\XX` escapes.

/** A function of the module: a `define` (with its body) or a `declare` line. */
export interface TextFunction {
  symbol: string;
  /** The name as printed (`@f` or `@"…"`), to write it back unchanged. */
  token: string;
  internal: boolean;
  defined: boolean;
  /** Its lines in the module, `[start, end)`: the header, the body lines and the closing `}`. */
  start: number;
  end: number;
}

/** A global of the module: defined data or an `external global` declaration. */
export interface TextGlobal {
  symbol: string;
  token: string;
  internal: boolean;
  defined: boolean;
}

export interface TextModule {
  lines: string[];
  functions: Map<string, TextFunction>;
  globals: Map<string, TextGlobal>;
}

// A printed name: quoted with `\XX` escapes (the printer escapes every `"`), or a plain LLVM identifier.
const NAME = /@(?:"[^"]*"|[-a-zA-Z$._][-a-zA-Z$._0-9]*)/g;

/** The symbol a printed name stands for: `@"a\22b"` → `a"b`. */
export function symbolOf(token: string): string {
  if (!token.startsWith('@"')) return token.slice(1);
  const inner = token.slice(2, -1);
  const bytes: number[] = [];
  for (let i = 0; i < inner.length; i++) {
    if (inner[i] === '\\') {
      bytes.push(parseInt(inner.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(inner.charCodeAt(i));
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** The first printed name in `line`. */
function firstName(line: string, what: string): string {
  NAME.lastIndex = 0;
  const m = NAME.exec(line);
  if (!m) throw new Error(`${what}: no symbol name in '${line}'`);
  return m[0];
}

export function readModule(text: string, unitName: string): TextModule {
  const lines = text.split('\n');
  const functions = new Map<string, TextFunction>();
  const globals = new Map<string, TextGlobal>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('define ')) {
      const token = firstName(line, unitName);
      let end = i + 1;
      while (end < lines.length && lines[end] !== '}') end++;
      if (end === lines.length) throw new Error(`${unitName}: the body of ${token} has no closing '}'`);
      functions.set(symbolOf(token), { symbol: symbolOf(token), token, internal: line.startsWith('define internal '), defined: true, start: i, end: end + 1 });
      i = end;
    } else if (line.startsWith('declare ')) {
      const token = firstName(line, unitName);
      functions.set(symbolOf(token), { symbol: symbolOf(token), token, internal: false, defined: false, start: i, end: i + 1 });
    } else if (line.startsWith('@')) {
      const token = firstName(line, unitName);
      const rest = line.slice(token.length);
      globals.set(symbolOf(token), {
        symbol: symbolOf(token),
        token,
        internal: rest.startsWith(' = internal '),
        defined: !rest.startsWith(' = external '),
      });
    }
  }
  return { lines, functions, globals };
}

/** The body lines of a defined function (between its header and its `}`). */
export function bodyLines(m: TextModule, f: TextFunction): string[] {
  return m.lines.slice(f.start + 1, f.end - 1);
}

/** The symbols a function's body names, unique, in order of first mention. */
export function mentions(m: TextModule, f: TextFunction): string[] {
  const out = new Set<string>();
  for (const line of bodyLines(m, f)) for (const t of line.match(NAME) ?? []) out.add(symbolOf(t));
  return [...out];
}

/**
 * Instructions in a function's body: lines indented by two spaces. Labels sit at column 0;
 * a `switch` continues over case lines (indented by four) and a closing `  ]`.
 */
export function instructionCount(m: TextModule, f: TextFunction): number {
  return bodyLines(m, f).filter((l) => /^ {2}[^ \]]/.test(l)).length;
}

/** The `declare` line for a function of the module: its own, or its definition's header without parameter names and body. */
export function declarationOf(m: TextModule, f: TextFunction): string {
  const header = m.lines[f.start]!;
  if (!f.defined) return header;
  // Parameters print as `<type><attrs> %N`; no type or attribute contains `%`.
  return header.replace(/^define (internal )?/, 'declare ').replace(/ %\d+(?=[,)])/g, '').replace(/ \{$/, '');
}
