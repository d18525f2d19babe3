// The Location of a redirect route (MOSN pkg/proxy/downstream.go chooseHost): each of scheme,
// host and path comes from the rule or else from the request; the query is kept. When the scheme
// changes, a now-misleading explicit port is dropped (https -> http with :443, http -> https
// with :80). Path and query are written as given (the request's wire form).
import type { RedirectConfig } from '../api/router.ts';

export interface RedirectSource {
  /** "http" or "https" */
  readonly scheme: string;
  /** the request's authority */
  readonly host: string;
  readonly path: string;
  /** without "?" */
  readonly query: string;
}

export function redirectLocation(redirect: RedirectConfig, req: RedirectSource): string {
  const scheme = redirect.scheme ?? req.scheme;
  let host = redirect.host ?? req.host;
  const path = redirect.path ?? req.path;
  if (scheme !== req.scheme) {
    const colon = host.lastIndexOf(':');
    const port = colon > host.lastIndexOf(']') ? host.slice(colon + 1) : '';
    if ((scheme === 'http' && port === '443') || (scheme === 'https' && port === '80')) host = host.slice(0, colon);
  }
  const slash = host !== '' && path !== '' && !path.startsWith('/') ? '/' : '';
  return `${scheme}://${host}${slash}${path}${req.query === '' ? '' : '?' + req.query}`;
}
