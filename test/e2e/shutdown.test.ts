// SIGTERM / SIGINT: stop accepting, keep serving open connections until they close or the drain
// timeout cuts them, then exit 0.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectError, HeldConnection } from '../helpers/held-connection.ts';
import { tcpProxyConfig } from '../helpers/mosn-config.ts';
import { freePorts } from '../helpers/ports.ts';
import { CLI, ProxyProcess, ROOT } from '../helpers/proxy-process.ts';
import { patternBytes, sha256, startEchoServer, type EchoServer } from '../helpers/tcp-peers.ts';
import { within } from '../helpers/wait.ts';

let echo: EchoServer;
beforeAll(async () => {
  echo = await startEchoServer();
});
afterAll(async () => {
  await echo?.close();
});

async function startProxy(mode: 'handoff' | 'reuseport', args: string[] = []): Promise<{ proxy: ProxyProcess; port: number }> {
  const [port] = (await freePorts(1)) as [number];
  const proxy = await ProxyProcess.start(tcpProxyConfig({ listenPort: port, upstreamPorts: [echo.port] }), { workers: 2, acceptMode: mode, args });
  return { proxy, port };
}

const isDrainLine = (l: string): boolean => l.includes('"msg":"draining: no new connections; waiting for open ones"');

describe.each([
  ['SIGTERM', 'handoff'],
  ['SIGINT', 'handoff'],
  ['SIGTERM', 'reuseport'],
] as const)('%s (%s)', (signal, mode) => {
  it('keeps serving an open connection, refuses new ones, exits 0 when it closes', async () => {
    const { proxy, port } = await startProxy(mode);
    const conn = await HeldConnection.open(port);
    try {
      const before = patternBytes(100_000, 1);
      expect(sha256(await conn.echo(before))).toBe(sha256(before));

      proxy.child.kill(signal);
      await proxy.waitForLine(isDrainLine);
      // the listener is closed once the drain has begun
      await within('listener closed', 5_000, (async () => {
        for (let i = 0; i < 200; i++) {
          const code = await connectError(port).catch(() => 'connected');
          if (code === 'ECONNREFUSED') return;
        }
        throw new Error('listener still accepting');
      })());
      // the open connection still works both ways
      const after = patternBytes(300_000, 2);
      expect(sha256(await conn.echo(after))).toBe(sha256(after));
      expect(proxy.child.exitCode).toBeNull();

      await conn.close();
      const r = await within('exit after the last connection closed', 10_000, proxy.exited());
      expect(r).toMatchObject({ code: 0, signal: null });
      expect(r.stdout).toContain('"msg":"drain complete"');
    } finally {
      await conn.destroy();
      await proxy.stop('SIGKILL');
    }
  });
});

describe.each(['SIGTERM', 'SIGINT'] as const)('%s with --drain-time-s 1', (signal) => {
  it('cuts a connection that never closes and exits 0 in bounded time', async () => {
    const { proxy, port } = await startProxy('handoff', ['--drain-time-s', '1']);
    const conn = await HeldConnection.open(port);
    try {
      const payload = patternBytes(1000, 3);
      expect(sha256(await conn.echo(payload))).toBe(sha256(payload));
      const t0 = Date.now();
      proxy.child.kill(signal);
      const r = await within('exit after the drain timeout', 6_000, proxy.exited());
      expect(r).toMatchObject({ code: 0, signal: null });
      expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
      await within('client connection cut', 2_000, conn.closed);
      expect(r.stdout).toContain('"drainTimeoutMs":1000');
    } finally {
      await conn.destroy();
      await proxy.stop('SIGKILL');
    }
  });
});

