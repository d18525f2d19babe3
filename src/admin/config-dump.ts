// /api/v1/config_dump: the loaded MOSN document, or one part of it (MOSN's query parameters:
// mosnconfig, allrouters, allclusters, alllisteners, router=, cluster=, listener=), with TLS
// private keys redacted (MOSN #2433).
import { isPlainObject } from '../config/reader.ts';
import type { Reply } from './http-server.ts';

const REDACTED = '[redacted]';

export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = k.toLowerCase() === 'private_key' && v ? REDACTED : redact(v);
  return out;
}

/** Case-insensitive key lookup, as the config loader reads keys. */
function get(obj: unknown, key: string): unknown {
  if (!isPlainObject(obj)) return undefined;
  const k = Object.keys(obj).find((x) => x.toLowerCase() === key);
  return k === undefined ? undefined : obj[k];
}

function list(obj: unknown, key: string): unknown[] {
  const v = get(obj, key);
  return Array.isArray(v) ? v : [];
}

function byName(items: unknown[], nameKey: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const item of items) {
    const name = get(item, nameKey);
    if (typeof name === 'string') out[name] = item;
  }
  return out;
}

function json(v: unknown): Reply {
  return { status: 200, type: 'application/json', body: `${JSON.stringify(v, null, 1)}\n` };
}

export function configDump(raw: unknown, params: URLSearchParams): Reply {
  const keys = [...new Set(params.keys())];
  const doc = redact(raw);
  if (keys.length === 0) return json(doc);
  if (keys.length > 1) return { status: 400, body: 'only support one parameter' };
  const server = list(doc, 'servers')[0];
  const routers = byName(list(server, 'routers'), 'router_config_name');
  const listeners = byName(list(server, 'listeners'), 'name');
  const clusters = byName(list(get(doc, 'cluster_manager'), 'clusters'), 'name');
  const one = (set: Record<string, unknown>, name: string | null): Reply => {
    const v = name === null ? undefined : set[name];
    return v === undefined ? { status: 404, type: 'application/json', body: '{\n "error": "not found"\n}\n' } : json(v);
  };
  switch (keys[0]) {
    case 'mosnconfig':
      return json(doc);
    case 'allrouters':
      return json(routers);
    case 'allclusters':
      return json(clusters);
    case 'alllisteners':
      return json(listeners);
    case 'router':
      return one(routers, params.get('router'));
    case 'cluster':
      return one(clusters, params.get('cluster'));
    case 'listener':
      return one(listeners, params.get('listener'));
    default:
      return { status: 500, type: 'application/json', body: '{\n\t"error": "internal error"\n}\n' };
  }
}
