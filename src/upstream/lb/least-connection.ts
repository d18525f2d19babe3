// LB_LEAST_CONNECTION: fewest open connections, counted over all workers (see least-loaded.ts).
// As in MOSN, `active_request_bias` is also the exponent on connections.
import type { LoadBalancerFactory } from '../../api/upstream.ts';
import { createLeastLoaded } from './least-loaded.ts';

export const leastConnectionFactory: LoadBalancerFactory = {
  name: 'LB_LEAST_CONNECTION',
  create(hosts, options) {
    return createLeastLoaded(hosts, 'connections', options);
  },
};
