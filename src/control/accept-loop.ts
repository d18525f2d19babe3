// Handoff accept mode: the main thread owns the listening sockets, accepts with pauseOnConnect
// (nothing is read on this thread) and moves each socket to the worker with the fewest live
// connections (Node >= 24.20: postMessage with the socket in the transfer list).
import net from 'node:net';
import type { Logger } from '../api/logger.ts';
import { StartupError, errorMessage } from '../common/errors.ts';
import type { ListenerConfig } from '../config/types.ts';
import type { WorkerSupervisor } from './worker-supervisor.ts';

/** Larger than Node's 511 so a burst of a thousand connects is not dropped by the kernel. */
export const LISTEN_BACKLOG = 4096;

export class HandoffAcceptor {
  readonly #servers: net.Server[] = [];
  readonly #supervisor: WorkerSupervisor;
  readonly #logger: Logger;
  #dropped = 0;

  constructor(supervisor: WorkerSupervisor, logger: Logger) {
    this.#supervisor = supervisor;
    this.#logger = logger;
  }

  /** connections closed because no worker was ready to take them */
  get dropped(): number {
    return this.#dropped;
  }

  /** `source` is the config file, named in errors with the listener's JSON path. */
  async listen(listeners: readonly ListenerConfig[], source: string): Promise<void> {
    for (const l of listeners) {
      const server = net.createServer({ pauseOnConnect: true }, (socket) => this.#handOff(l.name, socket));
      await new Promise<void>((resolve, reject) => {
        server.once('error', (err: NodeJS.ErrnoException) =>
          reject(new StartupError(`${source}: ${l.path}.address: cannot listen on ${l.host}:${l.port}: ${err.code ?? err.message}`)),
        );
        server.listen({ host: l.host, port: l.port, backlog: LISTEN_BACKLOG, exclusive: true }, () => resolve());
      });
      server.on('error', (err) => this.#logger.error({ listener: l.name, err: errorMessage(err) }, 'listener error'));
      this.#servers.push(server);
    }
  }

  #handOff(listener: string, socket: net.Socket): void {
    const worker = this.#supervisor.pickLeastLoaded();
    if (!worker) {
      this.#dropped++;
      socket.destroy();
      return;
    }
    try {
      worker.postMessage({ type: 'connection', listener, socket }, [socket as unknown as import('node:worker_threads').Transferable]);
    } catch (err) {
      // e.g. ERR_WORKER_HANDLE_NOT_TRANSFERABLE if the peer already sent a RST
      this.#dropped++;
      this.#logger.debug({ listener, err: errorMessage(err) }, 'socket hand-off failed');
      socket.destroy();
    }
  }

  /** Stops accepting (existing connections live on in the workers). */
  async close(): Promise<void> {
    await Promise.all(this.#servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
    this.#servers.length = 0;
  }
}
