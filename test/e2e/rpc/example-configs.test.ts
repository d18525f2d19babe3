// The RPC example configs in config/ load, and the sidecar pairs they describe work end to end
// with the demo apps in scripts/ (README "SOFARPC and Dubbo"): client -> egress mosn-ts ->
// ingress mosn-ts -> app. The fixed ports are used when free; otherwise temp copies are rewritten.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MetricWindow } from '../../helpers/metric-delta.ts';
import { freePort } from '../../helpers/ports.ts';
import { ProxyProcess, ROOT, runCli, writeConfig } from '../../helpers/proxy-process.ts';
import { within } from '../../helpers/wait.ts';

const CONFIGS = ['bolt-egress.json', 'bolt-ingress.json', 'dubbo-egress.json', 'dubbo-ingress.json', 'default.json'];

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * The pair's config files, with every fixed port that is busy here replaced by a free one;
 * returns the config paths and the port map (old -> used).
 */
async function pairConfigs(files: string[], ports: number[]): Promise<{ paths: string[]; port: (fixed: number) => number }> {
  const map = new Map<number, number>();
  for (const p of ports) map.set(p, (await portIsFree(p)) ? p : await freePort());
  const paths = files.map((f) => {
    const path = join(ROOT, 'config', f);
    const text = readFileSync(path, 'utf8');
    const rewritten = text.replace(/\b\d{4,5}\b/g, (n) => String(map.get(Number(n)) ?? n));
    return rewritten === text ? path : writeConfig(rewritten, f);
  });
  return { paths, port: (fixed) => map.get(fixed)! };
}

interface Child {
  proc: ChildProcess;
  output: string;
  exit: Promise<number | null>;
}

function run(script: string, args: string[]): Child {
  const proc = spawn(process.execPath, [join(ROOT, 'scripts', script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const child: Child = { proc, output: '', exit: new Promise((r) => proc.on('exit', (code) => r(code))) };
  proc.stdout!.on('data', (d: Buffer) => (child.output += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (child.output += d.toString()));
  return child;
}

async function waitForOutput(child: Child, text: string, ms = 20_000): Promise<void> {
  await within(`"${text}" from ${child.proc.spawnargs.join(' ')}`, ms, new Promise<void>((resolve, reject) => {
    const check = () => {
      if (child.output.includes(text)) resolve();
    };
    child.proc.stdout!.on('data', check);
    void child.exit.then((code) => reject(new Error(`exited ${code} before printing "${text}":\n${child.output}`)));
    check();
  }));
}

describe('RPC example configs', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it.each(CONFIGS)('mosn-ts validate accepts config/%s', async (name) => {
    const r = await runCli(['validate', '-c', join(ROOT, 'config', name)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(': ok (');
  });

  it('the example configs use admin and metrics ports that clash with nothing else in config/', () => {
    const ports = CONFIGS.flatMap((name) => {
      const doc = JSON.parse(readFileSync(join(ROOT, 'config', name), 'utf8')) as {
        admin?: { address: { socket_address: { port_value: number } } };
        metrics?: { sinks: Array<{ config: { port: number } }> };
        servers: Array<{ listeners: Array<{ address: string }> }>;
      };
      return [
        doc.admin!.address.socket_address.port_value,
        ...doc.metrics!.sinks.map((s) => s.config.port),
        ...doc.servers[0]!.listeners.map((l) => Number(l.address.split(':')[1])),
      ];
    });
    expect(new Set(ports).size).toBe(ports.length);
  });

  // Each sidecar pair with the demo peers of README: ports are the configs' own, moved to free ones.
  it.each([
    {
      protocol: 'bolt',
      ports: [12200, 12220, 12221, 34911, 34912, 34913, 34914],
      app: 12200,
      egress: 12220,
      ingressMetrics: 34914,
      greeting: 'hello mosn-ts, from the bolt app on port',
    },
    {
      protocol: 'dubbo',
      ports: [20880, 20881, 20882, 34921, 34922, 34923, 34924],
      app: 20880,
      egress: 20882,
      ingressMetrics: 34924,
      greeting: 'greetings mosn-ts, from the dubbo app on port',
    },
  ])('$protocol: demo client -> config/$protocol-egress.json -> config/$protocol-ingress.json -> demo server', async (c) => {
    const { paths, port } = await pairConfigs([`${c.protocol}-ingress.json`, `${c.protocol}-egress.json`], c.ports);
    const server = run(`demo-${c.protocol}-server.ts`, [String(port(c.app))]);
    cleanups.push(async () => {
      server.proc.kill('SIGTERM');
      await server.exit;
    });
    await waitForOutput(server, 'listening');
    const ingress = await ProxyProcess.start(paths[0]!);
    cleanups.push(() => ingress.stop());
    const egress = await ProxyProcess.start(paths[1]!);
    cleanups.push(() => egress.stop());
    const window = await MetricWindow.open(port(c.ingressMetrics));
    const client = run(`demo-${c.protocol}-client.ts`, [`127.0.0.1:${port(c.egress)}`]);
    expect(await within(`the ${c.protocol} demo client`, 30_000, client.exit)).toBe(0);
    expect(client.output).toContain(`${c.greeting} ${port(c.app)}`);
    expect(client.output).toContain('ok: 100 concurrent calls answered correctly');
    await window.close();
    expect(window.delta('upstream_request_total', { cluster: `${c.protocol}_app`, host: `127.0.0.1:${port(c.app)}` })).toBe(101);
    expect(window.delta('downstream_request_total', { listener: `ingress_${c.protocol}` })).toBe(101);
  });
});
