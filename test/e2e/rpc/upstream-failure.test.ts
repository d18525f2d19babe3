// What a client sees when the upstream side fails: an upstream killed with requests in flight,
// frame and route timeouts, no route / no healthy host, the max_requests circuit breaker across
// two workers, and an upstream GoAway. Every failure is answered in the protocol's own format.
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MetricWindow } from '../../helpers/metric-delta.ts';
import { freePort, freePorts } from '../../helpers/ports.ts';
import { ProxyProcess } from '../../helpers/proxy-process.ts';
import { rpcConfig } from '../../helpers/rpc-config.ts';
import { boltGoAway, boltRequest, dubboRequest } from '../../helpers/rpc-frames.ts';
import { RawRpcClient, RawRpcUpstream } from '../../helpers/rpc-wire.ts';

const BOLT_NO_PROCESSOR = 6;
const BOLT_TIMEOUT = 7;
const BOLT_THREADPOOL_BUSY = 4;
const DUBBO_SERVICE_NOT_FOUND = 60;

const req = (id: number, service: string, timeout?: number) =>
  boltRequest({ id, headers: { service }, ...(timeout !== undefined ? { timeout } : {}) });

function socketClosed(s: Socket): Promise<void> {
  return s.closed ? Promise.resolve() : new Promise((r) => s.once('close', () => r()));
}

