// Reads the first bytes of a connection until one of the listener's protocols claims them
// (or none can). MOSN waits for the first read the same way; a connection that sends nothing is
// closed after SNIFF_TIMEOUT_MS.
import type { Socket } from 'node:net';
import type { RpcCodec } from '../../../api/rpc-codec.ts';
import { detectProtocol, type ProtocolMatcher } from '../../../protocol/auto/detect.ts';
import { matchHttp1 } from '../../../protocol/http1/matcher.ts';
import type { DownstreamProtocol } from './config.ts';

const SNIFF_TIMEOUT_MS = 10_000;
/** enough for every matcher (the longest is HTTP's "OPTIONS " / "UNLINK ") */
const MAX_SNIFF_BYTES = 64;

export class ProtocolSniffer {
  readonly #candidates: ProtocolMatcher<DownstreamProtocol>[];
  readonly #found: (socket: Socket, protocol: DownstreamProtocol, head: Buffer) => void;
  readonly #unknown: (socket: Socket, head: Buffer | undefined, http2: boolean) => void;

  constructor(
    protocols: readonly DownstreamProtocol[],
    codecs: ReadonlyMap<string, RpcCodec>,
    found: (socket: Socket, protocol: DownstreamProtocol, head: Buffer) => void,
    unknown: (socket: Socket, head: Buffer | undefined, http2: boolean) => void,
  ) {
    this.#candidates = protocols.map((p) => {
      if (p === 'Http1') return { protocol: p, match: matchHttp1 };
      const codec = codecs.get(p)!;
      return { protocol: p, match: (b: Buffer) => codec.match(b) };
    });
    this.#found = found;
    this.#unknown = unknown;
  }

  sniff(socket: Socket, initial: Buffer | undefined): void {
    let head = initial ?? Buffer.alloc(0);
    let done = false;
    const timer = setTimeout(() => finish(undefined), SNIFF_TIMEOUT_MS);
    const onData = (chunk: Buffer): void => {
      head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
      decide();
    };
    const onGone = (): void => finish(undefined);
    const finish = (protocol: DownstreamProtocol | undefined, http2 = false): void => {
      done = true;
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('end', onGone);
      socket.off('close', onGone);
      socket.pause();
      if (protocol !== undefined) this.#found(socket, protocol, head);
      else if (socket.destroyed) return;
      else if (head.length > 0 && !socket.readableEnded) {
        // A FIN that came with these bytes is emitted on the next tick, before a next filter
        // that connects upstream first (tcp_proxy) listens: put the bytes back so 'end' waits
        // until they have been read again.
        socket.unshift(head);
        this.#unknown(socket, undefined, http2);
      } else this.#unknown(socket, head.length > 0 ? head : undefined, http2);
    };
    const decide = (): void => {
      const d = detectProtocol(head, this.#candidates);
      if (d.kind === 'match') finish(d.protocol);
      else if (d.kind === 'unknown') finish(undefined, d.http2);
      else if (head.length >= MAX_SNIFF_BYTES) finish(undefined);
    };
    socket.on('data', onData);
    socket.once('end', onGone);
    socket.once('close', onGone);
    if (head.length > 0) decide();
    if (!done) socket.resume();
  }
}
