// The Dubbo codec. One option changes how routing headers are read (see DubboCodecOptions);
// the default codec reads them like MOSN does on ordinary listeners.
import type { MatchResult, RpcCodec, RpcDecoder, RpcDecoderOptions, RpcFrame } from '../../api/rpc-codec.ts';
import type { ProxyStatus } from '../../api/status.ts';
import { DUBBO_ID_LENGTH, DUBBO_MAX_REQUEST_ID, DubboOffset } from './constants.ts';
import { DubboDecoder } from './decoder.ts';
import {
  encodeDubboErrorResponse,
  encodeDubboHeartbeat,
  encodeDubboHeartbeatReply,
  writeDubboRequestId,
} from './encoder.ts';
import { matchDubbo } from './matcher.ts';
import { dubboErrorText, dubboStatusOf, httpStatusOfDubbo } from './status-mapping.ts';

export interface DubboCodecOptions {
  /**
   * MOSN's behaviour on listeners named ingress_dubbo/egress_dubbo: every header lookup reads
   * the attachments, string attachments override the body's values and `interface` overrides
   * `service`. Off: `service` is the body's path and attachments are read only for headers
   * the body prefix lacks (`group`, `interface`, …).
   */
  readonly attachmentsOverride?: boolean;
}

export class DubboCodec implements RpcCodec {
  readonly name = 'dubbo';
  readonly maxRequestId = DUBBO_MAX_REQUEST_ID;
  readonly #attachmentsOverride: boolean;

  constructor(options: DubboCodecOptions = {}) {
    this.#attachmentsOverride = options.attachmentsOverride ?? false;
  }

  match(head: Buffer): MatchResult {
    return matchDubbo(head);
  }

  newDecoder(options: RpcDecoderOptions): RpcDecoder {
    return new DubboDecoder(options, this.#attachmentsOverride);
  }

  setRequestId(frame: RpcFrame, id: number): void {
    writeDubboRequestId(frame.raw, id);
  }

  copyRequestId(from: RpcFrame, to: RpcFrame): void {
    from.raw.copy(to.raw, DubboOffset.id, DubboOffset.id, DubboOffset.id + DUBBO_ID_LENGTH);
  }

  /** MOSN's dubbo has no Trigger; this is the heartbeat Dubbo itself sends. */
  heartbeat(id: number): Buffer {
    return encodeDubboHeartbeat(id);
  }

  heartbeatReply(request: RpcFrame): Buffer {
    return encodeDubboHeartbeatReply(request.raw);
  }

  /** The body is "<status>|<message>" (MOSN's fixed text when `message` is empty). */
  errorResponse(request: RpcFrame, status: ProxyStatus, message: string): Buffer {
    return encodeDubboErrorResponse(request.raw, dubboStatusOf(status), dubboErrorText(status, message));
  }

  mapStatus(status: ProxyStatus): number {
    return dubboStatusOf(status);
  }

  httpStatusOf(response: RpcFrame): number {
    return httpStatusOfDubbo(response.status);
  }
}

export function createDubboCodec(options?: DubboCodecOptions): RpcCodec {
  return new DubboCodec(options);
}

export const dubboCodec: RpcCodec = new DubboCodec();
