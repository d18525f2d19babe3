// Bug: on an Auto listener with fallback_for_unknown_protocol, a client that sent a partial
// protocol prefix ("GE", which could still become "GET ") and then its FIN hung until the idle
// timeout: the FIN had been delivered while the sniffer waited for more bytes, before tcp_proxy's
// SocketPipe existed, so it was never passed on. SocketPipe now ends the other side at once when
// the FIN came before it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts } from '../helpers/ports.ts';
import { ProxyProcess } from '../helpers/proxy-process.ts';
import { rpcConfig } from '../helpers/rpc-config.ts';
import { echoRoundTrip, startEchoServer, type EchoServer } from '../helpers/tcp-peers.ts';

describe('fallback to tcp_proxy after a partial protocol prefix and FIN', () => {
  let echo: EchoServer;
  let proxy: ProxyProcess;
  let port: number;

  beforeAll(async () => {
    echo = await startEchoServer();
    [port] = (await freePorts(1)) as [number];
    proxy = await ProxyProcess.start(
      rpcConfig({
        listeners: [
          {
            name: 'fallback_in',
            port,
            protocol: 'Auto',
            routes: [{ prefix: '/', headers: [], cluster: 'echo' }],
            fallbackForUnknownProtocol: true,
            tcpProxyCluster: 'echo',
          },
        ],
        clusters: [{ name: 'echo', ports: [echo.port] }],
      }),
    );
  });

  afterAll(async () => {
    await proxy?.stop();
    await echo?.close();
  });

  it('the bytes reach the upstream and its FIN closes the exchange well before any idle timeout', async () => {
    const got = await echoRoundTrip(port, Buffer.from('GE'), 5_000);
    expect(got.bytes).toBe(2);
    expect(echo.connections).toBe(1);
  });
});
