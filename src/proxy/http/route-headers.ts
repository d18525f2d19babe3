// The route's effect on heads: path/host rewrite and request header operations for the
// upstream request (built once per request, so retries send the same x-request-id), response
// header operations for the answer.
import { MessageHead } from '../../protocol/http1/message-head.ts';
import { applyHeaderOps } from '../../router/header-mutation.ts';
import type { BodyFraming } from '../../stream/http1/types.ts';
import type { DownstreamRequest } from './downstream-request.ts';
import { HeaderOverlay } from './header-overlay.ts';
import { upstreamRequestHead } from './upstream-head.ts';

export function requestHeadFor(r: DownstreamRequest, framing: BodyFraming): string {
  if (r.upstreamHead !== undefined) return r.upstreamHead;
  const route = r.route!;
  let target = r.vars.target.originForm;
  let originalPath: string | undefined;
  if (route.pathRewrite !== undefined) {
    const rewritten = route.pathRewrite.rewrite(r.path);
    if (rewritten !== undefined) {
      originalPath = r.path;
      target = rewritten + target.slice(r.path.length);
    }
  }
  let overlay: HeaderOverlay | undefined;
  if (route.requestHeaderOps.length > 0) {
    overlay = new HeaderOverlay(r.req);
    applyHeaderOps(route.requestHeaderOps, overlay, r);
  }
  // host_rewrite, else auto_host_rewrite_header: the named request header's value (MOSN
  // base_rule.go). auto_host_rewrite needs STRICT_DNS hostnames, which no cluster here has.
  let hostRewrite = route.hostRewrite;
  const hostHeader = route.autoHostRewriteHeader;
  if (hostRewrite === undefined && hostHeader !== undefined) {
    const v = overlay !== undefined ? overlay.get(hostHeader) : r.req.get(hostHeader);
    if (v !== undefined && v !== '') hostRewrite = v;
  }
  const head = upstreamRequestHead(
    {
      req: r.req,
      target,
      originalPath,
      hostRewrite,
      clientIp: r.stream.remoteAddress,
      overlay,
      framing,
      upgrade: r.req.upgrade && r.req.connUpgrade,
    },
    r.ctx.options,
  );
  r.upstreamHead = head;
  return head;
}

export function responseOverlay(r: DownstreamRequest, resp: MessageHead): HeaderOverlay | undefined {
  const ops = r.route?.responseHeaderOps;
  if (ops === undefined || ops.length === 0) return undefined;
  const overlay = new HeaderOverlay(resp);
  applyHeaderOps(ops, overlay, r);
  return overlay;
}

const NO_HEADERS = new MessageHead();

/**
 * The route's response header additions for a reply the proxy makes itself after routing
 * (direct_response, redirect, 5xx): MOSN runs FinalizeResponseHeaders for those too.
 */
export function localReplyHeaderLines(r: DownstreamRequest): string {
  const overlay = responseOverlay(r, NO_HEADERS);
  return overlay === undefined ? '' : overlay.lines();
}
