// LB_LEAST_REQUEST: fewest requests in flight, counted over all workers (see least-loaded.ts).
import type { LoadBalancerFactory } from '../../api/upstream.ts';
import { createLeastLoaded } from './least-loaded.ts';

export const leastRequestFactory: LoadBalancerFactory = {
  name: 'LB_LEAST_REQUEST',
  create(hosts, options) {
    return createLeastLoaded(hosts, 'requests', options);
  },
};
