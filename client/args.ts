// A small, strict argument parser for the CLI: known flags with values, positional
// files, `--` passing the rest through. Unknown flags are usage errors.

export interface FlagSpec {
  /** Flags that take a value (`--opt 2` or `--opt=2`). */
  values: string[];
  /** Flags without a value. */
  switches: string[];
}

export interface ParsedArgs {
  files: string[];
  values: Map<string, string>;
  switches: Set<string>;
  /** Everything after `--`. */
  rest: string[];
}

export class UsageError extends Error {}

export function parseArgs(args: string[], spec: FlagSpec): ParsedArgs {
  const out: ParsedArgs = { files: [], values: new Map(), switches: new Set(), rest: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      out.rest = args.slice(i + 1);
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      out.files.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(0, eq) : a;
    if (spec.switches.includes(name)) {
      if (eq > 0) throw new UsageError(`${name} takes no value`);
      out.switches.add(name);
    } else if (spec.values.includes(name)) {
      const v = eq > 0 ? a.slice(eq + 1) : args[++i];
      if (v === undefined) throw new UsageError(`${name} needs a value`);
      out.values.set(name, v);
    } else {
      throw new UsageError(`unknown option ${name}`);
    }
  }
  return out;
}

export function intFlag(p: ParsedArgs, name: string, def: number, min: number, max: number): number {
  const v = p.values.get(name);
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} needs an integer from ${min} to ${max}, got '${v}'`);
  return n;
}

export function choiceFlag<T extends string>(p: ParsedArgs, name: string, choices: readonly T[], def: T): T {
  const v = p.values.get(name);
  if (v === undefined) return def;
  if (!(choices as readonly string[]).includes(v)) throw new UsageError(`${name} must be one of ${choices.join(', ')}, got '${v}'`);
  return v as T;
}

const SIZE_UNITS: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

/** A size such as `512M`, `2G`, `64K` or a number of bytes; undefined when absent. */
export function sizeFlag(p: ParsedArgs, name: string): number | undefined {
  const v = p.values.get(name);
  if (v === undefined) return undefined;
  const m = /^(\d+)([KMG]?)(?:i?B)?$/i.exec(v.trim());
  const n = m ? Number(m[1]) * SIZE_UNITS[m[2]!.toUpperCase()]! : NaN;
  if (!Number.isSafeInteger(n) || n < 64 * 1024) throw new UsageError(`${name} needs a size of at least 64K, such as 512M or 2G, got '${v}'`);
  return n;
}
