// The shared shape of LB_LEAST_REQUEST and LB_LEAST_CONNECTION (MOSN loadbalancer.go and
// lb_leastconnection.go): with equal weights, `choiceCount` random draws and the least loaded
// wins (power of two choices); with different weights, an EDF schedule on
// weight / (load + 1) ^ activeRequestBias. The load is the host's process-wide counter, read
// at pick time on every pick (other workers move it), never cached between picks.
import type { Host, LbContext, LbOptions, LoadBalancer } from '../../api/upstream.ts';
import { EdfScheduler } from './edf-scheduler.ts';
import { findHealthy, isFreshHealthy, randomIndex, wasTried } from './host-scan.ts';
import { allEqual, clampedWeights } from './host-weight.ts';
import { RoundRobinLb } from './round-robin.ts';

export type LoadKind = 'requests' | 'connections';

function loadOf(host: Host, byConnections: boolean): number {
  return byConnections ? host.activeConnections() : host.activeRequests();
}

/**
 * Equal weights: the best of `choiceCount` draws (with replacement, as MOSN and Envoy).
 * Unlike MOSN, unhealthy or already-tried draws are discarded rather than returned; if every
 * draw is discarded, the first healthy host from a random position is taken.
 */
export class ChoiceOfNLb implements LoadBalancer {
  readonly #hosts: readonly Host[];
  readonly #choices: number;
  readonly #byConnections: boolean;
  readonly #random: () => number;

  constructor(hosts: readonly Host[], kind: LoadKind, options: LbOptions) {
    this.#hosts = hosts;
    this.#choices = Math.max(1, Math.trunc(options.choiceCount) || 1);
    this.#byConnections = kind === 'connections';
    this.#random = options.random;
  }

  chooseHost(ctx: LbContext | undefined): Host | undefined {
    const hosts = this.#hosts;
    const n = hosts.length;
    if (n === 0) return undefined;
    const tried = ctx?.tried;
    const avoid = tried !== undefined && tried.length !== 0;
    let best: Host | undefined;
    let bestLoad = 0;
    for (let c = 0; c < this.#choices; c++) {
      const host = hosts[randomIndex(this.#random, n)]!;
      if (!host.healthy() || (avoid && wasTried(tried, host))) continue;
      const load = loadOf(host, this.#byConnections);
      if (best === undefined || load < bestLoad) {
        best = host;
        bestLoad = load;
      }
    }
    if (best !== undefined) return best;
    const pos = findHealthy(hosts, randomIndex(this.#random, n), tried);
    return pos < 0 ? undefined : hosts[pos];
  }
}

/** Different weights: EDF, each host re-queued with its weight scaled down by its live load. */
export class WeightedLeastLoadedLb implements LoadBalancer {
  readonly #hosts: readonly Host[];
  readonly #weights: Float64Array;
  readonly #edf: EdfScheduler;
  readonly #bias: number;
  readonly #byConnections: boolean;
  readonly #random: () => number;

  constructor(hosts: readonly Host[], weights: Float64Array, kind: LoadKind, options: LbOptions) {
    this.#hosts = hosts;
    this.#weights = weights;
    this.#edf = new EdfScheduler(weights);
    this.#bias = options.activeRequestBias;
    this.#byConnections = kind === 'connections';
    this.#random = options.random;
    for (let k = randomIndex(options.random, hosts.length); k > 0; k--) this.#edf.requeue(weights[this.#edf.peek()]!);
  }

  chooseHost(ctx: LbContext | undefined): Host | undefined {
    const hosts = this.#hosts;
    const n = hosts.length;
    const tried = ctx?.tried;
    const edf = this.#edf;
    for (let k = 0; k < n; k++) {
      const i = edf.peek();
      const host = hosts[i]!;
      edf.requeue(this.#effectiveWeight(this.#weights[i]!, loadOf(host, this.#byConnections)));
      if (isFreshHealthy(host, tried)) return host;
    }
    const pos = findHealthy(hosts, randomIndex(this.#random, n), tried);
    return pos < 0 ? undefined : hosts[pos];
  }

  #effectiveWeight(weight: number, load: number): number {
    const bias = this.#bias;
    if (bias === 1) return weight / (load + 1);
    if (bias === 0) return weight;
    return weight / Math.pow(load + 1, bias);
  }
}

export function createLeastLoaded(hosts: readonly Host[], kind: LoadKind, options: LbOptions): LoadBalancer {
  const weights = clampedWeights(hosts);
  if (hosts.length < 2) return new RoundRobinLb(hosts, 0);
  if (allEqual(weights)) return new ChoiceOfNLb(hosts, kind, options);
  return new WeightedLeastLoadedLb(hosts, weights, kind, options);
}
