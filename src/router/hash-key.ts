// The consistent-hash key of a request from the route's hash_policy (for LB_MAGLEV), MOSN
// pkg/router/types.go. Undefined when the request lacks the header or cookie: MOSN then hashes
// to 0, i.e. every such request goes to the same host; the balancer decides here.
import type { HashPolicyConfig, RouteRequest } from '../api/router.ts';

/** The value of one cookie in a Cookie header ("a=1; b=2"), without allocating for misses. */
export function cookieValue(header: string, name: string): string | undefined {
  let i = 0;
  while (i < header.length) {
    while (header.charCodeAt(i) === 0x20) i++;
    let end = header.indexOf(';', i);
    if (end < 0) end = header.length;
    if (header.startsWith(name, i) && header.charCodeAt(i + name.length) === 0x3d /* = */) {
      let value = header.slice(i + name.length + 1, end).trim();
      if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      return value;
    }
    i = end + 1;
  }
  return undefined;
}

export function hashKeyOf(policy: HashPolicyConfig, req: RouteRequest, sourceIp: string): string | undefined {
  switch (policy.kind) {
    case 'header':
      return req.header(policy.key);
    case 'cookie': {
      const cookie = req.header('cookie');
      return cookie === undefined ? undefined : cookieValue(cookie, policy.name);
    }
    default:
      return sourceIp;
  }
}
