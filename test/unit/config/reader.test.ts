import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/common/errors.ts';
import { JsonConfigNode, ReaderContext } from '../../../src/config/reader.ts';

function node(data: unknown, path = 'root'): { n: JsonConfigNode; ctx: ReaderContext } {
  const ctx = new ReaderContext();
  return { n: new JsonConfigNode(data, path, ctx), ctx };
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('JsonConfigNode', () => {
  it('matches keys case-insensitively and reports paths with the document spelling', () => {
    const { n } = node({ Stat_Prefix: 'x', MAX_CONNECT_ATTEMPTS: 'three' });
    expect(n.string('stat_prefix')).toBe('x');
    expect(n.has('STAT_PREFIX')).toBe(true);
    expect(n.pathOf('max_connect_attempts')).toBe('root.MAX_CONNECT_ATTEMPTS');
    expect(errorOf(() => n.integer('max_connect_attempts', {}))).toBe('root.MAX_CONNECT_ATTEMPTS: expected an integer, got the string "three"');
  });

  it('refuses two case-variants of one key (Go would silently take the later one)', () => {
    expect(errorOf(() => node({ name: 'a', Name: 'b' }))).toBe('root.Name: duplicate key (also spelled "name")');
  });

  it('reports keys nobody read as unknown, with their path', () => {
    const { n } = node({ name: 'a', naem: 'typo' });
    n.string('name');
    expect(errorOf(() => n.finish())).toBe('root.naem: unknown key');
  });

  it('does not count a key as read because a different key was read', () => {
    const { n } = node({ cluster: 'a' });
    n.string('clusters');
    expect(errorOf(() => n.finish())).toBe('root.cluster: unknown key');
  });

  it('at the document root the path is the bare key', () => {
    const ctx = new ReaderContext();
    const root = JsonConfigNode.root({ bogus: 1 }, ctx);
    expect(errorOf(() => root.finish())).toBe('bogus: unknown key');
  });

  it('type errors name the path and what was found', () => {
    const { n } = node({ s: 5, i: 1.5, b: 'yes', o: [1], a: { x: 1 }, sa: ['a', 2], m: { k: 3 }, big: 10, small: -1 });
    expect(errorOf(() => n.string('s'))).toBe('root.s: expected a string, got number 5');
    expect(errorOf(() => n.integer('i', {}))).toBe('root.i: expected an integer, got number 1.5');
    expect(errorOf(() => n.boolean('b', false))).toBe('root.b: expected true or false, got the string "yes"');
    expect(errorOf(() => n.object('o'))).toBe('root.o: expected an object, got an array');
    expect(errorOf(() => n.objects('a'))).toBe('root.a: expected an array, got an object');
    expect(errorOf(() => n.stringArray('sa'))).toBe('root.sa[1]: expected a string, got number 2');
    expect(errorOf(() => n.stringMap('m'))).toBe('root.m.k: expected a string, got number 3');
    expect(errorOf(() => n.integer('big', { max: 5 }))).toBe('root.big: must be <= 5, got 10');
    expect(errorOf(() => n.integer('small', { min: 0 }))).toBe('root.small: must be >= 0, got -1');
  });

  it('array items carry their index in the path', () => {
    const { n } = node({ hosts: [{ address: 'a' }, 'oops'] });
    expect(errorOf(() => n.objects('hosts'))).toBe('root.hosts[1]: expected an object, got the string "oops"');
  });

  it('null counts as absent and takes the fallback', () => {
    const { n } = node({ s: null, d: null });
    expect(n.string('s', 'dflt')).toBe('dflt');
    expect(n.has('s')).toBe(false);
    expect(n.duration('d', 7)).toBe(7);
    n.finish();
  });

  it('oneOf compares case-insensitively and returns the listed spelling', () => {
    const { n } = node({ lb: 'lb_random', bad: 'LB_FOO' });
    expect(n.oneOf('lb', ['LB_RANDOM', 'LB_ROUNDROBIN'], 'LB_ROUNDROBIN')).toBe('LB_RANDOM');
    expect(errorOf(() => n.oneOf('bad', ['LB_RANDOM'], 'LB_RANDOM'))).toBe('root.bad: unsupported value "LB_FOO" (supported: LB_RANDOM)');
  });

  it('durations use Go syntax and reject numbers other than 0', () => {
    const { n } = node({ a: '1m30s', z: 0, n: 5, bad: '10 seconds' });
    expect(n.duration('a')).toBe(90_000);
    expect(n.duration('z')).toBe(0);
    expect(errorOf(() => n.duration('n'))).toBe('root.n: expected a duration string such as "10s" or "250ms", got number 5');
    expect(errorOf(() => n.duration('bad'))).toBe('root.bad: invalid duration "10 seconds" (use Go syntax: "10s", "1m30s", "250ms")');
  });

  it('required values name the missing key', () => {
    const { n } = node({ name: '' });
    expect(errorOf(() => n.requiredString('name'))).toBe('root.name: is required');
    expect(errorOf(() => n.requiredObject('address'))).toBe('root.address: is required');
  });

  it('ignore() records a warning with the path and marks the key read', () => {
    const { n, ctx } = node({ Log_Path: 'x' });
    n.ignore('log_path', 'MOSN ignores it too');
    n.ignore('absent', 'never warned');
    n.finish();
    expect(ctx.warnings).toEqual([{ path: 'root.Log_Path', message: 'ignored: MOSN ignores it too' }]);
  });

  it('refuse() fails only when the key carries a value', () => {
    const { n } = node({ health_check: null, slow_start: { mode: 'x' } });
    n.refuse('health_check', 'not implemented');
    expect(errorOf(() => n.refuse('slow_start', 'not implemented'))).toBe('root.slow_start: not supported: not implemented');
  });

  it('reference() records cluster names with their path for the later check', () => {
    const { n, ctx } = node({ Cluster: 'backend' });
    expect(n.reference('cluster', 'cluster')).toBe('backend');
    expect(ctx.references).toEqual([{ kind: 'cluster', name: 'backend', path: 'root.Cluster' }]);
  });

  it('objectOrEmpty gives an empty node with the path of the absent key', () => {
    const { n } = node({});
    const child = n.objectOrEmpty('config');
    expect(child.path).toBe('root.config');
    child.finish();
  });
});
