// Host weights as the weighted balancers see them: clamped to MOSN's 1..128 (fixHostWeight in
// edf.go) even if a Host implementation forgot to, read once at create().
import type { Host } from '../../api/upstream.ts';

export const MIN_HOST_WEIGHT = 1;
export const MAX_HOST_WEIGHT = 128;

export function clampedWeights(hosts: readonly Host[]): Float64Array {
  const weights = new Float64Array(hosts.length);
  for (let i = 0; i < hosts.length; i++) {
    const w = hosts[i]!.weight;
    weights[i] = !(w > MIN_HOST_WEIGHT) ? MIN_HOST_WEIGHT : w > MAX_HOST_WEIGHT ? MAX_HOST_WEIGHT : w;
  }
  return weights;
}

export function allEqual(weights: Float64Array): boolean {
  for (let i = 1; i < weights.length; i++) if (weights[i] !== weights[0]) return false;
  return true;
}
