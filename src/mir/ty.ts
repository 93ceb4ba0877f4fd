// Type helpers for resolution and checking: common types, path keys, and `compatible`,
// the equality the checker uses. rustc prints the same type trimmed in one place
// (`Option<i32>`) and in full in another (`core::option::Option<i32>`), and generic
// parameters as bare names (`T`), so equality is up to path suffixes and treats what
// cannot be known before instantiation (parameters, projections, `impl Trait`, `_`) as
// matching anything.

import type { GenericArg, Path, Ty } from './ast.js';
import { printPath, printTy } from './printer.js';

export const UNIT: Ty = { kind: 'tuple', elems: [] };
export const BOOL: Ty = { kind: 'bool' };
export const USIZE: Ty = { kind: 'int', name: 'usize' };
export const NEVER: Ty = { kind: 'never' };

const pathKeys = new WeakMap<Path, string>();

/** The identifier segments of a path without generic arguments: `core::option::Option`. */
export function pathKey(path: Path): string {
  let key = pathKeys.get(path);
  if (key === undefined) {
    key = printPath(stripArgs(path), 'value');
    pathKeys.set(path, key);
  }
  return key;
}

export function stripArgs(path: Path): Path {
  return { span: path.span, segments: path.segments.map((s) => (s.kind === 'ident' && s.args ? { kind: 'ident', name: s.name } : s)) };
}

/** The generic arguments of the last segment that carries any. */
export function lastArgs(path: Path): GenericArg[] | undefined {
  for (let i = path.segments.length - 1; i >= 0; i--) {
    const s = path.segments[i]!;
    if (s.kind === 'ident' && s.args) return s.args;
  }
  return undefined;
}

/** True when `a` and `b` name the same item up to a trimmed prefix (`Option` ~ `core::option::Option`). */
export function samePathUpToPrefix(a: string[], b: string[]): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 1; i <= n; i++) if (a[a.length - i] !== b[b.length - i]) return false;
  return true;
}

export function identSegments(path: Path): string[] | undefined {
  const out: string[] = [];
  for (const s of path.segments) {
    if (s.kind !== 'ident') return undefined;
    out.push(s.name);
  }
  return out;
}

/**
 * Decides what a named type is. Returns 'adt' for a known ADT, 'opaque' for a name
 * that is a generic parameter or a foreign type (anything goes), 'unknown' when
 * strict resolution says the name does not exist.
 */
export type NamedTypeClass = (path: Path) => 'adt' | 'opaque';

/** Whether a type can only be known after instantiation. */
function isOpaque(t: Ty, classify: NamedTypeClass): boolean {
  switch (t.kind) {
    case 'infer':
    case 'projection':
    case 'impl':
      return true;
    case 'named':
      return classify(t.path) === 'opaque';
    default:
      return false;
  }
}

/** Type equality up to regions, trimmed paths and not-yet-known parts. */
export function compatible(a: Ty | undefined, b: Ty | undefined, classify: NamedTypeClass): boolean {
  if (!a || !b) return true;
  if (isOpaque(a, classify) || isOpaque(b, classify)) return true;
  switch (a.kind) {
    case 'int':
    case 'float':
      return b.kind === a.kind && b.name === a.name;
    case 'bool':
    case 'char':
    case 'str':
    case 'never':
      return b.kind === a.kind;
    case 'tuple':
      return b.kind === 'tuple' && b.elems.length === a.elems.length && a.elems.every((e, i) => compatible(e, b.elems[i], classify));
    case 'array':
      if (b.kind !== 'array' || !compatible(a.elem, b.elem, classify)) return false;
      return a.len.kind !== 'value' || b.len.kind !== 'value' || a.len.value === b.len.value;
    case 'slice':
      return b.kind === 'slice' && compatible(a.elem, b.elem, classify);
    case 'ref':
    case 'ptr':
      return b.kind === a.kind && b.mutable === a.mutable && compatible(a.pointee, b.pointee, classify);
    case 'fnPtr':
    case 'fnDef': {
      if (b.kind !== 'fnPtr' && b.kind !== 'fnDef') return false;
      if (a.kind !== b.kind) return false;
      const sa = a.sig;
      const sb = b.sig;
      return sa.params.length === sb.params.length && sa.variadic === sb.variadic && sa.params.every((p, i) => compatible(p, sb.params[i], classify)) && compatible(sa.ret, sb.ret, classify);
    }
    case 'named': {
      if (b.kind !== 'named') return false;
      const sa = identSegments(a.path);
      const sb = identSegments(b.path);
      if (!sa || !sb) return pathKey(a.path) === pathKey(b.path);
      if (!samePathUpToPrefix(sa, sb)) return false;
      const aa = lastArgs(a.path) ?? [];
      const ba = lastArgs(b.path) ?? [];
      if (aa.length !== ba.length) return true; // defaulted parameters may be left out
      return aa.every((x, i) => argCompatible(x, ba[i]!, classify));
    }
    case 'dyn':
      return b.kind === 'dyn';
    case 'closure':
      return b.kind === 'closure' && b.text === a.text;
    case 'projection':
    case 'impl':
    case 'infer':
      return true;
  }
}

function argCompatible(a: GenericArg, b: GenericArg, classify: NamedTypeClass): boolean {
  if (a.kind === 'type' && b.kind === 'type') return compatible(a.ty, b.ty, classify);
  return true;
}

export function showTy(t: Ty): string {
  return printTy(t);
}