describe('a second signal during the drain', () => {
  it('stops at once with exit code 1', async () => {
    const { proxy, port } = await startProxy('handoff');
    const conn = await HeldConnection.open(port);
    try {
      const payload = patternBytes(1000, 4);
      expect(sha256(await conn.echo(payload))).toBe(sha256(payload));
      proxy.child.kill('SIGTERM');
      await proxy.waitForLine(isDrainLine);
      proxy.child.kill('SIGTERM');
      const r = await within('exit after the second signal', 5_000, proxy.exited());
      expect(r).toMatchObject({ code: 1, signal: null });
      expect(r.stdout).toContain('"msg":"second signal during drain: stopping now"');
      await within('client connection cut', 2_000, conn.closed);
    } finally {
      await conn.destroy();
      await proxy.stop('SIGKILL');
    }
  });
});

describe('shutdown without connections', () => {
  it('exits 0 promptly', async () => {
    const { proxy } = await startProxy('handoff');
    const t0 = Date.now();
    const r = await proxy.stop('SIGTERM');
    expect(r.code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(5_000);
  });
});

// The two ways to run `mosn-ts` where the system Node (Debian's 20 here) is older than 24.20:
// - node_modules/.bin/mosn-ts (a shell script) execs the pinned Node: the command is the proxy;
// - `node scripts/mosn-ts.mjs` with the old Node starts the pinned Node as a child and passes
//   signals on.
// Either way a signal sent to the command drains the proxy once and leaves no process behind.
const SYSTEM_NODE = '/usr/bin/node';
function systemNodeIsOld(): boolean {
  if (!existsSync(SYSTEM_NODE)) return false;
  const [major, minor] = execFileSync(SYSTEM_NODE, ['-p', 'process.versions.node']).toString().trim().split('.').map(Number);
  return major! < 24 || (major === 24 && minor! < 20);
}
const BIN = join(ROOT, 'node_modules', '.bin', 'mosn-ts');
const SYSTEM_PATH = { PATH: `${dirname(SYSTEM_NODE)}:/bin` };

describe.runIf(systemNodeIsOld()).each([
  ['SIGTERM', 'node_modules/.bin/mosn-ts', [BIN]],
  ['SIGINT', 'node_modules/.bin/mosn-ts', [BIN]],
  ['SIGTERM', 'the system Node on scripts/mosn-ts.mjs', [SYSTEM_NODE, CLI]],
  ['SIGINT', 'the system Node on scripts/mosn-ts.mjs', [SYSTEM_NODE, CLI]],
] as const)('%s to %s', (signal, how, command) => {
  it('drains the proxy once and exits 0 with it', async () => {
    const [port] = (await freePorts(1)) as [number];
    const proxy = await ProxyProcess.start(tcpProxyConfig({ listenPort: port, upstreamPorts: [echo.port] }), {
      command: [...command],
      env: SYSTEM_PATH,
    });
    const started = await proxy.waitForLine((l) => l.includes('"msg":"mosn-ts started"'));
    const { pid: proxyPid, node } = JSON.parse(started) as { pid: number; node: string };
    try {
      expect(node).toMatch(/^v24\./);
      // the shell script execs: one process; the old Node's launcher is a second one
      if (how.startsWith('node_modules')) expect(proxyPid).toBe(proxy.pid);
      else expect(proxyPid).not.toBe(proxy.pid);
      const conn = await HeldConnection.open(port);
      const payload = patternBytes(1000, 5);
      expect(sha256(await conn.echo(payload))).toBe(sha256(payload));
      proxy.child.kill(signal);
      await proxy.waitForLine(isDrainLine);
      await conn.close();
      const r = await within('the command exits after the drain', 10_000, proxy.exited());
      expect(r).toMatchObject({ code: 0, signal: null });
      expect(r.stdout.split('\n').filter(isDrainLine)).toHaveLength(1);
      expect(r.stdout).not.toContain('second signal');
      expect(processAlive(proxyPid)).toBe(false);
    } finally {
      if (processAlive(proxyPid)) process.kill(proxyPid, 'SIGKILL');
      await proxy.stop('SIGKILL');
    }
  });
});

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
