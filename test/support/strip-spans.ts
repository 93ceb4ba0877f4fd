// Structural equality for syntax trees: spans and source files are positions, not content.
export function stripSpans(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripSpans);
  if (value instanceof Uint8Array) return Array.from(value);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'span' || k === 'nameSpan' || k === 'file' || v === undefined) continue;
      out[k] = stripSpans(v);
    }
    return out;
  }
  return value;
}
