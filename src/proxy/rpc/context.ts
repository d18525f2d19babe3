// What a proxied RPC request needs from its listener and worker, built once per listener and
// protocol.
import type { RpcCodec } from '../../api/rpc-codec.ts';
import type { MultiplexClientOptions } from '../../pool/pool-manager.ts';
import type { ListenerProxyContext } from '../listener-context.ts';

export interface RpcProxyContext extends ListenerProxyContext {
  /** the upstream protocol: the same as the downstream's */
  readonly codec: RpcCodec;
  /** a route without `timeout` and a frame without its own gets this (MOSN's 60 s) */
  readonly defaultTimeoutMs: number;
  readonly mux: MultiplexClientOptions;
}
