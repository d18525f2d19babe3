// Writing one HTTP/1.1 body chunk, the same way in both directions (requests upstream,
// responses downstream): a head still held back goes out with it, and chunked framing wraps it.
import type { Socket } from 'node:net';
import { chunkHeader } from '../../protocol/http1/encoder.ts';

/** Below this many bytes a body chunk is copied into the head's string to make one write. */
const COALESCE_LIMIT = 16 * 1024;

/** Counts the bytes handed to the socket (connection stats). */
export interface WriteCounter {
  countWrite(bytes: number): void;
}

/** Writes `head` (if any) and a non-empty `chunk`; returns socket.write's answer (false: wait for 'drain'). */
export function writeBodyChunk(socket: Socket, counter: WriteCounter, head: string | undefined, chunk: Buffer, chunked: boolean): boolean {
  const n = chunk.length;
  if (n <= COALESCE_LIMIT) {
    let text = head ?? '';
    text += chunked ? `${chunkHeader(n)}${chunk.latin1Slice(0, n)}\r\n` : chunk.latin1Slice(0, n);
    counter.countWrite(text.length);
    return socket.write(text, 'latin1');
  }
  socket.cork();
  if (head !== undefined) writeText(socket, counter, head);
  if (chunked) writeText(socket, counter, chunkHeader(n));
  counter.countWrite(n);
  let ok = socket.write(chunk);
  if (chunked) ok = writeText(socket, counter, '\r\n');
  socket.uncork();
  return ok;
}

function writeText(socket: Socket, counter: WriteCounter, text: string): boolean {
  counter.countWrite(text.length);
  return socket.write(text, 'latin1');
}
