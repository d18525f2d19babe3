// Weighted cluster choice from a cumulative-weight table in config order: deterministic for a
// given random number (MOSN walks a Go map, so its order is random).
import type { ClusterChoice, Route, WeightedClusterConfig, WeightedClusters } from '../api/router.ts';

export class WeightedClusterTable implements WeightedClusters {
  readonly entries: readonly WeightedClusterConfig[];
  readonly totalWeight: number;
  readonly #cumulative: Float64Array;

  constructor(entries: readonly WeightedClusterConfig[]) {
    this.entries = entries;
    this.#cumulative = new Float64Array(entries.length);
    let sum = 0;
    entries.forEach((e, i) => {
      sum += e.weight;
      this.#cumulative[i] = sum;
    });
    if (sum <= 0) throw new RangeError('weighted clusters: the weights add up to 0');
    this.totalWeight = sum;
  }

  /** random in [0, 1): entry i owns [cumulative[i-1], cumulative[i]) of [0, total). */
  pick(random: number): ClusterChoice {
    const x = random * this.totalWeight;
    const cum = this.#cumulative;
    for (let i = 0; i < cum.length; i++) {
      if (x < cum[i]!) return this.entries[i]!;
    }
    // random >= 1 or rounding: the last entry with weight
    for (let i = this.entries.length - 1; ; i--) if (this.entries[i]!.weight > 0) return this.entries[i]!;
  }
}

/** The cluster for this request: the route's, or one of its weighted clusters. Undefined for
 * redirect and direct-response routes. */
export function pickCluster(route: Route, random: number): ClusterChoice | undefined {
  return route.cluster ?? route.weightedClusters?.pick(random);
}
