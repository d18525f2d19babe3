import { describe, expect, it } from 'vitest';
import { configDump, redact } from '../../../src/admin/config-dump.ts';

const doc = {
  Servers: [
    {
      routers: [{ router_config_name: 'r1', virtual_hosts: [] }],
      listeners: [{ name: 'l1', filter_chains: [{ tls_context: { status: false, private_key: 'KEY', Private_Key2: 'x' } }] }],
    },
  ],
  cluster_manager: { clusters: [{ Name: 'c1', tls_context: { PRIVATE_KEY: 'KEY' } }] },
};

const body = (params: string) => {
  const r = configDump(doc, new URLSearchParams(params));
  return { status: r.status, json: r.status === 200 ? JSON.parse(r.body) : r.body };
};

describe('config dump', () => {
  it('redacts private_key in any case, anywhere; leaves empty values and the input alone', () => {
    const out = redact({ a: [{ private_key: 'K' }], b: { Private_Key: 'K', private_key_x: 'keep' }, c: { private_key: '' } }) as any;
    expect(out).toEqual({ a: [{ private_key: '[redacted]' }], b: { Private_Key: '[redacted]', private_key_x: 'keep' }, c: { private_key: '' } });
    redact(doc);
    expect(doc.cluster_manager.clusters[0]!.tls_context.PRIVATE_KEY).toBe('KEY');
  });

  it('MOSN query parameters, matched case-insensitively against the document keys', () => {
    expect(body('').json.cluster_manager.clusters[0].tls_context.PRIVATE_KEY).toBe('[redacted]');
    expect(Object.keys(body('allrouters').json)).toEqual(['r1']);
    expect(Object.keys(body('alllisteners').json)).toEqual(['l1']);
    expect(Object.keys(body('allclusters').json)).toEqual(['c1']);
    expect(body('listener=l1').json.filter_chains[0].tls_context.private_key).toBe('[redacted]');
    expect(body('cluster=c1').json.Name).toBe('c1');
    expect(body('router=r1').json.router_config_name).toBe('r1');
    expect(body('router=zz').status).toBe(404);
    expect(body('router').status).toBe(404);
    expect(body('a&b')).toEqual({ status: 400, json: 'only support one parameter' });
    expect(body('what').status).toBe(500);
  });
});