describe('upstream failures answered in the protocol', () => {
  let dying: RawRpcUpstream;
  let healthy: RawRpcUpstream;
  let silent: RawRpcUpstream;
  let goaway: RawRpcUpstream;
  let dubboSilent: RawRpcUpstream;
  let proxy: ProxyProcess;
  let boltPort: number;
  let dubboPort: number;
  let metricsPort: number;

  beforeAll(async () => {
    dying = await RawRpcUpstream.start('bolt');
    dying.decide = () => 'hold';
    healthy = await RawRpcUpstream.start('bolt');
    silent = await RawRpcUpstream.start('bolt');
    silent.decide = (r) => (r.frame.cmdCode === 1 ? 'hold' : 'answer');
    goaway = await RawRpcUpstream.start('bolt');
    dubboSilent = await RawRpcUpstream.start('dubbo');
    dubboSilent.decide = () => 'hold';
    const deadPort = await freePort(); // nothing listens here
    [boltPort, dubboPort, metricsPort] = (await freePorts(3)) as [number, number, number];
    const svc = (name: string, cluster: string, timeout?: string) => ({ headers: [{ name: 'service', value: name }], cluster, ...(timeout ? { timeout } : {}) });
    proxy = await ProxyProcess.start(
      rpcConfig({
        listeners: [
          {
            name: 'fail_bolt',
            port: boltPort,
            protocol: 'bolt',
            routes: [
              svc('dying', 'dying'),
              svc('healthy', 'healthy'),
              svc('silent', 'silent'),
              svc('slow.route', 'silent', '300ms'),
              svc('limited', 'limited'),
              svc('goaway', 'goaway'),
              svc('empty', 'empty'),
              svc('dead', 'dead'),
            ],
          },
          {
            name: 'fail_dubbo',
            port: dubboPort,
            protocol: 'dubbo',
            routes: [svc('org.test.Empty', 'empty'), svc('org.test.Dead', 'dead'), svc('org.test.Slow', 'dubbo_silent', '250ms')],
          },
        ],
        clusters: [
          { name: 'dying', ports: [dying.port] },
          { name: 'healthy', ports: [healthy.port] },
          { name: 'silent', ports: [silent.port] },
          { name: 'limited', ports: [silent.port], maxRequests: 2 },
          { name: 'goaway', ports: [goaway.port] },
          { name: 'empty', ports: [] },
          { name: 'dead', ports: [deadPort] },
          { name: 'dubbo_silent', ports: [dubboSilent.port] },
        ],
        metricsPort,
      }),
      { workers: 2 },
    );
  });

  afterAll(async () => {
    await proxy?.stop();
    await Promise.all([dying, healthy, silent, goaway, dubboSilent].map((u) => u?.close()));
  });

  it('an upstream killed mid-flight fails exactly its in-flight requests; other traffic goes on', async () => {
    const a = await RawRpcClient.connect(boltPort, 'bolt');
    const b = await RawRpcClient.connect(boltPort, 'bolt');
    try {
      const ids = Array.from({ length: 10 }, (_, i) => 100 + i);
      await a.write(Buffer.concat(ids.map((id) => req(id, 'dying'))));
      await dying.waitRequests(ids.length);
      await b.write(req(1, 'healthy'));
      expect((await b.waitFrames(1))[0]!.status).toBe(0);
      await dying.close();
      const errors = await a.waitFrames(ids.length);
      expect(errors.map((f) => f.id).sort((x, y) => x - y)).toEqual(ids);
      expect(errors.every((f) => f.type === 0 && f.cmdCode === 2 && f.status === BOLT_NO_PROCESSOR)).toBe(true);
      // both connections still carry requests, and nothing else arrived on `a` before this answer
      await a.write(req(500, 'healthy'));
      await b.write(req(2, 'healthy'));
      const [next] = (await a.waitFrames(ids.length + 1)).slice(ids.length);
      expect([next!.id, next!.status]).toEqual([500, 0]);
      expect((await b.waitFrames(2))[1]!.status).toBe(0);
      expect(a.frames).toHaveLength(ids.length + 1);
    } finally {
      a.destroy();
      b.destroy();
    }
  });

  it('answers with a Bolt timeout (status 7) when the frame timeout passes', async () => {
    const c = await RawRpcClient.connect(boltPort, 'bolt');
    try {
      const t0 = performance.now();
      await c.write(req(42, 'silent', 200));
      const [reply] = await c.waitFrames(1, 5_000);
      const elapsed = performance.now() - t0;
      expect([reply!.id, reply!.status]).toEqual([42, BOLT_TIMEOUT]);
      expect(elapsed).toBeGreaterThanOrEqual(190);
      expect(elapsed).toBeLessThan(2_000);
    } finally {
      c.destroy();
    }
  });

  it('uses the route timeout when the frame says 0, and none when it says -1', async () => {
    const c = await RawRpcClient.connect(boltPort, 'bolt');
    try {
      const before = silent.requests().length;
      const t0 = performance.now();
      await c.write(Buffer.concat([req(1, 'slow.route', 0), req(2, 'slow.route', -1)]));
      const [first] = await c.waitFrames(1, 5_000);
      const elapsed = performance.now() - t0;
      expect([first!.id, first!.status]).toEqual([1, BOLT_TIMEOUT]);
      expect(elapsed).toBeGreaterThanOrEqual(290);
      expect(elapsed).toBeLessThan(2_500);
      // the -1 request is still waiting: answer it from the upstream now
      const held = (await silent.waitRequests(before + 2)).slice(before);
      const noTimeout = held.find((r) => r.frame.timeout === -1)!;
      silent.answer(noTimeout);
      const [, second] = await c.waitFrames(2);
      expect([second!.id, second!.status]).toEqual([2, 0]);
    } finally {
      c.destroy();
    }
  });

  it('Dubbo: the route timeout gives status 30, no route / no host give status 60', async () => {
    const c = await RawRpcClient.connect(dubboPort, 'dubbo');
    try {
      await c.write(Buffer.concat([dubboRequest(1, 'org.test.Nowhere', 'm'), dubboRequest(2, 'org.test.Empty', 'm'), dubboRequest(3, 'org.test.Dead', 'm')]));
      const first = await c.waitFrames(3, 15_000);
      const byId = new Map(first.map((f) => [f.id, f]));
      expect(byId.get(1)!.status).toBe(DUBBO_SERVICE_NOT_FOUND);
      expect(byId.get(1)!.raw.subarray(16).toString('latin1')).toContain('404|router unavailable');
      expect(byId.get(2)!.status).toBe(DUBBO_SERVICE_NOT_FOUND);
      expect(byId.get(3)!.status).toBe(DUBBO_SERVICE_NOT_FOUND);
      expect(first.every((f) => f.type === 0x02)).toBe(true);
      await c.write(dubboRequest(4, 'org.test.Slow', 'm'));
      const [, , , timeout] = await c.waitFrames(4, 5_000);
      expect([timeout!.id, timeout!.status]).toEqual([4, 30]);
    } finally {
      c.destroy();
    }
  });

  it('Bolt: no route, an empty cluster and an unreachable host all give status 6', async () => {
    const window = await MetricWindow.open(metricsPort);
    const c = await RawRpcClient.connect(boltPort, 'bolt');
    try {
      await c.write(Buffer.concat([req(1, 'nowhere'), req(2, 'empty'), req(3, 'dead')]));
      const frames = await c.waitFrames(3, 15_000);
      expect(frames.map((f) => [f.id, f.status]).sort((x, y) => x[0]! - y[0]!)).toEqual([
        [1, BOLT_NO_PROCESSOR],
        [2, BOLT_NO_PROCESSOR],
        [3, BOLT_NO_PROCESSOR],
      ]);
      await window.close();
      expect(window.delta('downstream_request_failed_total', { listener: 'fail_bolt' })).toBe(3);
    } finally {
      c.destroy();
    }
  });

  it('max_requests overflows with Bolt status 4, counted across both workers', async () => {
    const window = await MetricWindow.open(metricsPort);
    // two connections at once: the handoff accept loop gives them to different workers
    const a = await RawRpcClient.connect(boltPort, 'bolt');
    const b = await RawRpcClient.connect(boltPort, 'bolt');
    try {
      const before = silent.requests().length;
      await a.write(req(1, 'limited', -1));
      await b.write(req(1, 'limited', -1));
      const held = (await silent.waitRequests(before + 2)).slice(before);
      await a.write(req(2, 'limited', -1));
      const [overflow] = await a.waitFrames(1);
      expect([overflow!.id, overflow!.status]).toEqual([2, BOLT_THREADPOOL_BUSY]);
      // releasing the held requests frees the slots
      for (const r of held) silent.answer(r);
      await b.waitFrames(1);
      await a.waitFrames(2);
      await a.write(req(3, 'limited', 200));
      const [, , third] = await a.waitFrames(3);
      // admitted this time: the silent upstream holds it, so the frame timeout answers
      expect([third!.id, third!.status]).toEqual([3, BOLT_TIMEOUT]);
      await window.close();
      expect(window.delta('upstream_request_pending_overflow_total', { cluster: 'limited' })).toBe(1);
    } finally {
      a.destroy();
      b.destroy();
    }
  });

  it('a request that times out while still queued towards a slow upstream reaches it with its upstream id', async () => {
    const slow = await RawRpcUpstream.start('bolt');
    slow.holdReads = true;
    slow.decide = () => 'hold';
    const slowPort = await freePort();
    const p = await ProxyProcess.start(
      rpcConfig({
        listeners: [{ name: 'slow_in', port: slowPort, protocol: 'bolt', routes: [{ headers: [{ name: 'service', value: '.*' }], cluster: 'slow' }] }],
        clusters: [{ name: 'slow', ports: [slow.port] }],
      }),
    );
    const c = await RawRpcClient.connect(slowPort, 'bolt');
    try {
      // 12 MiB that the upstream does not read fill the kernel buffers; the small request behind
      // them waits in the proxy's write queue when its 200 ms run out
      const filler = boltRequest({ id: 1, headers: { service: 's' }, content: Buffer.alloc(12 << 20, 1), timeout: -1 });
      const small = boltRequest({ id: 0xabcdef, headers: { service: 's' }, timeout: 200 });
      await c.write(Buffer.concat([filler, small]));
      const [timedOut] = await c.waitFrames(1, 5_000);
      expect([timedOut!.id, timedOut!.status]).toEqual([0xabcdef, BOLT_TIMEOUT]);
      slow.resumeReads();
      const got = await slow.waitRequests(2, 15_000);
      // the proxy numbers requests per upstream connection: 1 and 2, never the client's id
      expect(got.map((r) => r.frame.id)).toEqual([1, 2]);
    } finally {
      // the filler has no timeout: close the upstream first so the proxy has nothing left to drain
      c.destroy();
      await slow.close();
      await p.stop();
    }
  });

  it('after an upstream GoAway, new requests use a new connection and in-flight ones are still answered', async () => {
    goaway.decide = () => 'hold';
    const c = await RawRpcClient.connect(boltPort, 'bolt');
    try {
      await c.write(Buffer.concat([req(1, 'goaway'), req(2, 'goaway')]));
      const inFlight = await goaway.waitRequests(2);
      const first = inFlight[0]!.socket;
      expect(inFlight.every((r) => r.connection === 1)).toBe(true);
      first.write(boltGoAway());
      // the GoAway (upstream socket) and the next request (client socket) race inside the proxy:
      // requests that still land on connection 1 predate the GoAway and are answered normally
      goaway.decide = () => 'answer';
      let id = 3;
      let landed = 1;
      for (; id < 50 && landed === 1; id++) {
        await c.write(req(id, 'goaway'));
        landed = (await goaway.waitRequests(id))[id - 1]!.connection;
        await c.waitFrames(id - 2);
      }
      expect(landed).toBe(2);
      expect(c.frames.every((f) => f.status === 0 && f.id >= 3)).toBe(true);
      const answeredBefore = c.frames.length;
      // the old connection's requests are still answered over it, then the proxy closes it
      for (const r of inFlight) goaway.answer(r);
      const frames = await c.waitFrames(answeredBefore + 2);
      expect(frames.slice(answeredBefore).map((f) => [f.id, f.status]).sort()).toEqual([
        [1, 0],
        [2, 0],
      ]);
      await socketClosed(first);
      expect(goaway.requests().filter((r) => r.connection === 1)).toHaveLength(2);
    } finally {
      c.destroy();
    }
  });
});
