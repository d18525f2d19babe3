// Graceful stop with RPC clients connected: with extend_config.bolt.enable_bolt_goaway the proxy
// tells Bolt clients with a GoAway frame (cmdcode 100); requests in flight are still answered;
// every connection is closed once it has nothing left to answer; the process exits cleanly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts } from '../../helpers/ports.ts';
import { ProxyProcess } from '../../helpers/proxy-process.ts';
import { anyServiceRoute, rpcConfig } from '../../helpers/rpc-config.ts';
import { boltRequest } from '../../helpers/rpc-frames.ts';
import { RawRpcClient, RawRpcUpstream } from '../../helpers/rpc-wire.ts';

describe('SIGTERM drain of RPC connections', () => {
  let upstream: RawRpcUpstream;
  let proxy: ProxyProcess;
  let goawayPort: number;
  let plainPort: number;

  beforeAll(async () => {
    upstream = await RawRpcUpstream.start('bolt');
    upstream.decide = (r) => (r.frame.cmdCode === 1 ? 'hold' : 'answer');
    [goawayPort, plainPort] = (await freePorts(2)) as [number, number];
    proxy = await ProxyProcess.start(
      rpcConfig({
        listeners: [
          { name: 'with_goaway', port: goawayPort, protocol: 'bolt', routes: [anyServiceRoute('up')], extendConfig: { bolt: { enable_bolt_goaway: true } } },
          { name: 'without_goaway', port: plainPort, protocol: 'bolt', routes: [anyServiceRoute('up')] },
        ],
        clusters: [{ name: 'up', ports: [upstream.port] }],
      }),
      { env: { MOSN_DRAIN_TIME_S: '20' } },
    );
  });

  afterAll(async () => {
    await proxy?.stop('SIGKILL');
    await upstream?.close();
  });

  it('sends GoAway where enabled, answers what is in flight, then closes and exits', async () => {
    const busy = await RawRpcClient.connect(goawayPort, 'bolt');
    const idle = await RawRpcClient.connect(goawayPort, 'bolt');
    const plain = await RawRpcClient.connect(plainPort, 'bolt');
    await busy.write(boltRequest({ id: 9, headers: { service: 's' }, timeout: -1 }));
    const [held] = await upstream.waitRequests(1);
    proxy.child.kill('SIGTERM');
    // GoAway: a request-type frame with cmdcode 100 on each connection of the GoAway listener
    const [goAway] = await busy.waitFrames(1);
    expect([goAway!.type, goAway!.cmdCode]).toEqual([1, 100]);
    const [idleGoAway] = await idle.waitFrames(1);
    expect(idleGoAway!.cmdCode).toBe(100);
    await idle.waitClosed();
    // no GoAway on the other listener: it is just closed, having nothing in flight
    await plain.waitClosed();
    expect(plain.received.length).toBe(0);
    // the request in flight is still answered, then that connection closes too
    expect(busy.isClosed).toBe(false);
    upstream.answer(held!);
    const [, answer] = await busy.waitFrames(2);
    expect([answer!.id, answer!.status]).toEqual([9, 0]);
    await busy.waitClosed();
    const exit = await proxy.exited();
    expect(exit.code).toBe(0);
  });
});
