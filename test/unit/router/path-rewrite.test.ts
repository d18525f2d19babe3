import { describe, expect, it } from 'vitest';
import { parseGoTemplate, rewritePath } from '../../../src/router/path-rewrite.ts';
import { buildRouter, oneHost, request } from './build-router.ts';

function rewriteOf(match: unknown, route: Record<string, unknown>, path: string, reqPath = path): string | undefined {
  const router = buildRouter(oneHost([{ match, route: { cluster_name: 'c', ...route } }]));
  const matched = router.match(request({ path: reqPath, headers: { service: 's' } }));
  if (matched === undefined) throw new Error('no route');
  return rewritePath(matched, path);
}

describe('prefix_rewrite', () => {
  it('replaces the matched prefix (MOSN finalizePathHeader cases)', () => {
    expect(rewriteOf({ prefix: '/' }, { prefix_rewrite: '/abc/' }, '/')).toBe('/abc/');
    expect(rewriteOf({ prefix: '/index/' }, { prefix_rewrite: '/abc/' }, '/index/page/')).toBe('/abc/page/');
    expect(rewriteOf({ prefix: '/api/' }, { prefix_rewrite: '/' }, '/api/users')).toBe('/users');
  });

  it('on a path rule replaces the whole path when it matches case-sensitively', () => {
    expect(rewriteOf({ path: '/old' }, { prefix_rewrite: '/new' }, '/old')).toBe('/new');
    // matched case-insensitively, but MOSN's HasPrefix check leaves it alone
    expect(rewriteOf({ path: '/old' }, { prefix_rewrite: '/new' }, '/OLD')).toBeUndefined();
  });

  it('on a regex rule compares with the regex source (MOSN quirk)', () => {
    expect(rewriteOf({ regex: '/svc' }, { prefix_rewrite: '/x' }, '/svc/a')).toBe('/x/a');
    expect(rewriteOf({ regex: '^/svc' }, { prefix_rewrite: '/x' }, '/svc/a')).toBeUndefined();
  });

  it('never applies on RPC rules', () => {
    expect(rewriteOf({ headers: [{ name: 'service', value: '.*' }] }, { prefix_rewrite: '/x' }, '/a', '')).toBeUndefined();
  });

  it('takes precedence over regex_rewrite (MOSN)', () => {
    const route = { prefix_rewrite: '/p/', regex_rewrite: { pattern: { regex: '.*' }, substitution: 'r' } };
    expect(rewriteOf({ prefix: '/' }, route, '/x')).toBe('/p/x');
  });
});

describe('regex_rewrite (Go ReplaceAllString)', () => {
  const cases: [string, string, string, string][] = [
    // MOSN base_rule_test.go
    ['^/service/([^/]+)(/.*)$', '${2}/instance/${1}', '/service/foo/v1/api', '/v1/api/instance/foo'],
    ['one', 'two', '/xxx/one/yyy/one/zzz', '/xxx/two/yyy/two/zzz'],
    ['^(.*?)one(.*)$', '${1}two${2}', '/xxx/one/yyy/one/zzz', '/xxx/two/yyy/one/zzz'],
    ['(?i)/xxx/', '/yyy/', '/aaa/XxX/bbb', '/aaa/yyy/bbb'],
    // Go template details
    ['/(?P<id>\\d+)', '/n-$id', '/u/42', '/u/n-42'],
    ['/(\\d+)', '/$1x', '/u/42', '/u/'], // "$1x" names group "1x", which does not exist
    ['/(\\d+)', '/${1}x', '/u/42', '/u/42x'],
    ['/(\\d+)', '/$$1', '/u/42', '/u/$1'],
    ['/(\\d+)', '/$', '/u/42', '/u/$'],
    // empty matches: none right after a previous match
    ['a*', '-', 'baaac', '-b-c-'],
    ['x*', '-', 'abc', '-a-b-c-'],
  ];
  for (const [regex, substitution, path, want] of cases) {
    it(`${regex} -> ${substitution} on ${path}`, () => {
      expect(rewriteOf({ prefix: '/' }, { regex_rewrite: { pattern: { regex }, substitution } }, path, '/')).toBe(want);
    });
  }

  it('returns undefined when nothing changes (no x-mosn-original-path then)', () => {
    expect(rewriteOf({ prefix: '/' }, { regex_rewrite: { pattern: { regex: 'nomatch' }, substitution: 'x' } }, '/a')).toBeUndefined();
  });

  it('is repeatable (the global regex is reset every time)', () => {
    const router = buildRouter(oneHost([{ match: { prefix: '/' }, route: { cluster_name: 'c', regex_rewrite: { pattern: { regex: 'o' }, substitution: '0' } } }]));
    const route = router.match(request({ path: '/' }))!;
    expect([rewritePath(route, '/foo'), rewritePath(route, '/foo'), rewritePath(route, '/boo')]).toEqual(['/f00', '/f00', '/b00']);
  });
});

describe('parseGoTemplate', () => {
  it('splits literals and group references', () => {
    expect(parseGoTemplate('a${1}b$name$$c${x_y}')).toEqual(['a', 1, 'b', { name: 'name' }, '$c', { name: 'x_y' }]);
    expect(parseGoTemplate('${')).toEqual(['${']);
  });
});
