// The built-in balancers, registered by their MOSN `lb_type` name (extensions.ts lists them).
import type { LoadBalancerFactory } from '../../api/upstream.ts';
import { leastConnectionFactory } from './least-connection.ts';
import { leastRequestFactory } from './least-request.ts';
import { maglevFactory } from './maglev.ts';
import { randomFactory } from './random.ts';
import { roundRobinFactory } from './round-robin.ts';
import { weightedRoundRobinFactory } from './weighted-round-robin.ts';

export const builtinLoadBalancers: readonly LoadBalancerFactory[] = [
  randomFactory,
  roundRobinFactory,
  weightedRoundRobinFactory,
  leastRequestFactory,
  leastConnectionFactory,
  maglevFactory,
];
