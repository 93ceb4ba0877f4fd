// JSON for the front-end snapshot: the syntax trees and tables it holds use Maps, Sets,
// bigints and byte arrays, which JSON cannot spell; they are written as tagged objects
// and read back as what they were.

const TAG = '$t';

export function encode(value: unknown): string {
  return JSON.stringify(value, function (this: unknown, _key: string, v: unknown): unknown {
    if (typeof v === 'bigint') return { [TAG]: 'n', v: v.toString() };
    if (v instanceof Map) return { [TAG]: 'm', v: [...v] };
    if (v instanceof Set) return { [TAG]: 's', v: [...v] };
    if (v instanceof Uint8Array) return { [TAG]: 'b', v: Buffer.from(v).toString('base64') };
    return v;
  });
}

export function decode<T>(text: string): T {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || !(TAG in v)) return v;
    const { [TAG]: tag, v: inner } = v as { [TAG]: string; v: unknown };
    switch (tag) {
      case 'n':
        return BigInt(inner as string);
      case 'm':
        return new Map(inner as [unknown, unknown][]);
      case 's':
        return new Set(inner as unknown[]);
      case 'b':
        return new Uint8Array(Buffer.from(inner as string, 'base64'));
      default:
        return v;
    }
  }) as T;
}
