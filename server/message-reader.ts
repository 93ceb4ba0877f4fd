// Reads JSON-RPC messages from a byte stream framed as LSP frames them
// (`Content-Length: N\r\n\r\n` then N bytes of JSON), and answers what is not a message
// itself, as JSON-RPC 2.0 asks: a frame that is not JSON gets a Parse error (-32700), JSON
// that is not a request, notification or response an Invalid Request (-32600), with the
// request's id when it has a usable one. A frame larger than the limit is skipped without
// being buffered and answered with an Invalid Request. Bad headers are skipped up to the
// next `Content-Length`. Nothing a client sends can stop the reader or the daemon; only
// the end of the stream does.

import type { Readable } from 'node:stream';
import { AbstractMessageReader, type DataCallback, type Disposable, ErrorCodes, type Message, type ResponseMessage } from 'vscode-languageserver/node';

/** The largest frame accepted, 64 MiB: far beyond any request of the protocol (a whole .mir file in `didOpen` included). */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

const HEADER_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /^content-length:\s*(\d+)\s*$/i;
/** Headers longer than this are garbage: look for the next frame. */
const MAX_HEADER_BYTES = 8192;

export class ValidatingMessageReader extends AbstractMessageReader {
  private buffer: Buffer = Buffer.alloc(0);
  /** Bytes of an oversized frame still to skip. */
  private skipping = 0;
  private callback: DataCallback | undefined;

  constructor(
    private readonly readable: Readable,
    /** Sends a response the reader makes itself (errors for what is not a message). */
    private readonly reply: (response: ResponseMessage) => void,
  ) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    this.callback = callback;
    const onData = (chunk: Buffer) => this.onData(chunk);
    const onEnd = () => this.fireClose();
    const onError = (e: Error) => this.fireError(e);
    this.readable.on('data', onData);
    this.readable.on('end', onEnd);
    this.readable.on('close', onEnd);
    this.readable.on('error', onError);
    return {
      dispose: () => {
        this.readable.off('data', onData);
        this.readable.off('end', onEnd);
        this.readable.off('close', onEnd);
        this.readable.off('error', onError);
      },
    };
  }

  private onData(chunk: Buffer): void {
    if (this.skipping > 0) {
      const skip = Math.min(this.skipping, chunk.length);
      this.skipping -= skip;
      chunk = chunk.subarray(skip);
      if (chunk.length === 0) return;
    }
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const end = this.buffer.indexOf(HEADER_END);
      if (end < 0) {
        if (this.buffer.length > MAX_HEADER_BYTES) this.resync(this.buffer.length);
        return;
      }
      const length = contentLength(this.buffer.subarray(0, end).toString('ascii'));
      if (length === undefined) {
        this.error(ErrorCodes.ParseError, 'Parse error: a message header without a valid Content-Length');
        this.resync(end + HEADER_END.length);
        continue;
      }
      const start = end + HEADER_END.length;
      if (length > MAX_MESSAGE_BYTES) {
        this.error(ErrorCodes.InvalidRequest, `Invalid Request: a message of ${length} bytes exceeds the limit of ${MAX_MESSAGE_BYTES}`);
        const available = this.buffer.length - start;
        this.skipping = Math.max(0, length - available);
        this.buffer = this.buffer.subarray(Math.min(this.buffer.length, start + length));
        if (this.skipping > 0) return;
        continue;
      }
      if (this.buffer.length < start + length) return;
      const body = this.buffer.subarray(start, start + length);
      this.buffer = this.buffer.subarray(start + length);
      this.deliver(body);
    }
  }

  /** Drops `consumed` bytes, then everything up to the next `Content-Length` header. */
  private resync(consumed: number): void {
    this.buffer = this.buffer.subarray(consumed);
    const next = this.buffer.indexOf('Content-Length', 0, 'ascii');
    this.buffer = next < 0 ? Buffer.alloc(0) : this.buffer.subarray(next);
  }

  private deliver(body: Buffer): void {
    let value: unknown;
    try {
      value = JSON.parse(body.toString('utf8'));
    } catch {
      this.error(ErrorCodes.ParseError, 'Parse error: the message is not valid JSON');
      return;
    }
    const problem = invalidity(value);
    if (problem) {
      this.error(ErrorCodes.InvalidRequest, `Invalid Request: ${problem}`, usableId(value));
      return;
    }
    this.callback?.(value as Message);
  }

  private error(code: number, message: string, id: number | string | null = null): void {
    this.reply({ jsonrpc: '2.0', id, error: { code, message } });
  }
}

function contentLength(header: string): number | undefined {
  let length: number | undefined;
  for (const line of header.split('\r\n')) {
    const m = CONTENT_LENGTH.exec(line);
    if (m) length = Number(m[1]);
    else if (!/^[A-Za-z-]+:/.test(line)) return undefined;
  }
  return length !== undefined && Number.isSafeInteger(length) ? length : undefined;
}

function usableId(v: unknown): number | string | null {
  const id = (v as { id?: unknown } | null)?.id;
  return typeof id === 'number' || typeof id === 'string' ? id : null;
}

/** Why a parsed value is not a JSON-RPC 2.0 message; undefined when it is one. */
function invalidity(v: unknown): string | undefined {
  if (Array.isArray(v)) return 'batches are not supported';
  if (typeof v !== 'object' || v === null) return 'a message must be a JSON object';
  const m = v as Record<string, unknown>;
  if (m.jsonrpc !== '2.0') return '"jsonrpc" must be "2.0"';
  if ('id' in m && m.id !== null && typeof m.id !== 'number' && typeof m.id !== 'string') return '"id" must be a number, a string or null';
  if ('method' in m) {
    if (typeof m.method !== 'string' || m.method.length === 0) return '"method" must be a non-empty string';
    if ('params' in m && m.params !== undefined && m.params !== null && typeof m.params !== 'object') return '"params" must be an object or an array';
    return undefined;
  }
  if ('id' in m && ('result' in m || 'error' in m)) return undefined;
  return 'neither a request, a notification nor a response';
}
