// Bolt stream decoder. Like MOSN's, one decoder reads v1 and v2 frames on the same
// connection, choosing the dialect per frame from its first byte.
import type { RpcDecoderOptions, RpcFrame } from '../../api/rpc-codec.ts';
import { CodecError } from '../../common/errors.ts';
import { BoltCmdCode, BoltCmdType } from './constants.ts';
import { verifyBoltCrc } from './crc.ts';
import { FrameAssembler } from './frame-assembler.ts';
import { BoltFrame } from './frame.ts';
import { boltCrcLength, boltHeaderLength, boltLayoutOf, boltV2Layout } from './layout.ts';

export class BoltDecoder extends FrameAssembler {
  readonly #maxFrameSize: number;

  constructor(options: RpcDecoderOptions) {
    super(boltV2Layout.requestHeaderLength);
    this.#maxFrameSize = options.maxFrameSize;
  }

  protected frameLength(buf: Buffer, at: number, available: number): number {
    const layout = boltLayoutOf(buf[at]);
    if (layout === undefined) {
      throw new CodecError('ERR_CODEC_BAD_MAGIC', `not a bolt frame: first byte 0x${hex(buf[at]!)}`);
    }
    if (available <= layout.typeAt) return 0;
    const type = buf[at + layout.typeAt]!;
    if (type > BoltCmdType.oneway) {
      throw new CodecError('ERR_CODEC_BAD_TYPE', `${layout.protocol}: unknown cmd type ${type}`);
    }
    const isResponse = type === BoltCmdType.response;
    const headerLength = boltHeaderLength(layout, isResponse);
    if (available < headerLength) return 0;
    const cmdCode = buf.readUInt16BE(at + layout.cmdCodeAt);
    if (!isKnownCmdCode(cmdCode)) {
      throw new CodecError('ERR_CODEC_BAD_CMD', `${layout.protocol}: unknown cmd code ${cmdCode}`);
    }
    const lengthsAt = at + (isResponse ? layout.responseLengthsAt : layout.requestLengthsAt);
    let length =
      headerLength + buf.readUInt16BE(lengthsAt) + buf.readUInt16BE(lengthsAt + 2) + buf.readUInt32BE(lengthsAt + 4);
    if (layout.ver1At >= 0) length += boltCrcLength(buf[at + layout.ver1At]!, buf[at + layout.switchAt]!);
    if (length > this.#maxFrameSize) {
      throw new CodecError(
        'ERR_CODEC_FRAME_TOO_LARGE',
        `${layout.protocol}: frame of ${length} bytes exceeds the limit of ${this.#maxFrameSize}`,
      );
    }
    return length;
  }

  protected toFrame(raw: Buffer): RpcFrame {
    const layout = boltLayoutOf(raw[0])!;
    if (layout.ver1At >= 0 && boltCrcLength(raw[layout.ver1At]!, raw[layout.switchAt]!) > 0) verifyBoltCrc(raw);
    return new BoltFrame(raw, layout);
  }
}

function isKnownCmdCode(code: number): boolean {
  return (
    code === BoltCmdCode.request ||
    code === BoltCmdCode.response ||
    code === BoltCmdCode.heartbeat ||
    code === BoltCmdCode.goAway
  );
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}
