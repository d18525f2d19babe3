// The Bolt codec object, shared by "bolt" and "boltv2": both decode either dialect on one
// connection (MOSN parity); they differ in the dialect of frames they make up themselves,
// the first byte they claim in Auto detection, the status table and GoAway.
import type { MatchResult, RpcCodec, RpcDecoder, RpcDecoderOptions, RpcFrame } from '../../api/rpc-codec.ts';
import type { ProxyStatus } from '../../api/status.ts';
import { BOLT_MAX_REQUEST_ID, BoltCmdCode } from './constants.ts';
import { refreshBoltCrc } from './crc.ts';
import { BoltDecoder } from './decoder.ts';
import { encodeBoltGoAway, encodeBoltHeartbeat, encodeBoltReply, patchBoltRequestId } from './encoder.ts';
import { BoltFrame } from './frame.ts';
import { type BoltLayout, boltLayoutOf, boltV1Layout } from './layout.ts';
import { matchBolt } from './matcher.ts';
import { boltStatusOf, httpStatusOfBolt } from './status-mapping.ts';

export interface BoltCodecSpec {
  readonly name: 'bolt' | 'boltv2';
  /** dialect of the frames this codec makes up (heartbeats, GoAway) */
  readonly layout: BoltLayout;
  readonly match: (head: Buffer) => MatchResult;
  readonly mapStatus: (status: ProxyStatus) => number;
  /** MOSN implements GoAway for Bolt v1 only */
  readonly goAway: boolean;
}

export class BoltCodec implements RpcCodec {
  readonly name: string;
  readonly maxRequestId = BOLT_MAX_REQUEST_ID;
  readonly goAway?: () => Buffer;
  readonly #spec: BoltCodecSpec;

  constructor(spec: BoltCodecSpec) {
    this.name = spec.name;
    this.#spec = spec;
    if (spec.goAway) this.goAway = () => encodeBoltGoAway(spec.layout);
  }

  match(head: Buffer): MatchResult {
    return this.#spec.match(head);
  }

  newDecoder(options: RpcDecoderOptions): RpcDecoder {
    return new BoltDecoder(options);
  }

  setRequestId(frame: RpcFrame, id: number): void {
    patchBoltRequestId(frame.raw, layoutOfRaw(frame.raw).idAt, id);
  }

  copyRequestId(from: RpcFrame, to: RpcFrame): void {
    const fromAt = layoutOfRaw(from.raw).idAt;
    from.raw.copy(to.raw, layoutOfRaw(to.raw).idAt, fromAt, fromAt + 4);
    refreshBoltCrc(to.raw);
  }

  heartbeat(id: number): Buffer {
    return encodeBoltHeartbeat(this.#spec.layout, id);
  }

  heartbeatReply(request: RpcFrame): Buffer {
    return encodeBoltReply(asBoltFrame(request), BoltCmdCode.heartbeat, 0);
  }

  /**
   * Like MOSN's Hijack: a response with the mapped status and no class, header or content.
   * The message is not sent: SOFARPC clients read non-empty error content as a serialized
   * exception object of the class named in the frame, and with none they raise their own
   * "server exception" error (sofa-bolt-node rpc_res_cmd.js).
   */
  errorResponse(request: RpcFrame, status: ProxyStatus): Buffer {
    return encodeBoltReply(asBoltFrame(request), BoltCmdCode.response, this.#spec.mapStatus(status));
  }

  mapStatus(status: ProxyStatus): number {
    return this.#spec.mapStatus(status);
  }

  httpStatusOf(response: RpcFrame): number {
    return httpStatusOfBolt(response.status);
  }
}

function layoutOfRaw(raw: Buffer): BoltLayout {
  const layout = boltLayoutOf(raw[0]);
  if (layout === undefined) throw new TypeError('not a bolt frame');
  return layout;
}

function asBoltFrame(frame: RpcFrame): BoltFrame {
  return frame instanceof BoltFrame ? frame : new BoltFrame(frame.raw, layoutOfRaw(frame.raw));
}

export const boltCodec: RpcCodec = new BoltCodec({
  name: 'bolt',
  layout: boltV1Layout,
  match: matchBolt,
  mapStatus: boltStatusOf,
  goAway: true,
});
