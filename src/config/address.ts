// "ip:port" / "[v6]:port" / "name:port" as MOSN listener and host addresses are written.
import type { ConfigNode } from '../api/config-node.ts';

export interface HostPort {
  host: string;
  port: number;
}

export function splitHostPort(text: string): HostPort | undefined {
  const m = /^\[([0-9a-fA-F:.]+)\]:(\d{1,5})$/.exec(text) ?? /^([^:\s]+):(\d{1,5})$/.exec(text);
  if (!m) return undefined;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return undefined;
  return { host: m[1]!, port };
}

export function readAddress(node: ConfigNode, key: string): HostPort {
  const text = node.requiredString(key);
  if (text.startsWith('/') || text.startsWith('@')) node.fail(key, 'unix socket addresses are not supported yet');
  const hp = splitHostPort(text);
  if (!hp) node.fail(key, `expected "ip:port" with a port in 1..65535, got ${JSON.stringify(text)}`);
  return hp;
}
