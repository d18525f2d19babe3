import { describe, expect, it } from 'vitest';
import { cookieValue, hashKeyOf } from '../../../src/router/hash-key.ts';
import { request } from './build-router.ts';

describe('hashKeyOf', () => {
  const req = request({ path: '/', headers: { 'x-user': 'u1', cookie: 'a=1; session="abc"; sessionx=2' } });
  it('header, cookie, source ip', () => {
    expect(hashKeyOf({ kind: 'header', key: 'x-user' }, req, '10.0.0.1')).toBe('u1');
    expect(hashKeyOf({ kind: 'header', key: 'x-none' }, req, '10.0.0.1')).toBeUndefined();
    expect(hashKeyOf({ kind: 'cookie', name: 'session' }, req, '10.0.0.1')).toBe('abc');
    expect(hashKeyOf({ kind: 'cookie', name: 'sess' }, req, '10.0.0.1')).toBeUndefined();
    expect(hashKeyOf({ kind: 'cookie', name: 'x' }, request({}), '10.0.0.1')).toBeUndefined();
    expect(hashKeyOf({ kind: 'source-ip' }, req, '10.0.0.1')).toBe('10.0.0.1');
  });

  it('cookieValue parses a Cookie header', () => {
    expect(cookieValue('a=1;b=2', 'b')).toBe('2');
    expect(cookieValue('a=1;  b=', 'b')).toBe('');
    expect(cookieValue('ab=1', 'b')).toBeUndefined();
  });
});
