// Bug: on an Auto listener with fallback_for_unknown_protocol, a client that sent unknown bytes
// and its FIN together never got the FIN passed on: the sniffer's read of those bytes made Node
// emit 'end' on the next tick, before tcp_proxy (which attaches its listeners only once the
// upstream connects) was listening. The sniffer now puts the bytes back into the socket.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { RpcCodec } from '../../src/api/rpc-codec.ts';
import { ProtocolSniffer } from '../../src/filters/network/proxy/protocol-sniffer.ts';
import { boltCodec } from '../../src/protocol/bolt/index.ts';
import { within } from '../helpers/wait.ts';

describe('protocol sniffer hands over unknown bytes with the FIN that followed them', () => {
  let server: net.Server | undefined;
  const accepted: net.Socket[] = [];
  afterEach(() => {
    for (const s of accepted.splice(0)) s.destroy();
    return new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  });

  it('a next filter that starts listening a little later still reads the bytes and the end', async () => {
    const codecs = new Map<string, RpcCodec>([['bolt', boltCodec]]);
    const seen = new Promise<{ bytes: Buffer; ended: boolean }>((resolve) => {
      const sniffer = new ProtocolSniffer(['Http1', 'bolt'], codecs, () => resolve({ bytes: Buffer.alloc(0), ended: false }), (socket, head) => {
        // like tcp_proxy: nothing listens until the upstream has connected
        setTimeout(() => {
          const chunks: Buffer[] = head ? [head] : [];
          socket.on('data', (d: Buffer) => chunks.push(d));
          socket.on('end', () => resolve({ bytes: Buffer.concat(chunks), ended: true }));
          socket.resume();
        }, 20);
      });
      server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, (s) => {
        accepted.push(s);
        sniffer.sniff(s, undefined);
      });
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const client = net.connect({ port: (server!.address() as net.AddressInfo).port, host: '127.0.0.1', allowHalfOpen: true }, () =>
      client.end(Buffer.from([0x00, 0x2a])),
    );
    try {
      const got = await within('the next filter sees the end', 5_000, seen);
      expect(got.bytes).toEqual(Buffer.from([0x00, 0x2a]));
      expect(got.ended).toBe(true);
    } finally {
      client.destroy();
    }
  });
});
