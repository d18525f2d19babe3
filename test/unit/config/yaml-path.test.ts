import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { yamlPathAt } from '../../../src/config/yaml-path.ts';

function pathOfFirstError(text: string): string {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (!first) throw new Error('expected a YAML error');
  return yamlPathAt(doc, first.pos[0]);
}

describe('yamlPathAt', () => {
  it('names the key whose value is broken', () => {
    const text = 'servers:\n  - listeners:\n      - name: a\n        address: "127.0.0.1:1\n';
    expect(pathOfFirstError(text)).toBe('servers[0].listeners[0].address');
  });

  it('names the duplicated key', () => {
    expect(pathOfFirstError('servers:\n  - default_log_path: stdout\n    default_log_path: stderr\n')).toBe('servers[0].default_log_path');
  });

  it('descends into flow collections', () => {
    const text = 'servers:\n  - listeners:\n      - filter_chains: [ { filters: [ {type: tcp_proxy, config: {cluster: c} ] } ]\n';
    expect(pathOfFirstError(text)).toBe('servers[0].listeners[0].filter_chains[0].filters[0].config.cluster');
  });

  it('is empty when the error precedes any key', () => {
    expect(pathOfFirstError('[a, b\n')).toBe('[1]');
    expect(pathOfFirstError('"unterminated\n')).toBe('');
  });
});
