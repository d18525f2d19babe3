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

  it('Bolt: demo client -> config/bolt-egress.json -> config/bolt-ingress.json -> demo server', async () => {
    const { paths, port } = await pairConfigs(['bolt-ingress.json', 'bolt-egress.json'], [12200, 12220, 12221, 34911, 34912, 34913, 34914]);
    const server = run('demo-bolt-server.ts', [String(port(12200))]);
    cleanups.push(async () => {
      server.proc.kill('SIGTERM');
      await server.exit;
    });
    await waitForOutput(server, 'listening');
    const ingress = await ProxyProcess.start(paths[0]!);
    cleanups.push(() => ingress.stop());
    const egress = await ProxyProcess.start(paths[1]!);
    cleanups.push(() => egress.stop());
    const window = await MetricWindow.open(port(34914));
    const client = run('demo-bolt-client.ts', [`127.0.0.1:${port(12220)}`]);
    expect(await within('the bolt demo client', 30_000, client.exit)).toBe(0);
    expect(client.output).toContain(`hello mosn-ts, from the bolt app on port ${port(12200)}`);
    expect(client.output).toContain('ok: 100 concurrent calls answered correctly');
    await window.close();
    expect(window.delta('upstream_request_total', { cluster: 'bolt_app', host: `127.0.0.1:${port(12200)}` })).toBe(101);
    expect(window.delta('downstream_request_total', { listener: 'ingress_bolt' })).toBe(101);
  });

  it('Dubbo: demo client -> config/dubbo-egress.json -> config/dubbo-ingress.json -> demo server', async () => {
    const { paths, port } = await pairConfigs(['dubbo-ingress.json', 'dubbo-egress.json'], [20880, 20881, 20882, 34921, 34922, 34923, 34924]);
    const server = run('demo-dubbo-server.ts', [String(port(20880))]);
    cleanups.push(async () => {
      server.proc.kill('SIGTERM');
      await server.exit;
    });
    await waitForOutput(server, 'listening');
    const ingress = await ProxyProcess.start(paths[0]!);
    cleanups.push(() => ingress.stop());
    const egress = await ProxyProcess.start(paths[1]!);
    cleanups.push(() => egress.stop());
    const window = await MetricWindow.open(port(34924));
    const client = run('demo-dubbo-client.ts', [`127.0.0.1:${port(20882)}`]);
    expect(await within('the dubbo demo client', 30_000, client.exit)).toBe(0);
    expect(client.output).toContain(`greetings mosn-ts, from the dubbo app on port ${port(20880)}`);
    expect(client.output).toContain('ok: 100 concurrent calls answered correctly');
    await window.close();
    expect(window.delta('upstream_request_total', { cluster: 'dubbo_app', host: `127.0.0.1:${port(20880)}` })).toBe(101);
  });
});
