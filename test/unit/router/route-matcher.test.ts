import { describe, expect, it } from 'vitest';
import { buildRouter, clusterOf, oneHost } from './build-router.ts';

const rule = (match: unknown, cluster: string) => ({ match, route: { cluster_name: cluster } });

describe('path matchers', () => {
  it('prefix: case-sensitive startsWith', () => {
    const r = buildRouter(oneHost([rule({ prefix: '/api/' }, 'api')]));
    expect(clusterOf(r, { path: '/api/users' })).toBe('api');
    expect(clusterOf(r, { path: '/api/' })).toBe('api');
    expect(clusterOf(r, { path: '/API/users' })).toBeUndefined();
    expect(clusterOf(r, { path: '/api' })).toBeUndefined();
  });

  it('path: case-insensitive equality (MOSN EqualFold)', () => {
    const r = buildRouter(oneHost([rule({ path: '/Login' }, 'login')]));
    expect(clusterOf(r, { path: '/Login' })).toBe('login');
    expect(clusterOf(r, { path: '/login' })).toBe('login');
    expect(clusterOf(r, { path: '/LOGIN' })).toBe('login');
    expect(clusterOf(r, { path: '/login/' })).toBeUndefined();
    expect(clusterOf(r, { path: '/logi' })).toBeUndefined();
  });

  it('regex: unanchored unless anchored (Go MatchString)', () => {
    const r = buildRouter(oneHost([rule({ regex: '/v[0-9]+/' }, 'loose'), rule({ regex: '^/exact$' }, 'anchored')]));
    expect(clusterOf(r, { path: '/x/v2/y' })).toBe('loose');
    expect(clusterOf(r, { path: '/exact' })).toBe('anchored');
    expect(clusterOf(r, { path: '/exact/' })).toBeUndefined();
  });

  it('Go inline flags work in path regexes', () => {
    const r = buildRouter(oneHost([rule({ regex: '(?i)^/admin' }, 'admin')]));
    expect(clusterOf(r, { path: '/ADMIN/x' })).toBe('admin');
  });

  it('HTTP rules never match an RPC request (empty path)', () => {
    const r = buildRouter(oneHost([rule({ prefix: '/' }, 'p'), rule({ regex: '.*' }, 'r'), rule({ headers: [{ name: 'service', value: '.*' }] }, 'rpc')]));
    expect(clusterOf(r, { path: '', headers: { service: 'com.a.B' } })).toBe('rpc');
    expect(clusterOf(r, { path: '/x' })).toBe('p');
  });
});

describe('header matchers', () => {
  const r = buildRouter(
    oneHost([
      rule({ prefix: '/', headers: [{ name: 'X-Canary', value: '1' }, { name: 'x-env', value: '^(dev|test)$', regex: true }] }, 'both'),
      rule({ prefix: '/', headers: [{ name: 'x-debug' }] }, 'present'),
      rule({ prefix: '/', headers: [{ name: 'x-empty', value: '' }] }, 'empty'),
      rule({ prefix: '/', headers: [{ name: 'method', value: 'POST' }] }, 'post'),
      rule({ prefix: '/' }, 'fallback'),
    ]),
  );

  it('ANDs exact and regex conditions', () => {
    expect(clusterOf(r, { path: '/', headers: { 'x-canary': '1', 'x-env': 'dev' } })).toBe('both');
    expect(clusterOf(r, { path: '/', headers: { 'x-canary': '1', 'x-env': 'prod' } })).toBe('fallback');
    expect(clusterOf(r, { path: '/', headers: { 'x-canary': '2', 'x-env': 'dev' } })).toBe('fallback');
    expect(clusterOf(r, { path: '/', headers: { 'x-env': 'dev' } })).toBe('fallback');
  });

  it('no value = present; "" = present and empty (MOSN)', () => {
    expect(clusterOf(r, { path: '/', headers: { 'x-debug': '' } })).toBe('present');
    expect(clusterOf(r, { path: '/', headers: { 'x-debug': 'anything' } })).toBe('present');
    expect(clusterOf(r, { path: '/', headers: { 'x-empty': '' } })).toBe('empty');
    expect(clusterOf(r, { path: '/', headers: { 'x-empty': 'v' } })).toBe('fallback');
  });

  it('"method" tests the HTTP method in HTTP rules', () => {
    expect(clusterOf(r, { path: '/', method: 'POST' })).toBe('post');
    expect(clusterOf(r, { path: '/', method: 'GET', headers: { method: 'POST' } })).toBe('fallback');
  });

  it('"method" is an ordinary header in RPC rules (Dubbo)', () => {
    const rpc = buildRouter(oneHost([rule({ headers: [{ name: 'service', value: 'S' }, { name: 'method', value: 'echo' }] }, 'dubbo')]));
    expect(clusterOf(rpc, { method: '', headers: { service: 'S', method: 'echo' } })).toBe('dubbo');
    expect(clusterOf(rpc, { method: 'echo', headers: { service: 'S' } })).toBeUndefined();
  });
});

