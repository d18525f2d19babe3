import { describe, expect, it } from 'vitest';
import type { HeaderWriter, VariableSource } from '../../../src/api/router.ts';
import { applyHeaderOps, expandHeaderValue } from '../../../src/router/header-mutation.ts';
import { buildRouter, request } from './build-router.ts';

class Headers implements HeaderWriter {
  readonly map = new Map<string, { name: string; value: string }>();
  constructor(init: Record<string, string> = {}) {
    for (const [k, v] of Object.entries(init)) this.map.set(k.toLowerCase(), { name: k, value: v });
  }
  get(lowerName: string): string | undefined {
    return this.map.get(lowerName)?.value;
  }
  set(name: string, lowerName: string, value: string): void {
    this.map.set(lowerName, { name, value });
  }
  remove(lowerName: string): void {
    this.map.delete(lowerName);
  }
  plain(): Record<string, string> {
    return Object.fromEntries([...this.map.values()].map((h) => [h.name, h.value]));
  }
}

const vars: VariableSource = {
  variable: (name) => ({ 'x-mosn-path': '/orig', upstream_host: '10.0.0.1:80', unset: '' })[name],
};

const add = (key: string, value: string, append?: boolean) => ({ header: { key, value }, ...(append === undefined ? {} : { append }) });

function routerWith(levels: { route?: unknown[]; vh?: unknown[]; global?: unknown[]; routeRemove?: string[]; globalRemove?: string[] }) {
  return buildRouter({
    router_config_name: 'r',
    request_headers_to_add: levels.global ?? [],
    request_headers_to_remove: levels.globalRemove ?? [],
    response_headers_to_add: [add('x-resp', 'global')],
    virtual_hosts: [
      {
        domains: ['*'],
        request_headers_to_add: levels.vh ?? [],
        response_headers_to_add: [add('x-resp', 'vh')],
        routers: [
          {
            match: { prefix: '/' },
            route: {
              cluster_name: 'c',
              request_headers_to_add: levels.route ?? [],
              request_headers_to_remove: levels.routeRemove ?? [],
              response_headers_to_add: [add('x-resp', 'route', false)],
            },
          },
        ],
      },
    ],
  });
}

function apply(router: ReturnType<typeof buildRouter>, init: Record<string, string>, response = false): Record<string, string> {
  const route = router.match(request({ path: '/' }))!;
  const h = new Headers(init);
  applyHeaderOps(response ? route.responseHeaderOps : route.requestHeaderOps, h, vars);
  return h.plain();
}

describe('header mutations', () => {
  it('append (default true) joins a non-empty value with ","; append false replaces', () => {
    const r = routerWith({ route: [add('X-A', 'new'), add('X-B', 'new', false), add('X-C', 'new')] });
    expect(apply(r, { 'x-a': 'old', 'x-b': 'old', 'x-c': '' })).toEqual({ 'X-A': 'old,new', 'X-B': 'new', 'X-C': 'new' });
    expect(apply(r, {})).toEqual({ 'X-A': 'new', 'X-B': 'new', 'X-C': 'new' });
  });

  it('expands whole-value %variables%; unknown ones stay as text', () => {
    const r = routerWith({ route: [add('x-path', '%x-mosn-path%'), add('x-up', '%upstream_host%'), add('x-unknown', '%nope%'), add('x-unset', '%unset%'), add('x-mixed', 'a-%x-mosn-path%')] });
    expect(apply(r, {})).toEqual({ 'x-path': '/orig', 'x-up': '10.0.0.1:80', 'x-unknown': '%nope%', 'x-unset': '', 'x-mixed': 'a-%x-mosn-path%' });
  });

  it('applies route, then virtual host, then router config (outer wins on a set), adds before removes', () => {
    const r = routerWith({
      route: [add('x-level', 'route', false), add('x-drop', 'route')],
      vh: [add('x-level', 'vh', false)],
      global: [add('x-level', 'global', false), add('x-trace', 'g')],
      routeRemove: ['X-Drop', 'x-secret'],
      globalRemove: ['x-trace'],
    });
    expect(apply(r, { 'x-secret': 's', 'x-keep': 'k' })).toEqual({ 'x-keep': 'k', 'x-level': 'global' });
    const ops = r.routes[0]!.requestHeaderOps.map((o) => (o.op === 'set' ? `set ${o.lowerName}=${o.text}` : `remove ${o.lowerName}`));
    expect(ops).toEqual([
      'set x-level=route',
      'set x-drop=route',
      'remove x-drop',
      'remove x-secret',
      'set x-level=vh',
      'set x-level=global',
      'set x-trace=g',
      'remove x-trace',
    ]);
  });

  it('response headers follow the same order', () => {
    expect(apply(routerWith({}), {}, true)).toEqual({ 'x-resp': 'route,vh,global' });
  });

  it('expandHeaderValue alone', () => {
    expect(expandHeaderValue({ text: 'plain', variable: undefined }, vars)).toBe('plain');
    expect(expandHeaderValue({ text: '%%x-mosn-path%%', variable: 'x-mosn-path' }, vars)).toBe('/orig');
  });
});
