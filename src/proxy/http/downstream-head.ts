// The response head sent downstream: the upstream's header lines minus hop-by-hop ones, plus the
// route's response header operations; and how the body is framed towards this client.
import type { MessageHead } from '../../protocol/http1/message-head.ts';
import { keptHeaderLines } from '../../protocol/http1/encoder.ts';
import type { BodyFraming } from '../../stream/http1/types.ts';
import type { HeaderOverlay } from './header-overlay.ts';

export function downstreamHeaderLines(resp: MessageHead, overlay: HeaderOverlay | undefined, upgrade: boolean): string {
  let text = keptHeaderLines(resp, overlay?.drops);
  if (overlay !== undefined) text += overlay.lines();
  if (upgrade) text += `connection: upgrade\r\nupgrade: ${resp.get('upgrade') ?? ''}\r\n`;
  return text;
}

/**
 * Framing of the response towards a client of `clientMinor` (0 or 1): Content-Length and
 * chunked pass through; a close-delimited upstream body becomes chunked for HTTP/1.1 clients
 * and stays close-delimited for HTTP/1.0 ones.
 */
export function downstreamFraming(resp: MessageHead, requestMethod: string, clientMinor: number): BodyFraming {
  const s = resp.status;
  if (requestMethod === 'HEAD' || s < 200 || s === 204 || s === 304) return 'none';
  if (resp.chunked) return clientMinor === 1 ? 'chunked' : 'eof';
  if (resp.contentLength >= 0) return resp.contentLength === 0 ? 'none' : 'length';
  return clientMinor === 1 ? 'chunked' : 'eof';
}
