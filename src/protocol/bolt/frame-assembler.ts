// Incremental framing for length-delimited RPC protocols (Bolt here, Dubbo reuses it): a frame
// that lies inside one chunk is handed out as a subarray of that chunk (zero copy); only a
// frame that spans chunks is concatenated, once, when its last byte arrives. The frame length
// comes from the fixed header alone, so an oversized frame is refused before its body is
// awaited, and nothing is ever allocated from a length field: pending bytes are the chunks
// actually received.
//
// Frames and the pending tail reference the caller's chunks: a caller must not reuse a chunk
// buffer after feeding it (net.Socket 'data' chunks are fresh; `onread` with a static buffer
// is not allowed here). `onFrame` must not feed the same decoder again.
import type { RpcDecoder, RpcFrame } from '../../api/rpc-codec.ts';

export abstract class FrameAssembler implements RpcDecoder {
  /** bytes that always suffice to know a frame's length */
  readonly #maxHeaderLength: number;
  /** received bytes of the current partial frame */
  #pending: Buffer[] = [];
  #pendingLength = 0;
  /** length of the partial frame once its header is complete; 0 while unknown */
  #frameLength = 0;

  protected constructor(maxHeaderLength: number) {
    this.#maxHeaderLength = maxHeaderLength;
  }

  /**
   * The whole length of the frame starting at `buf[at]`, given `available` bytes from there;
   * 0 when the header is still incomplete. Throws CodecError on bad magic, type, command or
   * a frame above the size limit, as soon as the bytes that show it are present.
   */
  protected abstract frameLength(buf: Buffer, at: number, available: number): number;

  /** Wraps the bytes of one complete frame. */
  protected abstract toFrame(raw: Buffer): RpcFrame;

  get buffered(): number {
    return this.#pendingLength;
  }

  feed(chunk: Buffer, onFrame: (frame: RpcFrame) => void): void {
    let at = 0;
    if (this.#pendingLength > 0) {
      at = this.#completePending(chunk, onFrame);
      if (at < 0) return;
    }
    const end = chunk.length;
    while (at < end) {
      const available = end - at;
      const length = this.frameLength(chunk, at, available);
      if (length === 0 || length > available) {
        this.#pending = [chunk.subarray(at)];
        this.#pendingLength = available;
        this.#frameLength = length;
        return;
      }
      const next = at + length;
      onFrame(this.toFrame(chunk.subarray(at, next)));
      at = next;
    }
  }

  /**
   * Adds `chunk` to the partial frame. Returns the offset in `chunk` after the frame when it
   * completed (the rest is then parsed in place), or -1 when everything was kept.
   */
  #completePending(chunk: Buffer, onFrame: (frame: RpcFrame) => void): number {
    if (this.#frameLength === 0) {
      // Fewer bytes than a header are pending, in one small buffer: join a header's worth.
      const head = this.#pending[0]!;
      const take = Math.min(chunk.length, this.#maxHeaderLength - head.length);
      const joined = Buffer.concat([head, chunk.subarray(0, take)]);
      const length = this.frameLength(joined, 0, joined.length);
      if (length === 0) {
        // only possible when all of `chunk` was taken
        this.#pending[0] = joined;
        this.#pendingLength = joined.length;
        return -1;
      }
      if (length <= joined.length) {
        this.#reset();
        onFrame(this.toFrame(joined.subarray(0, length)));
        return length - head.length;
      }
      this.#frameLength = length;
    }
    const missing = this.#frameLength - this.#pendingLength;
    if (chunk.length < missing) {
      this.#pending.push(chunk);
      this.#pendingLength += chunk.length;
      return -1;
    }
    this.#pending.push(chunk.subarray(0, missing));
    const raw = Buffer.concat(this.#pending, this.#frameLength);
    this.#reset();
    onFrame(this.toFrame(raw));
    return missing;
  }

  #reset(): void {
    this.#pending = [];
    this.#pendingLength = 0;
    this.#frameLength = 0;
  }
}
