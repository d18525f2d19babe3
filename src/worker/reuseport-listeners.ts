// reuseport accept mode: this worker binds every listener itself with SO_REUSEPORT and the
// kernel spreads new connections over the workers.
import net from 'node:net';
import type { ListenerRuntime } from './listener-runtime.ts';

const LISTEN_BACKLOG = 4096;

export interface ListenFailure {
  listener: string;
  path: string;
  message: string;
}

export async function bindReusePort(listeners: readonly ListenerRuntime[]): Promise<{ servers: net.Server[]; failure?: ListenFailure }> {
  const servers: net.Server[] = [];
  for (const l of listeners) {
    const { host, port, name, path } = l.config;
    const server = net.createServer({ pauseOnConnect: true, allowHalfOpen: true }, (socket) => l.accept(socket));
    const failure = await new Promise<ListenFailure | undefined>((resolve) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        resolve({ listener: name, path: `${path}.address`, message: `cannot listen on ${host}:${port}: ${err.code ?? err.message}` }),
      );
      server.listen({ host, port, reusePort: true, backlog: LISTEN_BACKLOG }, () => resolve(undefined));
    });
    if (failure) {
      for (const s of servers) s.close();
      return { servers: [], failure };
    }
    servers.push(server);
  }
  return { servers };
}
