import { describe, expect, it } from 'vitest';
import { redirectLocation } from '../../../src/router/redirect.ts';
import { buildRouter, oneHost, request } from './build-router.ts';

const current = { scheme: 'http', host: 'example.com', path: '/old/page', query: 'a=1&b=2' };

function redirectOf(redirect: Record<string, unknown>) {
  const route = buildRouter(oneHost([{ match: { prefix: '/' }, redirect }])).match(request({ path: '/x' }))!;
  expect(route.kind).toBe('redirect');
  return route.redirect!;
}

describe('redirect', () => {
  it('defaults to 301 and accepts 301, 302, 303, 307, 308', () => {
    expect(redirectOf({}).responseCode).toBe(301);
    for (const code of [301, 302, 303, 307, 308]) expect(redirectOf({ response_code: code }).responseCode).toBe(code);
  });

  it('builds Location from the rule, else the request, keeping the query', () => {
    expect(redirectLocation(redirectOf({ path_redirect: '/new' }), current)).toBe('http://example.com/new?a=1&b=2');
    expect(redirectLocation(redirectOf({ host_redirect: 'other.org:8443' }), current)).toBe('http://other.org:8443/old/page?a=1&b=2');
    expect(redirectLocation(redirectOf({ scheme_redirect: 'HTTPS' }), { ...current, query: '' })).toBe('https://example.com/old/page');
  });

  it('drops a port that no longer fits when the scheme changes', () => {
    const toHttps = redirectOf({ scheme_redirect: 'https' });
    expect(redirectLocation(toHttps, { ...current, host: 'example.com:80' })).toBe('https://example.com/old/page?a=1&b=2');
    expect(redirectLocation(toHttps, { ...current, host: 'example.com:8080' })).toBe('https://example.com:8080/old/page?a=1&b=2');
    expect(redirectLocation(toHttps, { ...current, host: '[::1]:80', query: '' })).toBe('https://[::1]/old/page');
    const toHttp = redirectOf({ scheme_redirect: 'http' });
    expect(redirectLocation(toHttp, { ...current, scheme: 'https', host: 'example.com:443', query: '' })).toBe('http://example.com/old/page');
    // same scheme: the port stays
    expect(redirectLocation(toHttp, { ...current, host: 'example.com:443', query: '' })).toBe('http://example.com:443/old/page');
  });

  it('adds the slash between host and a relative path_redirect', () => {
    expect(redirectLocation(redirectOf({ path_redirect: 'rel' }), { ...current, query: '' })).toBe('http://example.com/rel');
  });
});
