// Upstream model seen by load balancers and pools. A Host's live counters are shared by every
// worker (SharedArrayBuffer), so balancers that read them see the whole process.

export interface Host {
  /** "ip:port" as configured */
  readonly address: string;
  readonly ip: string;
  readonly port: number;
  /** position in its cluster's host list */
  readonly index: number;
  /** 1..128 (MOSN clamps) */
  readonly weight: number;
  readonly metadata: Readonly<Record<string, string>>;
  healthy(): boolean;
  /** requests in flight to this host, summed over all workers */
  activeRequests(): number;
  /** open connections to this host, summed over all workers */
  activeConnections(): number;
}

/** What a balancer may know about the request: deliberately narrow (MOSN's LoadBalancerContext). */
export interface LbContext {
  /** key for consistent hashing (LB_MAGLEV), from the route's hash_policy */
  hashKey?: string | undefined;
  /** hosts already tried by this request (retries prefer others) */
  tried?: readonly Host[] | undefined;
}

export interface LoadBalancer {
  chooseHost(ctx: LbContext | undefined): Host | undefined;
}

export type LbType =
  | 'LB_RANDOM'
  | 'LB_ROUNDROBIN'
  | 'LB_WEIGHTED_ROUNDROBIN'
  | 'LB_LEAST_REQUEST'
  | 'LB_LEAST_CONNECTION'
  | 'LB_MAGLEV';

export interface LbOptions {
  /** P2C / N-choice size for least-request and least-connection (MOSN default 2) */
  choiceCount: number;
  /** exponent on active requests when weights differ (MOSN default 1.0) */
  activeRequestBias: number;
  /** random source in [0,1); tests inject a seeded one */
  random: () => number;
}

export interface LoadBalancerFactory {
  readonly name: LbType;
  create(hosts: readonly Host[], options: LbOptions): LoadBalancer;
}
