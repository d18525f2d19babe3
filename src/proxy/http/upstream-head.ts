// The request head sent upstream: the (rewritten) request line, the client's header lines minus
// hop-by-hop ones, then the proxy's own: Host rewrite, X-Forwarded-For/-Proto, x-request-id,
// Via, x-mosn-original-path, the route's header operations, framing and upgrade headers.
import { randomUUID } from 'node:crypto';
import { HeaderKind } from '../../protocol/http1/constants.ts';
import { keptHeaderLines, type DropFilter } from '../../protocol/http1/encoder.ts';
import type { MessageHead } from '../../protocol/http1/message-head.ts';
import { ORIGINAL_PATH_HEADER } from '../../router/path-rewrite.ts';
import type { BodyFraming } from '../../stream/http1/types.ts';
import type { HeaderOverlay } from './header-overlay.ts';
import type { HttpProxyOptions } from './options.ts';

export interface UpstreamHeadInput {
  req: MessageHead;
  /** origin-form target to send (path?query), after any rewrite */
  target: string;
  /** set when the path was rewritten */
  originalPath: string | undefined;
  hostRewrite: string | undefined;
  clientIp: string;
  overlay: HeaderOverlay | undefined;
  framing: BodyFraming;
  /** forward Upgrade (WebSocket) */
  upgrade: boolean;
}

export function upstreamRequestHead(i: UpstreamHeadInput, o: HttpProxyOptions): string {
  const req = i.req;
  const dropXff = o.xForwardedFor && req.indexOfKind(HeaderKind.xForwardedFor) >= 0;
  const dropHost = i.hostRewrite !== undefined;
  const overlay = i.overlay;
  let drop: DropFilter;
  if (dropXff || dropHost || overlay !== undefined) {
    drop = (h, idx) => {
      const kind = h.kindAt(idx);
      if (dropXff && kind === HeaderKind.xForwardedFor) return true;
      if (dropHost && kind === HeaderKind.host) return true;
      return overlay !== undefined && overlay.drops(h, idx);
    };
  }
  let text = `${req.method} ${i.target} HTTP/1.1\r\n${keptHeaderLines(req, drop)}`;
  if (dropHost) text += `host: ${i.hostRewrite}\r\n`;
  else if (req.host === '') text += `host: ${i.clientIp}\r\n`; // HTTP/1.0 without Host: HTTP/1.1 needs one
  if (o.xForwardedFor) {
    const prior = dropXff ? req.get('x-forwarded-for') : undefined;
    text += `x-forwarded-for: ${prior ? `${prior}, ` : ''}${i.clientIp}\r\n`;
  }
  if (o.xForwardedProto && req.indexOfKind(HeaderKind.xForwardedProto) < 0) text += 'x-forwarded-proto: http\r\n';
  if (o.generateRequestId && req.indexOfKind(HeaderKind.xRequestId) < 0) text += `x-request-id: ${randomUUID()}\r\n`;
  if (o.via !== '') text += `via: ${req.versionMinor === 0 ? '1.0' : '1.1'} ${o.via}\r\n`;
  if (i.originalPath !== undefined) text += `${ORIGINAL_PATH_HEADER}: ${i.originalPath}\r\n`;
  if (overlay !== undefined) text += overlay.lines();
  if (i.framing === 'chunked') text += 'transfer-encoding: chunked\r\n';
  if (i.upgrade) text += `connection: upgrade\r\nupgrade: ${req.get('upgrade') ?? ''}\r\n`;
  return `${text}\r\n`;
}

/**
 * Splits a request-target into what routing and forwarding need. Absolute-form
 * ("http://host/path?q", used towards proxies) gives its authority as the host.
 */
export function splitTarget(target: string): { authority: string | undefined; originForm: string } {
  if (target.charCodeAt(0) === 0x2f) return { authority: undefined, originForm: target };
  const m = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/([^/?#]*)([^#]*)/.exec(target);
  if (m) return { authority: m[1], originForm: m[2] === '' ? '/' : m[2]!.startsWith('/') ? m[2]! : `/${m[2]}` };
  return { authority: undefined, originForm: target }; // "*" (OPTIONS) or authority-form (CONNECT)
}
