// `request_headers_to_add/remove` and `response_headers_to_add/remove`, the same at router
// config, virtual host and route level.
import type { ConfigNode } from '../api/config-node.ts';
import type { HeaderMutationConfig, HeaderToAdd } from '../api/router.ts';
import { ConfigError } from '../common/errors.ts';

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** MOSN: a value that is entirely `%name%` (longer than 2) names a variable; `%` runs are trimmed. */
function variableOf(value: string): string | undefined {
  if (value.length <= 2 || !value.startsWith('%') || !value.endsWith('%')) return undefined;
  const name = value.replace(/^%+|%+$/g, '');
  return name === '' ? undefined : name;
}

function parseHeaderToAdd(node: ConfigNode): HeaderToAdd {
  const header = node.requiredObject('header');
  const name = header.requiredString('key');
  if (!HEADER_NAME.test(name)) header.fail('key', `invalid header name ${JSON.stringify(name)}`);
  const text = header.string('value', '');
  if (/[\r\n\0]/.test(text)) header.fail('value', 'must not contain CR, LF or NUL');
  header.finish();
  const append = node.boolean('append', true);
  node.finish();
  return { name, lowerName: name.toLowerCase(), text, variable: variableOf(text), append };
}

function parseMutation(node: ConfigNode, addKey: string, removeKey: string): HeaderMutationConfig {
  const add = node.objects(addKey).map(parseHeaderToAdd);
  const remove = (node.stringArray(removeKey) ?? []).map((name, i) => {
    if (!HEADER_NAME.test(name)) {
      throw new ConfigError(`${node.pathOf(removeKey)}[${i}]`, `invalid header name ${JSON.stringify(name)}`);
    }
    return name.toLowerCase();
  });
  return { add, remove };
}

export function parseRequestHeaderMutation(node: ConfigNode): HeaderMutationConfig {
  return parseMutation(node, 'request_headers_to_add', 'request_headers_to_remove');
}

export function parseResponseHeaderMutation(node: ConfigNode): HeaderMutationConfig {
  return parseMutation(node, 'response_headers_to_add', 'response_headers_to_remove');
}
