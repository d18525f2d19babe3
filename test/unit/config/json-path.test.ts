import { describe, expect, it } from 'vitest';
import { jsonPathAt, lineColumnAt } from '../../../src/config/json-path.ts';
import { jsonSyntaxErrorOffset } from '../../../src/config/json-syntax.ts';

function errorOffset(text: string): number {
  const at = jsonSyntaxErrorOffset(text);
  if (at === undefined) throw new Error('expected a JSON syntax error');
  return at;
}

describe('jsonPathAt', () => {
  it.each([
    ['{"servers": [{"listeners": [{"name": "a",}]}]}', 'servers[0].listeners[0]'],
    ['{"servers": [{"listeners": [{"name": "a"}, {"name": "b" "x": 1}]}]}', 'servers[0].listeners[1].name'],
    ['{"cluster_manager": {"clusters": [{"hosts": [{"address": 1.2.3}]}]}}', 'cluster_manager.clusters[0].hosts[0].address'],
    ['{"admin": {"address": {"socket_address": {"port_value": }}}}', 'admin.address.socket_address.port_value'],
    ['{"a": [1, 2, 3,]}', 'a[3]'],
    ['{"a": "x\\"y", "b": tru}', 'b'],
    ['{"a": {"b": 1}, "c": [}', 'c[0]'],
    ['{', ''],
  ])('%s -> %s', (text, path) => {
    expect(jsonPathAt(text, errorOffset(text))).toBe(path);
  });

  it('keys with escaped quotes do not end the string early', () => {
    const text = '{"we\\"ird": {"x": ]}}';
    expect(jsonPathAt(text, errorOffset(text))).toBe('we"ird.x');
  });

  it('line and column are 1-based', () => {
    expect(lineColumnAt('ab\ncd\nef', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumnAt('ab\ncd\nef', 4)).toEqual({ line: 2, column: 2 });
    expect(lineColumnAt('ab\ncd\nef', 6)).toEqual({ line: 3, column: 1 });
  });
});
