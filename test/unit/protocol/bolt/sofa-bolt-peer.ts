// The real SOFA Bolt implementation for Node (sofa-bolt-node, used by sofa-rpc-node), as the
// peer our Bolt bytes must interoperate with.
import { createRequire } from 'node:module';

export interface SofaPacket {
  packetId: number;
  packetType: 'request' | 'response' | 'heartbeat' | 'heartbeat_ack';
  data?: { error?: Error | null; appResponse?: unknown; args?: unknown[]; methodName?: string } | null;
  className?: string;
  options: { protocolType: string; timeout?: number; crcEnable?: boolean };
}

interface SofaEncodeOptions {
  protocolType: 'bolt' | 'bolt2';
  codecType: 'hessian2';
  boltVersion?: number;
  crcEnable?: boolean;
}

interface SofaProtocol {
  requestEncode(id: number, req: object, options: SofaEncodeOptions): Buffer;
  responseEncode(id: number, res: object, options: SofaEncodeOptions): Buffer;
  heartbeatEncode(id: number, hb: object, options: SofaEncodeOptions): Buffer;
}

interface SofaStreamDecoder {
  on(event: string, listener: (value: unknown) => void): void;
  write(chunk: Buffer): void;
}

const load = createRequire(import.meta.url);
const protocol = load('sofa-bolt-node/lib/protocol') as SofaProtocol;
const ProtocolDecoder = load('sofa-bolt-node/lib/decoder') as new (options: object) => SofaStreamDecoder;

export type BoltDialect = { protocolType: 'bolt' } | { protocolType: 'bolt2'; boltVersion: number; crcEnable: boolean };

function options(dialect: BoltDialect): SofaEncodeOptions {
  return { codecType: 'hessian2', ...dialect };
}

/** A SOFARPC request as sofa-rpc-node's client sends it. */
export function sofaRequest(id: number, dialect: BoltDialect = { protocolType: 'bolt' }): Buffer {
  return Buffer.from(
    protocol.requestEncode(
      id,
      {
        serverSignature: 'com.alipay.test.TestService:1.0',
        methodName: 'plus',
        args: [
          { $class: 'int', $: 1 },
          { $class: 'int', $: 2 },
        ],
        timeout: 3000,
      },
      options(dialect),
    ),
  );
}

export function sofaResponse(id: number, dialect: BoltDialect = { protocolType: 'bolt' }): Buffer {
  return Buffer.from(protocol.responseEncode(id, { appResponse: 3 }, options(dialect)));
}

export function sofaHeartbeat(id: number, dialect: BoltDialect = { protocolType: 'bolt' }): Buffer {
  return Buffer.from(protocol.heartbeatEncode(id, {}, options(dialect)));
}

/**
 * The packets sofa-bolt-node's stream decoder makes of `bytes` (it decodes synchronously
 * inside write; a decode failure yields no packet).
 */
export function decodeWithSofaBolt(bytes: Buffer): SofaPacket[] {
  const decoder = new ProtocolDecoder({});
  const packets: SofaPacket[] = [];
  for (const type of ['request', 'response', 'heartbeat', 'heartbeat_ack']) {
    decoder.on(type, (packet) => packets.push(packet as SofaPacket));
  }
  decoder.on('error', () => {});
  decoder.write(bytes);
  return packets;
}
