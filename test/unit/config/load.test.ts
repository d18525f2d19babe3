import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ConfigLoadError, loadConfigFile, parseConfigText } from '../../../src/config/load.ts';
import { configExtensions } from '../../../src/control/config-source.ts';
import { minimalDoc } from './parse-doc.ts';

function loadErrorOf(text: string, file: string): ConfigLoadError {
  try {
    parseConfigText(text, file, configExtensions);
  } catch (err) {
    if (err instanceof ConfigLoadError) return err;
    throw err;
  }
  throw new Error('expected a ConfigLoadError');
}

describe('parseConfigText', () => {
  it('JSON syntax errors name the file, the JSON path, the line and column', () => {
    const text = '{\n  "servers": [\n    {\n      "listeners": [\n        {"name": "a", "address": "127.0.0.1:1",}\n      ]\n    }\n  ]\n}\n';
    const err = loadErrorOf(text, '/etc/mosn.json');
    expect(err.message).toBe('/etc/mosn.json: servers[0].listeners[0]: invalid JSON at line 5 column 48: Expected double-quoted property name');
    expect(err.path).toBe('servers[0].listeners[0]');
  });

  it('JSON errors V8 reports without a position still get a path, and never quote the document', () => {
    const err = loadErrorOf('{"servers": [{"default_log_level": }]}', 'c.json');
    expect(err.message).toBe('c.json: servers[0].default_log_level: invalid JSON at line 1 column 36: Unexpected token \'}\'');
  });

  it('an empty file is a JSON error at line 1', () => {
    expect(loadErrorOf('', 'c.json').message).toBe('c.json: invalid JSON at line 1 column 1: Unexpected end of JSON input');
  });

  it('YAML syntax errors name the file, the JSON path, the line and column', () => {
    const text = 'servers:\n  - listeners:\n      - name: a\n        address: "127.0.0.1:1\n';
    expect(loadErrorOf(text, 'c.yaml').message).toBe('c.yaml: servers[0].listeners[0].address: invalid YAML at line 5 column 1: Missing closing "quote');
    expect(loadErrorOf('servers:\n  - default_log_path: a\n    default_log_path: b\n', 'c.yml').message).toBe(
      'c.yml: servers[0].default_log_path: invalid YAML at line 3 column 5: Map keys must be unique',
    );
    // case variants are legal YAML; the reader refuses them as it does in JSON
    expect(loadErrorOf('servers:\n  - default_log_path: a\n    Default_Log_Path: b\n', 'c.yml').message).toBe(
      'c.yml: servers[0].Default_Log_Path: duplicate key (also spelled "default_log_path")',
    );
  });

  it('YAML documents parse like the same JSON (by extension)', () => {
    const doc = minimalDoc();
    const fromJson = parseConfigText(JSON.stringify(doc), 'a.json', configExtensions).snapshot;
    const fromYaml = parseConfigText(stringify(doc), 'a.yaml', configExtensions).snapshot;
    expect({ ...fromYaml, source: '' }).toEqual({ ...fromJson, source: '' });
  });

  it('document errors become load errors with the file', () => {
    const doc = minimalDoc();
    doc.servers[0]!.listeners[0]!['bogus'] = 1;
    expect(loadErrorOf(JSON.stringify(doc), 'x.json').message).toBe('x.json: servers[0].listeners[0].bogus: unknown key');
  });

  it('a missing file is one line with the errno code', () => {
    expect(() => loadConfigFile('/nonexistent/mosn.json', configExtensions)).toThrow('/nonexistent/mosn.json: cannot read config: ENOENT');
  });
});
