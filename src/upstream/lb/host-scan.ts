// The linear walk every balancer falls back to when its first choice is unhealthy or was
// already tried by this request (O(n), off the fast path), and the random start positions.
import type { Host } from '../../api/upstream.ts';

/**
 * True if this request already tried `host`. Compares identity, then address, so a retry that
 * straddles a cluster update (new Host objects for the same endpoints) still avoids the endpoint.
 */
export function wasTried(tried: readonly Host[], host: Host): boolean {
  for (let i = 0; i < tried.length; i++) {
    const t = tried[i]!;
    if (t === host || t.address === host.address) return true;
  }
  return false;
}

/**
 * Position of the first healthy host at or after `start` (wrapping), preferring one not in
 * `tried`; a healthy host that was tried is returned only when no other is healthy (a retry to
 * the same host beats no retry). -1 when no host is healthy.
 */
export function findHealthy(hosts: readonly Host[], start: number, tried: readonly Host[] | undefined): number {
  const n = hosts.length;
  const avoid = tried !== undefined && tried.length !== 0;
  let fallback = -1;
  let pos = start >= n || start < 0 ? 0 : start;
  for (let k = 0; k < n; k++) {
    const host = hosts[pos]!;
    if (host.healthy()) {
      if (!avoid || !wasTried(tried, host)) return pos;
      if (fallback < 0) fallback = pos;
    }
    if (++pos === n) pos = 0;
  }
  return fallback;
}

/** A host worth returning at once: healthy and not tried yet by this request. */
export function isFreshHealthy(host: Host, tried: readonly Host[] | undefined): boolean {
  return host.healthy() && (tried === undefined || tried.length === 0 || !wasTried(tried, host));
}

/** An index in [0, n) from a random source in [0, 1). */
export function randomIndex(random: () => number, n: number): number {
  const i = Math.floor(random() * n);
  return i < n ? i : n - 1;
}
