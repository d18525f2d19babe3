// Bug: an error reply (timeout, upstream reset) was built by patching the downstream id back
// into the request frame's own bytes. Those bytes may still sit in the upstream connection's
// write queue under the upstream id, so the upstream then received the request under the
// client's id (and could answer it into another request's slot). Replies are now built from a
// copy of the frame's leading bytes.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ProxyStatus } from '../../src/api/status.ts';
import { boltCodec } from '../../src/protocol/bolt/index.ts';
import { dubboCodec } from '../../src/protocol/dubbo/index.ts';
import { RpcServerConnection, type RpcServerStream } from '../../src/stream/xprotocol/server-connection.ts';
import { boltRequest, dubboRequest, splitFrames, type WireProtocol } from '../helpers/rpc-frames.ts';
import { within } from '../helpers/wait.ts';

const hooks = { countRead() {}, countWrite() {}, codecError() {}, heartbeat() {}, idleTimeout() {} };

async function pair(): Promise<{ client: net.Socket; server: net.Socket; close(): Promise<void> }> {
  const srv = net.createServer();
  const accepted = new Promise<net.Socket>((r) => srv.once('connection', r));
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const client = net.connect((srv.address() as net.AddressInfo).port, '127.0.0.1');
  const server = await accepted;
  return {
    client,
    server,
    close: () =>
      new Promise((r) => {
        client.destroy();
        server.destroy();
        srv.close(() => r());
      }),
  };
}

describe('RPC error replies never touch the request bytes sent upstream', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(() => close?.());

  it.each([
    ['bolt', boltRequest({ id: 0xabcdef, headers: { service: 's' } })],
    ['dubbo', dubboRequest(0xabcdef, 'org.test.S', 'm')],
  ] as const)('%s: the frame keeps the upstream id; the reply carries the downstream id', async (protocol, request) => {
    const p = await pair();
    close = p.close;
    const codec = protocol === 'bolt' ? boltCodec : dubboCodec;
    let stream: RpcServerStream | undefined;
    const conn = new RpcServerConnection(p.server, codec, { maxFrameSize: 1 << 20, idleTimeoutMs: 0, goAwayOnDrain: false }, (s) => (stream = s), hooks);
    conn.start(undefined);
    let received = Buffer.alloc(0);
    const reply = new Promise<void>((resolve) =>
      p.client.on('data', (d: Buffer) => {
        received = Buffer.concat([received, d]);
        if (splitFrames(protocol as WireProtocol, received).frames.length > 0) resolve();
      }),
    );
    p.client.write(request);
    await within('the request', 5_000, (async () => {
      while (stream === undefined) await new Promise((r) => setImmediate(r));
    })());
    // what the upstream side does: the same bytes now carry upstream id 7 (and may be queued)
    codec.setRequestId(stream!.frame, 7);
    const sentUpstream = Buffer.from(stream!.frame.raw);
    stream!.respondError(ProxyStatus.timeout, 'timeout');
    await within('the error reply', 5_000, reply);
    expect(stream!.frame.raw.equals(sentUpstream)).toBe(true);
    expect(stream!.frame.requestId).toBe(7);
    const [frame] = splitFrames(protocol as WireProtocol, received).frames;
    expect(frame!.id).toBe(0xabcdef);
  });
});
