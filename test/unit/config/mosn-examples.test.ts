// MOSN's own example configs, as our own hand-written fixtures in the same shape
// (test/fixtures/mosn-examples/). Modelled on, and checked against, these files of mosn/mosn:
//   examples/codes/tcpproxy-sample/config.json              -> tcpproxy-sample.json (+ a YAML variant)
//   examples/codes/http-sample/client_config.json           -> http-client.json
//   examples/codes/http-sample/server_config.json           -> http-server.json
//   examples/codes/sofarpc-with-xprotocol-sample/client_config.json -> sofarpc-client.json
//   examples/codes/sofarpc-with-xprotocol-sample/server_config.json -> sofarpc-server.json (healthcheck stream filter)
//   examples/codes/dubbo/client_config.json                 -> dubbo-client.json (MOSN's has tracing.enable true,
//                                                              which mosn-ts refuses loudly: see mosn-config.test.ts)
//   examples/codes/protocol-auto-sample/server_config.json  -> protocol-auto-server.json
//   configs/mosn_config.json                                -> mosn-config.json (direct_response)
//   configs/mosn_rpc_config_bolt.json                       -> mosn-rpc-bolt.json (extend_config.sub_protocol)
// The original files were also run through `mosn-ts validate` (with `proxy` registered): all of them
// load except dubbo's (tracing.enable: not supported). Also checked: configs/mosn_rpc_config.json
// loads; udpproxy-sample and http-sample/tls_* are refused at `network` and `tls_context.status`.
//
// Fixtures using the `proxy` network filter must load once `proxy` is in src/extensions.ts. Until
// then they must fail with exactly the unknown-filter error, and the rest of each document
// (routers, clusters, admin, stream filters) must parse with a test stand-in for `proxy`.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ConfigNode } from '../../../src/api/config-node.ts';
import type { NetworkFilterFactory } from '../../../src/api/filter.ts';
import { ConfigLoadError, loadConfigFile, parseConfigText } from '../../../src/config/load.ts';
import type { ConfigExtensions, ParsedConfig } from '../../../src/config/mosn-config.ts';
import { configExtensions } from '../../../src/control/config-source.ts';
import { builtinNetworkFilters } from '../../../src/extensions.ts';

const DIR = fileURLToPath(new URL('../../fixtures/mosn-examples/', import.meta.url));
const PROXY_REGISTERED = builtinNetworkFilters.some((f) => f.name === 'proxy');

/** Test-only stand-in for `proxy`: reads MOSN's v2.Proxy keys, checks the router reference. */
const standInProxyFilter: NetworkFilterFactory = {
  name: 'proxy',
  parseConfig(node: ConfigNode) {
    node.optionalOneOf('downstream_protocol', ['Http1', 'Http2', 'bolt', 'boltv2', 'dubbo', 'Auto', 'X']);
    node.optionalOneOf('upstream_protocol', ['Http1', 'Http2', 'bolt', 'boltv2', 'dubbo', 'Auto', 'X']);
    node.reference('router', 'router_config_name');
    const extend = node.object('extend_config');
    extend?.string('sub_protocol');
    extend?.finish();
    node.finish();
    return {};
  },
  create() {
    throw new Error('stand-in only parses');
  },
};
const withStandIn: ConfigExtensions = {
  ...configExtensions,
  networkFilters: new Map([...configExtensions.networkFilters, ['proxy', standInProxyFilter]]),
};

interface Expected {
  file: string;
  usesProxy: boolean;
  listeners: Array<[name: string, host: string, port: number]>;
  routers: string[];
  clusters: string[];
  admin?: { host: string; port: number };
  /** warnings that come from the document itself (the proxy filter may add its own) */
  warnings: string[];
}

const C_BUF = (i: number) => `cluster_manager.clusters[${i}].conn_buffer_limit_bytes`;

