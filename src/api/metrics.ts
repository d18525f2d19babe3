// Where each listener, cluster and host keeps its metrics in shared memory. Built by the
// control plane with every config snapshot; workers and the scrape side read it.

export interface HostSlots {
  /** base of the host's block in the per-worker stats region */
  stats: number;
  /** base of the host's block in the process-wide upstream region */
  shared: number;
}

export interface ClusterSlots {
  stats: number;
  shared: number;
  /** keyed by host address ("ip:port") */
  hosts: Record<string, HostSlots>;
}

export interface SharedPlan {
  /** listener name -> base of its block in the stats region */
  listeners: Record<string, number>;
  clusters: Record<string, ClusterSlots>;
}
