// Bug: extend_config.<protocol>.max_frame_size was one number for the whole listener, the last
// protocol key read winning, so on an Auto listener `bolt: 4096` could become dubbo's value (or
// the reverse). Each RPC protocol now keeps its own cap (default 16 MiB).
import { describe, expect, it } from 'vitest';
import type { ProxyFilterConfig } from '../../src/filters/network/proxy/config.ts';
import { cluster, parseDoc } from '../unit/config/parse-doc.ts';

function proxyConfig(extendConfig: Record<string, unknown>): ProxyFilterConfig {
  const doc = {
    servers: [
      {
        routers: [{ router_config_name: 'r', virtual_hosts: [{ name: 'v', domains: ['*'], routers: [{ match: { headers: [{ name: 'service', value: '.*' }] }, route: { cluster_name: 'c1' } }] }] }],
        listeners: [
          {
            name: 'l',
            address: '127.0.0.1:2045',
            filter_chains: [{ filters: [{ type: 'proxy', config: { downstream_protocol: 'Auto', router_config_name: 'r', extend_config: extendConfig } }] }],
          },
        ],
      },
    ],
    cluster_manager: { clusters: [cluster('c1')] },
  };
  return parseDoc(doc).snapshot.listeners[0]!.networkFilters[0]!.config as ProxyFilterConfig;
}

describe('max_frame_size per RPC protocol', () => {
  it('keeps each protocol its own value, whatever the key order', () => {
    const mib = 1 << 20;
    expect(proxyConfig({ bolt: { max_frame_size: 4096 }, dubbo: { max_frame_size: mib } }).maxRpcFrameBytes).toEqual({ bolt: 4096, boltv2: 16 * mib, dubbo: mib });
    expect(proxyConfig({ dubbo: { max_frame_size: mib }, bolt: { max_frame_size: 4096 } }).maxRpcFrameBytes).toEqual({ bolt: 4096, boltv2: 16 * mib, dubbo: mib });
    expect(proxyConfig({ boltv2: { max_frame_size: 2048 } }).maxRpcFrameBytes).toEqual({ bolt: 16 * mib, boltv2: 2048, dubbo: 16 * mib });
  });
});
