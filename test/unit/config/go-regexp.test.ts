import { describe, expect, it } from 'vitest';
import { checkGoRegexp, GoRegexpError, translateGoRegexp } from '../../../src/config/go-regexp.ts';

function re(pattern: string): RegExp {
  return new RegExp(checkGoRegexp(pattern), 'u');
}

describe('translateGoRegexp', () => {
  it('keeps plain patterns as they are', () => {
    expect(translateGoRegexp('^/api/v[0-9]+/.*$')).toBe('^/api/v[0-9]+/.*$');
    expect(re('/users/\\d+').test('/x/users/42')).toBe(true); // unanchored, like Go MatchString
  });

  it('turns a leading (?i) into a modifier group', () => {
    expect(translateGoRegexp('(?i)/xxx/')).toBe('(?i:/xxx/)');
    expect(re('(?i)/xxx/').test('/aaa/XxX/bbb')).toBe(true);
  });

  it('scopes inline flags to the rest of the enclosing group, across alternatives', () => {
    // Go: `a(?i)b|c` = "a" then case-insensitive "b", or case-insensitive "c"
    const r = re('^(?:a(?i)b|c)$');
    expect(['ab', 'aB', 'c', 'C'].map((s) => r.test(s))).toEqual([true, true, true, true]);
    expect(['AB', 'aC'].map((s) => r.test(s))).toEqual([false, false]);
    const g = re('^(x(?i)y)z$');
    expect(g.test('xYz')).toBe(true);
    expect(g.test('xYZ')).toBe(false);
  });

  it('translates named groups, \\A, \\z, \\Q…\\E, octal, \\x{…} and \\a', () => {
    expect(re('(?P<svc>[a-z]+)').exec('abc')!.groups!['svc']).toBe('abc');
    expect(re('\\A/a\\z').test('/a')).toBe(true);
    expect(re('\\A/a\\z').test('x/a')).toBe(false);
    expect(re('\\A/a\\z').test('/a\n')).toBe(false);
    expect(re('^\\Q a.b*\\E$').test(' a.b*')).toBe(true);
    expect(re('^\\Q a.b*\\E$').test(' axbb')).toBe(false);
    expect(re('^\\101\\x42\\x{43}$').test('ABC')).toBe(true);
    expect(re('\\a').test('\u0007')).toBe(true);
  });

  it('gives \\s the RE2 (ASCII) meaning', () => {
    expect(re('^\\s$').test('\u00a0')).toBe(false);
    expect(re('^\\s$').test('\t')).toBe(true);
    expect(re('^\\S$').test('\u00a0')).toBe(true);
  });

  it('translates Unicode classes and POSIX classes', () => {
    expect(re('^\\pL+$').test('Grüße')).toBe(true);
    expect(re('^\\p{Greek}+$').test('αβγ')).toBe(true);
    expect(re('^\\P{Greek}+$').test('abc')).toBe(true);
    expect(re('^[[:alpha:]]+$').test('abcXYZ')).toBe(true);
    expect(re('^[[:alpha:]]+$').test('a:')).toBe(false); // JS alone would read [:alpha:] as a set of letters
    expect(re('^[[:digit:]_]+$').test('12_3')).toBe(true);
  });

  it('keeps literal braces and brackets that Go reads as literals', () => {
    expect(re('^a{$').test('a{')).toBe(true);
    expect(re('^a{,2}$').test('a{,2}')).toBe(true);
    expect(re('^a{2}$').test('aa')).toBe(true);
    expect(re('^x]}$').test('x]}')).toBe(true);
    expect(re('^[]a]+$').test(']a]')).toBe(true);
    expect(re('^[^]a]+$').test('bcd')).toBe(true);
    expect(re('^\\#\\-\\:$').test('#-:')).toBe(true);
    expect(re('^[\\-a]+$').test('-a-')).toBe(true);
  });

  it('rejects what RE2 rejects', () => {
    for (const bad of ['(?=a)', '(?!a)', '(?<=a)b', '(?<!a)b', '(a)\\1', '(?U)a+', '\\k<x>', 'a{1001}', '(a', 'a)', '[a', '\\', '\\8']) {
      expect(() => checkGoRegexp(bad), bad).toThrow(GoRegexpError);
    }
  });

  it('reports the engine message for patterns the translation lets through', () => {
    expect(() => checkGoRegexp('a**')).toThrow(/Nothing to repeat/);
  });
});
