// Real Dubbo peers for Node: dubbo2.js (consumer side) and apache-dubbo-serialization (the
// codec of apache-dubbo-service, provider side), plus js-to-java for typed arguments.
import { createRequire } from 'node:module';
import type { JavaValue } from '../../../helpers/java-values.ts';

export { java, type JavaValue } from '../../../helpers/java-values.ts';

const load = createRequire(import.meta.url);

export interface ConsumerCall {
  requestId: number;
  dubboInterface: string;
  path?: string;
  version?: string;
  group?: string;
  methodName: string;
  methodArgs: JavaValue[];
  attachments?: Record<string, string>;
  isSupportedDubbox?: boolean;
}

const DubboEncoder = (load('dubbo2.js/es7/encode') as { default: new (ctx: object) => { encode(): Buffer } }).default;
const consumerDecode = load('dubbo2.js/es7/decode') as {
  decode(bytes: Buffer): { requestId: number; err: Error | null; res: unknown };
};
const ConsumerHeartBeat = (load('dubbo2.js/es7/heartbeat') as { default: { isHeartBeat(buf: Buffer): boolean } })
  .default;

/** A request as dubbo2.js writes it. */
export function consumerRequest(call: ConsumerCall): Buffer {
  return new DubboEncoder({
    dubboVersion: '2.0.2',
    timeout: 3000,
    application: { name: 'consumer-app' },
    isSupportedDubbox: false,
    path: call.path ?? call.dubboInterface,
    ...call,
  }).encode();
}

/** What a dubbo2.js consumer makes of a response. */
export function consumerDecodeResponse(bytes: Buffer): { requestId: number; err: Error | null; res: unknown } {
  return consumerDecode.decode(bytes);
}

export function consumerSeesHeartbeat(bytes: Buffer): boolean {
  return ConsumerHeartBeat.isHeartBeat(bytes);
}

const provider = load('apache-dubbo-serialization') as {
  decodeDubboResponse(bytes: Buffer): { requestId: number; err: Error | null; res: unknown };
  HeartBeat: { isHeartBeat(bytes: Buffer): boolean };
  DubboResponseEncoder: new (ctx: object) => { encode(): Buffer };
};

/** A successful response as apache-dubbo-service writes it. */
export function providerResponse(requestId: number, res: unknown): Buffer {
  return new provider.DubboResponseEncoder({
    status: 20,
    request: { requestId, version: '2.0.2' },
    body: { res, err: null },
    attachments: {},
  }).encode();
}

/** apache-dubbo-serialization's response decoder (the codec of apache-dubbo-service). */
export function providerCodecDecodeResponse(bytes: Buffer): { requestId: number; err: Error | null } {
  return provider.decodeDubboResponse(bytes);
}

export function providerSeesHeartbeat(bytes: Buffer): boolean {
  return provider.HeartBeat.isHeartBeat(bytes);
}
