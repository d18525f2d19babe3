// Before any worker starts: every port the config names must be free. A plain (non-reusePort)
// bind proves it, even for reuseport listeners, where a second reusePort bind would silently
// share the port with whatever holds it.
import net from 'node:net';
import { StartupError } from '../common/errors.ts';

export interface PortClaim {
  what: string;
  /** JSON path in the config */
  path: string;
  host: string;
  port: number;
}

function probe(source: string, claim: PortClaim): Promise<void> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', (err: NodeJS.ErrnoException) => {
      const reason = err.code === 'EADDRINUSE' ? 'address already in use' : err.code === 'EADDRNOTAVAIL' ? 'address not available on this host' : err.message;
      reject(new StartupError(`${source}: ${claim.path}: cannot listen on ${claim.host}:${claim.port} for ${claim.what}: ${reason}`));
    });
    srv.listen({ host: claim.host, port: claim.port, exclusive: true }, () => srv.close(() => resolve()));
  });
}

/** `source` is the config file, named in every message with the JSON path. */
export async function checkPortsFree(source: string, claims: PortClaim[]): Promise<void> {
  const seen = new Map<string, PortClaim>();
  for (const c of claims) {
    const key = `${c.port}`;
    const prev = seen.get(key);
    if (prev && (prev.host === c.host || prev.host === '0.0.0.0' || c.host === '0.0.0.0')) {
      throw new StartupError(`${source}: ${c.path}: port ${c.port} is also used by ${prev.what} (${prev.path})`);
    }
    seen.set(key, c);
    await probe(source, c);
  }
}
