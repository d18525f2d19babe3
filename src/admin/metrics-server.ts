// The Prometheus sink: metrics.sinks[type=prometheus] -> GET <endpoint> on its own port.
import type { PrometheusSinkConfig } from '../config/types.ts';
import { methodNotAllowed, SmallHttpServer } from './http-server.ts';
import { PrometheusRegistry } from './prometheus-registry.ts';
import type { StatsSources } from './stats-source.ts';

export class MetricsServer {
  readonly #server: SmallHttpServer;
  readonly #config: PrometheusSinkConfig;

  constructor(opts: StatsSources & { config: PrometheusSinkConfig }) {
    this.#config = opts.config;
    const registry = new PrometheusRegistry(opts, opts.config.collectProcess);
    this.#server = new SmallHttpServer((path) =>
      path === opts.config.path
        ? async (req) => (req.method === 'GET' || req.method === 'HEAD' ? { status: 200, type: registry.contentType, body: await registry.metrics() } : methodNotAllowed())
        : undefined,
    );
  }

  listen(): Promise<void> {
    return this.#server.listen(this.#config.host, this.#config.port, 'the prometheus sink');
  }

  close(): Promise<void> {
    return this.#server.close();
  }
}
