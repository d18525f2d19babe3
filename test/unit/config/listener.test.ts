import { describe, expect, it } from 'vitest';
import { configErrorOf, L0, minimalDoc, parseDoc } from './parse-doc.ts';

function withListener(patch: (l: Record<string, unknown>) => void): ReturnType<typeof minimalDoc> {
  const doc = minimalDoc();
  patch(doc.servers[0]!.listeners[0]!);
  return doc;
}

const chain = (l: Record<string, unknown>): Record<string, unknown> => (l['filter_chains'] as Array<Record<string, unknown>>)[0]!;

describe('listeners', () => {
  it('parses name, address, type, access logs and connection_idle_timeout', () => {
    const doc = withListener((l) => {
      l['type'] = 'Ingress';
      l['access_logs'] = [{ log_path: '/tmp/access.log', log_format: '%start_time%' }, {}];
      l['connection_idle_timeout'] = '90s';
      l['address'] = '[::1]:2045';
    });
    const l = parseDoc(doc).snapshot.listeners[0]!;
    expect(l).toMatchObject({ name: 'l1', host: '::1', port: 2045, type: 'ingress', connectionIdleTimeoutMs: 90_000 });
    expect(l.accessLogs[0]).toEqual({ path: '/tmp/access.log', format: '%start_time%' });
    expect(l.accessLogs[1]!.path).toBe('stdout');
  });

  it.each<[string, (l: Record<string, unknown>) => void, string]>([
    ['missing address', (l) => delete l['address'], `${L0}.address: is required`],
    ['bad address', (l) => (l['address'] = '127.0.0.1'), `${L0}.address: expected "ip:port" with a port in 1..65535, got "127.0.0.1"`],
    ['port 0', (l) => (l['address'] = '127.0.0.1:0'), `${L0}.address: expected "ip:port" with a port in 1..65535, got "127.0.0.1:0"`],
    ['port too big', (l) => (l['address'] = '127.0.0.1:65536'), `${L0}.address: expected "ip:port" with a port in 1..65535, got "127.0.0.1:65536"`],
    ['unix socket', (l) => (l['address'] = '/tmp/mosn.sock'), `${L0}.address: unix socket addresses are not supported yet`],
    ['address not a string', (l) => (l['address'] = 2045), `${L0}.address: expected a string, got number 2045`],
    ['udp', (l) => (l['network'] = 'udp'), `${L0}.network: unsupported value "udp" (supported: tcp)`],
    ['bad type', (l) => (l['type'] = 'sideways'), `${L0}.type: unsupported value "sideways" (supported: ingress, egress)`],
    ['virtual listener', (l) => (l['bind_port'] = false), `${L0}.bind_port: not supported: virtual listeners (bind_port false) need original_dst, which mosn-ts lacks`],
    ['original dst', (l) => (l['use_original_dst'] = 'redirect'), `${L0}.use_original_dst: not supported: transparent proxying is not implemented`],
    ['listener filters', (l) => (l['listener_filters'] = [{ type: 'original_dst' }]), `${L0}.listener_filters: not supported: no listener filters are implemented`],
    ['stream filter', (l) => (l['stream_filters'] = [{ type: 'fault_inject', config: {} }]), `${L0}.stream_filters[0].type: stream filter "fault_inject" is not supported by mosn-ts yet`],
    ['no chains', (l) => (l['filter_chains'] = []), `${L0}.filter_chains: at least one filter chain is required`],
    ['two chains', (l) => (l['filter_chains'] = [chain(l), chain(l)]), `${L0}.filter_chains: MOSN uses only the first filter chain; remove the others`],
    ['chain match', (l) => (chain(l)['match'] = 'x'), `${L0}.filter_chains[0].match: not supported: filter chain matching`],
    ['no filters', (l) => (chain(l)['filters'] = []), `${L0}.filter_chains[0].filters: at least one network filter is required`],
    ['filter without type', (l) => (chain(l)['filters'] = [{ config: {} }]), `${L0}.filter_chains[0].filters[0].type: is required`],
    ['unsupported MOSN filter', (l) => (chain(l)['filters'] = [{ type: 'udp_proxy', config: {} }]), `${L0}.filter_chains[0].filters[0].type: filter "udp_proxy" is not supported by mosn-ts`],
    ['filter key typo', (l) => ((chain(l)['filters'] as Array<Record<string, unknown>>)[0]!['confg'] = {}), `${L0}.filter_chains[0].filters[0].confg: unknown key`],
    ['TLS on', (l) => (chain(l)['tls_context'] = { status: true }), `${L0}.filter_chains[0].tls_context.status: not supported: TLS listeners are not implemented yet`],
    ['TLS set', (l) => (chain(l)['tls_context_set'] = [{ status: true }]), `${L0}.filter_chains[0].tls_context_set: not supported: TLS listeners are not implemented yet`],
    ['TLS key typo', (l) => (chain(l)['tls_context'] = { status: false, certchain: 'x' }), `${L0}.filter_chains[0].tls_context.certchain: unknown key`],
    ['access log typo', (l) => (l['access_logs'] = [{ log_pth: 'x' }]), `${L0}.access_logs[0].log_pth: unknown key`],
    ['idle timeout', (l) => (l['connection_idle_timeout'] = 90), `${L0}.connection_idle_timeout: expected a duration string such as "10s" or "250ms", got number 90`],
  ])('%s', (_name, patch, message) => {
    expect(configErrorOf(withListener(patch))).toBe(message);
  });

  it('only the last network filter may own the connection', () => {
    const doc = withListener((l) => {
      const f = (chain(l)['filters'] as unknown[])[0];
      chain(l)['filters'] = [f, f];
    });
    expect(configErrorOf(doc)).toBe(`${L0}.filter_chains[0].filters: filter "tcp_proxy" at index 0 owns the connection, so nothing may follow it`);
  });

  it('a disabled TLS context may carry keys (they are ignored with warnings)', () => {
    const doc = withListener((l) => {
      chain(l)['tls_context'] = { status: false, cert_chain: 'CERT', private_key: 'KEY' };
      l['stream_filters'] = [{ type: 'healthcheck', config: {} }];
      l['reuseport'] = true;
    });
    const { warnings } = parseDoc(doc);
    expect(warnings.map((w) => w.path)).toEqual([
      `${L0}.reuseport`,
      `${L0}.stream_filters[0].config`,
      `${L0}.filter_chains[0].tls_context.cert_chain`,
      `${L0}.filter_chains[0].tls_context.private_key`,
    ]);
  });
});
