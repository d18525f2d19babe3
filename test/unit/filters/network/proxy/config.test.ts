// The `proxy` filter's config as MOSN writes it: protocol lists, the legacy X + sub_protocol
// form, the deprecated un-keyed extend_config, and the connection_manager filter that declares
// its router inline.
import { describe, expect, it } from 'vitest';
import type { ProxyFilterConfig } from '../../../../../src/filters/network/proxy/config.ts';
import { cluster, configErrorOf, parseDoc } from '../../../config/parse-doc.ts';

function docWith(proxy: Record<string, unknown>, extraFilters: unknown[] = []): Record<string, unknown> {
  return {
    servers: [
      {
        routers: [{ router_config_name: 'r', virtual_hosts: [{ name: 'v', domains: ['*'], routers: [{ match: { prefix: '/' }, route: { cluster_name: 'c1' } }] }] }],
        listeners: [
          { name: 'l', address: '127.0.0.1:2045', filter_chains: [{ filters: [{ type: 'proxy', config: { router_config_name: 'r', ...proxy } }, ...extraFilters] }] },
        ],
      },
    ],
    cluster_manager: { clusters: [cluster('c1')] },
  };
}

function proxyConfigOf(doc: unknown): ProxyFilterConfig {
  return parseDoc(doc).snapshot.listeners[0]!.networkFilters[0]!.config as ProxyFilterConfig;
}

describe('proxy filter config', () => {
  it('Auto means every implemented protocol; a CSV list limits detection', () => {
    expect(proxyConfigOf(docWith({ downstream_protocol: 'Auto' })).protocols).toEqual(['Http1', 'bolt', 'boltv2', 'dubbo']);
    expect(proxyConfigOf(docWith({ downstream_protocol: 'bolt,dubbo' })).protocols).toEqual(['bolt', 'dubbo']);
  });

  it('takes the legacy "X" + extend_config.sub_protocol form', () => {
    expect(proxyConfigOf(docWith({ downstream_protocol: 'X', extend_config: { sub_protocol: 'bolt' } })).protocols).toEqual(['bolt']);
  });

  it('names unsupported and unknown protocols with the JSON path', () => {
    const f = 'servers[0].listeners[0].filter_chains[0].filters[0].config';
    expect(configErrorOf(docWith({ downstream_protocol: 'Http2' }))).toBe(`${f}.downstream_protocol: protocol "Http2" is not supported by mosn-ts yet`);
    expect(configErrorOf(docWith({ downstream_protocol: 'Http1,carrier-pigeon' }))).toMatch(
      new RegExp(`^${f.replace(/[[\].]/g, '\\$&')}\\.downstream_protocol: unknown protocol "carrier-pigeon"`),
    );
  });

  it('reads MOSN\'s deprecated un-keyed extend_config for a single-protocol listener', () => {
    const http = proxyConfigOf(docWith({ downstream_protocol: 'Http1', extend_config: { max_header_size: 8192, max_request_body_size: 4096 } })).http;
    expect(http.limits.maxHeaderBytes).toBe(8192);
    expect(http.limits.maxBodyBytes).toBe(4096);
    expect(proxyConfigOf(docWith({ downstream_protocol: 'bolt', extend_config: { enable_bolt_goaway: true } })).boltGoAway).toBe(true);
  });

  it('ignores un-keyed keys on an Auto listener with a warning, as MOSN does (mosn_config_dev.json)', () => {
    const parsed = parseDoc(docWith({ downstream_protocol: 'Auto', extend_config: { http2_use_stream: false } }));
    expect(parsed.warnings.map((w) => w.path)).toContain('servers[0].listeners[0].filter_chains[0].filters[0].config.extend_config.http2_use_stream');
  });

  it('keyed extend_config: Http1 settings and unknown keys', () => {
    const http = proxyConfigOf(docWith({ downstream_protocol: 'Http1', extend_config: { Http1: { max_header_count: 20, via: 'mosn-ts' } } })).http;
    expect(http.limits.maxHeaders).toBe(20);
    expect(http.via).toBe('mosn-ts');
    expect(configErrorOf(docWith({ downstream_protocol: 'Http1', extend_config: { Http1: { no_such_key: 1 } } }))).toBe(
      'servers[0].listeners[0].filter_chains[0].filters[0].config.extend_config.Http1.no_such_key: unknown key',
    );
  });
});

describe('connection_manager (deprecated, inline router)', () => {
  it('registers its router so the proxy filter before it can use it', () => {
    const doc = docWith({ downstream_protocol: 'Http1', router_config_name: 'inline' }, [
      {
        type: 'connection_manager',
        config: { router_config_name: 'inline', virtual_hosts: [{ name: 'v', domains: ['*'], routers: [{ match: { prefix: '/' }, route: { cluster_name: 'c1' } }] }] },
      },
    ]);
    const { snapshot } = parseDoc(doc);
    expect(snapshot.routers.map((r) => r.name)).toEqual(['r', 'inline']);
  });

  it('a duplicate router name with servers[0].routers is an error', () => {
    const doc = docWith({ downstream_protocol: 'Http1' }, [
      { type: 'connection_manager', config: { router_config_name: 'r', virtual_hosts: [{ name: 'v', domains: ['*'], routers: [{ match: { prefix: '/' }, route: { cluster_name: 'c1' } }] }] } },
    ]);
    expect(configErrorOf(doc)).toMatch(/router_config_name: duplicate router_config_name "r"$/);
  });
});

describe('MOSN leniencies', () => {
  it('upstream_protocol is accepted whatever it says (MOSN takes it from the route), with a warning if it differs', () => {
    const parsed = parseDoc(docWith({ downstream_protocol: 'Http1', upstream_protocol: 'X' }));
    expect(parsed.warnings).toEqual([]);
    const other = parseDoc(docWith({ downstream_protocol: 'Http1', upstream_protocol: 'Http2' }));
    expect(other.warnings.map((w) => w.path)).toContain('servers[0].listeners[0].filter_chains[0].filters[0].config.upstream_protocol');
  });

  it('a listener without a name is named after its address, as in MOSN', () => {
    const doc = docWith({ downstream_protocol: 'Http1' }) as { servers: Array<{ listeners: Array<Record<string, unknown>> }> };
    delete doc.servers[0]!.listeners[0]!['name'];
    expect(parseDoc(doc).snapshot.listeners[0]!.name).toBe('127.0.0.1:2045');
  });
});

describe('request_mirror_policies', () => {
  it('is accepted with a warning: without the mirror stream filter nothing is mirrored (as in MOSN)', () => {
    const doc = docWith({ downstream_protocol: 'Http1' }) as { servers: Array<{ routers: Array<{ virtual_hosts: Array<{ routers: Array<Record<string, unknown>> }> }> }> };
    const rule = doc.servers[0]!.routers[0]!.virtual_hosts[0]!.routers[0]!;
    rule['request_mirror_policies'] = { cluster: 'c1', percent: 50 };
    const { warnings } = parseDoc(doc);
    expect(warnings.map((w) => w.path)).toContain('servers[0].routers[0].virtual_hosts[0].routers[0].request_mirror_policies');
  });
});
