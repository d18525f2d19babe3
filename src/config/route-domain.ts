// Virtual host domains: Go's net.SplitHostPort as MOSN uses it ("missing port" is not an error)
// and the classification of a domain into exact / suffix wildcard / prefix wildcard / default.
import type { DomainConfig } from '../api/router.ts';

export interface HostPort {
  host: string;
  port: string;
}

/**
 * Splits "host", "host:port", "[v6]:port" like Go's net.SplitHostPort, except that a missing port
 * gives port "" (MOSN's splitHostPortGraceful). Undefined when Go would fail (e.g. "a:b:c").
 * Like Go, "[::1]" without a port keeps its brackets.
 */
export function splitHostPort(hostPort: string): HostPort | undefined {
  const colon = hostPort.lastIndexOf(':');
  if (colon < 0) return { host: hostPort, port: '' };
  if (hostPort.charCodeAt(0) === 0x5b /* [ */) {
    const end = hostPort.indexOf(']');
    if (end < 0) return undefined;
    if (end + 1 === hostPort.length) return { host: hostPort, port: '' };
    if (end + 1 !== colon) return undefined;
    const host = hostPort.slice(1, end);
    return host.includes('[') || host.includes(']') ? undefined : { host, port: hostPort.slice(colon + 1) };
  }
  const host = hostPort.slice(0, colon);
  if (host.includes(':') || host.includes('[') || host.includes(']')) return undefined;
  return { host, port: hostPort.slice(colon + 1) };
}

/** A domain as configured -> its lookup entry, or a reason it is invalid. */
export function classifyDomain(text: string): DomainConfig | string {
  const hp = splitHostPort(text.toLowerCase());
  if (hp === undefined) return 'invalid host or port';
  const { host, port } = hp;
  if (host === '' && port === '') return 'empty domain';
  if (port !== '' && port !== '*' && !/^\d+$/.test(port)) return `invalid port "${port}"`;
  if (host === '*' && (port === '*' || port === '')) return { text, kind: 'default', host: '', port: '*' };
  const star = host.indexOf('*');
  if (star < 0) {
    if (host === '') return 'empty host';
    return { text, kind: 'exact', host, port };
  }
  if (star !== host.lastIndexOf('*')) return 'only one "*" is allowed';
  // MOSN: "*.foo.com", "*-bar.foo.com", and "*:80" (any host on port 80)
  if (star === 0) return { text, kind: 'suffix', host: host.slice(1), port };
  // Envoy's prefix wildcard "foo.*", an addition to MOSN
  if (star === host.length - 1) return { text, kind: 'prefix', host: host.slice(0, -1), port };
  return 'a "*" must start or end the host';
}

/** Key identifying a domain for duplicate detection. */
export function domainKey(d: DomainConfig): string {
  return `${d.kind}\u0000${d.host}\u0000${d.port}`;
}
