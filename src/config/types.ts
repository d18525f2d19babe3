// The validated config snapshot: plain data only (structured-clone-able), built once by the
// control plane and posted to every worker. Nothing here is mutated after load.
import type { LbType } from '../api/upstream.ts';
import type { RouterConfig } from '../api/router.ts';

export type AcceptMode = 'handoff' | 'reuseport';
export type { LogLevel } from '../api/logger.ts';
import type { LogLevel } from '../api/logger.ts';

export interface HostConfig {
  address: string;
  ip: string;
  port: number;
  hostname?: string | undefined;
  weight: number;
  metadata: Record<string, string>;
}

/** circuit_breakers[0]; 0 means unlimited, as in MOSN */
export interface CircuitBreakerConfig {
  maxConnections: number;
  maxPendingRequests: number;
  maxRequests: number;
  maxRetries: number;
}

export interface ClusterConfig {
  name: string;
  path: string;
  type: 'SIMPLE';
  lbType: LbType;
  choiceCount: number;
  activeRequestBias: number;
  hosts: HostConfig[];
  connectTimeoutMs: number;
  /** upstream connection idle close; 0 = never */
  idleTimeoutMs: number;
  /** requests per upstream connection before it is closed; 0 = unlimited */
  maxRequestsPerConnection: number;
  circuitBreakers: CircuitBreakerConfig;
  /** XProtocol heartbeat on idle upstream connections */
  keepalive: { intervalMs: number; timeoutMs: number };
}

export interface NetworkFilterConfig {
  type: string;
  path: string;
  /** what the filter's own parser returned */
  config: unknown;
}

export interface AccessLogConfig {
  path: string;
  format: string;
}

export interface ListenerConfig {
  name: string;
  path: string;
  host: string;
  port: number;
  type: 'ingress' | 'egress' | undefined;
  networkFilters: NetworkFilterConfig[];
  accessLogs: AccessLogConfig[];
  /** close downstream connections idle this long; 0 = never */
  connectionIdleTimeoutMs: number;
}

export interface PrometheusSinkConfig {
  host: string;
  port: number;
  path: string;
  /** process_* and nodejs_* metrics (MOSN's disable_collect_process turns them off) */
  collectProcess: boolean;
}

export interface ServerConfig {
  name: string;
  logPath: string;
  logLevel: LogLevel;
  gracefulTimeoutMs: number;
  /** MOSN's `processor`: worker count, or undefined for one per core ("auto") */
  processors: number | undefined;
}

export interface ConfigSnapshot {
  generation: number;
  /** file the snapshot came from */
  source: string;
  server: ServerConfig;
  acceptMode: AcceptMode | undefined;
  listeners: ListenerConfig[];
  routers: RouterConfig[];
  clusters: ClusterConfig[];
  admin: { host: string; port: number } | undefined;
  prometheus: PrometheusSinkConfig | undefined;
  /** MOSN's `pid`: file to write the process id to */
  pidFile: string | undefined;
}
