import { describe, expect, it } from 'vitest';
import { classifyDomain } from '../../../src/config/route-domain.ts';
import { VirtualHostIndex } from '../../../src/router/virtual-host-index.ts';
import { buildRouter, clusterOf } from './build-router.ts';

function index(domains: Record<string, string>): VirtualHostIndex<string> {
  return new VirtualHostIndex(
    Object.entries(domains).map(([text, value]) => {
      const domain = classifyDomain(text);
      if (typeof domain === 'string') throw new Error(domain);
      return { domain, value };
    }),
  );
}

describe('VirtualHostIndex', () => {
  it('follows MOSN port priorities (routers_impl_test.go TestVirtulHostWithPortMatch)', () => {
    const idx = index({
      'www.test.com': '0',
      'www.test.com:8080': '1',
      'www.test.com:*': '2',
      '*.test.com:30888': '3',
      '*.com:30888': '4',
      '*.com:*': '5',
      '*.com': '5b',
      '*:*': '6',
      '*:80': '7',
    });
    const cases: [string, string][] = [
      ['www.test.com', '0'],
      ['www.test.com:8080', '1'],
      ['www.test.com:80', '2'],
      ['www.test.com:30888', '2'],
      ['hello.test.com:30888', '3'],
      ['hello.com:30888', '4'],
      ['hello.com:30777', '5'],
      ['hello.com', '5b'],
      ['hello.cn:30777', '6'],
      ['hello.cn', '6'],
      ['hello.cn:80', '7'],
    ];
    for (const [host, want] of cases) expect(idx.find(host), host).toBe(want);
  });

  it('matches a domain without port only when the request has none (MOSN)', () => {
    const idx = index({ 'example.com': 'exact' });
    expect(idx.find('example.com')).toBe('exact');
    expect(idx.find('example.com:8080')).toBeUndefined();
  });

  it('picks the longest wildcard suffix (TestWildcardLongestSuffixMatch)', () => {
    const idx = index({ 'f-bar.baz.com': 'domain', '*.baz.com': 'short', '*-bar.baz.com': 'long', '*.foo.com': 'foo' });
    expect(idx.find('f-bar.baz.com')).toBe('domain');
    expect(idx.find('foo-bar.baz.com')).toBe('long');
    expect(idx.find('foo.baz.com')).toBe('short');
    expect(idx.find('foo.foo.com')).toBe('foo');
  });

  it('matches suffix wildcards like MOSN (TestWildcardMatch)', () => {
    const idx = index({ '*.test.com': 'a', '*-bar.foo.com': 'b' });
    for (const h of ['a.test.com', 'a.test.test.com', 'abc-def.test.com', 'a.b.test.com', '*.test.com']) expect(idx.find(h), h).toBe('a');
    for (const h of ['a-bar.foo.com', 'a.b-bar.foo.com', 'a.-bar.foo.com']) expect(idx.find(h), h).toBe('b');
    for (const h of ['a.test.net', 'a-test.com', '.test.com', '*', 'a.foo.com', 'bar.foo.com', '-bar.foo.com']) {
      expect(idx.find(h), h).toBeUndefined();
    }
  });

  it('matches exact domains exactly (TestDomainMatch)', () => {
    const idx = index({ 'www.sofa-mosn.test': 'x' });
    expect(idx.find('www.sofa-mosn.test')).toBe('x');
    for (const h of ['*', '*www.sofa-mosn.test', 'sofa-mosn.test', 'www.sofa-mosn', 'www.sofa-mosn.test1', '*.sofa-mosn.test']) {
      expect(idx.find(h), h).toBeUndefined();
    }
  });

  it('compares hosts lower-case', () => {
    const idx = index({ 'WWW.Example.com': 'x', '*.Foo.COM': 'y' });
    expect(idx.find('www.EXAMPLE.com')).toBe('x');
    expect(idx.find('A.FOO.com')).toBe('y');
    // cached results keep the same answer
    expect(idx.find('www.EXAMPLE.com')).toBe('x');
  });

  it('puts prefix wildcards after suffix wildcards, longest first, port-aware', () => {
    const idx = index({ 'api.*': 'api', 'api.v2.*': 'api-v2', '*.internal': 'internal', 'api.*:9000': 'api-9000', '*': 'default' });
    expect(idx.find('api.example.com')).toBe('api');
    expect(idx.find('api.v2.example.com')).toBe('api-v2');
    expect(idx.find('api.internal')).toBe('internal');
    expect(idx.find('api.example.com:9000')).toBe('api-9000');
    expect(idx.find('api.')).toBe('default'); // the "*" stands for at least one character
    expect(idx.find('web.example.com')).toBe('default');
  });

  it('gives every request the default when it is the only virtual host', () => {
    const idx = index({ '*': 'all' });
    for (const h of ['', '*.test.com', 'foo.com:80', 'a:b:c']) expect(idx.find(h)).toBe('all');
  });

  it('falls back to the default for an empty or malformed host', () => {
    const idx = index({ 'a.com': 'a', '*': 'default' });
    expect(idx.find('')).toBe('default');
    expect(idx.find('a:b:c')).toBe('default');
    expect(index({ 'a.com': 'a' }).find('')).toBeUndefined();
  });

  it('handles IPv6 authorities like Go SplitHostPort', () => {
    const idx = index({ '[::1]:8080': 'v6-port', '[::1]': 'v6' });
    expect(idx.find('[::1]:8080')).toBe('v6-port');
    expect(idx.find('[::1]')).toBe('v6');
  });

  it('stays correct when the cache is cycled by many hosts', () => {
    const idx = index({ 'keep.com': 'k', '*.x.com': 'x' });
    for (let i = 0; i < 3000; i++) expect(idx.find(`h${i}.x.com`)).toBe('x');
    expect(idx.find('keep.com')).toBe('k');
  });
});

describe('router virtual host selection', () => {
  it('routes by host through the compiled router', () => {
    const router = buildRouter({
      router_config_name: 'r',
      virtual_hosts: [
        { name: 'a', domains: ['a.com'], routers: [{ match: { prefix: '/' }, route: { cluster_name: 'A' } }] },
        { name: 'd', domains: ['*'], routers: [{ match: { prefix: '/' }, route: { cluster_name: 'D' } }] },
      ],
    });
    expect(clusterOf(router, { host: 'A.com', path: '/' })).toBe('A');
    expect(clusterOf(router, { host: 'b.com', path: '/' })).toBe('D');
    expect(router.match({ host: 'a.com', method: 'GET', path: '/', header: () => undefined })?.virtualHostName).toBe('a');
  });
});
