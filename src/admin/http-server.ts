// A tiny node:http server for the main thread's own endpoints (admin API, /metrics): low
// traffic, so node:http is fine here. Handlers return { status, type, body }.
import http from 'node:http';
import { StartupError } from '../common/errors.ts';

export interface Reply {
  status: number;
  type?: string;
  body: string;
}

export type Handler = (req: http.IncomingMessage, url: URL, body: string) => Reply | Promise<Reply>;

/** Largest request body an admin endpoint reads. */
const MAX_BODY = 64 * 1024;

export class SmallHttpServer {
  readonly #server: http.Server;
  readonly #route: (path: string) => Handler | undefined;

  constructor(route: (path: string) => Handler | undefined) {
    this.#route = route;
    this.#server = http.createServer((req, res) => this.#handle(req, res));
    this.#server.keepAliveTimeout = 5_000;
  }

  #handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://admin');
    const handler = this.#route(url.pathname);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        res.writeHead(413).end('request body too large\n');
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (res.headersSent) return;
      if (!handler) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
        return;
      }
      Promise.resolve()
        .then(() => handler(req, url, Buffer.concat(chunks).toString('utf8')))
        .then(
          (r) => res.writeHead(r.status, { 'content-type': r.type ?? 'text/plain; charset=utf-8' }).end(r.body),
          (err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`internal error: ${String(err)}\n`),
        );
    });
  }

  listen(host: string, port: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', (err: NodeJS.ErrnoException) =>
        reject(new StartupError(`cannot listen on ${host}:${port} for ${what}: ${err.code ?? err.message}`)),
      );
      this.#server.listen({ host, port }, () => resolve());
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }
}

export function methodNotAllowed(): Reply {
  return { status: 405, body: 'method not allowed\n' };
}
