// Reads a MOSN config file (JSON, or YAML by extension) and parses it. Every failure becomes a
// ConfigLoadError whose message is one line: file, JSON path, reason.
import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigError, errorMessage } from '../common/errors.ts';
import { jsonPathAt, lineColumnAt } from './json-path.ts';
import { jsonSyntaxErrorOffset } from './json-syntax.ts';
import { parseMosnConfig, type ConfigExtensions, type ParsedConfig } from './mosn-config.ts';
import { yamlPathAt } from './yaml-path.ts';

export class ConfigLoadError extends Error {
  readonly code = 'ERR_CONFIG_LOAD';
  readonly file: string;
  readonly path: string;
  constructor(file: string, path: string, reason: string) {
    super(`${file}: ${path ? `${path}: ` : ''}${reason}`);
    this.name = 'ConfigLoadError';
    this.file = file;
    this.path = path;
  }
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    // V8's message quotes the document for some errors; keep only the reason.
    const message = errorMessage(err);
    const reason = message
      .replace(/ in JSON at position \d+.*$/s, '')
      .replace(/, (?:".*"|\.\.\..*) is not valid JSON$/s, '')
      .replace(/^(.*?) is not valid JSON$/s, '$1');
    const position = /position (\d+)/.exec(message);
    const offset = position ? Number(position[1]) : jsonSyntaxErrorOffset(text);
    if (offset === undefined) throw new ConfigLoadError(file, '', `invalid JSON: ${reason}`);
    const { line, column } = lineColumnAt(text, offset);
    throw new ConfigLoadError(file, jsonPathAt(text, offset), `invalid JSON at line ${line} column ${column}: ${reason}`);
  }
}

function parseYaml(text: string, file: string): unknown {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const offset = first.pos[0];
    const { line, column } = lineColumnAt(text, offset);
    throw new ConfigLoadError(file, yamlPathAt(doc, offset), `invalid YAML at line ${line} column ${column}: ${first.message.split('\n')[0]}`);
  }
  return doc.toJS();
}

/** Parses the document text; `file` is only used in messages and the snapshot. */
export function parseConfigText(text: string, file: string, ext: ConfigExtensions, generation = 1): ParsedConfig {
  const kind = extname(file).toLowerCase();
  const raw = kind === '.yaml' || kind === '.yml' ? parseYaml(text, file) : parseJson(text, file);
  try {
    return parseMosnConfig(raw, file, ext, generation);
  } catch (err) {
    if (err instanceof ConfigError) throw new ConfigLoadError(file, err.path, err.reason);
    throw err;
  }
}

export function loadConfigFile(file: string, ext: ConfigExtensions, generation = 1): ParsedConfig {
  const abs = resolve(file);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (err) {
    throw new ConfigLoadError(file, '', `cannot read config: ${(err as NodeJS.ErrnoException).code ?? errorMessage(err)}`);
  }
  return parseConfigText(text, abs, ext, generation);
}
