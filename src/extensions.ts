// The one explicit list of built-in extensions: network filters, load balancers (and, as they
// land, codecs). Adding one is adding its folder and a line here.
import type { NetworkFilterFactory } from './api/filter.ts';
import type { RpcCodec } from './api/rpc-codec.ts';
import type { LoadBalancerFactory } from './api/upstream.ts';
import { boltCodec } from './protocol/bolt/index.ts';
import { boltv2Codec } from './protocol/boltv2/index.ts';
import { dubboCodec } from './protocol/dubbo/index.ts';
import { connectionManagerFilter } from './filters/network/connection-manager/index.ts';
import { proxyFilter } from './filters/network/proxy/index.ts';
import { tcpProxyFilter } from './filters/network/tcp-proxy/index.ts';
import { builtinLoadBalancers as balancers } from './upstream/lb/index.ts';

export const builtinNetworkFilters: readonly NetworkFilterFactory[] = [
  proxyFilter as NetworkFilterFactory,
  tcpProxyFilter as NetworkFilterFactory,
  connectionManagerFilter as NetworkFilterFactory,
];

export const builtinLoadBalancers: readonly LoadBalancerFactory[] = balancers;

export const builtinRpcCodecs: readonly RpcCodec[] = [boltCodec, boltv2Codec, dubboCodec];
