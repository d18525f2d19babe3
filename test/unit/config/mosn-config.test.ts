import { describe, expect, it } from 'vitest';
import { builtinNetworkFilters } from '../../../src/extensions.ts';
import { C0, cluster, configErrorOf, F0, L0, minimalDoc, parseDoc, tcpListener } from './parse-doc.ts';

describe('parseMosnConfig: the document', () => {
  it('parses the minimal document into a snapshot with MOSN defaults', () => {
    const { snapshot, warnings } = parseDoc(minimalDoc());
    expect(warnings).toEqual([]);
    expect(snapshot.server).toEqual({ name: 'mosn_server', logPath: 'stdout', logLevel: 'info', gracefulTimeoutMs: 30_000, processors: undefined });
    expect(snapshot.listeners.map((l) => [l.name, l.host, l.port, l.path])).toEqual([['l1', '127.0.0.1', 2045, L0]]);
    expect(snapshot.clusters[0]!.connectTimeoutMs).toBe(10_000);
    expect(snapshot.acceptMode).toBeUndefined();
    expect(snapshot.admin).toBeUndefined();
    expect(snapshot.prometheus).toBeUndefined();
    // the snapshot crosses to workers by structured clone
    expect(structuredClone(snapshot)).toEqual(snapshot);
  });

  it('keys are case-insensitive at every level', () => {
    const { snapshot } = parseDoc({
      SERVERS: [{ Default_Log_Level: 'debug', Listeners: [{ NAME: 'l1', Address: '127.0.0.1:2045', Filter_Chains: [{ FILTERS: [{ TYPE: 'tcp_proxy', CONFIG: { CLUSTER: 'c1' } }] }] }] }],
      Cluster_Manager: { Clusters: [{ Name: 'c1', LB_TYPE: 'lb_random', Hosts: [{ ADDRESS: '127.0.0.1:9000' }] }] },
    });
    expect(snapshot.server.logLevel).toBe('debug');
    expect(snapshot.clusters[0]!.lbType).toBe('LB_RANDOM');
    expect(snapshot.listeners[0]!.networkFilters[0]!.config).toMatchObject({ cluster: 'c1' });
  });

  it('needs exactly one server', () => {
    expect(configErrorOf({ servers: [] })).toBe('servers: exactly one server is required');
    expect(configErrorOf({})).toBe('servers: exactly one server is required');
    expect(configErrorOf({ servers: [{}, {}] })).toBe('servers: MOSN supports exactly one server');
    expect(configErrorOf([])).toBe('expected an object, got an array');
  });

  it('unknown keys anywhere are errors naming their path', () => {
    const top = { ...minimalDoc(), listners: [] };
    expect(configErrorOf(top)).toBe('listners: unknown key');
    const server = minimalDoc();
    server.servers[0]!['listner'] = [];
    expect(configErrorOf(server)).toBe('servers[0].listner: unknown key');
    const cm = minimalDoc();
    cm.cluster_manager['clustres'] = [];
    expect(configErrorOf(cm)).toBe('cluster_manager.clustres: unknown key');
  });

  it('a network filter MOSN does not know is an error naming the filter path', () => {
    const doc = minimalDoc();
    doc.servers[0]!.listeners.push(tcpListener('l2', 2046));
    (doc.servers[0]!.listeners[1]!['filter_chains'] as Array<{ filters: Array<{ type: string }> }>)[0]!.filters[0]!.type = 'foo';
    const known = builtinNetworkFilters.map((f) => f.name).join(', ');
    expect(configErrorOf(doc)).toBe(`servers[0].listeners[1].filter_chains[0].filters[0].type: unknown filter "foo" (known: ${known})`);
  });

  it('references to unknown clusters name the referring path and the defined clusters', () => {
    const doc = minimalDoc();
    doc.servers[0]!.listeners[0] = tcpListener('l1', 2045, 'nope');
    expect(configErrorOf(doc)).toBe(`${F0}.config.cluster: unknown cluster "nope" (defined: c1)`);
    const none = minimalDoc();
    none.cluster_manager.clusters = [];
    expect(configErrorOf(none)).toBe(`${F0}.config.cluster: unknown cluster "c1" (defined: none)`);
  });

  it('router cluster references are checked too', () => {
    const doc = minimalDoc();
    doc.servers[0]!['routers'] = [
      { router_config_name: 'r', virtual_hosts: [{ name: 'v', domains: ['*'], routers: [{ match: { prefix: '/' }, route: { cluster_name: 'ghost' } }] }] },
    ];
    expect(configErrorOf(doc)).toBe('servers[0].routers[0].virtual_hosts[0].routers[0].route.cluster_name: unknown cluster "ghost" (defined: c1)');
  });

  it('duplicate listener names, listener addresses, cluster names and router names are refused', () => {
    const names = minimalDoc();
    names.servers[0]!.listeners.push(tcpListener('l1', 2046));
    expect(configErrorOf(names)).toBe('servers[0].listeners[1].name: duplicate listener name "l1"');
    const addrs = minimalDoc();
    addrs.servers[0]!.listeners.push(tcpListener('l2', 2045));
    expect(configErrorOf(addrs)).toBe('servers[0].listeners[1].address: duplicate listener address "127.0.0.1:2045"');
    const clusters = minimalDoc();
    clusters.cluster_manager.clusters.push(cluster('c1'));
    expect(configErrorOf(clusters)).toBe('cluster_manager.clusters[1].name: duplicate cluster name "c1"');
    const routers = minimalDoc();
    const r = { router_config_name: 'r', virtual_hosts: [{ name: 'v', domains: ['*'], routers: [{ match: { prefix: '/' }, route: { cluster_name: 'c1' } }] }] };
    routers.servers[0]!['routers'] = [r, r];
    expect(configErrorOf(routers)).toBe('servers[0].routers[1].router_config_name: duplicate router_config_name "r"');
  });

  it('keys MOSN ignores (or that have no effect here) are accepted with a warning naming the path', () => {
    const doc = minimalDoc();
    doc['disable_upgrade'] = true;
    doc.servers[0]!['global_log_roller'] = 'size=100';
    doc.servers[0]!.listeners[0]!['log_path'] = 'stdout';
    doc.cluster_manager.clusters[0]!['conn_buffer_limit_bytes'] = 32768;
    const { warnings } = parseDoc(doc);
    expect(warnings.map((w) => w.path)).toEqual([
      'servers[0].global_log_roller',
      `${L0}.log_path`,
      `${C0}.conn_buffer_limit_bytes`,
      'disable_upgrade',
    ]);
    expect(warnings[0]!.message).toMatch(/^ignored: /);
  });

  it('features mosn-ts lacks are refused, not ignored', () => {
    const cases: Array<[string, unknown, string]> = [
      ['dynamic_resources', { ads_config: {} }, 'dynamic_resources: not supported: xDS is not implemented yet'],
      ['static_resources', { a: 1 }, 'static_resources: not supported: xDS is not implemented yet'],
      ['third_part_codec', { codecs: [{ enabled: true }] }, 'third_part_codec: not supported: third-party codecs (go-plugin/wasm) cannot load into Node'],
      ['extends', [{ type: 'x' }], 'extends: not supported: no `extends` types are implemented'],
      ['tracing', { enable: true, driver: 'SOFATracer' }, 'tracing.enable: not supported: tracing is not implemented yet'],
      ['pprof', { debug: true }, 'pprof.debug: not supported: Go pprof has no Node equivalent here (use --cpu-prof)'],
    ];
    for (const [key, value, message] of cases) expect(configErrorOf({ ...minimalDoc(), [key]: value })).toBe(message);
    // the disabled forms are fine
    parseDoc({ ...minimalDoc(), tracing: { enable: false, driver: 'SOFATracer' }, pprof: { debug: false, port_value: 6060 }, extends: [], dynamic_resources: {} });
  });

  it('server settings: log level, graceful_timeout, processor', () => {
    const doc = minimalDoc();
    Object.assign(doc.servers[0]!, { default_log_level: 'WARN', graceful_timeout: '5s', processor: 4, mosn_server_name: 's1' });
    const { server } = parseDoc(doc).snapshot;
    expect(server).toMatchObject({ logLevel: 'warn', gracefulTimeoutMs: 5000, processors: 4, name: 's1' });

    const auto = minimalDoc();
    auto.servers[0]!['processor'] = 'auto';
    expect(parseDoc(auto).snapshot.server.processors).toBeUndefined();

    const cases: Array<[string, unknown, string]> = [
      ['default_log_level', 'LOUD', 'servers[0].default_log_level: unknown level "LOUD" (TRACE, DEBUG, INFO, WARN, ERROR, FATAL)'],
      ['graceful_timeout', '30', 'servers[0].graceful_timeout: invalid duration "30" (use Go syntax: "10s", "1m30s", "250ms")'],
      ['processor', 0, 'servers[0].processor: expected an integer in 1..256 or "auto"'],
      ['processor', 'many', 'servers[0].processor: expected an integer or "auto"'],
    ];
    for (const [key, value, message] of cases) {
      const d = minimalDoc();
      d.servers[0]![key] = value;
      expect(configErrorOf(d)).toBe(message);
    }
  });

  it('accept_mode is ours and checked', () => {
    expect(parseDoc({ ...minimalDoc(), accept_mode: 'reuseport' }).snapshot.acceptMode).toBe('reuseport');
    expect(configErrorOf({ ...minimalDoc(), accept_mode: 'fork' })).toBe('accept_mode: unsupported value "fork" (supported: handoff, reuseport)');
  });

  it('pid names the pid file', () => {
    expect(parseDoc({ ...minimalDoc(), pid: '/tmp/mosn.pid' }).snapshot.pidFile).toBe('/tmp/mosn.pid');
  });

  it('cluster_manager: upstream TLS and clusters_configs are refused', () => {
    const tls = minimalDoc();
    tls.cluster_manager['tls_context'] = { status: true };
    expect(configErrorOf(tls)).toBe('cluster_manager.tls_context: not supported: upstream TLS is not implemented yet');
    const cc = minimalDoc();
    cc.cluster_manager['clusters_configs'] = '/etc/clusters';
    expect(configErrorOf(cc)).toBe('cluster_manager.clusters_configs: not supported: load clusters from the main document');
  });
});
