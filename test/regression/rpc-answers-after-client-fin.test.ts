// Bug: when a Bolt/Dubbo client half-closed its connection after sending requests, the proxy
// ended its side at once and the answers still in flight were lost. The connection now stays
// open for writing until every request read before the FIN has been answered.
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import type { RpcFrame } from '../../src/api/rpc-codec.ts';
import { boltCodec } from '../../src/protocol/bolt/index.ts';
import { RpcServerConnection, type RpcServerStream } from '../../src/stream/xprotocol/server-connection.ts';
import { boltRequest, boltResponse, splitFrames } from '../helpers/rpc-frames.ts';
import { within } from '../helpers/wait.ts';

const hooks = { countRead() {}, countWrite() {}, codecError() {}, heartbeat() {}, idleTimeout() {} };

describe('an RPC client that sends FIN after its requests', () => {
  it('still gets every answer, then the connection ends', async () => {
    const streams: RpcServerStream[] = [];
    const srv = net.createServer({ allowHalfOpen: true }, (socket) => {
      const conn = new RpcServerConnection(socket, boltCodec, { maxFrameSize: 1 << 20, idleTimeoutMs: 0, goAwayOnDrain: false }, (s) => {
        streams.push(s);
        // answered later, as an upstream would, after the FIN has arrived
        if (streams.length === 2) {
          setTimeout(() => {
            for (const st of streams) {
              st.respond(decodeOne(boltResponse(st.downstreamId + 1000, Buffer.from('ok'))));
            }
          }, 50);
        }
      }, hooks);
      conn.start(undefined);
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const client = net.connect({ port: (srv.address() as net.AddressInfo).port, host: '127.0.0.1', allowHalfOpen: true });
    let received = Buffer.alloc(0);
    client.on('data', (d: Buffer) => (received = Buffer.concat([received, d])));
    const ended = new Promise<void>((r) => client.on('end', () => r()));
    client.end(Buffer.concat([boltRequest({ id: 1, headers: { service: 's' } }), boltRequest({ id: 2, headers: { service: 's' } })]));
    try {
      await within('the proxy side ends after answering', 5_000, ended);
      expect(splitFrames('bolt', received).frames.map((f) => [f.id, f.status])).toEqual([
        [1, 0],
        [2, 0],
      ]);
    } finally {
      client.destroy();
      await new Promise<void>((r) => srv.close(() => r()));
    }
  });
});

/** A response as the upstream side hands it over (its id is then rewritten to the client's). */
function decodeOne(bytes: Buffer): RpcFrame {
  const frames: RpcFrame[] = [];
  boltCodec.newDecoder({ maxFrameSize: 1 << 20 }).feed(bytes, (f) => frames.push(f));
  return frames[0]!;
}