const EXAMPLES: Expected[] = [
  {
    file: 'tcpproxy-sample.json',
    usesProxy: false,
    listeners: [['tcp_ingress', '127.0.0.1', 12045]],
    routers: [],
    clusters: ['echo_backend'],
    warnings: ['servers[0].listeners[0].log_path', C_BUF(0)],
  },
  {
    file: 'tcpproxy-sample.yaml',
    usesProxy: false,
    listeners: [['tcp_ingress', '127.0.0.1', 12045]],
    routers: [],
    clusters: ['echo_backend'],
    warnings: [],
  },
  {
    file: 'http-client.json',
    usesProxy: true,
    listeners: [['egress_http', '127.0.0.1', 12045]],
    routers: ['egress_http'],
    clusters: ['http_sidecar'],
    admin: { host: '0.0.0.0', port: 13901 },
    warnings: [C_BUF(0), 'disable_upgrade'],
  },
  {
    file: 'http-server.json',
    usesProxy: true,
    listeners: [['ingress_http', '127.0.0.1', 12046]],
    routers: ['ingress_http'],
    clusters: ['local_app'],
    admin: { host: '0.0.0.0', port: 13902 },
    warnings: [C_BUF(0), 'disable_upgrade'],
  },
  {
    file: 'sofarpc-client.json',
    usesProxy: true,
    listeners: [['rpc_egress', '127.0.0.1', 12045]],
    routers: ['rpc_egress'],
    clusters: ['rpc_sidecar'],
    admin: { host: '0.0.0.0', port: 13901 },
    warnings: [C_BUF(0), 'disable_upgrade'],
  },
  {
    file: 'sofarpc-server.json',
    usesProxy: true,
    listeners: [['rpc_ingress', '127.0.0.1', 12046]],
    routers: ['rpc_ingress'],
    clusters: ['rpc_app'],
    admin: { host: '0.0.0.0', port: 13902 },
    warnings: ['servers[0].listeners[0].stream_filters[0].config', C_BUF(0), 'disable_upgrade'],
  },
  {
    file: 'dubbo-client.json',
    usesProxy: true,
    listeners: [['dubbo_egress', '0.0.0.0', 12045]],
    routers: ['dubbo_egress'],
    clusters: ['dubbo_sidecar'],
    warnings: ['servers[0].listeners[0].log_path', C_BUF(0), 'disable_upgrade', 'tracing.driver'],
  },
  {
    file: 'protocol-auto-server.json',
    usesProxy: true,
    listeners: [['auto_ingress', '127.0.0.1', 12046]],
    routers: ['auto_ingress'],
    clusters: ['auto_app'],
    admin: { host: '0.0.0.0', port: 13902 },
    warnings: [C_BUF(0), 'disable_upgrade'],
  },
  {
    file: 'mosn-config.json',
    usesProxy: true,
    listeners: [
      ['welcome_listener', '127.0.0.1', 12047],
      ['app_listener', '127.0.0.1', 12046],
      ['peer_listener', '127.0.0.1', 12045],
    ],
    routers: ['to_app', 'to_peer', 'welcome'],
    clusters: ['app_cluster', 'peer_cluster'],
    admin: { host: '127.0.0.1', port: 13901 },
    warnings: [C_BUF(0), C_BUF(1)],
  },
  {
    file: 'mosn-rpc-bolt.json',
    usesProxy: true,
    listeners: [
      ['bolt_in', '127.0.0.1', 12046],
      ['bolt_out', '127.0.0.1', 12045],
    ],
    routers: ['bolt_in', 'bolt_out'],
    clusters: ['bolt_app', 'bolt_peer'],
    admin: { host: '127.0.0.1', port: 13901 },
    warnings: ['servers[0].listeners[0].stream_filters[0].config', C_BUF(0), C_BUF(1)],
  },
];

function checkShape(parsed: ParsedConfig, e: Expected, exactWarnings: boolean): void {
  const { snapshot, warnings } = parsed;
  expect(snapshot.listeners.map((l) => [l.name, l.host, l.port])).toEqual(e.listeners);
  expect(snapshot.routers.map((r) => r.name)).toEqual(e.routers);
  expect(snapshot.clusters.map((c) => c.name)).toEqual(e.clusters);
  expect(snapshot.admin).toEqual(e.admin);
  for (const l of snapshot.listeners) expect(l.networkFilters.map((f) => f.type)).toEqual([e.usesProxy ? 'proxy' : 'tcp_proxy']);
  const paths = warnings.map((w) => w.path);
  if (exactWarnings) expect(paths).toEqual(e.warnings);
  else expect(paths).toEqual(expect.arrayContaining(e.warnings));
  expect(structuredClone(snapshot)).toEqual(snapshot);
}

describe('MOSN example configs', () => {
  for (const e of EXAMPLES) {
    const file = join(DIR, e.file);
    if (!e.usesProxy || PROXY_REGISTERED) {
      it(`${e.file} loads`, () => {
        checkShape(loadConfigFile(file, configExtensions), e, !e.usesProxy);
      });
      continue;
    }
    it(`${e.file} fails only on the unregistered proxy filter`, () => {
      let error: unknown;
      try {
        loadConfigFile(file, configExtensions);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ConfigLoadError);
      const known = builtinNetworkFilters.map((f) => f.name).join(', ');
      expect((error as Error).message).toBe(
        `${file}: servers[0].listeners[0].filter_chains[0].filters[0].type: unknown filter "proxy" (known: ${known})`,
      );
      checkShape(parseConfigText(readFileSync(file, 'utf8'), file, withStandIn), e, true);
    });
  }

  it('the tcp_proxy sample keeps MOSN semantics: cluster set, routes present but not consulted', () => {
    const { snapshot } = loadConfigFile(join(DIR, 'tcpproxy-sample.json'), configExtensions);
    expect(snapshot.listeners[0]!.networkFilters[0]!.config).toMatchObject({ cluster: 'echo_backend', routes: [{ cluster: 'echo_backend' }] });
    expect(snapshot.clusters[0]).toMatchObject({ lbType: 'LB_RANDOM', maxRequestsPerConnection: 512 });
  });

  it('the YAML variant reads Go durations and mixed-case keys', () => {
    const { snapshot } = loadConfigFile(join(DIR, 'tcpproxy-sample.yaml'), configExtensions);
    expect(snapshot.listeners[0]!.networkFilters[0]!.config).toMatchObject({ idleTimeoutMs: 30_000, maxConnectAttempts: 2 });
    expect(snapshot.clusters[0]).toMatchObject({ connectTimeoutMs: 2000, lbType: 'LB_ROUNDROBIN' });
  });
});