describe('RPC service rules (MOSN fast match)', () => {
  const r = buildRouter(
    oneHost([
      rule({ headers: [{ name: 'service', value: 'com.example.EchoService:1.0' }] }, 'echo'),
      rule({ headers: [{ name: 'service', value: '.*' }] }, 'any'),
    ]),
  );
  it('exact service first, then ".*" for any non-empty service', () => {
    expect(clusterOf(r, { headers: { service: 'com.example.EchoService:1.0' } })).toBe('echo');
    expect(clusterOf(r, { headers: { service: 'com.example.Other:1.0' } })).toBe('any');
    expect(clusterOf(r, { headers: { service: '' } })).toBeUndefined();
    expect(clusterOf(r, { headers: {} })).toBeUndefined();
  });

  it('a regex service matcher is a real regex (MOSN would compare it literally)', () => {
    const rr = buildRouter(oneHost([rule({ headers: [{ name: 'service', value: '^com\\.a\\.', regex: true }] }, 'a')]));
    expect(clusterOf(rr, { headers: { service: 'com.a.Svc' } })).toBe('a');
    expect(clusterOf(rr, { headers: { service: 'com.b.Svc' } })).toBeUndefined();
  });

  it('a rule without match conditions matches everything', () => {
    const all = buildRouter(oneHost([{ route: { cluster_name: 'all' } }]));
    expect(clusterOf(all, { path: '/x' })).toBe('all');
    expect(clusterOf(all, {})).toBe('all');
  });
});

describe('rule order', () => {
  it('first match wins, in config order', () => {
    const r = buildRouter(oneHost([rule({ prefix: '/api/v2/' }, 'v2'), rule({ prefix: '/api/' }, 'api'), rule({ prefix: '/api/v3/' }, 'never')]));
    expect(clusterOf(r, { path: '/api/v2/x' })).toBe('v2');
    expect(clusterOf(r, { path: '/api/v3/x' })).toBe('api');
    expect(r.routes.map((x) => x.id)).toEqual([0, 1, 2]);
  });
});

describe('runs of exact single-header rules (grouped into one lookup)', () => {
  const svc = (value: string, cluster: string, name = 'service') => rule({ headers: [{ name, value }] }, cluster);
  const r = buildRouter(
    oneHost([
      svc('A', 'a1'),
      svc('B', 'b'),
      svc('A', 'a2'), // shadowed by the first A
      svc('C', 'c'),
      svc('D', 'd'),
      svc('.*', 'any'),
      svc('E', 'never'),
      svc('x1', 'x1', 'x-other'),
    ]),
  );
  it('keeps first-match-wins order', () => {
    expect(clusterOf(r, { headers: { service: 'A' } })).toBe('a1');
    expect(clusterOf(r, { headers: { service: 'D' } })).toBe('d');
    expect(clusterOf(r, { headers: { service: 'E' } })).toBe('any');
    expect(clusterOf(r, { headers: { service: 'Z' } })).toBe('any');
    expect(clusterOf(r, { headers: { 'x-other': 'x1' } })).toBe('x1');
    expect(clusterOf(r, { headers: { service: 'a' } })).toBe('any'); // values compare exactly
  });

  it('a run broken by another rule keeps the rule in between', () => {
    const rr = buildRouter(
      oneHost([svc('A', 'a'), svc('B', 'b'), svc('C', 'c'), svc('D', 'd'), rule({ prefix: '/' }, 'http'), svc('E', 'e'), svc('F', 'f'), svc('G', 'g'), svc('H', 'h')]),
    );
    expect(clusterOf(rr, { path: '/x', headers: { service: 'E' } })).toBe('http');
    expect(clusterOf(rr, { path: '', headers: { service: 'E' } })).toBe('e');
    expect(clusterOf(rr, { path: '/x', headers: { service: 'B' } })).toBe('b');
  });
});
