import { describe, expect, it } from 'vitest';
import type { TcpProxyConfig } from '../../../../../src/filters/network/tcp-proxy/config.ts';
import { configErrorOf, F0, minimalDoc, parseDoc } from '../../../config/parse-doc.ts';

function withTcpProxy(config: Record<string, unknown>, clusters = ['c1']): ReturnType<typeof minimalDoc> {
  const doc = minimalDoc();
  doc.cluster_manager.clusters = clusters.map((name, i) => ({ name, hosts: [{ address: `127.0.0.1:${9000 + i}` }] }));
  (doc.servers[0]!.listeners[0]!['filter_chains'] as Array<{ filters: Array<Record<string, unknown>> }>)[0]!.filters[0]!['config'] = config;
  return doc;
}

function parsed(config: Record<string, unknown>, clusters?: string[]): TcpProxyConfig {
  return parseDoc(withTcpProxy(config, clusters)).snapshot.listeners[0]!.networkFilters[0]!.config as TcpProxyConfig;
}

describe('tcp_proxy config', () => {
  it('defaults: MOSN idle timeout 90s, one connect attempt', () => {
    expect(parsed({ cluster: 'c1' })).toEqual({ statPrefix: '', cluster: 'c1', idleTimeoutMs: 90_000, maxConnectAttempts: 1, routes: [] });
  });

  it('idle_timeout as Go nanoseconds (MOSN) or as a duration string', () => {
    expect(parsed({ cluster: 'c1', idle_timeout: 1_500_000_000 }).idleTimeoutMs).toBe(1500);
    expect(parsed({ cluster: 'c1', idle_timeout: '1s' }).idleTimeoutMs).toBe(1000);
    expect(parsed({ cluster: 'c1', idle_timeout: 0 }).idleTimeoutMs).toBe(90_000);
  });

  it('routes with MOSN CamelCase keys (any case), CIDRs and port ranges', () => {
    const cfg = parsed(
      {
        routes: [
          { cluster: 'c1', SourceAddrs: [{ Address: '10.0.0.0', Length: 8 }], DestinationPort: '80,8000-8080' },
          { Cluster: 'c2', destinationaddrs: [{ address: '::1' }], sourceport: '1-65535' },
        ],
      },
      ['c1', 'c2'],
    );
    expect(cfg.cluster).toBeUndefined();
    expect(cfg.routes).toEqual([
      { cluster: 'c1', sourceAddrs: [{ address: '10.0.0.0', prefix: 8, family: 'ipv4' }], destinationAddrs: [], sourcePorts: [], destinationPorts: [{ min: 80, max: 80 }, { min: 8000, max: 8080 }] },
      { cluster: 'c2', sourceAddrs: [], destinationAddrs: [{ address: '::1', prefix: 128, family: 'ipv6' }], sourcePorts: [{ min: 1, max: 65535 }], destinationPorts: [] },
    ]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['no cluster and no routes', {}, `${F0}.config: needs \`cluster\` or at least one route`],
    ['unknown cluster', { cluster: 'ghost' }, `${F0}.config.cluster: unknown cluster "ghost" (defined: c1)`],
    ['unknown route cluster', { routes: [{ cluster: 'ghost' }] }, `${F0}.config.routes[0].cluster: unknown cluster "ghost" (defined: c1)`],
    ['route without cluster', { routes: [{ SourcePort: '80' }] }, `${F0}.config.routes[0].Cluster: is required`],
    ['bad CIDR address', { routes: [{ cluster: 'c1', SourceAddrs: [{ Address: '10.0.0' }] }] }, `${F0}.config.routes[0].SourceAddrs[0].Address: expected an IP address, got "10.0.0"`],
    ['CIDR too long', { routes: [{ cluster: 'c1', DestinationAddrs: [{ Address: '10.0.0.0', Length: 33 }] }] }, `${F0}.config.routes[0].DestinationAddrs[0].Length: must be <= 32, got 33`],
    ['bad port range', { routes: [{ cluster: 'c1', SourcePort: '90-80' }] }, `${F0}.config.routes[0].SourcePort: invalid port range "90-80" (use "80,8000-8080")`],
    ['port too big', { routes: [{ cluster: 'c1', DestinationPort: '70000' }] }, `${F0}.config.routes[0].DestinationPort: invalid port range "70000" (use "80,8000-8080")`],
    ['route key typo', { routes: [{ cluster: 'c1', SrcAddrs: [] }] }, `${F0}.config.routes[0].SrcAddrs: unknown key`],
    ['negative idle', { cluster: 'c1', idle_timeout: -5 }, `${F0}.config.idle_timeout: expected nanoseconds (integer) or a duration string such as "90s"`],
    ['bad idle string', { cluster: 'c1', idle_timeout: 'soon' }, `${F0}.config.idle_timeout: invalid duration "soon" (use Go syntax: "10s", "1m30s", "250ms")`],
    ['attempts', { cluster: 'c1', max_connect_attempts: 1000 }, `${F0}.config.max_connect_attempts: must be <= 100, got 1000`],
    ['config key typo', { cluster: 'c1', stat_prefx: 'x' }, `${F0}.config.stat_prefx: unknown key`],
  ])('%s', (_name, config, message) => {
    expect(configErrorOf(withTcpProxy(config))).toBe(message);
  });
});
