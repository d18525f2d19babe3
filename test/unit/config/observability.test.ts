import { describe, expect, it } from 'vitest';
import { configErrorOf, minimalDoc, parseDoc } from './parse-doc.ts';

const admin = (socket_address: Record<string, unknown>) => ({ address: { socket_address } });
const prom = (config: Record<string, unknown>) => ({ sinks: [{ type: 'prometheus', config }] });

describe('admin and metrics', () => {
  it('parses the admin address (MOSN shape) and the prometheus sink', () => {
    const { snapshot } = parseDoc({ ...minimalDoc(), admin: admin({ address: '0.0.0.0', port_value: 34901 }), metrics: prom({ port: 34903, endpoint: 'stats' }) });
    expect(snapshot.admin).toEqual({ host: '0.0.0.0', port: 34901 });
    expect(snapshot.prometheus).toEqual({ host: '0.0.0.0', port: 34903, path: '/stats', collectProcess: true });
  });

  it('defaults: admin on 127.0.0.1, /metrics', () => {
    const { snapshot } = parseDoc({ ...minimalDoc(), admin: admin({ port_value: 1 }), metrics: prom({ port: 2, address: '127.0.0.1', disable_collect_process: true }) });
    expect(snapshot.admin).toEqual({ host: '127.0.0.1', port: 1 });
    expect(snapshot.prometheus).toEqual({ host: '127.0.0.1', port: 2, path: '/metrics', collectProcess: false });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['admin without address', { admin: {} }, 'admin.address: is required'],
    ['admin without port', { admin: admin({ address: '127.0.0.1' }) }, 'admin.address.socket_address.port_value: is required'],
    ['admin port range', { admin: admin({ port_value: 70000 }) }, 'admin.address.socket_address.port_value: must be <= 65535, got 70000'],
    ['admin port as string', { admin: admin({ port_value: '34901' }) }, 'admin.address.socket_address.port_value: expected an integer, got the string "34901"'],
    ['admin key typo', { admin: admin({ port: 1 }) }, 'admin.address.socket_address.port_value: is required'],
    ['sink type', { metrics: { sinks: [{ type: 'console', config: {} }] } }, 'metrics.sinks[0].type: unsupported metrics sink "console" (supported: prometheus)'],
    ['sink port', { metrics: prom({}) }, 'metrics.sinks[0].config.port: is required'],
    ['two sinks', { metrics: { sinks: [{ type: 'prometheus', config: { port: 1 } }, { type: 'prometheus', config: { port: 2 } }] } }, 'metrics.sinks[1]: only one prometheus sink is supported'],
    ['push gateway', { metrics: prom({ port: 1, export_url: 'http://x' }) }, 'metrics.sinks[0].config.export_url: not supported: push gateways are not supported (MOSN rejects it too)'],
    ['stats matcher', { metrics: { stats_matcher: { reject_all: true } } }, 'metrics.stats_matcher: not supported: metric filtering is not implemented yet'],
    ['metrics key typo', { metrics: { sink: [] } }, 'metrics.sink: unknown key'],
  ])('%s', (_name, extra, message) => {
    expect(configErrorOf({ ...minimalDoc(), ...extra })).toBe(message);
  });

  it('MOSN metrics keys with no effect here warn', () => {
    const { warnings } = parseDoc({ ...minimalDoc(), metrics: { shm_zone: 'x', shm_size: '32m', flush_interval: '1s', sinks: [] } });
    expect(warnings.map((w) => w.path)).toEqual(['metrics.shm_zone', 'metrics.shm_size', 'metrics.flush_interval']);
  });
});
