import { describe, expect, it } from 'vitest';
import { C0, configErrorOf, minimalDoc, parseDoc } from './parse-doc.ts';

function withCluster(patch: (c: Record<string, unknown>) => void): ReturnType<typeof minimalDoc> {
  const doc = minimalDoc();
  patch(doc.cluster_manager.clusters[0]!);
  return doc;
}

describe('clusters', () => {
  it('parses hosts, lb, timeouts, circuit breakers and keepalive', () => {
    const doc = withCluster((c) => {
      Object.assign(c, {
        lb_type: 'LB_LEAST_REQUEST',
        lbconfig: { choice_count: 3, active_request_bias: 0.5 },
        connect_timeout: '250ms',
        idle_timeout: '1m',
        max_request_per_conn: 100,
        circuit_breakers: [{ max_connections: 10, max_pending_requests: 5, max_requests: 20, max_retries: 2 }],
        keepalive: { interval: '5s', timeout: '1s' },
        hosts: [
          { address: '127.0.0.1:9000', weight: 500, metadata: { filter_metadata: { 'mosn.lb': { zone: 'a' } } } },
          { address: '127.0.0.1:9001', weight: 0, hostname: 'b' },
        ],
      });
    });
    const c = parseDoc(doc).snapshot.clusters[0]!;
    expect(c).toMatchObject({
      name: 'c1',
      path: C0,
      lbType: 'LB_LEAST_REQUEST',
      choiceCount: 3,
      activeRequestBias: 0.5,
      connectTimeoutMs: 250,
      idleTimeoutMs: 60_000,
      maxRequestsPerConnection: 100,
      circuitBreakers: { maxConnections: 10, maxPendingRequests: 5, maxRequests: 20, maxRetries: 2 },
      keepalive: { intervalMs: 5000, timeoutMs: 1000 },
    });
    // MOSN clamps weights to [1, 128]
    expect(c.hosts.map((h) => [h.ip, h.port, h.weight])).toEqual([
      ['127.0.0.1', 9000, 128],
      ['127.0.0.1', 9001, 1],
    ]);
    expect(c.hosts[0]!.metadata).toEqual({ zone: 'a' });
    expect(c.hosts[1]!.hostname).toBe('b');
  });

  it('EDS/STATIC/DYNAMIC become SIMPLE, as in MOSN', () => {
    expect(parseDoc(withCluster((c) => (c['type'] = 'EDS'))).snapshot.clusters[0]!.type).toBe('SIMPLE');
  });

  it.each<[string, (c: Record<string, unknown>) => void, string]>([
    ['missing name', (c) => delete c['name'], `${C0}.name: is required`],
    ['bad lb', (c) => (c['lb_type'] = 'LB_FASTEST'), `${C0}.lb_type: unsupported value "LB_FASTEST" (supported: LB_RANDOM, LB_ROUNDROBIN, LB_WEIGHTED_ROUNDROBIN, LB_LEAST_REQUEST, LB_LEAST_CONNECTION, LB_MAGLEV)`],
    ['strict dns', (c) => (c['type'] = 'STRICT_DNS'), `${C0}.type: cluster type STRICT_DNS is not supported yet`],
    ['bad type', (c) => (c['type'] = 'MAGIC'), `${C0}.type: unsupported value "MAGIC" (supported: SIMPLE, STATIC, EDS, DYNAMIC, STRICT_DNS, ORIGINAL_DST)`],
    ['host address', (c) => (c['hosts'] = [{ address: 'localhost' }]), `${C0}.hosts[0].address: expected "ip:port" with a port in 1..65535, got "localhost"`],
    ['host key typo', (c) => (c['hosts'] = [{ address: '127.0.0.1:1', wieght: 2 }]), `${C0}.hosts[0].wieght: unknown key`],
    ['negative weight', (c) => (c['hosts'] = [{ address: '127.0.0.1:1', weight: -1 }]), `${C0}.hosts[0].weight: must be >= 0, got -1`],
    ['duplicate host', (c) => (c['hosts'] = [{ address: '127.0.0.1:1' }, { address: '127.0.0.1:1' }]), `${C0}.hosts: host 127.0.0.1:1 is listed twice (index 1)`],
    ['connect timeout number', (c) => (c['connect_timeout'] = 3), `${C0}.connect_timeout: expected a duration string such as "10s" or "250ms", got number 3`],
    ['connect timeout syntax', (c) => (c['connect_timeout'] = '3 s'), `${C0}.connect_timeout: invalid duration "3 s" (use Go syntax: "10s", "1m30s", "250ms")`],
    ['connect timeout zero', (c) => (c['connect_timeout'] = '-1s'), `${C0}.connect_timeout: must be greater than 0`],
    ['health check', (c) => (c['health_check'] = { protocol: 'http1' }), `${C0}.health_check: not supported: active health checks are not implemented yet`],
    ['subsets', (c) => (c['lb_subset_config'] = { fall_back_policy: 1 }), `${C0}.lb_subset_config: not supported: subset load balancing is not implemented yet`],
    ['slow start', (c) => (c['slow_start'] = { mode: 'duration' }), `${C0}.slow_start: not supported: slow start is not implemented yet`],
    ['upstream TLS', (c) => (c['tls_context'] = { status: true }), `${C0}.tls_context.status: not supported: upstream TLS is not implemented yet`],
    ['two breakers', (c) => (c['circuit_breakers'] = [{}, {}]), `${C0}.circuit_breakers: MOSN uses only circuit_breakers[0]; remove the others`],
    ['breaker type', (c) => (c['circuit_breakers'] = [{ max_connections: '10' }]), `${C0}.circuit_breakers[0].max_connections: expected an integer, got the string "10"`],
    ['breaker key typo', (c) => (c['circuit_breakers'] = [{ max_conections: 1 }]), `${C0}.circuit_breakers[0].max_conections: unknown key`],
    ['choice count', (c) => (c['lbconfig'] = { choice_count: 0 }), `${C0}.lbconfig.choice_count: must be >= 1, got 0`],
    ['peak ewma', (c) => (c['lbconfig'] = { client_error_bias: 1 }), `${C0}.lbconfig.client_error_bias: not supported: LB_PEAK_EWMA is not implemented`],
    ['keepalive typo', (c) => (c['keepalive'] = { intervl: '1s' }), `${C0}.keepalive.intervl: unknown key`],
    ['unknown key', (c) => (c['lb_typ'] = 'LB_RANDOM'), `${C0}.lb_typ: unknown key`],
  ])('%s', (_name, patch, message) => {
    expect(configErrorOf(withCluster(patch))).toBe(message);
  });

  it('MOSN-ignored keys warn with their path', () => {
    const { warnings } = parseDoc(withCluster((c) => Object.assign(c, { sub_type: 'x', conn_buffer_limit_bytes: 1, dns_refresh_rate: '5s' })));
    expect(warnings.map((w) => w.path)).toEqual([`${C0}.sub_type`, `${C0}.conn_buffer_limit_bytes`, `${C0}.dns_refresh_rate`]);
  });
});
