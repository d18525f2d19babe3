// Virtual host lookup by authority, MOSN's order (pkg/router/routers_impl.go), port-aware:
// exact host + port, exact host + "*" port, longest "*.suffix" (port, then "*"), longest
// "prefix.*" (Envoy's, port then "*"), then the default "*". A domain without a port matches
// only an authority without one, as in MOSN ("example.com" does not match "example.com:8080";
// write "example.com:*"). Hosts compare lower-case.
import type { DomainConfig } from '../api/router.ts';
import { splitHostPort } from '../config/route-domain.ts';

interface Wildcard<T> {
  readonly text: string;
  readonly value: T;
}

/** Longest text first, so the first hit is the most specific. */
function sortWildcards<T>(m: Map<string, Wildcard<T>[]>): void {
  for (const list of m.values()) list.sort((a, b) => b.text.length - a.text.length);
}

function addWildcard<T>(m: Map<string, Wildcard<T>[]>, port: string, text: string, value: T): void {
  let list = m.get(port);
  if (list === undefined) m.set(port, (list = []));
  list.push({ text, value });
}

// Authorities seen recently -> result, so repeated hosts skip lower-casing and splitting.
// Bounded in count and key length: made-up Host headers cannot grow it.
const CACHE_MAX_ENTRIES = 1024;
const CACHE_MAX_KEY = 256;

export class VirtualHostIndex<T> {
  readonly #default: T | undefined;
  /** only a default virtual host: every request gets it, whatever its host (RPC has none) */
  readonly #onlyDefault: boolean;
  readonly #exact = new Map<string, Map<string, T>>();
  readonly #suffix = new Map<string, Wildcard<T>[]>();
  readonly #prefix = new Map<string, Wildcard<T>[]>();
  readonly #cache = new Map<string, T | null>();

  /** Domains must already be free of duplicates (the config parser checks that). */
  constructor(entries: Iterable<{ domain: DomainConfig; value: T }>) {
    let def: T | undefined;
    for (const { domain, value } of entries) {
      switch (domain.kind) {
        case 'default':
          def = value;
          break;
        case 'exact': {
          let ports = this.#exact.get(domain.host);
          if (ports === undefined) this.#exact.set(domain.host, (ports = new Map()));
          ports.set(domain.port, value);
          break;
        }
        case 'suffix':
          addWildcard(this.#suffix, domain.port, domain.host, value);
          break;
        case 'prefix':
          addWildcard(this.#prefix, domain.port, domain.host, value);
          break;
      }
    }
    sortWildcards(this.#suffix);
    sortWildcards(this.#prefix);
    this.#default = def;
    this.#onlyDefault = this.#exact.size === 0 && this.#suffix.size === 0 && this.#prefix.size === 0;
  }

  find(authority: string): T | undefined {
    // MOSN finds no virtual host for an empty or malformed host unless only the default exists;
    // we give the default to both (an RPC request has no host).
    if (this.#onlyDefault || authority === '') return this.#default;
    const cached = this.#cache.get(authority);
    if (cached !== undefined) return cached === null ? undefined : cached;
    const found = this.#lookup(authority);
    if (authority.length <= CACHE_MAX_KEY) {
      if (this.#cache.size >= CACHE_MAX_ENTRIES) this.#cache.clear();
      this.#cache.set(authority, found === undefined ? null : found);
    }
    return found;
  }

  #lookup(authority: string): T | undefined {
    const hp = splitHostPort(authority.toLowerCase());
    if (hp === undefined) return this.#default;
    const { host, port } = hp;
    const ports = this.#exact.get(host);
    if (ports !== undefined) {
      const v = ports.get(port) ?? ports.get('*');
      if (v !== undefined) return v;
    }
    return (
      this.#wildcard(this.#suffix.get(port), host, true) ??
      this.#wildcard(this.#suffix.get('*'), host, true) ??
      this.#wildcard(this.#prefix.get(port), host, false) ??
      this.#wildcard(this.#prefix.get('*'), host, false) ??
      this.#default
    );
  }

  #wildcard(list: Wildcard<T>[] | undefined, host: string, suffix: boolean): T | undefined {
    if (list === undefined) return undefined;
    for (const w of list) {
      // the "*" stands for at least one character
      if (w.text.length >= host.length) continue;
      if (suffix ? host.endsWith(w.text) : host.startsWith(w.text)) return w.value;
    }
    return undefined;
  }
}
