import type { RpcDecoderOptions, RpcFrame } from '../../api/rpc-codec.ts';
import { CodecError } from '../../common/errors.ts';
import { FrameAssembler } from '../bolt/frame-assembler.ts';
import { DUBBO_HEADER_LENGTH, DUBBO_MAGIC_HIGH, DUBBO_MAGIC_LOW, DubboOffset } from './constants.ts';
import { DubboFrame } from './frame.ts';

export class DubboDecoder extends FrameAssembler {
  readonly #maxFrameSize: number;
  readonly #attachmentsOverride: boolean;

  constructor(options: RpcDecoderOptions, attachmentsOverride: boolean) {
    super(DUBBO_HEADER_LENGTH);
    this.#maxFrameSize = options.maxFrameSize;
    this.#attachmentsOverride = attachmentsOverride;
  }

  protected frameLength(buf: Buffer, at: number, available: number): number {
    if (buf[at] !== DUBBO_MAGIC_HIGH || (available > 1 && buf[at + 1] !== DUBBO_MAGIC_LOW)) {
      throw new CodecError('ERR_CODEC_BAD_MAGIC', 'not a dubbo frame: bad magic');
    }
    if (available < DUBBO_HEADER_LENGTH) return 0;
    const length = DUBBO_HEADER_LENGTH + buf.readUInt32BE(at + DubboOffset.bodyLength);
    if (length > this.#maxFrameSize) {
      throw new CodecError(
        'ERR_CODEC_FRAME_TOO_LARGE',
        `dubbo: frame of ${length} bytes exceeds the limit of ${this.#maxFrameSize}`,
      );
    }
    return length;
  }

  protected toFrame(raw: Buffer): RpcFrame {
    return new DubboFrame(raw, this.#attachmentsOverride);
  }
}
